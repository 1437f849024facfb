import { useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { REQUEST_STATUS_LABELS, type RequestStatus } from '@contract/request-labels';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { PageShell } from '../../components/page-shell';
import { Async } from '../../components/state';
import { StaffOnly } from '../../components/staff-only';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go, useQuery } from '../../nav';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { RequestList, StatusFilter } from '../list';
import '../shared.css';

/**
 * 诉求办理 (community staff and 网格员): the community's requests, the least time left first and
 * 超期 in the warning colour; the worker's own grids by default. Accepting takes it on
 * (首问负责); the request's page holds the notes, the resolution and the hand-up.
 */
export default function Queue() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const [status, setStatus] = useState<RequestStatus | undefined>(undefined);
  const [scope, setScope] = useState<'grid' | 'all'>('grid');
  const grids = useRequest(() => api('listGrids', { params: { cid: cid ?? '' } }), [cid], Boolean(cid && allowed));
  const list = useRequest(() => api('communityRequests', { params: { cid: cid ?? '' }, query: { status, limit: 100 } }), [cid, status], Boolean(cid && allowed));
  useDidShow(() => {
    if (list.data) void list.reload();
  });

  if (!cid || (user && !allowed)) return <StaffOnly purpose="此页面用于网格员和社区工作人员办理居民诉求。" />;

  const mine = new Set((grids.data?.items ?? []).filter((g) => g.workerId === user?.id).map((g) => g.id));
  const byGrid = scope === 'grid' && mine.size > 0;
  return (
    <PageShell className="stack">
      {mine.size > 0 ? (
        <View className="req-filters">
          <Button small variant={byGrid ? 'primary' : 'secondary'} onClick={() => setScope('grid')}>{byGrid ? '✓ 我的网格' : '我的网格'}</Button>
          <Button small variant={byGrid ? 'secondary' : 'primary'} onClick={() => setScope('all')}>{byGrid ? '全社区' : '✓ 全社区'}</Button>
        </View>
      ) : null}
      <StatusFilter value={status} onChange={setStatus} />
      <Async state={list}>
        {(page) => (
          <RequestList
            items={page.items.filter((r) => !byGrid || (r.gridId !== undefined && mine.has(r.gridId)))}
            empty={`暂无${status ? REQUEST_STATUS_LABELS[status] : ''}的诉求`}
            onChanged={() => void list.reload()}
          />
        )}
      </Async>
      <View className="req-filters">
        <Button small variant="secondary" onClick={() => go(PAGES.requestVisits, { cid })}>走访入户</Button>
        <Button small variant="secondary" onClick={() => go(PAGES.requestGrids, { cid })}>网格管理</Button>
        <Button small variant="secondary" onClick={() => go(PAGES.requestsPublic, { cid })}>诉求公开栏</Button>
      </View>
    </PageShell>
  );
}
