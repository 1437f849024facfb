import { useEffect, useMemo, useState } from 'react';
import { View } from '@tarojs/components';
import type { Membership } from '@contract/identity';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { awaitsVerification } from '../../components/membership-tag';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { toast } from '../../platform';
import { useSubscribe } from '../../platform/subscriptions';
import { useProxyMode } from '../../family/proxy-mode';
import type { EscortNeed } from '@contract/escorts';
import { EscortAskFields, EscortCheck, escortAsk } from '../../escorts/shared';
import { MaterialsCard, dayText, hhmm, weekdayText } from '../shared';
import '../shared.css';

const CLOSED_REASON: Record<string, string> = { holiday: '节假日', closure: '休息', closed_weekly: '不办理' };

/** Slots under the part of the day people name them by (a slot's local start hour). */
const PART_OF_DAY: { name: string; until: number }[] = [{ name: '上午', until: 12 }, { name: '下午', until: 18 }, { name: '晚上', until: 24 }];

/** Why this person cannot book here yet, in words for the page (undefined when they can). */
function bookingBlocked(membership: Membership | undefined): { reason: string; short: string; join: boolean } | undefined {
  if (!membership) return { reason: '预约需先加入本社区，并经工作人员核实住户信息。', short: '加入社区后可预约', join: true };
  if (awaitsVerification(membership)) {
    return { reason: '您的住户信息正在等待工作人员核实，核实后即可预约。可先查看材料和可约时间。', short: '核实后可预约', join: false };
  }
  return undefined;
}

/**
 * A service: the full materials list (一次告知), then a date and a slot, then booking from a bar
 * pinned to the bottom of the screen that names the chosen day and time. What would make the
 * booking fail (an unverified household, a day already booked) is said before any choice.
 */
