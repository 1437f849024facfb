import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { instantOf, localDate } from '../../functions/domain/time';
import type { AuthUser } from '../../functions/lib/tokens';
import { documentClient } from '../../functions/store/client';
import * as queue from '../../functions/services/queue';
import { TICKETS_PER_DAY } from '../../functions/services/queue';
import { admin, joined, login, newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call, type Reply } from '../support/stack';

const DAY = '2026-11-23';
const at = (hhmm: string, date = DAY) => instantOf(date, hhmm);
const count = (reply: Reply, command: string) => reply.calls.filter((c) => c.command === command).length;

const LAYOUT = {
  categories: [
    { code: 'A', name: '社保' },
    { code: 'B', name: '民政' },
    { code: 'C', name: '计生/综合' },
  ],
  windows: [
    { no: 1, categories: ['A', 'B'] },
    { no: 2, categories: ['A'] },
    { no: 3, categories: ['C'] },
  ],
};

/** Each test hall's staff, and its hall token of DAY (walk-ins in these tests are not members: they scanned the hall's QR). */
const staffOfHall = new Map<string, Actor>();
const passes = new Map<string, string>();

/** The hall token staff show on the day of `now`. */
async function hallPass(cid: string, now: Date): Promise<string> {
  const qr = await call('GET', `/v1/communities/${cid}/hall/qr`, { token: staffOfHall.get(cid)!.token, now });
  expect(qr.status, JSON.stringify(qr.body)).toBe(200);
  return qr.body.token;
}

/** A community with its hall laid out and the given windows open. */
async function hall(options: { open?: number[]; layout?: Record<string, unknown> } = {}): Promise<{ cid: string; staff: Actor }> {
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  const put = await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: { ...LAYOUT, ...options.layout } });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  staffOfHall.set(cid, staff);
  passes.set(cid, await hallPass(cid, at('08:00')));
  for (const no of options.open ?? [1, 2, 3]) {
    const opened = await call('POST', `/v1/communities/${cid}/windows/${no}/open`, { token: staff.token });
    expect(opened.status).toBe(200);
  }
  return { cid, staff };
}

async function take(cid: string, category: string, now: Date, who?: Actor): Promise<{ user: Actor; ticket: any }> {
  const user = who ?? (await login());
  const hallToken = localDate(now, 'Asia/Shanghai') === DAY ? passes.get(cid) : await hallPass(cid, now);
  const reply = await call('POST', `/v1/communities/${cid}/tickets`, { token: user.token, body: { category, hallToken }, now });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { user, ticket: reply.body };
}

const callNext = (cid: string, no: number, staff: Actor, now: Date) =>
  call('POST', `/v1/communities/${cid}/windows/${no}/call-next`, { token: staff.token, now });

describe('hall layout and windows', () => {
  it('lets staff lay out categories and windows, closed until opened', async () => {
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const reply = await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: LAYOUT });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ priorityRatio: 2, maxWaitMin: 60, timezone: 'Asia/Shanghai' });
    expect(reply.body.windows).toEqual([
      { no: 1, categories: ['A', 'B'], open: false },
      { no: 2, categories: ['A'], open: false },
      { no: 3, categories: ['C'], open: false },
    ]);
    const opened = await call('POST', `/v1/communities/${cid}/windows/2/open`, { token: staff.token });
    expect(opened.body).toEqual({ no: 2, categories: ['A'], open: true });
    const closed = await call('POST', `/v1/communities/${cid}/windows/2/close`, { token: staff.token });
    expect(closed.body).toEqual({ no: 2, categories: ['A'], open: false });
  });

  it('refuses a window serving a category the hall does not have, naming the field', async () => {
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const reply = await call('PUT', `/v1/communities/${cid}/hall`, {
      token: staff.token,
      body: { ...LAYOUT, windows: [{ no: 1, categories: ['Z'] }] },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details).toContainEqual({ path: 'body.windows.0.categories.0', message: '未定义的业务类别 Z' });
  });

  it('keeps the hall\'s 办理时间 and shows them on the public board; refuses a range that ends before it starts', async () => {
    // prepare
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const hours = [{ days: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' }, { days: [6], open: '09:00', close: '12:00' }];
    // act
    const saved = await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: { ...LAYOUT, hours } });
    const board = await call('GET', `/v1/communities/${cid}/hall/board`);
    const backwards = await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: { ...LAYOUT, hours: [{ days: [1], open: '17:00', close: '09:00' }] } });
    const noDay = await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: { ...LAYOUT, hours: [{ days: [], open: '09:00', close: '17:00' }] } });
    // assess
    expect(saved.body.hours).toEqual(hours);
    expect(board.body.hours).toEqual(hours);
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details).toContainEqual({ path: 'body.hours.0.close', message: '结束时间应晚于开始时间' });
    expect(noDay.body.error.details).toContainEqual({ path: 'body.hours.0.days', message: '请至少选择一天' });
    // a layout saved without them announces none
    expect((await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: LAYOUT })).body.hours).toEqual([]);
  });

  it('answers 404 for a window the hall does not have', async () => {
    const { cid, staff } = await hall({ open: [] });
    expect((await call('POST', `/v1/communities/${cid}/windows/9/open`, { token: staff.token })).status).toBe(404);
  });

  it('refuses residents and staff of another community (403)', async () => {
    const { cid } = await hall({ open: [] });
    const { id: other } = await newCommunity();
    const strangerStaff = await staffOf(other);
    const resident = await login();
    for (const actor of [strangerStaff, resident]) {
      expect((await call('PUT', `/v1/communities/${cid}/hall`, { token: actor.token, body: LAYOUT })).status).toBe(403);
      expect((await call('POST', `/v1/communities/${cid}/windows/1/open`, { token: actor.token })).status).toBe(403);
      expect((await callNext(cid, 1, actor, at('09:00'))).status).toBe(403);
      expect((await call('GET', `/v1/communities/${cid}/hall`, { token: actor.token })).status).toBe(403);
    }
  });
});

