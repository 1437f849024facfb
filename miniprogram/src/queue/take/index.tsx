import { parseHallScene } from '@contract/hall-scene';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { useSubscribe } from '../../platform/subscriptions';
import { useCurrentCommunity } from '../../store/community';
import { TICKET_STATUS, heldTicketId, hoursText } from '../shared';

/**
 * 取号: the hall's categories with how many wait in each; one tap takes a number. A verified
 * member takes one from 办事; anyone else scans the hall's QR, which opens this page with
 * ?cid=…&t=… (the day's hall token, sent with the take). The resident's tickets of today come
 * from the server, so a number taken on another device, or whose answer was lost, is still here.
 */
export default function TakeNumber() {
  const query = useQuery();
  const current = useCurrentCommunity();
  // From the hall's walk-in code: `cid` and `t` in a web link, `<cid>.<token>` as a mini-program code's scene.
  const scene = parseHallScene(query.scene);
  const cid = query.cid ?? scene.communityId ?? current.cid;
  const hallToken = query.t ?? scene.token;
  const board = useRequest(() => api('board', { params: { cid: cid ?? '' } }), [cid], Boolean(cid));
  const today = useRequest(() => api('myTickets'), [cid], Boolean(cid));
  const ask = useSubscribe(['queueNear', 'queueCalled']);
  const take = useSubmit(async (key, category: string) => {
    try {
      return await api('takeTicket', { params: { cid: cid ?? '' }, body: { category, ...(hallToken ? { hallToken } : {}) }, idempotencyKey: key });
    } catch (failure) {
      // Already queued in that category: open the ticket held rather than only saying so.
      const held = heldTicketId(failure);
      if (!held) throw failure;
      go(PAGES.queueTicket, { id: held });
      return undefined;
    }
  });
  const mine = (today.data?.items ?? []).filter((t) => t.communityId === cid);

  if (!cid) {
    return (
      <PageShell>
        <Empty title="请扫描大厅的取号二维码" text="或先加入社区，再从「办事」进入取号。" />
      </PageShell>
    );
  }

  const onTake = async (category: string) => {
    // First in the tap: WeChat shows the subscription dialog only there.
    await ask();
    const ticket = await take.run(category);
    if (!ticket) {
      void board.reload();
      return;
    }
    void today.reload();
    go(PAGES.queueTicket, { id: ticket.id });
  };

  return (
    <PageShell className="stack">
      {mine.length ? (
        <Card title={<View className="h2">我今天的号码</View>}>
          {mine.map((t) => (
            <Button key={t.id} block variant="secondary" onClick={() => go(PAGES.queueTicket, { id: t.id })}>
              {`查看 ${t.number} 号（${TICKET_STATUS[t.status].text}）`}
            </Button>
          ))}
        </Card>
      ) : null}
      <Async
        state={board}
        isEmpty={(b) => b.categories.length === 0}
        empty={<Empty title="大厅暂未开放取号" />}
      >
        {(b) => (
          <>
            <View className="h2">{b.communityName ? `${b.communityName} 便民服务大厅` : '便民服务大厅'}</View>
            {b.hours.length ? <View className="q-hours">办理时间：{hoursText(b.hours)}（法定节假日除外）</View> : null}
            <View className="muted">请选择要办理的业务类别，取号后可在手机上查看前面还有几人。</View>
            <View className="q-cats">
              {b.categories.map((c) => (
                <View key={c.code} className="q-cat">
                  <View className="q-cat__code">{c.code}</View>
                  <View className="q-cat__name">
                    {c.name}
                    <View className="q-cat__count">{`正在等候 ${b.waiting[c.code] ?? 0} 人`}</View>
                  </View>
                  <Button small loading={take.busy} loadingText="取号中…" onClick={() => void onTake(c.code)}>
                    {`取 ${c.code} 号`}
                  </Button>
                </View>
              ))}
            </View>
            {current.staff && cid === current.cid ? (
              <View className="q-actions">
                <Button variant="secondary" onClick={() => go(PAGES.queueWindow, { cid })}>窗口叫号（工作人员）</Button>
                <Button variant="secondary" onClick={() => go(PAGES.queueBoard, { cid })}>大厅叫号屏</Button>
              </View>
            ) : null}
            <View className="muted">优先窗口（绿色通道）：预约签到的居民，以及 70 岁以上老人、残疾人、孕妇等，请向工作人员出示号码。</View>
          </>
        )}
      </Async>
    </PageShell>
  );
}
