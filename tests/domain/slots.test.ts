import { describe, expect, it } from 'vitest';
import type { Schedule } from '@contract/appointments';
import type { Calendar } from '../../functions/domain/holidays';
import {
  bookingWindow,
  checkBookable,
  checkInWindow,
  dayPlan,
  graceMinutesOf,
  isReleased,
  slotsOf,
  weekdayOf,
} from '../../functions/domain/slots';
import { isoWithOffset } from '../../functions/domain/time';

const schedule = (overrides: Partial<Schedule> = {}): Schedule => ({
  weekly: {
    mon: [['09:00', '12:00'], ['14:00', '17:30']],
    tue: [['09:00', '12:00'], ['14:00', '17:30']],
    wed: [['09:00', '12:00'], ['14:00', '17:30']],
    thu: [['09:00', '12:00'], ['14:00', '17:30']],
    fri: [['09:00', '12:00'], ['14:00', '17:30']],
    sat: [['09:00', '11:00']], // 错时: Saturday mornings
  },
  slotMinutes: 30,
  capacityPerSlot: 5,
  bookAheadDays: 7,
  ...overrides,
});

const local = (instant: Date, tz = 'Asia/Shanghai') => isoWithOffset(instant, tz);

describe('slots of a day', () => {
  it('cuts each range of the weekly plan into whole slots, in local time', () => {
    const slots = slotsOf(schedule(), '2026-03-10', 'Asia/Shanghai'); // a Tuesday
    expect(slots).toHaveLength(6 + 7);
    expect(local(slots[0]!.start)).toBe('2026-03-10T09:00:00+08:00');
    expect(local(slots[5]!.end)).toBe('2026-03-10T12:00:00+08:00');
    expect(local(slots[6]!.start)).toBe('2026-03-10T14:00:00+08:00');
    expect(local(slots.at(-1)!.start)).toBe('2026-03-10T17:00:00+08:00');
  });

  it('drops a remainder shorter than a slot', () => {
    const slots = slotsOf(schedule({ slotMinutes: 40 }), '2026-03-10', 'Asia/Shanghai');
    // 09:00-12:00 → 4 slots (09:00…11:00); 14:00-17:30 → 5 slots (14:00…16:40)
    expect(slots.map((s) => local(s.start).slice(11, 16))).toEqual(['09:00', '09:40', '10:20', '11:00', '14:00', '14:40', '15:20', '16:00', '16:40']);
  });

  it('opens Saturday mornings (错时) and keeps Sunday closed by the plan', () => {
    expect(slotsOf(schedule(), '2026-03-14', 'Asia/Shanghai').map((s) => local(s.start).slice(11, 16))).toEqual(['09:00', '09:30', '10:00', '10:30']);
    expect(dayPlan(schedule(), '2026-03-15')).toMatchObject({ open: false, reason: 'closed_weekly' });
  });

  it('is the same local day whatever zone the server runs in, and honours the community zone', () => {
    const urumqi = slotsOf(schedule(), '2026-03-10', 'Asia/Urumqi');
    expect(urumqi[0]!.start.toISOString()).toBe('2026-03-10T03:00:00.000Z');
    const shanghai = slotsOf(schedule(), '2026-03-10', 'Asia/Shanghai');
    expect(shanghai[0]!.start.toISOString()).toBe('2026-03-10T01:00:00.000Z');
  });

  it('keeps wall-clock hours across a daylight-saving change (DST-free local time)', () => {
    const before = slotsOf(schedule(), '2026-03-06', 'Europe/Berlin'); // Friday, UTC+1
    const after = slotsOf(schedule(), '2026-03-30', 'Europe/Berlin'); // Monday, UTC+2
    expect(local(before[0]!.start, 'Europe/Berlin')).toBe('2026-03-06T09:00:00+01:00');
    expect(local(after[0]!.start, 'Europe/Berlin')).toBe('2026-03-30T09:00:00+02:00');
  });
});