describe('taking a number', () => {
  it('gives a walk-in with the hall token a number with position and estimate: one BatchGetItem, two writes, one Query', async () => {
    const { cid } = await hall();
    const walkIn = await login(); // not a member of the community: scanned the hall's QR
    const reply = await call('POST', `/v1/communities/${cid}/tickets`, { token: walkIn.token, body: { category: 'A', hallToken: passes.get(cid) }, now: at('09:00') });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      number: 'A001', category: 'A', categoryName: '社保', status: 'waiting', priority: false, position: 1, ahead: 0, estimatedWaitMin: 0,
      date: DAY, issuedAt: '2026-11-23T09:00:00+08:00',
    });
    expect(count(reply, 'BatchGetItemCommand')).toBe(1);
    expect(count(reply, 'UpdateItemCommand') + count(reply, 'TransactWriteItemsCommand')).toBe(2);
    expect(count(reply, 'QueryCommand')).toBe(1); // the category up to the new ticket, for its position
    expect(reply.calls).toHaveLength(4);
    const second = await take(cid, 'A', at('09:01'));
    expect(second.ticket).toMatchObject({ number: 'A002', position: 2, ahead: 1, estimatedWaitMin: 3 }); // 5 min ÷ 2 open windows serving A
  });

  it('gives 60 simultaneous takers 60 distinct consecutive numbers', async () => {
    const { cid } = await hall();
    const people = await Promise.all(Array.from({ length: 60 }, () => login()));
    const replies = await Promise.all(
      people.map((p) => call('POST', `/v1/communities/${cid}/tickets`, { token: p.token, body: { category: 'B', hallToken: passes.get(cid) }, now: at('08:30') })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(60).fill(201));
    const numbers = replies.map((r) => r.body.number).sort();
    expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => `B${String(i + 1).padStart(3, '0')}`));
  });

  it('numbers each category on its own and restarts each local day', async () => {
    const { cid } = await hall();
    expect((await take(cid, 'A', at('23:50'))).ticket.number).toBe('A001');
    expect((await take(cid, 'A', at('23:55'))).ticket.number).toBe('A002');
    expect((await take(cid, 'C', at('23:56'))).ticket.number).toBe('C001');
    const tomorrow = await take(cid, 'A', at('00:05', '2026-11-24'));
    expect(tomorrow.ticket).toMatchObject({ number: 'A001', date: '2026-11-24', position: 1 });
  });

  it('allows one active ticket per resident per category (409 ALREADY_QUEUED), even when tapped at once', async () => {
    const { cid } = await hall();
    const resident = await login();
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', `/v1/communities/${cid}/tickets`, { token: resident.token, body: { category: 'A', hallToken: passes.get(cid) }, now: at('09:00') })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ALREADY_QUEUED')).toBe(true);
    const again = await call('POST', `/v1/communities/${cid}/tickets`, { token: resident.token, body: { category: 'A', hallToken: passes.get(cid) }, now: at('09:05') });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ALREADY_QUEUED', message: '您已在该类业务排队中' });
    expect((await take(cid, 'B', at('09:06'), resident)).ticket.number).toBe('B001');
  });

  it('answers a repeated take with the same Idempotency-Key with the first ticket, spending no number', async () => {
    const { cid } = await hall();
    const user = await login();
    const send = () => call('POST', `/v1/communities/${cid}/tickets`, { token: user.token, body: { category: 'A', hallToken: passes.get(cid) }, idempotencyKey: 'tap-1', now: at('09:00') });
    const first = await send();
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await take(cid, 'A', at('09:01'))).ticket.number).toBe('A002');
  });

  it('answers a repeat of a take whose ticket was since cancelled with the first ticket, spending no number', async () => {
    const { cid } = await hall();
    const user = await login();
    const send = () => call('POST', `/v1/communities/${cid}/tickets`, { token: user.token, body: { category: 'A', hallToken: passes.get(cid) }, idempotencyKey: 'tap-2', now: at('09:00') });
    const first = await send();
    expect(first.status).toBe(201);
    expect(first.calls.map((c) => c.command).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'TransactWriteItemsCommand', 'UpdateItemCommand']);
    expect((await call('DELETE', `/v1/tickets/${first.body.id}`, { token: user.token, now: at('09:01') })).status).toBe(200);
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.calls.map((c) => c.command)).toEqual(['BatchGetItemCommand']);
    expect((await take(cid, 'A', at('09:02'))).ticket.number).toBe('A002');
  });

  it('lets the resident queue again once the ticket is cancelled or done', async () => {
    const { cid, staff } = await hall();
    const { user, ticket } = await take(cid, 'A', at('09:00'));
    expect((await call('DELETE', `/v1/tickets/${ticket.id}`, { token: user.token, now: at('09:01') })).body.status).toBe('cancelled');
    const second = await take(cid, 'A', at('09:02'), user);
    await callNext(cid, 2, staff, at('09:03'));
    await call('POST', `/v1/tickets/${second.ticket.id}/complete`, { token: staff.token, now: at('09:10') });
    expect((await take(cid, 'A', at('09:11'), user)).ticket.number).toBe('A003');
  });

  it('answers 404 before the hall is set up, 400 for a category it lacks, 401 without login', async () => {
    const { id: bare } = await newCommunity();
    const user = await login();
    expect((await call('POST', `/v1/communities/${bare}/tickets`, { token: user.token, body: { category: 'A' } })).status).toBe(404);
    const { cid } = await hall();
    const unknown = await call('POST', `/v1/communities/${cid}/tickets`, { token: user.token, body: { category: 'Q' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('body.category');
    expect((await call('POST', `/v1/communities/${cid}/tickets`, { token: user.token, body: { category: 'a1' } })).status).toBe(400);
    expect((await call('POST', `/v1/communities/${cid}/tickets`, { body: { category: 'A', hallToken: passes.get(cid) } })).status).toBe(401);
  });
});

describe('calling', () => {
  it('calls the next ticket to the window: the hall, the head of its category, one conditional write', async () => {
    const { cid, staff } = await hall();
    const first = await take(cid, 'A', at('09:00'));
    await take(cid, 'A', at('09:01'));
    const reply = await callNext(cid, 2, staff, at('09:05'));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: first.ticket.id, number: 'A001', status: 'called', window: 2, calledAt: '2026-11-23T09:05:00+08:00' });
    expect(count(reply, 'QueryCommand')).toBe(1); // window 2 serves one category
    expect(count(reply, 'TransactWriteItemsCommand')).toBe(1);
    // the staff check rides along: the caller's membership is read with the hall and its day, and checked again in the transaction
    expect(reply.calls.map((c) => c.command).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'TransactWriteItemsCommand']);
    const mine = await call('GET', `/v1/tickets/${first.ticket.id}`, { token: first.user.token, now: at('09:05') });
    expect(mine.body).toMatchObject({ status: 'called', window: 2 });
  });

  it('serves only the categories of the window, and answers 404 QUEUE_EMPTY when none waits', async () => {
    const { cid, staff } = await hall();
    await take(cid, 'C', at('09:00'));
    const empty = await callNext(cid, 2, staff, at('09:01'));
    expect(empty.status).toBe(404);
    expect(empty.body.error).toMatchObject({ code: 'QUEUE_EMPTY', message: '当前没有等候的号码' });
    expect((await callNext(cid, 3, staff, at('09:01'))).body.number).toBe('C001');
  });

  it('refuses to call at a closed window (409 WINDOW_CLOSED)', async () => {
    const { cid, staff } = await hall({ open: [1] });
    await take(cid, 'A', at('09:00'));
    const reply = await callNext(cid, 2, staff, at('09:01'));
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('WINDOW_CLOSED');
  });

  it('answers a repeated call-next with the same Idempotency-Key with the first call, calling no second ticket', async () => {
    // prepare
    const { cid, staff } = await hall();
    const first = await take(cid, 'A', at('09:00'));
    const second = await take(cid, 'A', at('09:01'));
    const press = () => call('POST', `/v1/communities/${cid}/windows/2/call-next`, { token: staff.token, idempotencyKey: 'press-1', now: at('09:05') });
    // act
    const called = await press();
    const again = await press();
    // assess: the key rode in the call's own transaction (no claim, no completion), and the repeat replayed it
    expect(called.status).toBe(200);
    expect(called.body).toMatchObject({ id: first.ticket.id, number: 'A001', status: 'called', window: 2 });
    expect(called.calls.map((c) => c.command).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'TransactWriteItemsCommand']);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(called.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await call('GET', `/v1/tickets/${second.ticket.id}`, { token: second.user.token, now: at('09:06') })).body).toMatchObject({ status: 'waiting', position: 1 });
    expect((await callNext(cid, 2, staff, at('09:07'))).body.number).toBe('A002');
  });

  it('refuses call-next to a removed staff member (403), also when removed between its read and its write, calling no ticket', async () => {
    // prepare: two staff members, one ticket waiting
    const { cid } = await hall();
    const [early, late] = await Promise.all([staffOf(cid), staffOf(cid)]);
    const { user, ticket } = await take(cid, 'A', at('09:00'));
    const root = await admin();
    const remove = async (who: Actor) => expect((await call('DELETE', `/v1/communities/${cid}/staff/${who.id}`, { token: root.token })).status).toBe(200);
    await remove(early);
    // `late` is removed just before the call's transaction, after its first read found it staff
    const hook = `remove-before-claim-${randomUUID()}`;
    let armed = true;
    documentClient().middlewareStack.add(
      (next, context) => async (args) => {
        if (armed && context.commandName === 'TransactWriteItemsCommand') {
          armed = false;
          await remove(late);
        }
        return next(args);
      },
      { step: 'initialize', name: hook },
    );
    // act
    const refusedAtOnce = await callNext(cid, 2, early, at('09:01'));
    const refusedInRace = await callNext(cid, 2, late, at('09:01')).finally(() => documentClient().middlewareStack.remove(hook));
    // assess
    for (const reply of [refusedAtOnce, refusedInRace]) {
      expect(reply.status).toBe(403);
      expect(reply.body.error).toMatchObject({ code: 'FORBIDDEN', message: '仅限本社区工作人员操作' });
    }
    expect(armed).toBe(false);
    expect((await call('GET', `/v1/tickets/${ticket.id}`, { token: user.token, now: at('09:02') })).body).toMatchObject({ status: 'waiting', position: 1 });
  });

  it('with 61 tickets and two windows calling in a loop, calls each ticket exactly once, in order, then QUEUE_EMPTY', async () => {
    const { cid, staff } = await hall();
    const people = await Promise.all(Array.from({ length: 61 }, () => login()));
    // Issued one second apart, so number order is issue order.
    for (const [i, p] of people.entries()) {
      await call('POST', `/v1/communities/${cid}/tickets`, { token: p.token, body: { category: 'A', hallToken: passes.get(cid) }, now: new Date(at('08:30').getTime() + i * 1000) });
    }
    const called: { window: number; number: string }[] = [];
    const callOnce = async (no: number): Promise<boolean> => {
      const reply = await callNext(cid, no, staff, at('09:00'));
      if (reply.status === 404) {
        expect(reply.body.error.code).toBe('QUEUE_EMPTY');
        return false;
      }
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      called.push({ window: no, number: reply.body.number });
      return true;
    };
    const loop = async (no: number) => {
      while (await callOnce(no));
    };
    // Both windows' first calls race, so each window calls at least once (a window that lost a race
    // backs off at random, and on a busy machine the other could otherwise call all 61 meanwhile).
    await Promise.all([callOnce(1), callOnce(2)]);
    await Promise.all([loop(1), loop(2)]);
    const numbers = called.map((c) => c.number);
    expect(numbers).toHaveLength(61);
    expect(new Set(numbers).size).toBe(61);
    expect([...numbers].sort()).toEqual(Array.from({ length: 61 }, (_, i) => `A${String(i + 1).padStart(3, '0')}`));
    for (const no of [1, 2]) {
      const mine = called.filter((c) => c.window === no).map((c) => c.number);
      expect(mine).toEqual([...mine].sort()); // no window ever goes back to an earlier number
    }
    expect(called.filter((c) => c.window === 1).length).toBeGreaterThan(0);
    expect(called.filter((c) => c.window === 2).length).toBeGreaterThan(0);
    const stats = await call('GET', `/v1/communities/${cid}/stats`, { token: staff.token, now: at('09:00') });
    expect(stats.body.queue.called).toBe(61);
  });

  it('follows the ordering rule: priority first, one normal after every two priority calls', async () => {
    const { cid, staff } = await hall();
    const tickets = [];
    for (const [i, hhmm] of ['09:00', '09:01', '09:02', '09:03', '09:04', '09:05'].entries()) {
      const { ticket } = await take(cid, 'A', at(hhmm));
      if (i >= 2) {
        const marked = await call('POST', `/v1/tickets/${ticket.id}/priority`, { token: staff.token, body: { reason: '70 岁以上老人' }, now: at('09:06') });
        expect(marked.body).toMatchObject({ priority: true, priorityReason: '70 岁以上老人' });
      }
      tickets.push(ticket);
    }
    const order = [];
    for (let i = 0; i < 6; i++) order.push((await callNext(cid, 2, staff, at('09:10'))).body.number);
    expect(order).toEqual(['A003', 'A004', 'A001', 'A005', 'A006', 'A002']);
  });

  it('keeps position exact: position 1 is always the ticket called next, and ahead = position − 1', async () => {
    const { cid, staff } = await hall({ open: [2] });
    const owners = [];
    for (const [i, hhmm] of ['09:00', '09:01', '09:02', '09:03', '09:04'].entries()) {
      const taken = await take(cid, 'A', at(hhmm));
      if (i % 2 === 1) await call('POST', `/v1/tickets/${taken.ticket.id}/priority`, { token: staff.token, body: { reason: '孕妇' } });
      owners.push(taken);
    }
    for (let round = 0; round < 5; round++) {
      const positions = [];
      for (const { user, ticket } of owners) {
        const reply = await call('GET', `/v1/tickets/${ticket.id}`, { token: user.token, now: at('09:10') });
        if (reply.body.status !== 'waiting') continue;
        expect(count(reply, 'QueryCommand')).toBeLessThanOrEqual(1);
        expect(reply.body.ahead).toBe(reply.body.position - 1);
        positions.push(reply.body);
      }
      expect(positions.map((p) => p.position).sort()).toEqual(positions.map((_, i) => i + 1));
      const next = await callNext(cid, 2, staff, at('09:10'));
      expect(next.body.id).toBe(positions.find((p) => p.position === 1)?.id);
    }
  });

  it.each([
    { maxWaitMin: 120, now: '09:25', case: 'ratio and priority' },
    { maxWaitMin: 30, now: '09:40', case: 'the earliest overdue' },
  ])('predicts the whole calling order from each position ($case)', async ({ maxWaitMin, now: hhmm }) => {
    // prepare: window 2 serves A alone; ratio 2. A priority ticket first with no normal before it
    // (the ratio then puts a later normal ahead of the third priority one), normals, and priority
    // ones issued later.
    const { cid, staff } = await hall({ open: [2], layout: { maxWaitMin } });
    const plan: [string, boolean][] = [
      ['09:00', true], ['09:01', true], ['09:02', true], ['09:03', false], ['09:04', false], ['09:05', true],
      ['09:12', false], ['09:13', true], ['09:14', false], ['09:15', false], ['09:20', true], ['09:21', false],
    ];
    const owners = [];
    for (const [time, priority] of plan) {
      const taken = await take(cid, 'A', at(time));
      if (priority) await call('POST', `/v1/tickets/${taken.ticket.id}/priority`, { token: staff.token, body: { reason: '70 岁以上老人' } });
      owners.push(taken);
    }
    await take(cid, 'B', at('09:02')); // another category never counts in A's positions
    const now = at(hhmm);
    // act: every ticket's position, then call them all at the same instant
    const predicted = new Map<number, string>();
    for (const { user, ticket } of owners) {
      const reply = await call('GET', `/v1/tickets/${ticket.id}`, { token: user.token, now });
      predicted.set(reply.body.position, reply.body.number);
    }
    const called = [];
    for (let i = 0; i < owners.length; i++) called.push((await callNext(cid, 2, staff, now)).body.number);
    // assess
    expect([...predicted.keys()].sort((a, b) => a - b)).toEqual(owners.map((_, i) => i + 1));
    expect(called).toEqual(owners.map((_, i) => predicted.get(i + 1)));
  });

  it('estimates the place of a ticket far back in a long queue, and is exact near the front', async () => {
    // prepare: 70 people in category A, in batches (each batch shares an instant; numbers break ties)
    const { cid, staff } = await hall({ open: [2] });
    const taken: { user: Actor; ticket: any }[] = [];
    for (let batch = 0; batch < 7; batch++) {
      taken.push(...(await Promise.all(Array.from({ length: 10 }, () => take(cid, 'A', at(`09:${String(10 + batch).padStart(2, '0')}`))))));
    }
    taken.sort((a, b) => a.ticket.number.localeCompare(b.ticket.number));
    const poll = async (i: number) => (await call('GET', `/v1/tickets/${taken[i]!.ticket.id}`, { token: taken[i]!.user.token, now: at('09:20') })).body;
    // act + assess: near the front, exact; far back, estimated from the numbers
    expect(await poll(9)).toMatchObject({ number: 'A010', position: 10 });
    expect((await poll(9)).approximate).toBeUndefined();
    expect(await poll(69)).toMatchObject({ number: 'A070', position: 70, ahead: 69, approximate: true });
    // a cancellation between the ones read and the last one: the estimate follows it
    await call('DELETE', `/v1/tickets/${taken[64]!.ticket.id}`, { token: taken[64]!.user.token, now: at('09:21') });
    expect((await poll(69)).position).toBe(69);
    // the queue moves: 25 calls later the ticket is near enough to be exact again
    for (let i = 0; i < 25; i++) await callNext(cid, 2, staff, at('09:30'));
    const near = await poll(69);
    expect(near).toMatchObject({ position: 44, ahead: 43 });
    expect(near.approximate).toBeUndefined();
  });

  it('keeps the waiting counts right through cancels, transfers, calls and a duplicate take', async () => {
    const { cid, staff } = await hall();
    const a1 = await take(cid, 'A', at('09:00'));
    const a2 = await take(cid, 'A', at('09:01'));
    await take(cid, 'A', at('09:02'));
    const b1 = await take(cid, 'B', at('09:03'));
    await call('DELETE', `/v1/tickets/${a1.ticket.id}`, { token: a1.user.token, now: at('09:04') }); // A 3 → 2
    await call('POST', `/v1/tickets/${a2.ticket.id}/transfer`, { token: staff.token, body: { category: 'C' }, now: at('09:05') }); // A → C
    await callNext(cid, 1, staff, at('09:06')); // calls the remaining A (issued before B001)
    await call('POST', `/v1/tickets/${b1.ticket.id}/transfer`, { token: staff.token, body: { category: 'A' }, now: at('09:07') });
    const resident = await login();
    await Promise.all(Array.from({ length: 5 }, () => call('POST', `/v1/communities/${cid}/tickets`, { token: resident.token, body: { category: 'C', hallToken: passes.get(cid) }, now: at('09:08') })));
    const board = await call('GET', `/v1/communities/${cid}/hall/board`, { now: at('09:09') });
    const staffList = await call('GET', `/v1/communities/${cid}/tickets`, { token: staff.token, now: at('09:09') });
    const listed = (category: string) => staffList.body.items.filter((t: { category: string }) => t.category === category).length;
    expect(board.body.waiting).toEqual({ A: listed('A'), B: listed('B'), C: listed('C') });
    expect(board.body.waiting).toEqual({ A: 1, B: 0, C: 2 });
  });

  it('explains in plain Chinese why someone was called out of number order', async () => {
    const { cid, staff } = await hall({ open: [2] });
    const early = await take(cid, 'A', at('09:00'));
    const late = await take(cid, 'A', at('09:05'));
    await call('POST', `/v1/tickets/${late.ticket.id}/priority`, { token: staff.token, body: { reason: '残疾人' } });
    expect((await callNext(cid, 2, staff, at('09:06'))).body.number).toBe('A002');
    const mine = await call('GET', `/v1/tickets/${early.ticket.id}`, { token: early.user.token, now: at('09:06') });
    expect(mine.body).toMatchObject({ position: 1, ahead: 0 });
    expect(mine.body.reason).toMatch(/A002 号是优先号/);
  });

  it('calls a ticket waiting past the maximum wait before priority ones', async () => {
    const { cid, staff } = await hall({ open: [2], layout: { maxWaitMin: 30 } });
    await take(cid, 'A', at('09:00'));
    const priority = await take(cid, 'A', at('09:20'));
    await call('POST', `/v1/tickets/${priority.ticket.id}/priority`, { token: staff.token, body: { reason: '预约签到' } });
    expect((await callNext(cid, 2, staff, at('09:25'))).body.number).toBe('A002');
    await take(cid, 'A', at('09:26'));
    const third = await take(cid, 'A', at('09:27'));
    await call('POST', `/v1/tickets/${third.ticket.id}/priority`, { token: staff.token, body: { reason: '预约签到' } });
    // A001 has now waited 31 minutes
    expect((await callNext(cid, 2, staff, at('09:31'))).body.number).toBe('A001');
  });
});

