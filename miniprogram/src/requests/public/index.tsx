import { useState } from 'react';
import { View } from '@tarojs/components';
import { api, type ApiResponse } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { instantText } from '../../components/date-time-picker/format';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { useQuery } from '../../nav';
import { useCurrentCommunity } from '../../store/community';
import { Line, RequestTags, categoryLabel } from '../shared';
import '../shared.css';

type PublicRequest = ApiResponse<'publicRequests'>['items'][number];

/**
 * 诉求公开栏 (anyone): what the community was asked to fix and how it went — category, state,
 * dates and the resolution summary. Never the text, the photos or who asked.
 */
export default function PublicRequests() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const [more, setMore] = useState<PublicRequest[]>([]);
  const [next, setNext] = useState<string>();
  const community = useRequest(() => api('getCommunity', { params: { cid: cid ?? '' } }), [cid], Boolean(cid));
  const list = useRequest(
    async () => {
      const page = await api('publicRequests', { params: { cid: cid ?? '' }, query: { limit: 20 } });
      setMore([]);
      setNext(page.next);
      return page;
    },
    [cid],
    Boolean(cid),
  );
  const loadMore = useSubmit(async (_key, cursor: string) => {
    const page = await api('publicRequests', { params: { cid: cid ?? '' }, query: { limit: 20, cursor } });
    setMore((shown) => [...shown, ...page.items]);
    setNext(page.next);
  });

  if (!cid) return <PageShell><Empty title="请先选择社区" /></PageShell>;
  return (
    <PageShell className="stack desk-column">
      <View className="muted">
        {community.data ? `${community.data.name}居民反映的诉求及办理结果。` : ''}为保护居民隐私，这里不显示诉求内容、照片和反映人。
      </View>
      <Async state={list} isEmpty={(page) => page.items.length === 0} empty={<Empty title="暂无公开的诉求" />}>
        {(page) => (
          <View className="req-grid">
            {[...page.items, ...more].map((r) => (
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
      {next ? (
        <Button block variant="secondary" loading={loadMore.busy} loadingText="正在加载…" onClick={() => void loadMore.run(next)}>
          加载更多
        </Button>
      ) : null}
    </PageShell>
  );
}
