/**
 * Appointments against DynamoDB Local: every endpoint and error, and each invariant under
 * concurrency. Every test makes its own community and service; the clock is the request's
 * `now` (x-test-now), in the week before National Day 2026 so holidays and 调休 are real.
 */
import { describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../functions/services/appointments';
import { documentClient } from '../../functions/store/client';
import { joined, login, newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';
import { accept, type WechatStub } from '../support/wechat-stub';
import { useWechatStub } from '../support/use-wechat-stub';

/** Monday 28 September 2026, 09:00 in Shanghai. */
const NOW = new Date('2026-09-28T09:00:00+08:00');
const at = (iso: string) => new Date(iso);
const TUE_9 = '2026-09-29T09:00:00+08:00';

const SCHEDULE = {
  weekly: {
    mon: [['09:00', '12:00'], ['14:00', '17:30']],
    tue: [['09:00', '12:00'], ['14:00', '17:30']],
    wed: [['09:00', '12:00'], ['14:00', '17:30']],
    thu: [['09:00', '12:00'], ['14:00', '17:30']],
    fri: [['09:00', '12:00'], ['14:00', '17:30']],
    sat: [['09:00', '11:00']],
  },
  slotMinutes: 30,
  capacityPerSlot: 5,
  bookAheadDays: 14,
};

const SERVICE = {
  name: '社保卡办理',
  category: 'A',
  durationMin: 20,
  materials: ['居民身份证原件', '近期免冠一寸照片 1 张'],
  schedule: SCHEDULE,
};

interface World {
  cid: string;
  sid: string;
  staff: Actor;
}

const HALL = {
  categories: [{ code: 'A', name: '社保医保' }, { code: 'B', name: '民政优抚' }, { code: 'C', name: '人民调解' }],
  windows: [{ no: 1, categories: ['A', 'B', 'C'] }],
};

async function world(overrides: Record<string, unknown> = {}, options: { hall?: boolean } = {}): Promise<World> {
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  if (options.hall !== false) {
    const hall = await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: HALL, now: NOW });
    expect(hall.status, JSON.stringify(hall.body)).toBeLessThan(300);
  }
  const reply = await call('POST', `/v1/communities/${cid}/services`, { token: staff.token, body: { ...SERVICE, ...overrides }, now: NOW });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { cid, sid: reply.body.id, staff };
}

/** A booking; asking for reminders, the resident accepts the reminder template (once for each of the two reminders). */
const book = async (w: World, who: Actor, start = TUE_9, extra: { now?: Date; idempotencyKey?: string; remind?: boolean } = {}) => {
  const reply = await call('POST', `/v1/services/${w.sid}/appointments`, {
    token: who.token,
    body: { start, ...(extra.remind ? { remind: true } : {}) },
    now: extra.now ?? NOW,
    idempotencyKey: extra.idempotencyKey,
  });
  if (extra.remind && reply.status === 201) await accept(who, ['appointmentReminder'], 2);
  return reply;
};

const slotOf = async (w: World, date: string, start: string) => {
  const reply = await call('GET', `/v1/services/${w.sid}/slots?date=${date}`, { now: NOW });
  return reply.body.items.find((s: { start: string }) => s.start === start);
};

const residents = (cid: string, n: number) => Promise.all(Array.from({ length: n }, () => verifiedResident(cid)));

let wechat: WechatStub;
useWechatStub({ WX_TEMPLATE_APPOINTMENT_REMINDER: 'tmpl-appointment-reminder' }, (stub) => {
  wechat = stub;
});

