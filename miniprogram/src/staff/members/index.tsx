import { useState } from 'react';
import { View } from '@tarojs/components';
import type { Member, MemberStatus } from '@contract/identity';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { SearchBar, StatusTabs } from '../../components/desk';
import { LoadMore } from '../../components/load-more';
import { Async, Empty } from '../../components/state';
import { StatusTag, type Tone } from '../../components/status-tag';
import { StaffOnly } from '../../components/staff-only';
import { useMe } from '../../hooks/use-me';
import { usePaged } from '../../hooks/use-paged';
import { useSubmit } from '../../hooks/use-submit';
import { useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { formatDateTime } from '../../utils/format';
import { MEMBER_STATUS_LABEL, maskedName, maskedPhone } from './labels';
import './index.css';

const TABS: MemberStatus[] = ['pending', 'verified', 'refused', 'revoked'];
const TONE: Record<MemberStatus, Tone> = { pending: 'pending', verified: 'ok', refused: 'danger', revoked: 'danger' };

/**
 * 成员管理 (staff): members by state (待核实 / 已核实 / 已拒绝 / 已撤销), searchable by 门牌 or name;
 * verify a request (correcting the 门牌) after a confirmation that says what it grants, refuse it
 * (不通过) or revoke a membership with a reason the person sees, move a verified member to another
 * 门牌 with a reason. A table at a desk, cards on a phone.
 */
export default function Members() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const [status, setStatus] = useState<MemberStatus>('pending');
  const [q, setQ] = useState('');
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());

  const paged = usePaged(
    (cursor) => {
      if (!cursor) setGone(new Set());
      return api('listMembers', { params: { cid: cid ?? '' }, query: { status, q: q || undefined, limit: 20, cursor } });
    },
    [cid, status, q],
    Boolean(cid && allowed),
  );

  if (!cid || (user && !allowed)) {
    return <StaffOnly purpose="此页面用于社区工作人员管理居民成员。" />;
  }

  const shown = (items: Member[]) => [...items, ...paged.more].filter((m) => !gone.has(m.userId));
  const drop = (uid: string) => setGone((s) => new Set(s).add(uid));

  return (
    <PageShell className="stack">
      <StatusTabs tabs={TABS} labels={MEMBER_STATUS_LABEL} value={status} onChange={setStatus} label="成员状态" />
      <SearchBar label="按门牌或姓名查找" placeholder="如 3-2 或 张" onSearch={setQ} />
      <Async
        state={paged.first}
        isEmpty={(page) => shown(page.items).length === 0}
        empty={<Empty title={`没有${MEMBER_STATUS_LABEL[status]}的成员`} text={q ? '换个门牌或姓名试试。' : undefined} />}
      >
        {({ items }) => (
          <View className="bo-table" style={{ '--bo-columns': '2fr 2fr 3fr 4fr' } as Record<string, string>}>
            <View className="bo-head" aria-hidden="true">
              <View>姓名</View>
              <View>门牌</View>
              <View>{status === 'refused' || status === 'revoked' ? '原因' : '联系方式与时间'}</View>
              <View>操作</View>
            </View>
            {shown(items).map((member) => (
              <MemberRow key={member.userId} cid={cid} member={member} onDone={() => drop(member.userId)} />
            ))}
            <LoadMore paged={paged} />
          </View>
        )}
      </Async>
    </PageShell>
  );
}

type Act = 'end' | 'move';

