/**
 * Subscription messages of the queue: "your turn" when called, "3 ahead of you" once; template
 * ids from the environment; delivered by the outbox, so WeChat failing or hanging never fails or
 * delays a call, and a retried call never calls a second resident.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { instantOf } from '../../functions/domain/time';
import { getOutbox, outboxPut, putOutbox } from '../../functions/store/outbox';
import { newCommunity, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { accept, deliverOutbox, startWechatStub, type WechatStub } from '../support/wechat-stub';

let wechat: WechatStub;

beforeAll(async () => {
  wechat = await startWechatStub();
  process.env.WECHAT_API_BASE = wechat.base;
  process.env.WX_TEMPLATE_QUEUE_CALLED = 'tpl-called';
  process.env.WX_TEMPLATE_QUEUE_NEAR = 'tpl-near';
  resetConfig();
});
afterAll(async () => {
  delete process.env.WX_TEMPLATE_QUEUE_CALLED;
  delete process.env.WX_TEMPLATE_QUEUE_NEAR;
  delete process.env.WECHAT_TIMEOUT_MS;
  await wechat.close();
});

const sent = (template: string, openid: string) =>
  wechat.requests.filter((r) => r.path === '/cgi-bin/message/subscribe/send' && (r.body as any)?.template_id === template && (r.body as any)?.touser === openid);

async function queueOf(n: number) {
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: { categories: [{ code: 'A', name: '社保' }], windows: [{ no: 1, categories: ['A'] }] } });
  await call('POST', `/v1/communities/${cid}/windows/1/open`, { token: staff.token });
  const people = [];
  const tickets: string[] = [];
  for (let i = 0; i < n; i++) {
    const person = await verifiedResident(cid);
    const taken = await call('POST', `/v1/communities/${cid}/tickets`, { token: person.token, body: { category: 'A' }, now: instantOf('2026-11-23', '09:00') });
    // The take page asks for both templates; the resident accepts.
    await accept(person, ['queueNear', 'queueCalled']);
    people.push(person);
    tickets.push(taken.body.id as string);
  }
  return { cid, staff, people, tickets };
}

describe('queue subscription messages', () => {
  it('tells the resident when called, and the one now 3 ahead of their turn, once', async () => {
    wechat.behaviour = 'ok';
    const { cid, staff, people } = await queueOf(6);
    const now = instantOf('2026-11-23', '09:10');
    await call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now });
    await deliverOutbox();
    expect(sent('tpl-called', people[0]!.openid)).toHaveLength(1);
    expect((sent('tpl-called', people[0]!.openid)[0]?.body as any).data.thing2.value).toBe('请到 1 号窗口办理');
    // After A001 is called, A005 has three ahead of it (A002, A003, A004).
    expect(sent('tpl-near', people[4]!.openid)).toHaveLength(1);
    await call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now });
    await deliverOutbox();
    expect(sent('tpl-near', people[5]!.openid)).toHaveLength(1);
    expect(sent('tpl-near', people[4]!.openid)).toHaveLength(1);
  });

  it('still calls the ticket when WeChat is down', async () => {
    const { cid, staff } = await queueOf(1);
    wechat.behaviour = 'http-error';
    const reply = await call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now: instantOf('2026-11-23', '09:10') });
    wechat.behaviour = 'ok';
    expect(reply.status).toBe(200);
    expect(reply.body.number).toBe('A001');
  });

  it('answers a call at once while WeChat hangs, and a retry with the same key returns that ticket and calls nobody else', async () => {
    const { cid, staff, people } = await queueOf(3);
    process.env.WECHAT_TIMEOUT_MS = '3000';
    resetConfig();
    wechat.sendHangs = true;
    const now = instantOf('2026-11-23', '09:10');
    const key = `call-${cid}`;
    const started = Date.now();
    const first = call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now, idempotencyKey: key });
    // The client gave up waiting and retries while WeChat still hangs.
    await new Promise((done) => setTimeout(done, 1500));
    const retry = await call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now, idempotencyKey: key });
    const firstReply = await first;
    const afterwards = await call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now, idempotencyKey: key });
    wechat.sendHangs = false;
    delete process.env.WECHAT_TIMEOUT_MS;
    resetConfig();
    expect(firstReply.status).toBe(200);
    expect(firstReply.body.number).toBe('A001');
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(firstReply.body.id);
    expect(afterwards.body.id).toBe(firstReply.body.id);
    expect(Date.now() - started).toBeLessThan(3000);
    // Nobody else was called: the other two still wait.
    const waiting = await call('GET', `/v1/communities/${cid}/tickets`, { token: staff.token, now });
    expect(waiting.body.items.map((t: { number: string }) => t.number)).toEqual(['A002', 'A003']);
    // Once WeChat answers, the called resident is told (once: the hung request was never answered).
    const recovered = wechat.requests.length;
    await deliverOutbox(new Date(Date.now() + 120_000));
    const answered = sent('tpl-called', people[0]!.openid).filter((r) => wechat.requests.indexOf(r) >= recovered);
    expect(answered).toHaveLength(1);
  });

  it('answers retries that arrive while the first call is still running with its ticket, and calls nobody else', async () => {
    // prepare
    const { cid, staff } = await queueOf(3);
    const now = instantOf('2026-11-23', '09:10');
    const key = `call-burst-${cid}`;
    // act: the clerk's tap and its retries, all at once
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now, idempotencyKey: key })),
    );
    // assess
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    expect(new Set(replies.map((r) => r.body.number))).toEqual(new Set(['A001']));
    const waiting = await call('GET', `/v1/communities/${cid}/tickets`, { token: staff.token, now });
    expect(waiting.body.items.map((t: { number: string }) => t.number)).toEqual(['A002', 'A003']);
  });

  it('writes a call and a recall with their messages in one transaction', async () => {
    const { cid, staff, tickets } = await queueOf(1);
    const now = instantOf('2026-11-23', '09:10');

    const called = await call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now });
    const recalled = await call('POST', `/v1/tickets/${tickets[0]}/recall`, { token: staff.token, now });

    expect(called.status).toBe(200);
    // the claim and the day (Update), the caller still staff (ConditionCheck), the message (Put)
    expect(called.calls.filter((c) => c.command === 'TransactWriteItemsCommand').map((c) => c.parts)).toEqual([['Update', 'ConditionCheck', 'Put']]);
    expect(called.calls.some((c) => c.command === 'PutCommand')).toBe(false);
    expect((await getOutbox(`called-${tickets[0]}-1`))?.message).toMatchObject({ kind: 'wechat', template: 'queueCalled' });
    expect(recalled.status).toBe(200);
    expect(recalled.calls.filter((c) => c.command === 'TransactWriteItemsCommand').map((c) => c.parts)).toEqual([['Update', 'Put']]);
    expect((await getOutbox(`called-${tickets[0]}-2`))?.message).toMatchObject({ kind: 'wechat', template: 'queueCalled' });
  });

  it('calls nobody when the call\'s message cannot be written with it', async () => {
    const { cid, staff, tickets } = await queueOf(1);
    const now = instantOf('2026-11-23', '09:10');
    await putOutbox([outboxPut(`called-${tickets[0]}-1`, { kind: 'wechat', userId: 'someone', template: 'queueCalled', page: 'p', data: {} }, now)]);

    const reply = await call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now });
    const waiting = await call('GET', `/v1/communities/${cid}/tickets`, { token: staff.token, now });

    expect(reply.status).not.toBe(200);
    expect(waiting.body.items.map((t: { id: string }) => t.id)).toEqual([tickets[0]]);
  });
});