describe('at the window', () => {
  it('recalls, skips and completes a called ticket; wrong states answer 409 TICKET_STATE', async () => {
    const { cid, staff } = await hall();
    const a = await take(cid, 'A', at('09:00'));
    const b = await take(cid, 'A', at('09:01'));
    expect((await call('POST', `/v1/tickets/${a.ticket.id}/complete`, { token: staff.token })).body.error.code).toBe('TICKET_STATE');
    await callNext(cid, 2, staff, at('09:02'));
    const recalled = await call('POST', `/v1/tickets/${a.ticket.id}/recall`, { token: staff.token, now: at('09:03') });
    expect(recalled.body).toMatchObject({ status: 'called', recalls: 1, window: 2 });
    const skipped = await call('POST', `/v1/tickets/${a.ticket.id}/skip`, { token: staff.token, now: at('09:04') });
    expect(skipped.body.status).toBe('skipped');
    expect((await call('POST', `/v1/tickets/${a.ticket.id}/recall`, { token: staff.token })).status).toBe(409);
    await callNext(cid, 2, staff, at('09:05'));
    const done = await call('POST', `/v1/tickets/${b.ticket.id}/complete`, { token: staff.token, now: at('09:15') });
    expect(done.body).toMatchObject({ status: 'done', finishedAt: '2026-11-23T09:15:00+08:00' });
    const board = await call('GET', `/v1/communities/${cid}/hall/board`, { now: at('09:16') });
    expect(board.body.recent.map((r: { number: string; recall?: boolean }) => [r.number, r.recall ?? false])).toEqual([
      ['A002', false],
      ['A001', true],
      ['A001', false],
    ]);
  });

  it('transfers a ticket to another category where it keeps its original time', async () => {
    const { cid, staff } = await hall({ open: [1] });
    const early = await take(cid, 'A', at('09:00'));
    await take(cid, 'B', at('09:05'));
    await take(cid, 'B', at('09:06'));
    await callNext(cid, 1, staff, at('09:10'));
    const moved = await call('POST', `/v1/tickets/${early.ticket.id}/transfer`, { token: staff.token, body: { category: 'B' }, now: at('09:12') });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'waiting', category: 'B', number: 'A001', transferredFrom: 'A', position: 1, ahead: 0, issuedAt: '2026-11-23T09:00:00+08:00' });
    expect((await callNext(cid, 1, staff, at('09:13'))).body.id).toBe(early.ticket.id);
  });

  it('refuses a transfer into a category where the resident already queues (409 ALREADY_QUEUED)', async () => {
    const { cid, staff } = await hall();
    const { user, ticket } = await take(cid, 'A', at('09:00'));
    await take(cid, 'B', at('09:01'), user);
    const reply = await call('POST', `/v1/tickets/${ticket.id}/transfer`, { token: staff.token, body: { category: 'B' }, now: at('09:02') });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('ALREADY_QUEUED');
  });

  it('tells staff of another community that the ticket does not exist, on every ticket act (404)', async () => {
    const { cid, staff } = await hall();
    const { ticket } = await take(cid, 'A', at('09:00'));
    await callNext(cid, 2, staff, at('09:01'));
    const { id: other } = await newCommunity();
    const stranger = await staffOf(other);
    for (const act of ['recall', 'skip', 'complete']) {
      expect((await call('POST', `/v1/tickets/${ticket.id}/${act}`, { token: stranger.token })).status).toBe(404);
    }
    expect((await call('POST', `/v1/tickets/${ticket.id}/transfer`, { token: stranger.token, body: { category: 'B' } })).status).toBe(404);
    expect((await call('POST', `/v1/tickets/${ticket.id}/priority`, { token: stranger.token, body: { reason: '孕妇' } })).status).toBe(404);
    expect((await call('GET', `/v1/tickets/${ticket.id}`, { token: stranger.token })).status).toBe(404);
  });
});

