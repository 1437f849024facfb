import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { go, useQuery } from '../../nav';
import { toast } from '../../platform';
import { useSubscribe } from '../../platform/subscriptions';
import { hhmm, weekdayText } from '../shared';
import '../shared.css';

const CLOSED_REASON: Record<string, string> = { holiday: '节假日', closure: '休息', closed_weekly: '不办理' };

/** A service: the full materials list (一次告知), then a date and a slot, then booking. */
export default function ServicePage() {
  const { sid = '' } = useQuery();
  const service = useRequest(() => api('getService', { params: { sid } }), [sid], Boolean(sid));
  const dates = useRequest(() => api('dates', { params: { sid } }), [sid], Boolean(sid));
  const [date, setDate] = useState<string>();
  const [start, setStart] = useState<string>();
  const slots = useRequest(() => api('slots', { params: { sid }, query: { date: date ?? '' } }), [sid, date], Boolean(sid && date));

  useEffect(() => {
    if (!date && dates.data) setDate(dates.data.items.find((d) => d.open && d.available > 0)?.date);
  }, [dates.data, date]);

  // Reminders are sent only as far as the resident accepted them here (one per acceptance).
  const askReminders = useSubscribe(['appointmentReminder']);
  const book = useSubmit(async (key) => {
    const accepted = await askReminders();
    return api('book', { params: { sid }, body: { start: start ?? '', remind: accepted.length > 0 }, idempotencyKey: key });
  });

  if (!sid) return <PageShell><Empty title="未找到该服务事项" /></PageShell>;
  return (
    <PageShell className="stack">
      <Async state={service}>
        {(s) => (
          <Card title={<View className="h1">{s.name}</View>}>
            {s.description ? <View>{s.description}</View> : null}
            {/* One fact a line: in elder mode a run-on sentence of three facts was hard to read. */}
            <View className="appt-facts gap-top">
              <View className="appt-line__label">办理时长</View>
              <View>约 {s.durationMin} 分钟</View>
              {s.location ? <View className="appt-line__label">办理地点</View> : null}
              {s.location ? <View>{s.location}</View> : null}
            </View>
            <View className="muted">迟到超过 {s.graceMinutes} 分钟需按普通号排队。</View>
          </Card>
        )}
      </Async>
      <Async state={service}>
        {(s) => (
          <Card title={<View className="h2">请带齐以下材料（一次告知）</View>}>
            {s.materials.length === 0 ? <View className="muted">无需携带材料</View> : null}
            <View className="appt-materials">
              {s.materials.map((m, i) => (
                <View key={m} className="appt-materials__item">
                  <View className="appt-materials__no">{i + 1}.</View>
                  <View>{m}</View>
                </View>
              ))}
            </View>
          </Card>
        )}
      </Async>
      <Card title={<View className="h2">选择日期</View>}>
        <Async state={dates} isEmpty={(d) => d.items.length === 0} empty={<Empty title="暂无可预约的日期" />}>
          {(d) => (
            <View className="appt-dates appt-dates--grid">
              {d.items.map((day) => {
                const bookable = day.open && day.available > 0;
                const on = day.date === date;
                return (
                  <View
                    key={day.date}
                    className={`appt-chip ${on ? 'appt-chip--on' : ''} ${bookable ? '' : 'appt-chip--off'}`}
                    onClick={() => {
                      if (!bookable) return;
                      setDate(day.date);
                      setStart(undefined);
                    }}
                    aria-disabled={!bookable}
                    role="button"
                  >
                    <View className="appt-chip__main">{`${on ? '✓ ' : ''}${Number(day.date.slice(5, 7))}/${Number(day.date.slice(8, 10))}`}</View>
                    <View>
                      {weekdayText(day.weekday)}
                      {day.reason === 'makeup_workday' ? ' 调休上班' : ''}
                    </View>
                    <View>{day.open ? (day.available > 0 ? `余 ${day.available}` : '已约满') : (day.holiday ?? CLOSED_REASON[day.reason] ?? '不办理')}</View>
                  </View>
                );
              })}
            </View>
          )}
        </Async>
      </Card>
      {date ? (
        <Card title={<View className="h2">选择时段</View>}>
          <Async
            state={slots}
            isEmpty={(s) => !s.items.some((slot) => slot.available > 0 || slot.booked >= slot.capacity)}
            empty={<Empty title="当天没有可预约的时段" />}
          >
            {(s) => (
              <View className="appt-slots">
                {/* Slots that have started (no place, not full) are left out; full ones stay, disabled. */}
                {s.items.filter((slot) => slot.available > 0 || slot.booked >= slot.capacity).map((slot) => {
                  const on = slot.start === start;
                  const full = slot.available === 0;
                  return (
                    <View
                      key={slot.start}
                      className={`appt-chip ${on ? 'appt-chip--on' : ''} ${full ? 'appt-chip--off' : ''}`}
                      onClick={() => !full && setStart(slot.start)}
                      aria-disabled={full}
                      role="button"
                    >
                      <View className="appt-chip__main">{`${hhmm(slot.start)}–${hhmm(slot.end)}`}</View>
                      <View>{full ? (slot.booked >= slot.capacity ? '已约满' : '不可预约') : `剩余 ${slot.available} 个名额`}</View>
                      {on ? <View className="appt-chip__on">✓ 已选择</View> : null}
                    </View>
                  );
                })}
              </View>
            )}
          </Async>
        </Card>
      ) : null}
      <Button
        block
        disabled={!start}
        loading={book.busy}
        loadingText="正在预约…"
        onClick={async () => {
          const booked = await book.run();
          if (booked) {
            toast('预约成功', 'success');
            go('/appointments/detail/index', { id: booked.id });
          } else {
            void slots.reload();
            void dates.reload();
          }
        }}
      >
        {start ? `预约 ${hhmm(start)}` : '请先选择时段'}
      </Button>
    </PageShell>
  );
}