describe('services (服务事项)', () => {
  it('lets staff create a service with its full materials list, and shows it to anyone', async () => {
    const w = await world({ kind: 'mediation', name: '人民调解 预约调解', category: 'C', location: '二楼调解室' });
    const list = await call('GET', `/v1/communities/${w.cid}/services`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: w.sid, name: '人民调解 预约调解', kind: 'mediation', category: 'C', materials: SERVICE.materials,
        graceMinutes: 15, active: true, timezone: 'Asia/Shanghai', reminderTemplateId: 'tmpl-appointment-reminder',
      }),
    ]);
    const one = await call('GET', `/v1/services/${w.sid}`);
    expect(one.body).toMatchObject({ id: w.sid, location: '二楼调解室', schedule: SCHEDULE });
  });

  it('refuses a resident creating a service (403) and an unknown community (404)', async () => {
    const { id: cid } = await newCommunity();
    const resident = await verifiedResident(cid);
    const refused = await call('POST', `/v1/communities/${cid}/services`, { token: resident.token, body: SERVICE });
    expect(refused.status).toBe(403);
    const root = await login('admin');
    const missing = await call('POST', '/v1/communities/nowhere/services', { token: root.token, body: SERVICE });
    expect(missing.status).toBe(404);
  });

  it('answers 400 naming the field for a bad category, overlapping ranges or an inverted range', async () => {
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const cases = [
      { body: { ...SERVICE, category: 'a1' }, path: 'body.category' },
      { body: { ...SERVICE, schedule: { ...SCHEDULE, weekly: { mon: [['09:00', '12:00'], ['11:00', '13:00']] } } }, path: 'body.schedule.weekly' },
      { body: { ...SERVICE, schedule: { ...SCHEDULE, weekly: { mon: [['12:00', '09:00']] } } }, path: 'body.schedule.weekly.mon.0' },
    ];
    for (const c of cases) {
      const reply = await call('POST', `/v1/communities/${cid}/services`, { token: staff.token, body: c.body });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION');
      expect(reply.body.error.details.map((d: { path: string }) => d.path)).toContain(c.path);
      expect(reply.body.error.details[0].message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('changes only what a patch names; existing bookings stand', async () => {
    const w = await world({ kind: 'mediation' });
    const resident = await verifiedResident(w.cid);
    expect((await book(w, resident)).status).toBe(201);
    const patched = await call('PATCH', `/v1/services/${w.sid}`, {
      token: w.staff.token, body: { schedule: { ...SCHEDULE, capacityPerSlot: 1 }, materials: ['身份证'] }, now: NOW,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ kind: 'mediation', name: SERVICE.name, materials: ['身份证'] });
    expect(await slotOf(w, '2026-09-29', TUE_9)).toMatchObject({ capacity: 1, booked: 1, available: 0 });
    const mine = await call('GET', '/v1/me/appointments', { token: resident.token, now: NOW });
    expect(mine.body.items[0]).toMatchObject({ status: 'booked', start: TUE_9 });
  });

  it('lets only staff of that community patch, and answers 404 for an unknown service', async () => {
    const w = await world();
    const other = await staffOf((await newCommunity()).id);
    expect((await call('PATCH', `/v1/services/${w.sid}`, { token: other.token, body: { name: '改名' } })).status).toBe(403);
    expect((await call('PATCH', '/v1/services/nope', { token: w.staff.token, body: { name: '改名' } })).status).toBe(404);
    expect((await call('GET', '/v1/services/nope')).status).toBe(404);
  });
});

describe('dates and slots', () => {
  it('offers the booking window day by day: holidays closed, 调休 open, places counted', async () => {
    const w = await world();
    const reply = await call('GET', `/v1/services/${w.sid}/dates`, { now: NOW });
    expect(reply.status).toBe(200);
    const byDate = Object.fromEntries(reply.body.items.map((d: { date: string }) => [d.date, d]));
    expect(reply.body.items).toHaveLength(15);
    expect(byDate['2026-09-28']).toMatchObject({ open: true, reason: 'weekly', weekday: 'mon', available: 12 * 5 }); // 09:00 has started
    expect(byDate['2026-09-29']).toMatchObject({ open: true, reason: 'weekly', available: 13 * 5 });
    expect(byDate['2026-10-01']).toMatchObject({ open: false, reason: 'holiday', holiday: '国庆节', available: 0 });
    expect(byDate['2026-10-04']).toMatchObject({ open: false, reason: 'holiday' });
    expect(byDate['2026-10-10']).toMatchObject({ open: true, reason: 'makeup_workday', weekday: 'sat', available: 4 * 5 });
    expect(byDate['2026-10-11']).toMatchObject({ open: false, reason: 'closed_weekly' });
  });

  it('lists a day’s slots with capacity, booked and places left; none on a holiday', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    await book(w, resident);
    const reply = await call('GET', `/v1/services/${w.sid}/slots?date=2026-09-29`, { now: NOW });
    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(13);
    expect(reply.body.items[0]).toEqual({ start: TUE_9, end: '2026-09-29T09:30:00+08:00', capacity: 5, booked: 1, available: 4 });
    expect((await call('GET', `/v1/services/${w.sid}/slots?date=2026-10-01`, { now: NOW })).body.items).toEqual([]);
    const bad = await call('GET', `/v1/services/${w.sid}/slots?date=tomorrow`);
    expect(bad.status).toBe(400);
  });

  it('honours staff closures and openDays over the holiday calendar', async () => {
    const w = await world({ schedule: { ...SCHEDULE, closures: ['2026-09-29'], openDays: ['2026-10-02'] } });
    expect((await call('GET', `/v1/services/${w.sid}/slots?date=2026-09-29`, { now: NOW })).body.items).toEqual([]);
    const holidayDuty = await call('GET', `/v1/services/${w.sid}/slots?date=2026-10-02`, { now: NOW });
    expect(holidayDuty.body.items).toHaveLength(13);
    const resident = await verifiedResident(w.cid);
    expect((await book(w, resident, '2026-10-02T14:00:00+08:00')).status).toBe(201);
  });

  it('shows started slots as not bookable and, after the grace period, unclaimed places as released', async () => {
    const w = await world();
    const [a, b] = await residents(w.cid, 2);
    await book(w, a!);
    await book(w, b!);
    const during = await call('GET', `/v1/services/${w.sid}/slots?date=2026-09-29`, { now: at('2026-09-29T09:10:00+08:00') });
    expect(during.body.items[0]).toMatchObject({ booked: 2, available: 0 });
    expect(during.body.items[0].released).toBeUndefined();
    await call('POST', `/v1/appointments/${(await call('GET', '/v1/me/appointments', { token: a!.token })).body.items[0].id}/check-in`, {
      token: a!.token, now: at('2026-09-29T09:05:00+08:00'),
    });
    const after = await call('GET', `/v1/services/${w.sid}/slots?date=2026-09-29`, { now: at('2026-09-29T09:16:00+08:00') });
    expect(after.body.items[0]).toMatchObject({ booked: 2, available: 0, released: 1 });
  });
});

describe('booking', () => {
  it('books a slot in one read and one TransactWriteItems, and answers with a code', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const reply = await book(w, resident);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      id: expect.any(String), code: expect.stringMatching(/^[A-Z2-9]{6}$/), start: TUE_9, end: '2026-09-29T09:30:00+08:00',
      status: 'booked', serviceId: w.sid, serviceName: '社保卡办理', category: 'A', cancellable: true,
    });
    expect(reply.calls.map((c) => c.command)).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    expect(await slotOf(w, '2026-09-29', TUE_9)).toMatchObject({ booked: 1, available: 4 });
  });

  it('answers 400 in Chinese for a start that is not a slot, past, beyond the window or on a closed day', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const cases: [string, RegExp][] = [
      ['2026-09-29T09:15:00+08:00', /不是可预约的时段/],
      ['2026-09-28T08:30:00+08:00', /已开始或已过去/],
      ['2026-10-20T09:00:00+08:00', /14 天内/],
      ['2026-10-01T09:00:00+08:00', /国庆节/],
      ['2026-10-11T09:00:00+08:00', /不办理/],
    ];
    for (const [start, message] of cases) {
      const reply = await book(w, resident, start);
      expect(reply.status, start).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(message) });
      expect(reply.body.error.details[0].path).toBe('body.start');
    }
    const malformed = await call('POST', `/v1/services/${w.sid}/appointments`, { token: resident.token, body: { start: 'tomorrow 9am' } });
    expect(malformed.status).toBe(400);
  });

  it('refuses a non-member, an unverified member and an anonymous caller; 404 for an unknown service', async () => {
    const w = await world();
    const stranger = await login();
    const pending = await joined(w.cid);
    const noMember = await book(w, stranger);
    const unverified = await book(w, pending);
    expect(noMember.status).toBe(403);
    expect(noMember.body.error.message).toMatch(/加入本社区/);
    expect(unverified.status).toBe(403);
    expect(unverified.body.error.message).toMatch(/核实/);
    expect((await call('POST', `/v1/services/${w.sid}/appointments`, { body: { start: TUE_9 } })).status).toBe(401);
    expect((await call('POST', '/v1/services/nope/appointments', { token: stranger.token, body: { start: TUE_9 } })).status).toBe(404);
    expect(await slotOf(w, '2026-09-29', TUE_9)).toMatchObject({ booked: 0 });
  });

  it('never puts more bookings in a slot than its capacity: 40 at once on 5 places → 5 booked, 35 SLOT_FULL', async () => {
    const w = await world();
    const people = await residents(w.cid, 40);
    const replies = await Promise.all(people.map((p) => book(w, p)));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(35);
    expect(new Set(replies.filter((r) => r.status === 409).map((r) => r.body.error.code))).toEqual(new Set(['SLOT_FULL']));
    expect(replies.find((r) => r.status === 409)?.body.error.message).toBe('该时段已约满');
    expect(await slotOf(w, '2026-09-29', TUE_9)).toMatchObject({ booked: 5, available: 0 });
    const day = await call('GET', `/v1/services/${w.sid}/appointments?date=2026-09-29`, { token: w.staff.token, now: NOW });
    expect(day.body.items).toHaveLength(5);
  });

  it('allows one active booking per resident per service per day, also when 10 slots are tried at once', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    expect((await book(w, resident)).status).toBe(201);
    const again = await book(w, resident, '2026-09-29T14:00:00+08:00');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ALREADY_BOOKED', message: '您当天已预约过该事项' });
    expect((await book(w, resident, '2026-09-30T09:00:00+08:00')).status).toBe(201); // another day is fine

    const other = await verifiedResident(w.cid);
    const starts = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '14:00', '14:30', '15:00', '15:30'].map((t) => `2026-10-09T${t}:00+08:00`);
    const replies = await Promise.all(starts.map((s) => book(w, other, s)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ALREADY_BOOKED')).toBe(true);
    const dates = await call('GET', `/v1/services/${w.sid}/dates`, { now: NOW });
    expect(dates.body.items.find((d: { date: string }) => d.date === '2026-10-09').available).toBe(13 * 5 - 1);
  });

  it('books once for a retried request with the same Idempotency-Key, even when the retries race', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const first = await book(w, resident, TUE_9, { idempotencyKey: 'k-1' });
    const retry = await book(w, resident, TUE_9, { idempotencyKey: 'k-1' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers['idempotent-replayed']).toBe('true');

    const other = await verifiedResident(w.cid);
    const racing = await Promise.all(Array.from({ length: 10 }, () => book(w, other, TUE_9, { idempotencyKey: 'k-2' })));
    expect(racing.map((r) => r.status)).toEqual(racing.map(() => 201));
    expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);
    expect(await slotOf(w, '2026-09-29', TUE_9)).toMatchObject({ booked: 2 });
  });

  it('records the Idempotency-Key with the booking itself: one read and one TransactWriteItems, as without a key', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const reply = await book(w, resident, TUE_9, { idempotencyKey: 'k-calls' });
    expect(reply.status).toBe(201);
    expect(reply.calls.map((c) => c.command)).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    const retry = await book(w, resident, TUE_9, { idempotencyKey: 'k-calls' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(reply.body);
  });

  it('refuses the same Idempotency-Key with another body (422), and books nothing for it', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const first = await book(w, resident, TUE_9, { idempotencyKey: 'k-other' });
    const other = await book(w, resident, '2026-09-30T09:00:00+08:00', { idempotencyKey: 'k-other' });
    expect(first.status).toBe(201);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await slotOf(w, '2026-09-30', '2026-09-30T09:00:00+08:00')).toMatchObject({ booked: 0 });
  });

  it('leaves no idempotency record behind a booking refused (slot full): the same key books once a place frees', async () => {
    const w = await world({ schedule: { ...SCHEDULE, capacityPerSlot: 1 } });
    const [a, b] = await residents(w.cid, 2);
    const mine = await book(w, a!);
    const refused = await book(w, b!, TUE_9, { idempotencyKey: 'k-full' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SLOT_FULL');
    expect((await call('DELETE', `/v1/appointments/${mine.body.id}`, { token: a!.token, now: NOW })).status).toBe(200);
    const retry = await book(w, b!, TUE_9, { idempotencyKey: 'k-full' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await slotOf(w, '2026-09-29', TUE_9)).toMatchObject({ booked: 1, available: 0 });
  });
});

describe('cancelling', () => {
  it('replays the first 200 to a retried cancel with the same Idempotency-Key, and frees one place', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const mine = await book(w, resident);
    const cancel = () => call('DELETE', `/v1/appointments/${mine.body.id}`, { token: resident.token, now: NOW, idempotencyKey: 'c-1' });
    const first = await cancel();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: mine.body.id, status: 'cancelled' });
    expect(first.calls.map((c) => c.command)).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    const retry = await cancel();
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    const other = await call('DELETE', `/v1/appointments/${mine.body.id}`, { token: resident.token, now: NOW, idempotencyKey: 'c-2' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('ALREADY_CANCELLED');
    expect(await slotOf(w, '2026-09-29', TUE_9)).toMatchObject({ booked: 0, available: 5 });
  });

  it('frees the place at once, so a full slot can be booked again', async () => {
    const w = await world({ schedule: { ...SCHEDULE, capacityPerSlot: 1 } });
    const [a, b] = await residents(w.cid, 2);
    const mine = await book(w, a!);
    expect((await book(w, b!)).body.error.code).toBe('SLOT_FULL');
    const cancelled = await call('DELETE', `/v1/appointments/${mine.body.id}`, { token: a!.token, now: NOW });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: mine.body.id, status: 'cancelled', cancellable: false });
    expect((await book(w, b!)).status).toBe(201);
    // and the canceller may book that day again
    expect((await book(w, a!, '2026-09-29T10:00:00+08:00')).status).toBe(201);
  });

  it('frees exactly one place when the same booking is cancelled twice at once', async () => {
    const w = await world();
    const people = await residents(w.cid, 3);
    const booked = await Promise.all(people.map((p) => book(w, p)));
    const target = booked[0]!.body.id as string;
    const replies = await Promise.all(Array.from({ length: 8 }, () => call('DELETE', `/v1/appointments/${target}`, { token: people[0]!.token, now: NOW })));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ALREADY_CANCELLED')).toBe(true);
    expect(await slotOf(w, '2026-09-29', TUE_9)).toMatchObject({ booked: 2, available: 3 });
  });

  it('lets staff cancel, hides the booking from other residents (404), and stops residents once the slot began', async () => {
    const w = await world();
    const [a, b, c] = await residents(w.cid, 3);
    const first = await book(w, a!);
    expect((await call('DELETE', `/v1/appointments/${first.body.id}`, { token: b!.token, now: NOW })).status).toBe(404);
    expect((await call('GET', `/v1/appointments/${first.body.id}`, { token: b!.token, now: NOW })).status).toBe(404);
    expect((await call('DELETE', `/v1/appointments/${first.body.id}`, { token: w.staff.token, now: NOW })).status).toBe(200);
    const second = await book(w, c!);
    const late = await call('DELETE', `/v1/appointments/${second.body.id}`, { token: c!.token, now: at('2026-09-29T09:01:00+08:00') });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/已开始/);
    expect((await call('DELETE', '/v1/appointments/nope', { token: c!.token })).status).toBe(404);
  });
});