describe('the resident', () => {
  it('sees their own ticket; another user is told it does not exist', async () => {
    const { cid } = await hall();
    const { user, ticket } = await take(cid, 'A', at('09:00'));
    expect((await call('GET', `/v1/tickets/${ticket.id}`, { token: user.token, now: at('09:01') })).body.number).toBe('A001');
    const other = await login();
    expect((await call('GET', `/v1/tickets/${ticket.id}`, { token: other.token })).status).toBe(404);
    expect((await call('DELETE', `/v1/tickets/${ticket.id}`, { token: other.token })).status).toBe(404);
    expect((await call('GET', '/v1/tickets/nope', { token: user.token })).status).toBe(404);
  });

  it('cannot cancel a ticket already called (409)', async () => {
    const { cid, staff } = await hall();
    const { user, ticket } = await take(cid, 'A', at('09:00'));
    await callNext(cid, 2, staff, at('09:01'));
    const reply = await call('DELETE', `/v1/tickets/${ticket.id}`, { token: user.token });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('TICKET_STATE');
  });

  it('rates a done ticket once; the day’s satisfaction counts it', async () => {
    const { cid, staff } = await hall();
    const { user, ticket } = await take(cid, 'A', at('09:00'));
    expect((await call('POST', `/v1/tickets/${ticket.id}/rating`, { token: user.token, body: { score: 5 } })).status).toBe(409);
    await callNext(cid, 2, staff, at('09:01'));
    await call('POST', `/v1/tickets/${ticket.id}/complete`, { token: staff.token, now: at('09:09') });
    expect((await call('POST', `/v1/tickets/${ticket.id}/rating`, { token: (await login()).token, body: { score: 1 } })).status).toBe(404);
    const rated = await call('POST', `/v1/tickets/${ticket.id}/rating`, { token: user.token, body: { score: 4, comment: '办理很快' }, now: at('09:10') });
    expect(rated.status).toBe(201);
    expect(rated.body).toMatchObject({ ticketId: ticket.id, score: 4, comment: '办理很快' });
    const again = await Promise.all([1, 2, 3].map(() => call('POST', `/v1/tickets/${ticket.id}/rating`, { token: user.token, body: { score: 1 } })));
    expect(again.map((r) => r.status)).toEqual([409, 409, 409]);
    const stats = await call('GET', `/v1/communities/${cid}/stats`, { token: staff.token, now: at('09:30') });
    expect(stats.body.queue).toMatchObject({ satisfaction: { mean: 4, count: 1 }, completed: 1, meanServiceMin: 8, meanWaitMin: 1 });
  });

  it("learns the wait estimate from today's service times", async () => {
    const { cid, staff } = await hall({ open: [2] });
    const before = [];
    for (const hhmm of ['09:00', '09:01', '09:02', '09:03']) before.push(await take(cid, 'A', at(hhmm)));
    const last = before[3]!;
    const initial = await call('GET', `/v1/tickets/${last.ticket.id}`, { token: last.user.token, now: at('09:04') });
    expect(initial.body).toMatchObject({ ahead: 3, estimatedWaitMin: 15 });
    // Two slow services of 20 minutes each.
    await callNext(cid, 2, staff, at('09:05'));
    await call('POST', `/v1/tickets/${before[0]!.ticket.id}/complete`, { token: staff.token, now: at('09:25') });
    await callNext(cid, 2, staff, at('09:25'));
    await call('POST', `/v1/tickets/${before[1]!.ticket.id}/complete`, { token: staff.token, now: at('09:45') });
    const learned = await call('GET', `/v1/tickets/${last.ticket.id}`, { token: last.user.token, now: at('09:45') });
    expect(learned.body.ahead).toBe(1);
    expect(learned.body.estimatedWaitMin).toBeGreaterThan(10);
  });

  it('keeps learning in an evening hall: a three-hour service finished at 23:30 is counted, not refused', async () => {
    const { cid, staff } = await hall({ open: [2] });
    const first = await take(cid, 'A', at('20:00'));
    await take(cid, 'A', at('20:00'));
    const third = await take(cid, 'A', at('20:00'));
    await callNext(cid, 2, staff, at('20:30'));

    const done = await call('POST', `/v1/tickets/${first.ticket.id}/complete`, { token: staff.token, now: at('23:30') });

    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const mine = await call('GET', `/v1/tickets/${third.ticket.id}`, { token: third.user.token, now: at('23:31') });
    expect(mine.body).toMatchObject({ ahead: 1 });
    expect(mine.body.estimatedWaitMin).toBeGreaterThan(60);
  });
});

