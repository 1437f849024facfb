/**
 * Per-person limits on what can be hoarded, held by the table inside the act's own transaction:
 * topics proposed a day, bookings held at once across every service, join requests pending at once. Each is proven with a
 * burst of simultaneous requests from one person against DynamoDB Local.
 */
import { describe, expect, it } from 'vitest';
import { BOOKINGS_HELD } from '../../functions/services/appointments';
import { TOPICS_PER_DAY } from '../../functions/services/consultations';
import { JOINS_PENDING } from '../../functions/services/identity';
import { admin, login, newCommunity, nextHousehold, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';

describe('topics a member proposes in a day', () => {
  /** 10:00 in Shanghai on an ordinary day. */
  const MORNING = new Date('2026-11-23T10:00:00+08:00');
  const propose = (cid: string, who: Actor, n: number, now: Date) =>
    call('POST', `/v1/communities/${cid}/topics`, { token: who.token, body: { title: `议题${n}`, body: '希望社区研究解决' }, now });

  it(`creates exactly ${TOPICS_PER_DAY} of ten simultaneous proposals and refuses the rest until the next local day (409 TOPIC_LIMIT)`, async () => {
    // prepare
    const { id: cid } = await newCommunity();
    const member = await verifiedResident(cid);
    // act
    const replies = await Promise.all(Array.from({ length: 10 }, (_, n) => propose(cid, member, n, MORNING)));
    // assess
    expect(replies.filter((r) => r.status === 201)).toHaveLength(TOPICS_PER_DAY);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array(10 - TOPICS_PER_DAY).fill([409, 'TOPIC_LIMIT']));
    expect(refused[0]!.body.error.message).toBe(`每人每天最多提出 ${TOPICS_PER_DAY} 个议题，今天已达上限，明天 0 点后可再提出`);
    const listed = await call('GET', `/v1/communities/${cid}/topics`, { token: member.token, now: MORNING });
    expect(listed.body.items).toHaveLength(TOPICS_PER_DAY);
    // 23:59 is still the same day in Shanghai; 00:01 is the next
    expect((await propose(cid, member, 11, new Date('2026-11-23T23:59:00+08:00'))).body.error?.code).toBe('TOPIC_LIMIT');
    expect((await propose(cid, member, 12, new Date('2026-11-24T00:01:00+08:00'))).status).toBe(201);
  });

  it('counts nothing for a proposal refused for want of a verified membership', async () => {
    const { id: cid } = await newCommunity();
    const member = await verifiedResident(cid);
    const { id: elsewhere } = await newCommunity();
    const refused = await Promise.all(Array.from({ length: TOPICS_PER_DAY }, (_, n) => propose(elsewhere, member, n, MORNING)));
    expect(refused.map((r) => r.status)).toEqual(Array(TOPICS_PER_DAY).fill(403));
    const replies = await Promise.all(Array.from({ length: TOPICS_PER_DAY }, (_, n) => propose(cid, member, n, MORNING)));
    expect(replies.map((r) => r.status)).toEqual(Array(TOPICS_PER_DAY).fill(201));
    expect((await propose(cid, member, TOPICS_PER_DAY, MORNING)).body.error?.code).toBe('TOPIC_LIMIT');
  });
});