describe('my appointments and the day list', () => {
  it('lists my own appointments, upcoming ones first in time order, past ones apart', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    await book(w, resident, '2026-09-30T09:00:00+08:00');
    await book(w, resident, TUE_9);
    const all = await call('GET', '/v1/me/appointments', { token: resident.token, now: NOW });
    expect(all.status).toBe(200);
    expect(all.body.items.map((a: { start: string }) => a.start)).toEqual(['2026-09-30T09:00:00+08:00', TUE_9]);
    const upcoming = await call('GET', '/v1/me/appointments?when=upcoming', { token: resident.token, now: NOW });
    expect(upcoming.body.items.map((a: { start: string }) => a.start)).toEqual([TUE_9, '2026-09-30T09:00:00+08:00']);
    const past = await call('GET', '/v1/me/appointments?when=past', { token: resident.token, now: at('2026-10-05T09:00:00+08:00') });
    expect(past.body.items).toHaveLength(2);
    const paged = await call('GET', '/v1/me/appointments?limit=1', { token: resident.token, now: NOW });
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.next).toEqual(expect.any(String));
    const rest = await call('GET', `/v1/me/appointments?limit=1&cursor=${paged.body.next}`, { token: resident.token, now: NOW });
    expect(rest.body.items[0].start).toBe(TUE_9);
  });

  it('shows staff the day’s bookings with real names and phones; residents may not see it', async () => {
    const w = await world();
    const resident = await joined(w.cid, '5-1-302', { realName: '刘芳', phone: '13912345678' });
    const root = await login('admin');
    await call('POST', `/v1/communities/${w.cid}/members/${resident.id}/verify`, { token: root.token, body: {} });
    await book(w, resident);
    const day = await call('GET', `/v1/services/${w.sid}/appointments?date=2026-09-29`, { token: w.staff.token, now: NOW });
    expect(day.status).toBe(200);
    expect(day.body.items).toEqual([expect.objectContaining({ name: '刘芳', phone: '13912345678', household: '5-1-302', status: 'booked' })]);
    expect(day.calls.some((c) => c.command === 'BatchGetItemCommand')).toBe(true);
    const refused = await call('GET', `/v1/services/${w.sid}/appointments?date=2026-09-29`, { token: resident.token });
    expect(refused.status).toBe(403);
  });
});

