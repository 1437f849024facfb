/**
 * Sign up and verify record the Idempotency-Key with the act (contract: idempotency 'with-act'):
 * the act's one transaction writes the key and its response, and verify checks the caller is
 * staff in that same transaction, so each costs exactly the calls of its bare operation.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { admin, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { activity, approvedVolunteer, attended, signUp, world } from './volunteers-fixtures';

const commands = (reply: { calls: { command: string }[] }) => reply.calls.map((c) => c.command);

// What the transaction records must be exactly what the route answers (the pipeline logs it otherwise).
const errors = vi.spyOn(console, 'error');
afterEach(() => {
  expect(errors.mock.calls.map((args) => String(args[0])).filter((line) => line.includes('idempotency-answer-differs'))).toEqual([]);
  errors.mockClear();
});

describe('sign up with an Idempotency-Key', () => {
  it('costs one read and one transaction, and a retry replays the first response: still one signup', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    const url = `/v1/activities/${act.id}/signups`;
    const first = await call('POST', url, { token: person.token, idempotencyKey: 'signup-1' });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The bare operation: the activity's GetItem and the one transaction (which also records the key).
    expect(commands(first)).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    expect(first.calls[1]?.parts).toEqual(['ConditionCheck', 'Update', 'Put']);

    const retry = await call('POST', url, { token: person.token, idempotencyKey: 'signup-1' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);

    const sheet = await call('GET', url, { token: w.staff.token });
    expect(sheet.body.items).toHaveLength(1);
    expect((await call('GET', `/v1/activities/${act.id}`)).body).toMatchObject({ signedUp: 1, placesLeft: 4 });
  });

  it('answers retries racing the first with the first response, and takes one place', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => call('POST', `/v1/activities/${act.id}/signups`, { token: person.token, idempotencyKey: 'signup-race' })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(5).fill(201));
    expect(replies.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    for (const reply of replies) expect(reply.body).toEqual(replies[0]?.body);
    expect((await call('GET', `/v1/activities/${act.id}`)).body.signedUp).toBe(1);
  });

  it('leaves no record when the activity is full: the same key signs up once a place is free', async () => {
    const w = await world();
    const act = await activity(w, { capacity: 1 });
    const [early, late] = await Promise.all([approvedVolunteer(w), approvedVolunteer(w)]);
    await signUp(act.id, early);
    const url = `/v1/activities/${act.id}/signups`;
    const full = await call('POST', url, { token: late.token, idempotencyKey: 'signup-full' });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('ACTIVITY_FULL');

    expect((await call('DELETE', `${url}/me`, { token: early.token })).status).toBe(200);
    const again = await call('POST', url, { token: late.token, idempotencyKey: 'signup-full' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body).toMatchObject({ userId: late.id, status: 'signed_up' });
  });
});

describe('verify hours: the staff check inside the transaction', () => {
  it('costs one read and one transaction (no membership read), and a retry replays the entry: credited once', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await attended(w, act, person);
    const url = `/v1/activities/${act.id}/signups/${person.id}/verify`;
    const first = await call('POST', url, { token: w.staff.token, body: {}, idempotencyKey: 'verify-1' });
    expect(first.status).toBe(200);
    expect(commands(first)).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect(first.calls[1]?.parts).toEqual(['ConditionCheck', 'Update', 'Put']);

    const retry = await call('POST', url, { token: w.staff.token, body: {}, idempotencyKey: 'verify-1' });
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    const me = await call('GET', '/v1/me/volunteer', { token: person.token });
    expect(me.body.entries).toHaveLength(1);
    expect(me.body.totalHours).toBe(first.body.hours);
  });

  it('refuses a staff member removed since, 403, and credits nothing', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await attended(w, act, person);
    const removed = await staffOf(w.cid);
    const root = await admin();
    expect((await call('DELETE', `/v1/communities/${w.cid}/staff/${removed.id}`, { token: root.token })).status).toBe(200);
    const reply = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: removed.token, body: {} });
    expect(reply.status).toBe(403);
    expect(reply.body.error.message).toBe('仅限本社区工作人员操作');
    // Refused by the transaction's staff part: no membership read first.
    expect(commands(reply)).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect((await call('GET', '/v1/me/volunteer', { token: person.token })).body).toMatchObject({ totalHours: 0, entries: [] });
  });

  it('tells a non-staff caller 403 before anything about the signup', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await signUp(act.id, person);
    const resident = await verifiedResident(w.cid);
    // Not attended (a 409 for staff), but the caller is not staff: 403, as before the check moved.
    const reply = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: resident.token, body: {} });
    expect(reply.status).toBe(403);
    const staffReply = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: {} });
    expect(staffReply.status).toBe(409);
  });
});
