import { useState } from 'react';
import { View } from '@tarojs/components';
import type { Member, StaffMember, StaffRole } from '@contract/identity';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { SearchBar } from '../../components/desk';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { StaffOnly } from '../../components/staff-only';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { isStaff, membershipOf, useCurrentCommunity } from '../../store/community';
import { formatDateTime } from '../../utils/format';
import { STAFF_ROLE_LABEL, maskedName } from '../members/labels';

/**
 * 工作人员 (staff): the community's staff with their roles. A director (主任) or an admin appoints
 * from the verified members and removes; workers see the list only. The roll beside the
 * appointing pane at a desk.
 */
export default function StaffPage() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const director = Boolean(user?.admin || membershipOf(user, cid)?.staffRole === 'director');
  const roll = useRequest(() => api('listStaff', { params: { cid: cid ?? '' } }).then((r) => r.items), [cid], Boolean(cid && allowed));

  if (!cid || (user && !allowed)) {
    return <StaffOnly purpose="此页面列出本社区的工作人员。" />;
  }

  return (
    <PageShell className="stack">
      <View className="bo-panes">
        <Card title="本社区工作人员">
          {director ? null : <View className="muted">任免工作人员由社区主任办理。</View>}
          <Async state={roll} isEmpty={(items) => items.length === 0} empty={<Empty title="暂无工作人员" />}>
            {(items) => (
              <View className="bo-table" style={{ '--bo-columns': '2fr 1fr 2fr 2fr' } as Record<string, string>}>
                <View className="bo-head" aria-hidden="true">
                  <View>姓名</View>
                  <View>职务</View>
                  <View>任命时间</View>
                  <View>操作</View>
                </View>
                {items.map((s) => (
                  <StaffRow key={s.userId} cid={cid} staff={s} canRemove={director && s.userId !== user?.id} onChanged={roll.reload} />
                ))}
              </View>
            )}
          </Async>
        </Card>
        {director ? <Appoint cid={cid} onAppointed={roll.reload} /> : null}
      </View>
    </PageShell>
  );
}

function StaffRow({ cid, staff, canRemove, onChanged }: { cid: string; staff: StaffMember; canRemove: boolean; onChanged: () => void }) {
  const name = staff.name ?? '未留姓名';
  const remove = useSubmit((key) => api('removeStaff', { params: { cid, uid: staff.userId }, idempotencyKey: key }));
  return (
    <View className="bo-row">
      <View className="bo-row__main">{name}</View>
      <View>
        <StatusTag tone={staff.staffRole === 'director' ? 'ok' : 'info'}>{STAFF_ROLE_LABEL[staff.staffRole]}</StatusTag>
      </View>
      <View className="muted">任命于 {formatDateTime(staff.appointedAt)}</View>
      <View className="bo-row__actions">
        {canRemove ? (
          <Button
            variant="danger"
            small
            loading={remove.busy}
            loadingText="正在办理…"
            onClick={async () => {
              const sure = await confirm(
                `免去 ${name} 的职务？`,
                `${name} 将不再是本社区${STAFF_ROLE_LABEL[staff.staffRole]}，不能再核实成员、叫号或查看操作记录；其居民身份保留。`,
                '免去职务',
                { destructive: true, cancelText: '保留' },
              );
              if (sure && (await remove.run())) {
                toast('已免去职务', 'success');
                onChanged();
              }
            }}
          >
            {`免去 ${name}`}
          </Button>
        ) : null}
      </View>
    </View>
  );
}

/** Appoint from the verified members, found by 门牌 or name. */
function Appoint({ cid, onAppointed }: { cid: string; onAppointed: () => void }) {
  const [q, setQ] = useState('');
  const found = useRequest(
    () => api('listMembers', { params: { cid }, query: { status: 'verified', q, limit: 10 } }).then((p) => p.items),
    [cid, q],
    Boolean(q),
  );
  return (
    <Card title="任命工作人员">
      <View className="muted">从本社区已核实的居民中选择。</View>
      <SearchBar label="按门牌或姓名查找居民" placeholder="如 3-2-501 或 张" onSearch={setQ} needsText />
      {q ? (
        <Async state={found} isEmpty={(items) => items.length === 0} empty={<Empty title="未找到已核实的居民" text="请确认对方已加入并经核实。" />}>
          {(items) => (
            <View className="stack">
              {items.map((m) => (
                <Candidate key={m.userId} cid={cid} member={m} onAppointed={onAppointed} />
              ))}
            </View>
          )}
        </Async>
      ) : null}
    </Card>
  );
}

function Candidate({ cid, member, onAppointed }: { cid: string; member: Member; onAppointed: () => void }) {
  const name = member.realName ?? maskedName(member.nickname);
  const appoint = useSubmit((key, role: StaffRole) => api('appointStaff', { params: { cid, uid: member.userId }, body: { role }, idempotencyKey: key }));
  const run = async (role: StaffRole) => {
    if (await appoint.run(role)) {
      toast(`已任命为${STAFF_ROLE_LABEL[role]}`, 'success');
      onAppointed();
    }
  };
  // Two cells at a desk (who, then both buttons), so the buttons keep their names on one line.
  return (
    <View className="bo-row" style={{ '--bo-columns': '1fr auto' } as Record<string, string>}>
      <View className="bo-row__main">
        {name}（{member.household}）
      </View>
      <View className="bo-row__actions">
        <Button small loading={appoint.busy} loadingText="正在任命…" onClick={() => void run('worker')}>
          {`任命 ${name} 为工作人员`}
        </Button>
        <Button small variant="secondary" disabled={appoint.busy} onClick={() => void run('director')}>
          任命为主任
        </Button>
      </View>
    </View>
  );
}
