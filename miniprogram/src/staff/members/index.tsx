import { useState } from 'react';
import { View } from '@tarojs/components';
import type { Member } from '@contract/identity';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { useQuery } from '../../nav';
import { toast } from '../../platform';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { formatDateTime } from '../../utils/format';
import './index.css';

/** 成员核实 (staff): pending join requests with real name and phone; verify, correcting 门牌. */
export default function Members() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const [more, setMore] = useState<Member[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());

  const pending = useRequest(
    async () => {
      const page = await api('listMembers', { params: { cid: cid ?? '' }, query: { verified: 'false', limit: 20 } });
      setMore([]);
      setNext(page.next);
      setDone(new Set());
      return page.items;
    },
    [cid],
    Boolean(cid && allowed),
  );
  const loadMore = useSubmit(async (_key, cursor: string) => {
    const page = await api('listMembers', { params: { cid: cid ?? '' }, query: { verified: 'false', limit: 20, cursor } });
    setMore((items) => [...items, ...page.items]);
    setNext(page.next);
  });

  if (!cid || (user && !allowed)) {
    return (
      <PageShell>
        <Empty title="仅社区工作人员可用" text="此页面用于社区工作人员核实居民的门牌。" />
      </PageShell>
    );
  }

  const waiting = (items: Member[]) => [...items, ...more].filter((m) => !done.has(m.userId));

  return (
    <PageShell className="stack">
      <Async state={pending} isEmpty={(items) => waiting(items).length === 0} empty={<Empty title="暂无待核实的成员" text="新的加入申请会出现在这里。" />}>
        {(items) => (
          <>
            <View className="muted">共 {waiting(items).length} 人待核实{next ? '（还有更多）' : ''}</View>
            {waiting(items).map((member) => (
              <PendingMember key={member.userId} cid={cid} member={member} onVerified={() => setDone((s) => new Set(s).add(member.userId))} />
            ))}
            {next ? (
              <Button variant="secondary" block loading={loadMore.busy} loadingText="加载中…" onClick={() => void loadMore.run(next)}>
                加载更多
              </Button>
            ) : null}
          </>
        )}
      </Async>
    </PageShell>
  );
}

function PendingMember({ cid, member, onVerified }: { cid: string; member: Member; onVerified: () => void }) {
  const [household, setHousehold] = useState(member.household);
  const verify = useSubmit((key) =>
    api('verifyMember', {
      params: { cid, uid: member.userId },
      body: household.trim() && household.trim() !== member.household ? { household: household.trim() } : {},
      idempotencyKey: key,
    }),
  );
  const errors = fieldErrors(verify.error);
  const name = member.realName ?? member.nickname ?? '未填写姓名';

  return (
    <Card title={<View className="member__name">{name}</View>} extra={<StatusTag tone="pending">待核实</StatusTag>}>
      <View className="member__facts">
        <View>申请门牌：{member.household}</View>
        <View>手机号：{member.phone ?? '未填写'}</View>
        {member.nickname && member.realName ? <View className="muted">微信昵称：{member.nickname}</View> : null}
        <View className="muted">申请时间：{formatDateTime(member.requestedAt)}</View>
      </View>
      <Field label="核实门牌" value={household} onInput={setHousehold} hint="如与实际不符，可改为规范门牌后再核实" error={errors.household} maxlength={20} />
      <View className="member__actions">
        <Button
          block
          loading={verify.busy}
          loadingText="正在核实…"
          onClick={async () => {
            const verified = await verify.run();
            if (verified) {
              toast(`已核实 ${verified.household}`, 'success');
              onVerified();
            }
          }}
        >
          {`核实 ${name}`}
        </Button>
      </View>
    </Card>
  );
}
