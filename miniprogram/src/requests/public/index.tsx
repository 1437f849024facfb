import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Card } from '../../components/card';
import { instantText } from '../../components/date-time-picker/format';
import { PageShell } from '../../components/page-shell';
import { LoadMore } from '../../components/load-more';
import { Async, Empty } from '../../components/state';
import { usePaged } from '../../hooks/use-paged';
import { useRequest } from '../../hooks/use-request';
import { useQuery } from '../../nav';
import { useCurrentCommunity } from '../../store/community';
import { Line, RequestTags, categoryLabel } from '../shared';
import '../shared.css';

/**
 * 诉求公开栏 (anyone): what the community was asked to fix and how it went — category, state,
 * dates and the resolution summary. Never the text, the photos or who asked.
 */
export default function PublicRequests() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const community = useRequest(() => api('getCommunity', { params: { cid: cid ?? '' } }), [cid], Boolean(cid));
  const list = usePaged((cursor) => api('publicRequests', { params: { cid: cid ?? '' }, query: { limit: 20, cursor } }), [cid], Boolean(cid));

  if (!cid) return <PageShell><Empty title="请先选择社区" /></PageShell>;
  return (
    <PageShell className="stack desk-column">
      <View className="muted">
        {community.data ? `${community.data.name}居民反映的诉求及办理结果。` : ''}为保护居民隐私，这里不显示诉求内容、照片和反映人。
      </View>
      <Async state={list.first} isEmpty={(page) => page.items.length === 0} empty={<Empty title="暂无公开的诉求" />}>
        {(page) => (
          <View className="req-grid">
            {[...page.items, ...list.more].map((r) => (
              <Card key={r.id} title={<View className="h2">{categoryLabel(r.category)}</View>} extra={<RequestTags status={r.status} level={r.level} overdue={r.overdue} />}>
                <Line label="编号">{r.number}</Line>
                <Line label="提交">{instantText(r.createdAt)}</Line>
                {r.resolvedAt ? <Line label="办结">{instantText(r.resolvedAt)}</Line> : null}
                {r.resolution ? <Line label="办理结果">{r.resolution}</Line> : null}
              </Card>
            ))}
          </View>
        )}
      </Async>
      <LoadMore paged={list} />
    </PageShell>
  );
}