describe('the display board and the figures', () => {
  it('shows anyone the windows, the waiting counts and the last calls, from one BatchGetItem', async () => {
    const { cid, staff } = await hall({ open: [1, 3] });
    await take(cid, 'A', at('09:00'));
    await take(cid, 'A', at('09:01'));
    await take(cid, 'C', at('09:02'));
    await callNext(cid, 3, staff, at('09:03'));
    const board = await call('GET', `/v1/communities/${cid}/hall/board`, { now: at('09:04') });
    expect(board.status).toBe(200);
    expect(board.calls.map((c) => c.command)).toEqual(['BatchGetItemCommand']);
    expect(board.body).toMatchObject({
      communityName: '测试社区',
      date: DAY,
      waiting: { A: 2, B: 0, C: 0 },
      seq: 1,
      recent: [{ number: 'C001', window: 3, seq: 1 }],
    });
    expect(board.body.windows).toEqual([
      { no: 1, open: true, categories: ['A', 'B'] },
      { no: 2, open: false, categories: ['A'] },
      { no: 3, open: true, categories: ['C'], ticket: { number: 'C001', category: 'C', calledAt: '2026-11-23T09:03:00+08:00' } },
    ]);
  });

  it("reports today's queue figures in the community's stats", async () => {
    const { cid, staff } = await hall();
    const a = await take(cid, 'A', at('09:00'));
    await take(cid, 'B', at('09:00'));
    await callNext(cid, 2, staff, at('09:10'));
    await call('POST', `/v1/tickets/${a.ticket.id}/complete`, { token: staff.token, now: at('09:16') });
    const stats = await call('GET', `/v1/communities/${cid}/stats`, { token: staff.token, now: at('09:20') });
    expect(stats.body.queue).toMatchObject({
      date: DAY,
      waiting: { A: 0, B: 1, C: 0 },
      called: 1,
      completed: 1,
      meanWaitMin: 10,
      meanServiceMin: 6,
      callsPerWindow: { 1: 0, 2: 1, 3: 0 },
      satisfaction: { mean: null, count: 0 },
    });
  });

  it('lists the waiting tickets for staff in calling order, from one Query', async () => {
    const { cid, staff } = await hall();
    await take(cid, 'A', at('09:00'));
    const late = await take(cid, 'A', at('09:05'));
    await take(cid, 'C', at('09:06'));
    await call('POST', `/v1/tickets/${late.ticket.id}/priority`, { token: staff.token, body: { reason: '孕妇' } });
    const reply = await call('GET', `/v1/communities/${cid}/tickets`, { token: staff.token, now: at('09:10') });
    expect(reply.body.items.map((t: { number: string; position: number }) => [t.number, t.position])).toEqual([
      ['A002', 1],
      ['A001', 2],
      ['C001', 1],
    ]);
    expect(reply.calls.filter((c) => c.command === 'QueryCommand')).toHaveLength(1);
    expect((await call('GET', `/v1/communities/${cid}/tickets`, { token: (await login()).token })).status).toBe(403);
  });

  it('shows staff each window with the ticket now at it', async () => {
    const { cid, staff } = await hall();
    const { ticket } = await take(cid, 'B', at('09:00'));
    await callNext(cid, 1, staff, at('09:01'));
    const reply = await call('GET', `/v1/communities/${cid}/hall`, { token: staff.token, now: at('09:02') });
    expect(reply.body.windows[0]).toMatchObject({ no: 1, open: true, current: { id: ticket.id, number: 'B001' } });
  });
});

