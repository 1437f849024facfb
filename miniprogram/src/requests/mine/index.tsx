import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api } from '../../api/client';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { instantText } from '../../components/date-time-picker/format';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go } from '../../nav';
import { useCurrentCommunity } from '../../store/community';
import { RequestTags, categoryLabel, type ServiceRequest } from '../shared';
import '../shared.css';

/** 我的诉求: every request the resident filed, newest first, with its state; each opens its timeline. */
export default function MyRequests() {
  const { cid } = useCurrentCommunity();
  const mine = useRequest(() => api('myRequests', { query: { limit: 50 } }), []);
  // Back from a request's page: its state may have moved.
  useDidShow(() => {
    if (mine.data) void mine.reload();
  });
  return (
    <PageShell className="stack desk-column">
      <Button block onClick={() => go(PAGES.requestNew)}>反映诉求</Button>
      <Async
        state={mine}
        isEmpty={(page) => page.items.length === 0}
        empty={<Empty title="还没有反映过诉求" text="小区里遇到环境卫生、设施损坏、邻里纠纷等问题，都可以在这里反映。" />}
      >
        {(page) => (
          <>
            {page.items.map((r) => (
              <RequestCard key={r.id} request={r} />
            ))}
          </>
        )}
      </Async>
      {cid ? (
        <Button block variant="plain" onClick={() => go(PAGES.requestsPublic, { cid })}>
          看看社区诉求公开栏
        </Button>
      ) : null}
    </PageShell>
  );
}

function RequestCard({ request: r }: { request: ServiceRequest }) {
  const open = () => go(PAGES.requestDetail, { id: r.id });
  return (
    <Card title={<View className="h2">{categoryLabel(r.category)}</View>} extra={<RequestTags status={r.status} level={r.level} overdue={r.overdue} />}>
      <View {...tappable(open)} onClick={open}>
        {r.text ? <View className="req-text req-clamp">{r.text}</View> : null}
        <View className="muted req-below">
          编号 {r.number} · {instantText(r.createdAt)}提交
        </View>
      </View>
      <Button small variant="plain" onClick={open}>
        {r.status === 'resolved' && !r.rating ? '去评价' : '查看办理过程'}
      </Button>
    </Card>
  );
}
