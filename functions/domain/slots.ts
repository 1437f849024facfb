/**
 * Opening days and slots of a service: pure rules, local dates and wall-clock times of the
 * community's zone, `now` passed in. Nothing here assumes a fixed UTC offset (time.ts).
 *
 * A date is decided in this order (the first rule that applies wins):
 *   1. staff `closures`                      → closed  (轮休、临时闭馆)
 *   2. staff `openDays`                      → open    (节假日值班)
 *   3. official public holiday               → closed  (法定节假日)
 *   4. official make-up working day (调休)    → open
 *   5. the weekly plan of that weekday       → open if it has ranges
 * An open day that is not in the weekly plan (a Sunday 调休 day, a holiday opened by staff)
 * uses the hours of the first weekday, Monday to Friday, that the plan opens.
 */
import type { DayReason, Schedule, Weekday } from '@contract/appointments';
import { officialDay, type Calendar } from './holidays';
import { addDays, instantOf, localDate } from './time';

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WORKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

export type Range = [string, string];

export interface DayPlan {
  date: string;
  weekday: Weekday;
  open: boolean;
  reason: DayReason;
  holiday?: string;
  ranges: Range[];
}

export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()] as Weekday;
}

const sorted = (ranges: readonly (readonly [string, string])[] | undefined): Range[] =>
  [...(ranges ?? [])].map((r) => [r[0], r[1]] as Range).sort((a, b) => (a[0] < b[0] ? -1 : 1));

/** The hours of an exceptional open day: its own weekday's, else a regular working day's. */
function workingHours(schedule: Schedule, weekday: Weekday): Range[] {
  const own = sorted(schedule.weekly[weekday]);
  if (own.length) return own;
  for (const day of WORKDAYS) {
    const ranges = sorted(schedule.weekly[day]);
    if (ranges.length) return ranges;
  }
  return [];
}

export function dayPlan(schedule: Schedule, date: string, calendar: Calendar = officialDay): DayPlan {
  const weekday = weekdayOf(date);
  const base = { date, weekday };
  if (schedule.closures?.includes(date)) return { ...base, open: false, reason: 'closure', ranges: [] };
  const official = calendar(date);
  const holiday = official.kind === 'ordinary' ? undefined : official.name;
  if (schedule.openDays?.includes(date)) {
    return { ...base, open: true, reason: 'open_day', holiday, ranges: workingHours(schedule, weekday) };
  }
  if (official.kind === 'holiday') return { ...base, open: false, reason: 'holiday', holiday, ranges: [] };
  if (official.kind === 'makeup_workday') {
    return { ...base, open: true, reason: 'makeup_workday', holiday, ranges: workingHours(schedule, weekday) };
  }
  const ranges = sorted(schedule.weekly[weekday]);
  return ranges.length ? { ...base, open: true, reason: 'weekly', ranges } : { ...base, open: false, reason: 'closed_weekly', ranges: [] };
}

export interface SlotTime {
  start: Date;
  end: Date;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmmOf = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The slots of a date: each range cut into whole slots of `slotMinutes` (a remainder is not a slot). */
export function slotsOf(schedule: Schedule, date: string, timeZone: string, calendar: Calendar = officialDay): SlotTime[] {
  const plan = dayPlan(schedule, date, calendar);
  if (!plan.open) return [];
  const out: SlotTime[] = [];
  for (const [from, to] of plan.ranges) {
    const end = minutesOf(to);
    for (let m = minutesOf(from); m + schedule.slotMinutes <= end; m += schedule.slotMinutes) {
      out.push({ start: instantOf(date, hhmmOf(m), timeZone), end: instantOf(date, hhmmOf(m + schedule.slotMinutes), timeZone) });
    }
  }
  return out;
}

/** The dates a resident may book on, open or not: today .. today + bookAheadDays (local). */
export function bookingWindow(schedule: Schedule, now: Date, timeZone: string): string[] {
  const today = localDate(now, timeZone);
  return Array.from({ length: schedule.bookAheadDays + 1 }, (_, i) => addDays(today, i));
}

export type BookingCheck =
  | { ok: true; date: string; slot: SlotTime }
  | { ok: false; reason: 'past' | 'beyond_window' | 'closed' | 'not_slot'; message: string };

/** Whether `start` may be booked at `now`: a slot of an open day, not started, inside the window. */
export function checkBookable(schedule: Schedule, start: Date, now: Date, timeZone: string, calendar: Calendar = officialDay): BookingCheck {
  const date = localDate(start, timeZone);
  if (start.getTime() <= now.getTime()) return { ok: false, reason: 'past', message: '该时段已开始或已过去，请选择其他时段' };
  const last = addDays(localDate(now, timeZone), schedule.bookAheadDays);
  if (date > last) return { ok: false, reason: 'beyond_window', message: `只能预约 ${schedule.bookAheadDays} 天内的时段` };
  const plan = dayPlan(schedule, date, calendar);
  if (!plan.open) {
    const why = plan.reason === 'holiday' ? `（${plan.holiday ?? '法定节假日'}）` : plan.reason === 'closure' ? '（临时闭馆）' : '';
    return { ok: false, reason: 'closed', message: `该日不办理此事项${why}，请选择其他日期` };
  }
  const slot = slotsOf(schedule, date, timeZone, calendar).find((s) => s.start.getTime() === start.getTime());
  if (!slot) return { ok: false, reason: 'not_slot', message: '所选时间不是可预约的时段' };
  return { ok: true, date, slot };
}

/** Check-in opens this many minutes before the slot's start. */
export const CHECK_IN_OPENS_MINUTES = 30;

/** The service's own grace period, else the configured one. */
export const graceMinutesOf = (service: { graceMinutes?: number }, configured: number): number => service.graceMinutes ?? configured;

/** After start + grace an unclaimed booked place is released to walk-ins (no-show release). */
export const isReleased = (start: Date, graceMinutes: number, now: Date): boolean => now.getTime() > start.getTime() + graceMinutes * 60_000;

export type CheckInWindow = 'early' | 'open' | 'over';

/** Check-in is accepted from 30 minutes before the slot to its end. */
export function checkInWindow(slot: SlotTime, now: Date): CheckInWindow {
  if (now.getTime() < slot.start.getTime() - CHECK_IN_OPENS_MINUTES * 60_000) return 'early';
  if (now.getTime() > slot.end.getTime()) return 'over';
  return 'open';
}

/** The plain explanation a late arrival gets with a normal ticket. */
export const lateNotice = (graceMinutes: number): string =>
  `您已超过预约时间 ${graceMinutes} 分钟，预约名额已释放给现场办理的居民，本次按普通号排队，请留意叫号。`;
