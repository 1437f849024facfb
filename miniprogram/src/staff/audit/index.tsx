import { useState } from 'react';
import { View } from '@tarojs/components';
import type { AuditEntry } from '@contract/identity';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { useQuery } from '../../nav';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { formatDateTime } from '../../utils/format';
import { AUDIT_ACT_LABEL, describeDetail } from './acts';
import '../../components/desk/index.css';
import { StaffOnly } from '../../components/staff-only';

/** Who a person in the log is: their name, or words when they left none (never an id). */
const who = (name: string | undefined) => name ?? '未留姓名的用户';

/** 操作记录 (staff): the community's audit log, newest first, who did what to whom and when. */
export default function AuditPage() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const [more, setMore] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);

  const log = useRequest(
    async () => {
      const page = await api('audit', { params: { cid: cid ?? '' }, query: { limit: 20 } });
      setMore([]);
      setNext(page.next);
      return page.items;
    },
    [cid],
    Boolean(cid && allowed),
  );
  const loadMore = useSubmit(async (_key, cursor: string) => {
    const page = await api('audit', { params: { cid: cid ?? '' }, query: { limit: 20, cursor } });
    setMore((items) => [...items, ...page.items]);
    setNext(page.next);
  });

  if (!cid || (user && !allowed)) {
    return <StaffOnly purpose="此页面列出本社区工作人员的操作。" />;
  }

  return (
    <PageShell className="stack">
      <Async state={log} isEmpty={(items) => items.length === 0} empty={<Empty title="暂无操作记录" />}>
        {(items) => (
          <View className="bo-table" style={{ '--bo-columns': '2fr 2fr 2fr 2fr 4fr' } as Record<string, string>}>
            <View className="bo-head" aria-hidden="true">
              <View>时间</View>
              <View>操作人</View>
              <View>操作</View>
              <View>对象</View>
              <View>说明</View>
            </View>
            {[...items, ...more].map((entry, i) => (
              <View key={`${entry.at}-${i}`} className="bo-row">
                <View className="muted">{formatDateTime(entry.at)}</View>
                <View>{who(entry.actorName)}</View>
                <View className="bo-row__main">{AUDIT_ACT_LABEL[entry.act]}</View>
                <View>{entry.subjectId ? (entry.subjectName ?? (entry.act.startsWith('member.') || entry.act.startsWith('staff.') ? who(undefined) : '')) : ''}</View>
                <View>{describeDetail(entry)}</View>
              </View>
            ))}
            {next ? (
              <Button variant="secondary" block loading={loadMore.busy} loadingText="加载中…" onClick={() => void loadMore.run(next)}>
                查看更早的记录
              </Button>
            ) : null}
          </View>
        )}
      </Async>
    </PageShell>
  );
}
