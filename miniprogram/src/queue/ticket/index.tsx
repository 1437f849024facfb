import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { back, useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { TicketStatusTag, hhmm, type Ticket } from '../shared';

/**
 * How often a waiting ticket refreshes itself (ms): every 10 s while the turn is far (the
 * "3 ahead" and "your turn" messages reach a resident who left the page), every 4 s once 3 or
 * fewer are ahead or it is called. Polls are most of the product's reads: see BENCHMARKS.md.
 */
const REFRESH_MS = 10_000;
const NEAR_REFRESH_MS = 4_000;

/** 我的号码: number, position, estimate and status, live; 请到 N 号窗口 when called. */
export default function MyTicket() {
  const { id } = useQuery();
  const ticket = useRequest(() => api('getTicket', { params: { id: id ?? '' } }), [id], Boolean(id));
  const live = ticket.data?.status === 'waiting' || ticket.data?.status === 'called';
  const near = ticket.data?.status === 'called' || (ticket.data?.ahead ?? 0) <= 3;

  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(() => void ticket.reload(), near ? NEAR_REFRESH_MS : REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, near, ticket.reload]);

  if (!id) {
    return (
      <PageShell>
        <Empty title="没有找到号码" action={{ text: '返回', onClick: back }} />
      </PageShell>
    );
  }
  return (
    <PageShell className="stack">
      <Async state={ticket}>{(t) => <TicketView ticket={t} onChange={(next) => ticket.setData(next)} />}</Async>
    </PageShell>
  );
}

function TicketView({ ticket: t, onChange }: { ticket: Ticket; onChange: (t: Ticket) => void }) {
  const cancel = useSubmit((key) => api('cancelTicket', { params: { id: t.id }, idempotencyKey: key }));
  const rate = useSubmit((key, score: number) => api('rateTicket', { params: { id: t.id }, body: { score }, idempotencyKey: key }));
  const [rated, setRated] = useState<number | undefined>(t.rating);

  const onCancel = async () => {
    if (!(await confirm('取消排队', `确定取消 ${t.number} 号吗？取消后需重新取号。`, '取消排队'))) return;
    const next = await cancel.run();
    if (next) onChange(next);
  };
  const onRate = async (score: number) => {
    if (await rate.run(score)) {
      setRated(score);
      toast('感谢您的评价', 'success');
    }
  };

  return (
    <>
      <Card extra={<TicketStatusTag status={t.status} />} title={<View className="h2">{t.categoryName ? `${t.category} · ${t.categoryName}` : t.category}</View>}>
        <View className="q-number" aria-label={`号码 ${t.number}`}>{t.number}</View>
        {t.priority ? <View className="q-center">{`优先号（${t.priorityReason ?? '绿色通道'}）`}</View> : null}
        {t.status === 'waiting' ? (
          <>
            <View className="q-big">{t.ahead === undefined ? '正在查询您前面的人数…' : t.ahead === 0 ? '下一位就是您，请留意叫号' : t.approximate ? `前面约有 ${t.ahead ?? 0} 人` : `前面还有 ${t.ahead ?? 0} 人`}</View>
            <View className="q-center muted">{`预计等候约 ${t.estimatedWaitMin ?? 0} 分钟 · 取号时间 ${hhmm(t.issuedAt)}`}</View>
          </>
        ) : null}
        {t.status === 'called' && t.window ? <View className="q-call" role="alert">{`请到 ${t.window} 号窗口办理`}</View> : null}
        {t.status === 'done' ? <View className="q-big">业务已办结，感谢您的耐心等候</View> : null}
        {t.status === 'skipped' ? <View className="q-big">您的号码已过号，如需办理请重新取号或咨询工作人员</View> : null}
        {t.status === 'cancelled' ? <View className="q-big">已取消排队</View> : null}
      </Card>
      {t.notice ? <View className="q-notice">{t.notice}</View> : null}
      {t.reason ? <View className="q-reason">{`为什么有人先于您办理：${t.reason}`}</View> : null}
      {t.transferredFrom ? <View className="q-reason">{`您的号码已由 ${t.transferredFrom} 类转到 ${t.category} 类，按原取号时间排队。`}</View> : null}
      {t.status === 'waiting' ? (
        <Button block variant="danger" loading={cancel.busy} loadingText="正在取消…" onClick={() => void onCancel()}>
          取消排队
        </Button>
      ) : null}
      {t.status === 'done' ? (
        <Card title={<View className="h2">{rated ? `您的评价：${rated} 分` : '请为本次服务评分（满意度）'}</View>}>
          {rated ? null : (
            <View className="q-stars">
              {[1, 2, 3, 4, 5].map((score) => (
                <Button key={score} small variant="secondary" loading={rate.busy} onClick={() => void onRate(score)}>
                  {`${score} 分`}
                </Button>
              ))}
            </View>
          )}
        </Card>
      ) : null}
    </>
  );
}