describe('positions under a burst', () => {
  /** A request clock a few hundred ms after `base`, at random: real clocks do not follow the order numbers are given in. */
  const jittered = (base: Date) => new Date(base.getTime() + Math.floor(Math.random() * 400));

  it('gives 60 simultaneous takers in an empty category the exact position of their number, and calls them in number order', async () => {
    // prepare
    const { cid, staff } = await hall({ open: [2] });
    const people = await Promise.all(Array.from({ length: 60 }, () => login()));
    // act: all take at once, each with its own clock
    const replies = await Promise.all(
      people.map((p) => call('POST', `/v1/communities/${cid}/tickets`, { token: p.token, body: { category: 'A', hallToken: passes.get(cid) }, now: jittered(at('09:00')) })),
    );
    // assess: an answer marked exact is exact (every lower number ends up ahead of it)
    expect(replies.map((r) => r.status)).toEqual(Array(60).fill(201));
    for (const { body } of replies) if (!body.approximate) expect(body.position, body.number).toBe(Number(body.number.slice(1)));
    // once the takes are acknowledged, every ticket's position is its number, exactly
    const polled = await Promise.all(
      replies.map((r, i) => call('GET', `/v1/tickets/${r.body.id}`, { token: people[i]!.token, now: at('09:01') })),
    );
    for (const { body } of polled) {
      expect(body.position, body.number).toBe(Number(body.number.slice(1)));
      expect(body.approximate, body.number).toBeUndefined();
    }
    const called = [];
    for (let i = 0; i < 60; i++) called.push((await callNext(cid, 2, staff, at('09:02'))).body.number);
    expect(called).toEqual(Array.from({ length: 60 }, (_, i) => `A${String(i + 1).padStart(3, '0')}`));
  });

  it('keeps every position exact after a burst of takes meeting cancellations and calls in a queue already waiting', async () => {
    // prepare: 20 waiting, issued a minute apart
    const { cid, staff } = await hall({ open: [2] });
    const earlier = [];
    for (let i = 0; i < 20; i++) earlier.push(await take(cid, 'A', at(`08:${String(10 + i).padStart(2, '0')}`)));
    const people = await Promise.all(Array.from({ length: 30 }, () => login()));
    // act: 30 takes, 5 cancellations and 5 calls, all at once
    const [takes] = await Promise.all([
      Promise.all(people.map((p) => call('POST', `/v1/communities/${cid}/tickets`, { token: p.token, body: { category: 'A', hallToken: passes.get(cid) }, now: jittered(at('09:00')) }))),
      Promise.all(earlier.slice(10, 15).map((e) => call('DELETE', `/v1/tickets/${e.ticket.id}`, { token: e.user.token, now: jittered(at('09:00')) }))),
      Promise.all(Array.from({ length: 5 }, () => callNext(cid, 2, staff, jittered(at('09:00'))))),
    ]);
    // assess: the waiting tickets, in number order, are at positions 1, 2, 3…
    const owners = [...earlier.map((e) => ({ token: e.user.token, id: e.ticket.id })), ...takes.map((r, i) => ({ token: people[i]!.token, id: r.body.id }))];
    const polled = (await Promise.all(owners.map((o) => call('GET', `/v1/tickets/${o.id}`, { token: o.token, now: at('09:01') })))).map((r) => r.body);
    const waiting = polled.filter((t) => t.status === 'waiting').sort((a, b) => a.number.localeCompare(b.number));
    expect(waiting).toHaveLength(40);
    expect(waiting.map((t) => [t.number, t.position, t.approximate])).toEqual(waiting.map((t, i) => [t.number, i + 1, undefined]));
    const called = [];
    for (let i = 0; i < 40; i++) called.push((await callNext(cid, 2, staff, at('09:02'))).body.number);
    expect(called).toEqual(waiting.map((t) => t.number));
  });
});