describe('check-in, no-show, completion and rating', () => {
  it('answers a committed check-in with its ticket even when noting the ticket on the booking fails', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const mine = await book(w, resident);
    let armed = true;
    documentClient().middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: { pk?: string }; UpdateExpression?: string };
        if (armed && context.commandName === 'UpdateItemCommand' && input.Key?.pk === `APPT#${mine.body.id}` && input.UpdateExpression?.includes('ticketId')) {
          armed = false;
          throw Object.assign(new Error('unreachable'), { name: 'ServiceUnavailable' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failAttachTicket' },
    );
    try {
      const reply = await call('POST', `/v1/appointments/${mine.body.id}/check-in`, { token: resident.token, now: at('2026-09-29T08:45:00+08:00') });
      expect(armed).toBe(false);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ category: 'A', priority: true, status: 'waiting' });
      const ticket = await call('GET', `/v1/tickets/${reply.body.id}`, { token: resident.token, now: at('2026-09-29T08:46:00+08:00') });
      expect(ticket.status).toBe(200);
      const after = await call('GET', `/v1/appointments/${mine.body.id}`, { token: resident.token, now: NOW });
      expect(after.body.status).toBe('checked_in');
    } finally {
      documentClient().middlewareStack.remove('failAttachTicket');
    }
  });

  it('turns an on-time arrival into a priority ticket in the service’s category, once', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const mine = await book(w, resident);
    const early = await call('POST', `/v1/appointments/${mine.body.id}/check-in`, { token: resident.token, now: at('2026-09-29T08:29:00+08:00') });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'NOT_CHECKABLE', message: expect.stringContaining('08:30') });
    const reply = await call('POST', `/v1/appointments/${mine.body.id}/check-in`, { token: resident.token, now: at('2026-09-29T08:45:00+08:00') });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ category: 'A', priority: true, communityId: w.cid, number: expect.stringMatching(/^A\d+/), status: 'waiting' });
    expect(reply.body.late).toBeFalsy();
    const again = await call('POST', `/v1/appointments/${mine.body.id}/check-in`, { token: resident.token, now: at('2026-09-29T08:46:00+08:00') });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_CHECKED_IN');
    const after = await call('GET', `/v1/appointments/${mine.body.id}`, { token: resident.token, now: NOW });
    expect(after.body).toMatchObject({ status: 'checked_in', ticketId: reply.body.id });
  });

  it('undoes the check-in when the hall cannot issue a ticket, so it can be tried again', async () => {
    const w = await world({}, { hall: false });
    const resident = await verifiedResident(w.cid);
    const mine = await book(w, resident);
    const now = at('2026-09-29T08:50:00+08:00');
    const refused = await call('POST', `/v1/appointments/${mine.body.id}/check-in`, { token: resident.token, now });
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).toMatch(/服务大厅/);
    const after = await call('GET', `/v1/appointments/${mine.body.id}`, { token: resident.token, now });
    expect(after.body.status).toBe('booked');
    await call('PUT', `/v1/communities/${w.cid}/hall`, { token: w.staff.token, body: HALL, now });
    expect((await call('POST', `/v1/appointments/${mine.body.id}/check-in`, { token: resident.token, now })).status).toBe(200);
  });

  it('checks in once when the owner and staff scan at the same moment', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const mine = await book(w, resident);
    const now = at('2026-09-29T08:50:00+08:00');
    const replies = await Promise.all([resident, w.staff, resident, w.staff].map((who) => call('POST', `/v1/appointments/${mine.body.id}/check-in`, { token: who.token, now })));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(3);
  });

  it('gives a late arrival a normal ticket with late: true and a plain explanation; refuses after the slot', async () => {
    const w = await world();
    const [a, b] = await residents(w.cid, 2);
    const first = await book(w, a!);
    const second = await book(w, b!);
    const late = await call('POST', `/v1/appointments/${first.body.id}/check-in`, { token: w.staff.token, now: at('2026-09-29T09:20:00+08:00') });
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    expect(late.body).toMatchObject({ priority: false, late: true, notice: expect.stringContaining('普通号') });
    const over = await call('POST', `/v1/appointments/${second.body.id}/check-in`, { token: b!.token, now: at('2026-09-29T09:31:00+08:00') });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('NOT_CHECKABLE');
  });

  it('lets staff mark a no-show only after the grace period, and never a resident', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const mine = await book(w, resident);
    const url = `/v1/appointments/${mine.body.id}/no-show`;
    expect((await call('POST', url, { token: resident.token, now: at('2026-09-29T10:00:00+08:00') })).status).toBe(403);
    const tooSoon = await call('POST', url, { token: w.staff.token, now: at('2026-09-29T09:10:00+08:00') });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.error.message).toMatch(/15 分钟/);
    const marked = await call('POST', url, { token: w.staff.token, now: at('2026-09-29T09:16:00+08:00') });
    expect(marked.status).toBe(200);
    expect(marked.body.status).toBe('no_show');
    expect((await call('POST', url, { token: w.staff.token, now: at('2026-09-29T09:17:00+08:00') })).status).toBe(409);
  });

  it('takes one rating from the owner after completion (409 before it and on a second)', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const mine = await book(w, resident);
    const rate = (who: Actor, score = 5) => call('POST', `/v1/appointments/${mine.body.id}/rating`, { token: who.token, body: { score, comment: '办得很快，态度好' }, now: NOW });
    const tooEarly = await rate(resident);
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.message).toMatch(/办结后/);
    expect((await call('POST', `/v1/appointments/${mine.body.id}/complete`, { token: resident.token, now: NOW })).status).toBe(403);
    const done = await call('POST', `/v1/appointments/${mine.body.id}/complete`, { token: w.staff.token, now: NOW });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    expect((await rate(w.staff)).status).toBe(403);
    const ratings = await Promise.all([rate(resident, 5), rate(resident, 4), rate(resident, 3)]);
    expect(ratings.filter((r) => r.status === 201)).toHaveLength(1);
    expect(ratings.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ALREADY_RATED')).toBe(true);
    expect((await call('POST', `/v1/appointments/${mine.body.id}/rating`, { token: resident.token, body: { score: 6 } })).status).toBe(400);
    const after = await call('GET', `/v1/appointments/${mine.body.id}`, { token: resident.token, now: NOW });
    expect(after.body).toMatchObject({ status: 'completed', ratingComment: '办得很快，态度好' });
  });
});

