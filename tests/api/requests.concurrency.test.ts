/**
 * The request's invariants under simultaneous taps, held by DynamoDB's conditions (never by the
 * service reading first): one owner among concurrent accepts (首问负责), one outcome when a
 * hand-up races a resolution, and unique consecutive numbers among simultaneous filings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { act, file, requestWorld, type RequestWorld } from './requests-fixtures';

const T0 = new Date('2026-11-16T09:00:00+08:00');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let w: RequestWorld;
beforeAll(async () => {
  w = await requestWorld(T0);
});

describe('concurrency', () => {
  it('gives a request one owner when 10 staff accept it at once; the other 9 get 409 ALREADY_ACCEPTED', async () => {
    // prepare
    const id = (await file(w, T0)).body.id as string;
    const staff = await Promise.all(Array.from({ length: 10 }, () => staffOf(w.cid)));

    // act
    const replies = await Promise.all(staff.map((s) => act(id, 'accept', s, later(1))));

    // assess
    const winners = replies.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(9).fill('ALREADY_ACCEPTED'));
    const owners = await Promise.all(staff.map((s) => call('GET', `/v1/requests/${id}`, { token: s.token, now: later(2) })));
    expect(owners.filter((r) => r.body.ownedByMe)).toHaveLength(1);
    const seen = await call('GET', `/v1/requests/${id}`, { token: w.resident.token, now: later(2) });
    expect(seen.body.timeline.filter((e: { kind: string }) => e.kind === 'accepted')).toHaveLength(1);
  }, 60_000);

  it('lets one of a hand-up and a resolution sent at once win; the other gets 409', async () => {
    for (let round = 0; round < 5; round++) {
      // prepare
      const id = (await file(w, T0)).body.id as string;
      await act(id, 'accept', w.worker, later(1));

      // act
      const [up, done] = await Promise.all([
        act(id, 'escalate', w.worker, later(2), { reason: '需要街道协调' }),
        act(id, 'resolve', w.worker, later(2), { summary: '已处理' }),
      ]);

      // assess
      expect([up.status, done.status].sort()).toEqual([200, 409]);
      const loser = up.status === 409 ? up : done;
      expect(loser.body.error.code).toBe('REQUEST_STATE');
      const final = await call('GET', `/v1/requests/${id}`, { token: w.resident.token, now: later(3) });
      expect(final.body.status).toBe(up.status === 200 ? 'escalated' : 'resolved');
      expect(final.body.timeline.filter((e: { kind: string }) => e.kind === 'escalated' || e.kind === 'resolved')).toHaveLength(1);
    }
  }, 60_000);

  it('numbers 20 simultaneous filings uniquely and consecutively', async () => {
    // prepare
    const residents = await Promise.all(Array.from({ length: 20 }, () => verifiedResident(w.cid)));

    // act: in a year no other test files in, so no other filing takes a number between them
    const replies = await Promise.all(residents.map((r) => file(w, new Date('2025-03-03T09:00:00+08:00'), r)));

    // assess
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(replies.every((r) => (r.body.number as string).startsWith('2025-'))).toBe(true);
    const numbers = replies.map((r) => Number((r.body.number as string).slice(5))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(20);
    expect((numbers.at(-1) as number) - (numbers[0] as number)).toBe(19);
  }, 60_000);
});