function MemberRow({ cid, member, onDone }: { cid: string; member: Member; onDone: () => void }) {
  const [household, setHousehold] = useState(member.household);
  const [current, setCurrent] = useState(member.household);
  const [destination, setDestination] = useState('');
  const [reason, setReason] = useState('');
  const [act, setAct] = useState<Act | undefined>(undefined);
  const pending = member.status === 'pending';
  const name = pending ? (member.realName ?? member.nickname ?? '未留姓名') : maskedName(member.realName ?? member.nickname);
  const verify = useSubmit((key) =>
    api('verifyMember', {
      params: { cid, uid: member.userId },
      body: household.trim() && household.trim() !== member.household ? { household: household.trim() } : {},
      idempotencyKey: key,
    }),
  );
  const end = useSubmit((key) => api('revokeMember', { params: { cid, uid: member.userId }, body: { reason: reason.trim() }, idempotencyKey: key }));
  const move = useSubmit((key) =>
    api('moveMember', { params: { cid, uid: member.userId }, body: { household: destination.trim(), reason: reason.trim() }, idempotencyKey: key }),
  );
  const errors = { ...fieldErrors(verify.error), ...fieldErrors(end.error), ...fieldErrors(move.error) };
  const what = pending ? '不通过' : '撤销成员身份';
  const flat = household.trim() || member.household;

  const confirmVerify = async () => {
    const sure = await confirm(
      `核实 ${name}？`,
      `确认 ${name} 住在 ${flat}。核实后可以预约、取号和参加议事投票，并计入本社区已核实的人数和户数。`,
      '核实',
      { cancelText: '暂不核实' },
    );
    if (!sure) return;
    const verified = await verify.run();
    if (verified) {
      toast(`已核实 ${verified.household}`, 'success');
      onDone();
    }
  };

  const confirmEnd = async () => {
    const sure = await confirm(
      `${what}？`,
      pending
        ? `${name}（${member.household}）的加入申请将不予通过。对方会看到原因：“${reason.trim()}”，可重新申请。`
        : `将撤销 ${name}（${current}）的成员身份，对方不能再以本社区居民身份办事、投票。对方会看到原因：“${reason.trim()}”。`,
      pending ? '不通过' : '撤销',
      { destructive: true, cancelText: '暂不处理' },
    );
    if (!sure) return;
    if (await end.run()) {
      toast(pending ? '已设为不通过' : '已撤销', 'success');
      onDone();
    }
  };

  const confirmMove = async () => {
    const sure = await confirm(
      `迁移 ${name} 的门牌？`,
      `${name} 将从 ${current} 迁至 ${destination.trim()}，仍是已核实成员。${current} 如再无已核实成员，将不再计为一户；${destination.trim()} 如尚无成员，将计为新的一户。原因记入操作记录：“${reason.trim()}”。`,
      '迁移',
      { cancelText: '暂不迁移' },
    );
    if (!sure) return;
    const moved = await move.run();
    if (moved) {
      toast(`已迁至 ${moved.household}`, 'success');
      setCurrent(moved.household);
      setDestination('');
      setReason('');
      setAct(undefined);
    }
  };

  return (
    <View className="bo-row">
      <View className="bo-row__main">
        {name} <StatusTag tone={TONE[member.status]}>{MEMBER_STATUS_LABEL[member.status]}</StatusTag>
      </View>
      <View>门牌：{current}</View>
      <View className="member__facts">
        {member.reason ? <View>原因：{member.reason}</View> : null}
        {pending ? <View>手机号：{member.phone ?? '未填写'}</View> : <View className="muted">手机号：{maskedPhone(member.phone)}</View>}
        <View className="muted">
          {member.endedAt ? `处理时间：${formatDateTime(member.endedAt)}` : member.verifiedAt ? `核实时间：${formatDateTime(member.verifiedAt)}` : `申请时间：${formatDateTime(member.requestedAt)}`}
        </View>
      </View>
      <View>
        {pending ? (
          <Field label="核实门牌" value={household} onInput={setHousehold} hint="如与实际不符，可改为规范门牌后再核实" error={errors.household} maxlength={20} />
        ) : null}
        {act === 'move' ? <Field label="新门牌" value={destination} onInput={setDestination} placeholder="如 3-2-502" error={errors.household} maxlength={20} /> : null}
        {act ? (
          <Field
            label={act === 'move' ? '迁移原因' : pending ? '不通过原因' : '撤销原因'}
            value={reason}
            onInput={setReason}
            placeholder={act === 'move' ? '如 搬到本社区另一套房' : '对方会看到这条原因'}
            error={errors.reason}
            maxlength={200}
          />
        ) : null}
        <View className="bo-row__actions">
          {pending ? (
            <Button loading={verify.busy} loadingText="正在核实…" onClick={() => void confirmVerify()}>
              {`核实 ${name}`}
            </Button>
          ) : null}
          {act === 'move' ? (
            <Button loading={move.busy} loadingText="正在迁移…" disabled={!destination.trim() || !reason.trim()} onClick={() => void confirmMove()}>
              确认迁移
            </Button>
          ) : null}
          {act === 'end' ? (
            <Button variant="danger" loading={end.busy} loadingText="正在处理…" disabled={!reason.trim()} onClick={() => void confirmEnd()}>
              {`确认${what}`}
            </Button>
          ) : null}
          {act ? (
            <Button variant="plain" onClick={() => setAct(undefined)}>
              收起
            </Button>
          ) : null}
          {!act && member.status === 'verified' ? (
            <Button variant="secondary" onClick={() => setAct('move')}>
              迁移门牌…
            </Button>
          ) : null}
          {!act && (pending || member.status === 'verified') ? (
            <Button variant="secondary" onClick={() => setAct('end')}>
              {`${what}…`}
            </Button>
          ) : null}
        </View>
      </View>
    </View>
  );
}