describe('indicators', () => {
  it('counts bookings per day, the no-show rate and mean satisfaction', async () => {
    const w = await world();
    const people = await residents(w.cid, 4);
    const ids = (await Promise.all(people.map((p) => book(w, p)))).map((r) => r.body.id as string);
    const staff = (path: string, now = at('2026-09-29T09:20:00+08:00')) => call('POST', path, { token: w.staff.token, now });
    await call('DELETE', `/v1/appointments/${ids[0]}`, { token: people[0]!.token, now: NOW });
    await staff(`/v1/appointments/${ids[1]}/no-show`);
    await staff(`/v1/appointments/${ids[2]}/complete`);
    await staff(`/v1/appointments/${ids[3]}/complete`);
    await call('POST', `/v1/appointments/${ids[2]}/rating`, { token: people[2]!.token, body: { score: 5 } });
    await call('POST', `/v1/appointments/${ids[3]}/rating`, { token: people[3]!.token, body: { score: 4 } });
    const stats = await call('GET', `/v1/communities/${w.cid}/stats`, { token: w.staff.token, now: NOW });
    expect(stats.status).toBe(200);
    const section = stats.body.appointments;
    expect(section.perDay.find((d: { date: string }) => d.date === '2026-09-29')).toEqual({
      date: '2026-09-29', booked: 4, cancelled: 1, arrived: 2, noShow: 1, completed: 2,
    });
    expect(section.noShowRate).toBeCloseTo(1 / 3, 3);
    expect(section.satisfaction).toEqual({ mean: 4.5, count: 2 });
  });
});

