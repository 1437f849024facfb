import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { Tile, Tiles } from '../../components/tile';
import { useRequest } from '../../hooks/use-request';
import { go, PAGES } from '../../nav';
import { useCurrentCommunity } from '../../store/community';
import './index.css';

const KIND: Record<string, string> = { general: '预约办理', mediation: '预约调解' };

/** 办事: take a number in the hall, or book a service (materials shown before booking). */
export default function Services() {
  const { cid, staff } = useCurrentCommunity();
  const services = useRequest(() => api('listServices', { params: { cid: cid ?? '' }, query: { limit: 50 } }), [cid], Boolean(cid));

  if (!cid) {
    return (
      <PageShell>
        <Empty title="加入社区后即可预约办事" action={{ text: '加入社区', onClick: () => go(PAGES.join) }} />
      </PageShell>
    );
  }
  return (
    <PageShell className="stack">
      <Tiles>
        <Tile title="取号排队" text="在手机上取号，随时查看前面还有几人" onClick={() => go(PAGES.queueTake)} />
        <Tile title="我的预约" text="出示预约码、取消预约、评价服务" onClick={() => go(PAGES.appointmentsMine)} />
      </Tiles>
      {staff ? (
        <Button block variant="secondary" onClick={() => go(PAGES.appointmentsStaff)}>
          今日预约（工作人员）
        </Button>
      ) : null}
      <View className="h2">预约办理</View>
      <Async
        state={services}
        isEmpty={(page) => page.items.filter((s) => s.active).length === 0}
        empty={<Empty title="社区还没有开放预约的事项" text="可以直接到便民服务大厅取号办理。" />}
      >
        {(page) => (
          <>
            {page.items
              .filter((s) => s.active)
              .map((s) => (
                <Card key={s.id} title={<View className="h2">{s.name}</View>} extra={<View className="muted services-card__kind">{KIND[s.kind]}</View>}>
                  {s.description ? <View>{s.description}</View> : null}
                  <View className="muted">需带材料 {s.materials.length} 项 · 约 {s.durationMin} 分钟</View>
                  <Button block onClick={() => go(PAGES.appointmentService, { sid: s.id })}>
                    查看材料并预约
                  </Button>
                </Card>
              ))}
          </>
        )}
      </Async>
    </PageShell>
  );
}
