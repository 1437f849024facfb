import { useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { go, useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { QrCode, StatusOf, slotText, type Appointment } from '../shared';
import '../shared.css';

/** A booking: its code as a QR (shown at the hall), cancel, check-in, and the rating afterwards. */
export default function AppointmentDetail() {
  const { id = '' } = useQuery();
  const appointment = useRequest(() => api('getAppointment', { params: { id } }), [id], Boolean(id));
  const cancel = useSubmit((key) => api('cancel', { params: { id }, idempotencyKey: key }));
  const checkIn = useSubmit((key) => api('checkInAppointment', { params: { id }, idempotencyKey: key }));

  if (!id) return <PageShell><Empty title="未找到该预约" /></PageShell>;
  return (
    <PageShell className="stack">
      <Async state={appointment}>
        {(a) => (
          <>
            <Card title={<View className="h1">{a.serviceName}</View>} extra={<StatusOf status={a.status} />}>
              <View className="appt-line"><View className="appt-line__label">预约时间</View><View>{slotText(a.start, a.end)}</View></View>
              <View className="appt-line"><View className="appt-line__label">预约号</View><View className="h2">{a.code}</View></View>
              {a.released ? <View className="muted">已超过预约时间，名额已释放；到场后请按普通号排队。</View> : null}
            </Card>
            {a.status === 'booked' || a.status === 'checked_in' ? (
              <Card title={<View className="h2">到场出示二维码</View>}>
                <QrCode text={a.id} />
                <View className="appt-code gap-top">{a.code}</View>
                <View className="muted">开始前 30 分钟至结束前可签到，签到后自动取得优先号。</View>
              </Card>
            ) : null}
            {a.status === 'booked' ? (
              <View className="stack">
                <Button
                  block
                  loading={checkIn.busy}
                  loadingText="正在签到…"
                  onClick={async () => {
                    const ticket = await checkIn.run();
                    if (!ticket) return;
                    toast(`已签到，您的号码 ${ticket.number}`, 'success');
                    if (ticket.notice) await confirm('请留意', ticket.notice, '知道了');
                    void appointment.reload();
                  }}
                >
                  我已到场，签到取号
                </Button>
                {a.cancellable ? (
                  <Button
                    block
                    variant="danger"
                    loading={cancel.busy}
                    loadingText="正在取消…"
                    onClick={async () => {
                      if (!(await confirm('取消预约', `确定取消 ${slotText(a.start, a.end)} 的预约吗？`, '取消预约'))) return;
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
              <Button block variant="secondary" onClick={() => go('/queue/ticket/index', { id: a.ticketId })}>查看排队进度</Button>
            ) : null}
            {a.status === 'completed' ? <RatingCard appointment={a} onDone={() => void appointment.reload()} /> : null}
            {a.status === 'cancelled' ? (
              <Button block variant="secondary" onClick={() => go('/appointments/service/index', { sid: a.serviceId })}>重新预约</Button>
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