describe('holidays, 调休 and staff overrides', () => {
  it('closes on an official public holiday, even a Saturday the plan opens', () => {
    expect(dayPlan(schedule(), '2026-10-01')).toMatchObject({ open: false, reason: 'holiday', holiday: '国庆节' });
    expect(dayPlan(schedule(), '2026-10-03')).toMatchObject({ open: false, reason: 'holiday' }); // Saturday
    expect(slotsOf(schedule(), '2026-10-01', 'Asia/Shanghai')).toEqual([]);
  });

  it('opens a 调休 working day with a working day’s hours, even a Sunday', () => {
    const sunday = dayPlan(schedule(), '2026-01-04');
    expect(sunday).toMatchObject({ open: true, reason: 'makeup_workday', holiday: '元旦', weekday: 'sun' });
    expect(sunday.ranges).toEqual([['09:00', '12:00'], ['14:00', '17:30']]);
    // A Saturday make-up day keeps the Saturday hours the plan already has.
    expect(dayPlan(schedule(), '2026-05-09').ranges).toEqual([['09:00', '11:00']]);
  });

  it('lets staff closures close any day, a 调休 day included', () => {
    expect(dayPlan(schedule({ closures: ['2026-03-10'] }), '2026-03-10')).toMatchObject({ open: false, reason: 'closure' });
    expect(dayPlan(schedule({ closures: ['2026-01-04'] }), '2026-01-04')).toMatchObject({ open: false, reason: 'closure' });
  });

  it('lets staff openDays open a holiday (节假日轮休值班)', () => {
    const plan = dayPlan(schedule({ openDays: ['2026-10-02'] }), '2026-10-02');
    expect(plan).toMatchObject({ open: true, reason: 'open_day', holiday: '国庆节' });
    expect(slotsOf(schedule({ openDays: ['2026-10-02'] }), '2026-10-02', 'Asia/Shanghai')).toHaveLength(13);
  });

  it('in a year the calendar does not cover, runs ordinary weeks adjusted by staff', () => {
    const none: Calendar = () => ({ kind: 'ordinary' });
    expect(dayPlan(schedule(), '2099-10-01', none)).toMatchObject({ open: true, reason: 'weekly' }); // a Thursday
    expect(dayPlan(schedule({ closures: ['2099-10-01'] }), '2099-10-01', none)).toMatchObject({ open: false, reason: 'closure' });
    expect(dayPlan(schedule({ openDays: ['2099-10-04'] }), '2099-10-04', none)).toMatchObject({ open: true, reason: 'open_day' });
    expect(weekdayOf('2099-10-04')).toBe('sun');
  });
});

describe('what may be booked', () => {
  const now = new Date('2026-03-10T02:10:00Z'); // Tuesday 10:10 in Shanghai
  const tz = 'Asia/Shanghai';

  it('accepts a future slot of an open day inside the window', () => {
    const result = checkBookable(schedule(), new Date('2026-03-10T10:30:00+08:00'), now, tz);
    expect(result).toMatchObject({ ok: true, date: '2026-03-10' });
  });

  it('refuses a slot that has started, a time that is not a slot, a closed day, a date beyond the window', () => {
    expect(checkBookable(schedule(), new Date('2026-03-10T10:00:00+08:00'), now, tz)).toMatchObject({ ok: false, reason: 'past' });
    expect(checkBookable(schedule(), new Date('2026-03-10T10:15:00+08:00'), now, tz)).toMatchObject({ ok: false, reason: 'not_slot' });
    expect(checkBookable(schedule(), new Date('2026-03-10T12:00:00+08:00'), now, tz)).toMatchObject({ ok: false, reason: 'not_slot' });
    expect(checkBookable(schedule(), new Date('2026-03-15T09:00:00+08:00'), now, tz)).toMatchObject({ ok: false, reason: 'closed' });
    expect(checkBookable(schedule(), new Date('2026-03-18T09:00:00+08:00'), now, tz)).toMatchObject({ ok: false, reason: 'beyond_window' });
    expect(checkBookable(schedule(), new Date('2026-03-17T09:00:00+08:00'), now, tz)).toMatchObject({ ok: true });
  });

  it('explains a holiday refusal in Chinese', () => {
    const result = checkBookable(schedule({ bookAheadDays: 30 }), new Date('2026-04-06T09:00:00+08:00'), new Date('2026-04-01T00:00:00Z'), tz);
    expect(result).toMatchObject({ ok: false, reason: 'closed', message: expect.stringContaining('清明') });
  });

  it('offers today through today + bookAheadDays, by the community’s local date', () => {
    const lateEvening = new Date('2026-03-10T17:00:00Z'); // already 01:00 on the 11th in Shanghai
    const window = bookingWindow(schedule({ bookAheadDays: 2 }), lateEvening, tz);
    expect(window).toEqual(['2026-03-11', '2026-03-12', '2026-03-13']);
  });
});

describe('grace period and check-in window', () => {
  const slot = { start: new Date('2026-03-10T01:00:00Z'), end: new Date('2026-03-10T01:30:00Z') };

  it('opens check-in 30 minutes before the start and closes it at the end', () => {
    expect(checkInWindow(slot, new Date('2026-03-10T00:29:00Z'))).toBe('early');
    expect(checkInWindow(slot, new Date('2026-03-10T00:30:00Z'))).toBe('open');
    expect(checkInWindow(slot, new Date('2026-03-10T01:30:00Z'))).toBe('open');
    expect(checkInWindow(slot, new Date('2026-03-10T01:30:01Z'))).toBe('over');
  });

  it('releases an unclaimed place once the grace period after the start has passed', () => {
    expect(isReleased(slot.start, 15, new Date('2026-03-10T01:15:00Z'))).toBe(false);
    expect(isReleased(slot.start, 15, new Date('2026-03-10T01:15:01Z'))).toBe(true);
  });

  it('takes the grace period from the service, else the configured one', () => {
    expect(graceMinutesOf({ graceMinutes: 5 }, 20)).toBe(5);
    expect(graceMinutesOf({ graceMinutes: 0 }, 20)).toBe(0);
    expect(graceMinutesOf({}, 20)).toBe(20);
  });
});