describe('bookings a resident holds at once', () => {
  /** Monday 28 September 2026, 09:00 in Shanghai (the week before National Day). */
  const NOW = new Date('2026-09-28T09:00:00+08:00');
  const DAYS = ['2026-09-29', '2026-09-30'];
  const SCHEDULE = {
    weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '12:00']]])),
    slotMinutes: 30,
    capacityPerSlot: 5,
    bookAheadDays: 14,
  };

  /** Services in two communities where the resident is verified: the limit spans them all. */
  async function services(perCommunity: number): Promise<{ sids: string[]; resident: Actor; staff: Map<string, Actor> }> {
    const { id: first } = await newCommunity();
    const { id: second } = await newCommunity();
    const resident = await verifiedResident(first);
    const join = await call('POST', `/v1/communities/${second}/members`, { token: resident.token, body: { household: nextHousehold() } });
    expect(join.status, JSON.stringify(join.body)).toBe(201);
    const verify = await call('POST', `/v1/communities/${second}/members/${resident.id}/verify`, { token: (await admin()).token, body: {} });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    const sids: string[] = [];
    const staff = new Map<string, Actor>();
    for (const cid of [first, second]) {
      const worker = await staffOf(cid);
      for (let n = 0; n < perCommunity; n++) {
        const body = { name: `事项${n}`, category: 'A', durationMin: 20, materials: [], schedule: SCHEDULE };
        const reply = await call('POST', `/v1/communities/${cid}/services`, { token: worker.token, body, now: NOW });
        expect(reply.status, JSON.stringify(reply.body)).toBe(201);
        sids.push(reply.body.id);
        staff.set(reply.body.id, worker);
      }
    }
    return { sids, resident, staff };
  }

  const book = (sid: string, who: Actor, day: string, time = '09:00') =>
    call('POST', `/v1/services/${sid}/appointments`, { token: who.token, body: { start: `${day}T${time}:00+08:00` }, now: NOW });

  it(`books exactly ${BOOKINGS_HELD} of twelve simultaneous bookings across services and communities (409 BOOKING_LIMIT); a cancellation frees one place`, async () => {
    // prepare: six services in two communities, two days each: twelve different bookings
    const { sids, resident } = await services(3);
    // act
    const replies = await Promise.all(sids.flatMap((sid) => DAYS.map((day) => book(sid, resident, day))));
    // assess
    const booked = replies.filter((r) => r.status === 201);
    expect(booked).toHaveLength(BOOKINGS_HELD);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array(12 - BOOKINGS_HELD).fill([409, 'BOOKING_LIMIT']));
    expect(refused[0]!.body.error.message).toBe(`每人最多同时持有 ${BOOKINGS_HELD} 个待办理的预约，请先办理或取消已有的预约后再预约`);
    // the same booking cancelled eight times at once gives back one place, not eight
    const target = booked[0]!.body;
    await Promise.all(Array.from({ length: 8 }, () => call('DELETE', `/v1/appointments/${target.id}`, { token: resident.token, now: NOW })));
    const more = await Promise.all(sids.map((sid) => book(sid, resident, '2026-10-09')));
    expect(more.filter((r) => r.status === 201)).toHaveLength(1);
    expect(more.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual(Array(sids.length - 1).fill('BOOKING_LIMIT'));
  });

  it('gives a place back when staff complete a booking or mark it a no-show, once each', async () => {
    // prepare: the resident holds the limit
    const { sids, resident, staff } = await services(3);
    const held = [];
    for (const sid of sids.slice(0, BOOKINGS_HELD)) held.push((await book(sid, resident, DAYS[0]!)).body);
    expect(held.every((a) => a.status === 'booked')).toBe(true);
    const last = sids[BOOKINGS_HELD]!;
    expect((await book(last, resident, DAYS[0]!)).body.error?.code).toBe('BOOKING_LIMIT');
    // act: completion (twice at once) frees one place
    const [done] = held;
    const completions = await Promise.all(
      [0, 1].map(() => call('POST', `/v1/appointments/${done.id}/complete`, { token: staff.get(done.serviceId)!.token, body: {}, now: NOW })),
    );
    expect(completions.filter((r) => r.status === 200)).toHaveLength(1);
    // assess
    expect((await book(last, resident, DAYS[0]!)).status).toBe(201);
    expect((await book(last, resident, DAYS[1]!)).body.error?.code).toBe('BOOKING_LIMIT');
    // a no-show after the grace period frees one place too
    const missed = held[1]!;
    const afterGrace = new Date('2026-09-29T10:00:00+08:00');
    const noShow = await call('POST', `/v1/appointments/${missed.id}/no-show`, { token: staff.get(missed.serviceId)!.token, body: {}, now: afterGrace });
    expect(noShow.status, JSON.stringify(noShow.body)).toBe(200);
    expect((await book(last, resident, DAYS[1]!)).status).toBe(201);
  });
});

describe('join requests a user has pending at once', () => {
  const ask = (cid: string, who: Actor) => call('POST', `/v1/communities/${cid}/members`, { token: who.token, body: { household: nextHousehold() } });

  it(`accepts exactly ${JOINS_PENDING} of ten simultaneous requests to ten communities (409 JOIN_LIMIT); a verification or a refusal frees one place, once`, async () => {
    // prepare
    const cids = (await Promise.all(Array.from({ length: 10 }, () => newCommunity()))).map((c) => c.id);
    const person = await login();
    // act
    const replies = await Promise.all(cids.map((cid) => ask(cid, person)));
    // assess
    const pending = cids.filter((_, n) => replies[n]!.status === 201);
    expect(pending).toHaveLength(JOINS_PENDING);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array(10 - JOINS_PENDING).fill([409, 'JOIN_LIMIT']));
    expect(refused[0]!.body.error.message).toBe(`每人最多同时有 ${JOINS_PENDING} 个待核实的加入申请，请等待社区核实后再申请`);
    const waiting = cids.filter((cid) => !pending.includes(cid));
    // verified twice at once: one place back
    const root = await admin();
    const verify = () => call('POST', `/v1/communities/${pending[0]}/members/${person.id}/verify`, { token: root.token, body: {} });
    expect((await Promise.all([verify(), verify()])).map((r) => r.status)).toEqual([200, 200]);
    expect((await ask(waiting[0]!, person)).status).toBe(201);
    expect((await ask(waiting[1]!, person)).body.error?.code).toBe('JOIN_LIMIT');
    // refused twice at once: one place back
    const refuse = () => call('DELETE', `/v1/communities/${pending[1]}/members/${person.id}`, { token: root.token, body: { reason: '查无此门牌' } });
    await Promise.all([refuse(), refuse()]);
    expect((await ask(waiting[1]!, person)).status).toBe(201);
    expect((await ask(waiting[2]!, person)).body.error?.code).toBe('JOIN_LIMIT');
  });
});