export default function ServicePage() {
  const { sid = '' } = useQuery();
  const me = useMe();
  const service = useRequest(() => api('getService', { params: { sid } }), [sid], Boolean(sid));
  const dates = useRequest(() => api('dates', { params: { sid } }), [sid], Boolean(sid));
  const signedIn = Boolean(me.user);
  const mine = useRequest(() => api('myAppointments', { query: { when: 'upcoming' } }), [signedIn], signedIn);
  const [date, setDate] = useState<string>();
  const [start, setStart] = useState<string>();
  const slots = useRequest(() => api('slots', { params: { sid }, query: { date: date ?? '' } }), [sid, date], Boolean(sid && date));

  // One booking a day per service (ALREADY_BOOKED): those days are marked, never pre-selected.
  const bookedDays = useMemo(
    () => new Set((mine.data?.items ?? []).filter((a) => a.serviceId === sid && a.status === 'booked').map((a) => a.start.slice(0, 10))),
    [mine.data, sid],
  );
  // Acting for an elder (亲情代办) the booking is the elder's: the server checks the elder's
  // membership, and the family member need not live in the community at all.
  const proxy = useProxyMode();
  const blocked = !proxy && service.data && me.user ? bookingBlocked(me.user.memberships.find((m) => m.communityId === service.data?.communityId)) : undefined;
  const mineSettled = !signedIn || mine.data !== undefined || mine.error !== undefined;

  useEffect(() => {
    if (!date && dates.data && mineSettled) setDate(dates.data.items.find((d) => d.open && d.available > 0 && !bookedDays.has(d.date))?.date);
  }, [dates.data, date, mineSettled, bookedDays]);

  // Reminders are sent only as far as the resident accepted them here (one per acceptance). The
  // queue's messages are asked for too: staff may check the booking in at the counter, where the
  // resident's phone cannot be asked, and the number it takes is called by message.
  // 志愿陪同: asked with the booking, off unless the resident turns it on. Who is coming is
  // messaged once a volunteer takes it (escortMatched), asked for in place of 3 ahead (queueNear):
  // WeChat asks for at most three templates at a time.
  const [escortOn, setEscortOn] = useState(false);
  const [need, setNeed] = useState<EscortNeed>('助老');
  const [note, setNote] = useState('');
  const askNotices = useSubscribe(escortOn ? ['appointmentReminder', 'escortMatched', 'queueCalled'] : ['appointmentReminder', 'queueNear', 'queueCalled']);
  const book = useSubmit(async (key) => {
    const accepted = await askNotices();
    const escort = escortOn ? { escort: escortAsk(need, note) } : {};
    return api('book', { params: { sid }, body: { start: start ?? '', remind: accepted.includes('appointmentReminder'), ...escort }, idempotencyKey: key });
  });

  const chosenDay = dates.data?.items.find((d) => d.date === date);
  const chosen = start && chosenDay ? `${dayText(start)} ${weekdayText(chosenDay.weekday)} ${hhmm(start)}` : undefined;

  if (!sid) return <PageShell><Empty title="未找到该服务事项" /></PageShell>;
  return (
    <PageShell className={`stack appt-with-bar ${escortOn && !blocked ? 'appt-with-bar--note' : ''}`}>
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
      <Async state={service}>{(s) => <MaterialsCard materials={s.materials} />}</Async>
      {blocked ? (
        <View className="appt-notice" role="status">
          <View className="appt-notice__title">暂不能预约</View>
          <View>{blocked.reason}</View>
          {blocked.join && service.data ? (
            <Button small variant="secondary" className="gap-top" onClick={() => go(PAGES.join, { cid: service.data?.communityId })}>去加入社区</Button>
          ) : null}
        </View>
      ) : null}
      <Card title={<View className="h2">选择日期</View>}>
        <Async state={dates} isEmpty={(d) => d.items.length === 0} empty={<Empty title="暂无可预约的日期" />}>
          {(d) => (
            <View className="appt-dates appt-dates--grid">
              {d.items.map((day) => {
                const mineThatDay = bookedDays.has(day.date);
                const bookable = day.open && day.available > 0 && !mineThatDay && !blocked;
                const on = day.date === date;
                const pick = () => {
                  if (!bookable) return;
                  setDate(day.date);
                  setStart(undefined);
                };
                return (
                  <View
                    key={day.date}
                    className={`appt-chip ${on ? 'appt-chip--on' : ''} ${bookable || on ? '' : 'appt-chip--off'}`}
                    onClick={pick}
                    aria-disabled={!bookable}
                    role="button"
                  >
                    <View className="appt-chip__main">{`${on ? '✓ ' : ''}${Number(day.date.slice(5, 7))}/${Number(day.date.slice(8, 10))}`}</View>
                    <View>
                      {weekdayText(day.weekday)}
                      {day.reason === 'makeup_workday' ? ' 调休上班' : ''}
                    </View>
                    <View>
                      {mineThatDay
                        ? '您已预约'
                        : day.open
                          ? day.available > 0
                            ? `余 ${day.available}`
                            : '已约满'
                          : (day.holiday ?? CLOSED_REASON[day.reason] ?? '不办理')}
                    </View>
                  </View>
                );
              })}
            </View>
          )}
        </Async>
        {bookedDays.size > 0 ? <View className="muted gap-top">标有“您已预约”的日期可在“我的预约”中查看或取消。</View> : null}
      </Card>
      {date ? (
        <Card title={<View className="h2">选择时段</View>}>
          <Async
            state={slots}
            isEmpty={(s) => !s.items.some((slot) => slot.available > 0 || slot.booked >= slot.capacity)}
            empty={<Empty title="当天没有可预约的时段" />}
          >
            {(s) => {
              // Slots that have started (no place, not full) are left out; full ones stay, disabled.
              const shown = s.items.filter((slot) => slot.available > 0 || slot.booked >= slot.capacity);
              let from = 0;
              return PART_OF_DAY.map((part) => {
                const inPart = shown.filter((slot) => {
                  const hour = Number(hhmm(slot.start).slice(0, 2));
                  return hour >= from && hour < part.until;
                });
                from = part.until;
                if (inPart.length === 0) return null;
                return (
                  <View key={part.name} className="appt-part">
                    <View className="appt-part__title">{part.name}</View>
                    <View className="appt-slots">
                      {inPart.map((slot) => {
                        const on = slot.start === start;
                        const full = slot.available === 0;
                        const off = full || Boolean(blocked);
                        return (
                          <View
                            key={slot.start}
                            className={`appt-chip ${on ? 'appt-chip--on' : ''} ${off ? 'appt-chip--off' : ''}`}
                            onClick={() => !off && setStart(slot.start)}
                            aria-disabled={off}
                            role="button"
                          >
                            <View className="appt-chip__main">{`${hhmm(slot.start)}–${hhmm(slot.end)}`}</View>
                            <View>{full ? (slot.booked >= slot.capacity ? '已约满' : '不可预约') : `剩余 ${slot.available} 个名额`}</View>
                            {on ? <View className="appt-chip__on">✓ 已选择</View> : null}
                          </View>
                        );
                      })}
                    </View>
                  </View>
                );
              });
            }}
          </Async>
        </Card>
      ) : null}
      {blocked ? null : (
        <Card title={<View className="h2">志愿陪同</View>}>
          <EscortCheck on={escortOn} onChange={setEscortOn}>需要志愿者陪同办事</EscortCheck>
          <View className="muted">老年人或残障人士可请社区志愿者陪同前来办理，志愿者认领后会通知您。</View>
          {escortOn ? <View className="esc-gap"><EscortAskFields need={need} note={note} onNeed={setNeed} onNote={setNote} /></View> : null}
        </Card>
      )}
      {/* Pinned to the bottom of the screen: the choice and the button are always in sight. */}
      <View className="appt-bar">
        {escortOn && !blocked ? <View className="appt-bar__note">{`含志愿陪同（${need}）${note.trim() ? `：${note.trim()}` : ''}`}</View> : null}
        <Button
          block
          disabled={!start || Boolean(blocked)}
          loading={book.busy}
          loadingText="正在预约…"
          onClick={async () => {
            const booked = await book.run();
            if (booked) {
              toast('预约成功', 'success');
              go(PAGES.appointmentDetail, { id: booked.id });
            } else {
              void slots.reload();
              void dates.reload();
              void mine.reload();
            }
          }}
        >
          {blocked ? blocked.short : chosen ? `预约 ${chosen}` : '请先选择日期和时段'}
        </Button>
      </View>
    </PageShell>
  );
}