describe('estimated places far back', () => {
  /** A seeded generator, so a failure can be replayed. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };

  it.each([60, 200, 1000])(
    'stays within 10%% of the true place in a queue of %i with random cancellations and calls, never above the number waiting',
    async (size) => {
      // prepare: the queue, taken in bursts of 50 (each person's clock a little off), then about
      // a fifth cancelled at random and a tenth called
      const rnd = random(size);
      const { cid, staff } = await hall({ open: [2] });
      const issued: { id: string; userId: string }[] = [];
      for (let batch = 0; batch * 50 < size; batch++) {
        const base = at('08:00').getTime() + batch * 60_000;
        issued.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(50, size - batch * 50) }, async () => {
              const userId = `u-${randomUUID()}`;
              const ticket = await queue.issueTicket({ communityId: cid, category: 'A', userId, priority: false }, new Date(base + Math.floor(rnd() * 500)));
              return { id: ticket.id, userId };
            }),
          )),
        );
      }
      const cancelled = issued.filter(() => rnd() < 0.2);
      for (let i = 0; i < cancelled.length; i += 50) {
        await Promise.all(cancelled.slice(i, i + 50).map((t) => queue.cancelTicket({ id: t.userId, admin: false } as AuthUser, t.id, at('09:00'))));
      }
      for (let i = 0; i < size / 10; i++) expect((await callNext(cid, 2, staff, at('09:00'))).status).toBe(200);
      // act: the staff's list holds the true order; each resident's page says where they are
      const truth = (await call('GET', `/v1/communities/${cid}/tickets`, { token: staff.token, now: at('09:01') })).body.items as { id: string; position: number }[];
      // every place around the end of the exact range, and a sample of the rest
      const asked = truth.filter((t) => t.position >= 50 && t.position <= 80 || t.position > truth.length - 5 || rnd() < 0.1);
      const pages = [];
      for (let i = 0; i < asked.length; i += 25) {
        pages.push(...(await Promise.all(asked.slice(i, i + 25).map((t) => call('GET', `/v1/tickets/${t.id}`, { token: staff.token, now: at('09:01') })))));
      }
      // assess
      for (const [i, { body }] of pages.entries()) {
        const trueAt = asked[i]!.position;
        expect(body.position, body.number).toBeLessThanOrEqual(truth.length);
        if (body.approximate) expect(Math.abs(body.position - trueAt), `${body.number}: ${body.position} for ${trueAt}`).toBeLessThanOrEqual(trueAt * 0.1);
        else expect(body.position, body.number).toBe(trueAt);
      }
      expect(pages.filter((p) => p.body.approximate).length).toBe(asked.filter((t) => t.position > 60).length);
    },
    600_000,
  );
});

describe('nothing acknowledged is lost', () => {
  /** A fault hook on the client: the next `command` of a request fails as an unreachable database would. */
  function failNext(command: string): () => void {
    const name = `fault-${randomUUID()}`;
    let armed = true;
    documentClient().middlewareStack.add(
      (next, context) => async (args) => {
        if (armed && context.commandName === command) {
          armed = false;
          throw Object.assign(new Error('injected fault'), { name: 'ServiceUnavailable' });
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    return () => documentClient().middlewareStack.remove(name);
  }

  it('names the ticket already held in ALREADY_QUEUED, whether refused at once or in a race', async () => {
    const { cid } = await hall();
    const resident = await login();
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', `/v1/communities/${cid}/tickets`, { token: resident.token, body: { category: 'A', hallToken: passes.get(cid) }, now: at('09:00') })),
    );
    const held = replies.find((r) => r.status === 201)!.body.id;
    const refused = replies.filter((r) => r.status === 409);
    expect(refused).toHaveLength(9);
    expect(refused.map((r) => r.body.error.details)).toEqual(Array(9).fill({ ticketId: held }));
    const later = await call('POST', `/v1/communities/${cid}/tickets`, { token: resident.token, body: { category: 'A', hallToken: passes.get(cid) }, now: at('09:05') });
    expect(later.body.error).toMatchObject({ code: 'ALREADY_QUEUED', details: { ticketId: held } });
  });

  it("lists the caller's tickets of today, each as its own page shows it, and no one else's", async () => {
    // prepare: yesterday's ticket, two today (one cancelled), a duplicate tap's void number, and someone else's
    const { cid, staff } = await hall();
    const resident = await login();
    await take(cid, 'C', at('16:00', '2026-11-22'), resident);
    await take(cid, 'B', at('08:00'));
    const a = await take(cid, 'A', at('09:00'), resident);
    await take(cid, 'B', at('09:01'), resident);
    await call('DELETE', `/v1/tickets/${a.ticket.id}`, { token: resident.token, now: at('09:02') });
    await Promise.all(Array.from({ length: 5 }, () => call('POST', `/v1/communities/${cid}/tickets`, { token: resident.token, body: { category: 'C', hallToken: passes.get(cid) }, now: at('09:03') })));
    await callNext(cid, 3, staff, at('09:04'));
    // act
    const reply = await call('GET', '/v1/me/tickets', { token: resident.token, now: at('09:05') });
    // assess
    expect(reply.status).toBe(200);
    const pages = await Promise.all(reply.body.items.map((t: { id: string }) => call('GET', `/v1/tickets/${t.id}`, { token: resident.token, now: at('09:05') })));
    expect(reply.body.items).toEqual(pages.map((p) => p.body));
    expect(reply.body.items.map((t: { number: string; status: string }) => [t.number, t.status])).toEqual([
      ['A001', 'cancelled'],
      ['B002', 'waiting'],
      [expect.stringMatching(/^C00[1-5]$/), 'called'],
    ]);
    expect(reply.body.items[1]).toMatchObject({ position: 2, ahead: 1 });
    expect((await call('GET', '/v1/me/tickets', { token: (await login()).token, now: at('09:05') })).body).toEqual({ items: [] });
    expect((await call('GET', '/v1/me/tickets', { now: at('09:05') })).status).toBe(401);
  });

  it('answers a committed take with its ticket when the read of its place fails, placed by the day’s numbers', async () => {
    // prepare: two waiting, one cancelled
    const { cid } = await hall();
    await take(cid, 'A', at('09:00'));
    const gone = await take(cid, 'A', at('09:01'));
    await take(cid, 'A', at('09:02'));
    await call('DELETE', `/v1/tickets/${gone.ticket.id}`, { token: gone.user.token, now: at('09:03') });
    const resident = await login();
    // act: the Query after the ticket's transaction fails
    const restore = failNext('QueryCommand');
    const reply = await call('POST', `/v1/communities/${cid}/tickets`, { token: resident.token, body: { category: 'A', hallToken: passes.get(cid) }, now: at('09:04') }).finally(restore);
    // assess: the ticket, with the place the numbers give (4 issued, 1 left), and it is really there
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({ number: 'A004', status: 'waiting', position: 3, ahead: 2, approximate: true });
    const page = await call('GET', `/v1/tickets/${reply.body.id}`, { token: resident.token, now: at('09:05') });
    expect(page.body).toMatchObject({ id: reply.body.id, position: 3 });
    expect(page.body.approximate).toBeUndefined();
  });
});

describe('who may take a number, and how many', () => {
  const takeAs = (cid: string, who: Actor, body: Record<string, unknown>, now = at('09:00')) =>
    call('POST', `/v1/communities/${cid}/tickets`, { token: who.token, body, now });

  it("gives staff alone the day's hall QR, which changes with the hall's day", async () => {
    const { cid, staff } = await hall();
    const today = await call('GET', `/v1/communities/${cid}/hall/qr`, { token: staff.token, now: at('09:00') });
    expect(today.status).toBe(200);
    expect(today.body).toMatchObject({ date: DAY, path: `queue/take/index?cid=${cid}&t=${today.body.token}` });
    expect(today.body.url).toMatch(new RegExp(`/#/queue/take/index\\?cid=${cid}&t=${today.body.token}$`));
    const tomorrow = await call('GET', `/v1/communities/${cid}/hall/qr`, { token: staff.token, now: at('00:01', '2026-11-24') });
    expect(tomorrow.body).toMatchObject({ date: '2026-11-24' });
    expect(tomorrow.body.token).not.toBe(today.body.token);
    expect((await call('GET', `/v1/communities/${cid}/hall/qr`, { token: (await verifiedResident(cid)).token, now: at('09:00') })).status).toBe(403);
  });

  it("takes a number for a verified member, or for anyone with today's hall token; refuses others (403 NOT_ELIGIBLE)", async () => {
    const { cid, staff } = await hall();
    const yesterday = (await call('GET', `/v1/communities/${cid}/hall/qr`, { token: staff.token, now: at('09:00', '2026-11-22') })).body.token;
    const outsider = await login();
    const unverified = await joined(cid);
    const refusals = await Promise.all([
      takeAs(cid, outsider, { category: 'A' }),
      takeAs(cid, outsider, { category: 'A', hallToken: yesterday }),
      takeAs(cid, outsider, { category: 'A', hallToken: 'ABCDEFGHJKMNPQRS' }),
      takeAs(cid, unverified, { category: 'A' }),
    ]);
    expect(refusals.map((r) => [r.status, r.body.error.code])).toEqual(Array(4).fill([403, 'NOT_ELIGIBLE']));
    expect(refusals[0]!.body.error.message).toBe('取号需为本社区已核实的居民，或扫描服务大厅内今天的取号二维码');
    expect(refusals[1]!.body.error.message).toBe('取号二维码已过期或无效，请扫描服务大厅内今天的二维码');
    expect((await takeAs(cid, await verifiedResident(cid), { category: 'A' })).status).toBe(201);
    expect((await takeAs(cid, outsider, { category: 'A', hallToken: passes.get(cid) })).status).toBe(201);
    expect((await takeAs(cid, unverified, { category: 'B', hallToken: passes.get(cid) })).status).toBe(201);
    // refused takes spent no number
    const board = await call('GET', `/v1/communities/${cid}/hall/board`, { now: at('09:01') });
    expect(board.body.waiting).toEqual({ A: 2, B: 1, C: 0 });
  });

  it(`holds a person to ${TICKETS_PER_DAY} walk-in tickets a day, even when they tap every category at once (409 TICKET_LIMIT)`, async () => {
    // prepare: a hall of ten categories
    const codes = 'ABCDEFGHJK'.split('');
    const { cid } = await hall({ layout: { categories: codes.map((code) => ({ code, name: `业务${code}` })), windows: [{ no: 1, categories: codes }] }, open: [1] });
    const person = await login();
    // act
    const replies = await Promise.all(codes.map((category) => takeAs(cid, person, { category, hallToken: passes.get(cid) })));
    // assess: six tickets, four refusals naming the limit; a cancellation gives none back; tomorrow is a new day
    expect(replies.filter((r) => r.status === 201)).toHaveLength(TICKETS_PER_DAY);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array(codes.length - TICKETS_PER_DAY).fill([409, 'TICKET_LIMIT']));
    expect(refused[0]!.body.error.message).toBe(`每人每天最多取号 ${TICKETS_PER_DAY} 次，今天已达上限`);
    const first = replies.find((r) => r.status === 201)!.body;
    await call('DELETE', `/v1/tickets/${first.id}`, { token: person.token, now: at('09:01') });
    const again = await takeAs(cid, person, { category: first.category, hallToken: passes.get(cid) }, at('09:02'));
    expect(again.body.error?.code).toBe('TICKET_LIMIT');
    const tomorrow = await takeAs(cid, person, { category: 'A', hallToken: await hallPass(cid, at('09:00', '2026-11-24')) }, at('09:00', '2026-11-24'));
    expect(tomorrow.status).toBe(201);
  });
});
