import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { useSubscribe } from '../../platform/subscriptions';
import { EscortCard } from './escort';
import { BookingQr, MaterialsCard, StatusOf, dayText, hhmm, slotText, type Appointment } from '../shared';
import '../shared.css';

/** Check-in opens this long before the slot (the API's rule) and closes at its end. */
const CHECK_IN_OPENS_MS = 30 * 60_000;

/** Why the check-in button cannot be used now, or undefined when it can. */
function checkInClosed(a: Appointment, now: number): string | undefined {
  const start = Date.parse(a.start);
  if (now < start - CHECK_IN_OPENS_MS) {
    // The wall-clock time in the community's zone: the slot's own time less 30 minutes.
    const [h = 0, m = 0] = hhmm(a.start).split(':').map(Number);
    const opens = h * 60 + m - CHECK_IN_OPENS_MS / 60_000;
    const at = opens >= 0 ? `${dayText(a.start)} ${String(Math.floor(opens / 60)).padStart(2, '0')}:${String(opens % 60).padStart(2, '0')}` : '开始前 30 分钟';
    return `还未到签到时间：${at}起可签到`;
  }
  if (now >= Date.parse(a.end ?? a.start)) return '已过签到时间，请按普通号排队';
  return undefined;
}

/** The current time, moving on every half minute (the check-in button opens by itself). */
function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * A booking: its code as a QR (shown at the hall), what to bring and where to go, check-in
 * (open from 30 minutes before the slot; its number shows beside the QR, never over it), cancel,
 * and the rating afterwards.
 */
export default function AppointmentDetail() {
  const { id = '' } = useQuery();
  const now = useNow();
  const appointment = useRequest(() => api('getAppointment', { params: { id } }), [id], Boolean(id));
  const serviceId = appointment.data?.serviceId ?? '';
  const service = useRequest(() => api('getService', { params: { sid: serviceId } }), [serviceId], Boolean(serviceId));
  const cancel = useSubmit((key) => api('cancel', { params: { id }, idempotencyKey: key }));
  // Checking in takes a number: the queue's "3 ahead" and "your turn" messages follow it.
  const askQueueNotices = useSubscribe(['queueNear', 'queueCalled']);
  const checkIn = useSubmit(async (key) => {
    await askQueueNotices();
    return api('checkInAppointment', { params: { id }, idempotencyKey: key });
  });
  const [ticketNumber, setTicketNumber] = useState<string>();

  if (!id) return <PageShell><Empty title="未找到该预约" /></PageShell>;
  return (
    <PageShell className="stack">
      <Async state={appointment}>
        {(a) => (
          <>
            <Card title={<View className="h1">{a.serviceName}</View>} extra={<StatusOf status={a.status} />}>
              <View className="appt-line"><View className="appt-line__label">预约时间</View><View>{slotText(a.start, a.end)}</View></View>
              <View className="appt-line"><View className="appt-line__label">预约号</View><View className="h2">{a.code}</View></View>
              {service.data?.location ? (
                <View className="appt-line"><View className="appt-line__label">办理地点</View><View>{service.data.location}</View></View>
              ) : null}
              {a.released ? <View className="muted">已超过预约时间，名额已释放；到场后请按普通号排队。</View> : null}
            </Card>
            {a.status === 'booked' || a.status === 'checked_in' ? (
              <Card title={<View className="h2">到场出示二维码</View>}>
                <BookingQr text={a.id} />
                <View className="appt-code gap-top">{a.code}</View>
                <View className="muted">开始前 30 分钟至结束前可签到，签到后自动取得优先号。</View>
              </Card>
            ) : null}
            {ticketNumber ? (
              <View className="appt-result" role="status">
                <View className="appt-result__title">已签到，您的号码 {ticketNumber}</View>
                <View>请留意叫号屏，叫到号码时到窗口办理。</View>
              </View>
            ) : null}
            {a.status === 'booked' ? (
              <View className="stack">
                <Button
                  block
                  disabled={Boolean(checkInClosed(a, now))}
                  loading={checkIn.busy}
                  loadingText="正在签到…"
                  onClick={async () => {
                    const ticket = await checkIn.run();
                    if (!ticket) return;
                    setTicketNumber(ticket.number);
                    if (ticket.notice) await confirm('请留意', ticket.notice, '知道了');
                    void appointment.reload();
                  }}
                >
                  我已到场，签到取号
                </Button>
                {checkInClosed(a, now) ? <View className="muted appt-reason">{checkInClosed(a, now)}</View> : null}
                {a.cancellable ? (
                  <Button
                    block
                    variant="danger"
                    loading={cancel.busy}
                    loadingText="正在取消…"
                    onClick={async () => {
                      const sure = await confirm(
                        '取消这次预约？',
                        `${slotText(a.start, a.end)} 的预约取消后，名额将释放给其他居民，不能恢复；如仍需办理，请重新预约。`,
                        '取消预约',
                        { cancelText: '保留预约', destructive: true },
                      );
                      if (!sure) return;
                      if (await cancel.run()) {
                        toast('预约已取消', 'success');
                        void appointment.reload();
                      }
                    }}
                  >
                    取消预约
                  </Button>
                ) : null}
              </View>
            ) : null}
            {a.status === 'checked_in' && a.ticketId ? (
              <Button block variant="secondary" onClick={() => go(PAGES.queueTicket, { id: a.ticketId })}>查看排队进度</Button>
            ) : null}
            <EscortCard appointment={a} onAsked={() => void appointment.reload()} />
            {service.data && (a.status === 'booked' || a.status === 'checked_in') ? <MaterialsCard materials={service.data.materials} /> : null}
            {a.status === 'completed' ? <RatingCard appointment={a} onDone={() => void appointment.reload()} /> : null}
            {a.status === 'cancelled' ? (
              <Button block variant="secondary" onClick={() => go(PAGES.appointmentService, { sid: a.serviceId })}>重新预约</Button>
            ) : null}
          </>
        )}
      </Async>
    </PageShell>
  );
}

function RatingCard({ appointment, onDone }: { appointment: Appointment; onDone: () => void }) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const rate = useSubmit((key) =>
    api('rate', { params: { id: appointment.id }, body: comment.trim() ? { score, comment } : { score }, idempotencyKey: key }),
  );
  if (appointment.rating) {
    return (
      <Card title={<View className="h2">满意度评价</View>}>
        <View>您的评价：{appointment.rating} 分（满分 5 分）</View>
        {appointment.ratingComment ? <View className="muted">{appointment.ratingComment}</View> : null}
      </Card>
    );
  }
  const labels = ['', '很不满意', '不满意', '一般', '满意', '非常满意'];
  return (
    <Card title={<View className="h2">请为本次服务评分（满意度测评）</View>}>
      <View className="appt-stars">
        {[1, 2, 3, 4, 5].map((n) => (
          <Button key={n} small variant={score === n ? 'primary' : 'secondary'} onClick={() => setScore(n)}>
            {`${n} 分 ${labels[n]}`}
          </Button>
        ))}
      </View>
      <Field label="意见建议" optional value={comment} onInput={setComment} maxlength={200} placeholder="可以不填" />
      <Button
        block
        disabled={score === 0}
        loading={rate.busy}
        onClick={async () => {
          if (await rate.run()) {
            toast('感谢您的评价', 'success');
            onDone();
          }
        }}
      >
        提交评价
      </Button>
    </Card>
  );
}