describe('reminders (WeChat subscription messages)', () => {
  it('sends the evening-before and hour-before reminders once each, even when the schedule fires twice', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const other = await verifiedResident(w.cid);
    const mine = await book(w, resident, '2026-10-09T09:30:00+08:00', { remind: true });
    const cancelled = await book(w, other, '2026-10-09T09:30:00+08:00', { remind: true });
    await call('DELETE', `/v1/appointments/${cancelled.body.id}`, { token: other.token, now: NOW });
    wechat.behaviour = 'ok';
    const sent = () => wechat.requests.filter((r) => r.path === '/cgi-bin/message/subscribe/send' && (r.body as { data: { character_string3: { value: string } } }).data.character_string3.value === mine.body.code);

    const evening = at('2026-10-08T18:03:00+08:00');
    const runs = await Promise.all([sendDueReminders(evening), sendDueReminders(evening)]);
    await sendDueReminders(at('2026-10-08T18:13:00+08:00'));
    expect(sent()).toHaveLength(1);
    expect(runs.reduce((s, r) => s + r.sent, 0)).toBe(1);
    expect(sent()[0]!.body).toMatchObject({
      template_id: 'tmpl-appointment-reminder', page: `appointments/detail/index?id=${mine.body.id}`,
      data: { thing1: { value: '社保卡办理' }, time2: { value: '2026年10月9日 09:30' } },
    });

    await Promise.all([sendDueReminders(at('2026-10-09T08:31:00+08:00')), sendDueReminders(at('2026-10-09T08:32:00+08:00'))]);
    expect(sent()).toHaveLength(2);
    // the cancelled booking's reminders were never sent
    const all = wechat.requests.filter((r) => r.path === '/cgi-bin/message/subscribe/send');
    expect(all.some((r) => (r.body as { data: { character_string3: { value: string } } }).data.character_string3.value === cancelled.body.code)).toBe(false);
  });

  it('after an outage of a few hours still sends a reminder that is useful, and never one after the appointment', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const mine = await book(w, resident, '2026-10-12T10:00:00+08:00', { remind: true });
    wechat.behaviour = 'ok';
    const sent = () => wechat.requests.filter((r) => r.path === '/cgi-bin/message/subscribe/send' && (r.body as { data: { character_string3: { value: string } } }).data.character_string3.value === mine.body.code);
    // The evening-before reminder was due at 18:00; the first run after the outage is at 21:05.
    const late = await sendDueReminders(at('2026-10-11T21:05:00+08:00'));
    expect(late.sent).toBeGreaterThanOrEqual(1);
    expect(sent()).toHaveLength(1);
    // The hour-before one was due at 09:00; the next run comes after the 10:00 appointment began.
    await sendDueReminders(at('2026-10-12T10:05:00+08:00'));
    expect(sent()).toHaveLength(1);
  });

  it('keeps a reminder for the next run when WeChat is down', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    const mine = await book(w, resident, '2026-10-09T10:00:00+08:00', { remind: true });
    wechat.behaviour = 'http-error';
    const failed = await sendDueReminders(at('2026-10-09T09:01:00+08:00'));
    expect(failed.failed).toBeGreaterThanOrEqual(1);
    wechat.behaviour = 'ok';
    await sendDueReminders(at('2026-10-09T09:11:00+08:00'));
    const mineSent = wechat.requests.filter(
      (r) => r.path === '/cgi-bin/message/subscribe/send' && (r.body as { data: { character_string3: { value: string } } }).data.character_string3.value === mine.body.code,
    );
    expect(mineSent.length).toBeGreaterThanOrEqual(1);
  });
});
