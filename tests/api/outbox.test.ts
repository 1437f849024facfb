/**
 * The outbox: a change writes the messages it owes, the outbox function delivers them, once,
 * with retries, and gives up visibly (dead letters an admin can list). A request never waits on
 * WeChat.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as notificationsHandler } from '../../functions/handlers/outbox-routes';
import { resetConfig } from '../../functions/lib/config';
import { forgetInstanceToken } from '../../functions/lib/wechat';
import { drainOutbox, MAX_ATTEMPTS } from '../../functions/services/notifications';
import { getOutbox, outboxPut, putOutbox, remainingAcceptances } from '../../functions/store/outbox';
import { admin, login, newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';
import { accept, deliverOutbox, startWechatStub, type WechatStub } from '../support/wechat-stub';

let wechat: WechatStub;

beforeAll(async () => {
  wechat = await startWechatStub();
  process.env.WECHAT_API_BASE = wechat.base;
  process.env.WECHAT_TIMEOUT_MS = '5000';
  process.env.WX_TEMPLATE_CONSULTATION_PUBLISHED = 'tpl-published';
  process.env.WX_TEMPLATE_QUEUE_CALLED = 'tpl-called';
  resetConfig();
});
afterAll(async () => {
  for (const name of ['WECHAT_TIMEOUT_MS', 'WX_TEMPLATE_CONSULTATION_PUBLISHED', 'WX_TEMPLATE_QUEUE_CALLED']) delete process.env[name];
  wechat.behaviour = 'ok';
  wechat.sendHangs = false;
  await wechat.close();
});

const SEND = '/cgi-bin/message/subscribe/send';
const sendsTo = (openid: string) => wechat.requests.filter((r) => r.path === SEND && (r.body as { touser?: string })?.touser === openid);

/** A route of the notifications function, the way API Gateway invokes it. */
async function notifications(method: string, path: string, routePath: string, token?: string, body?: unknown) {
  const event = {
    version: '2.0',
    routeKey: `${method} ${routePath}`,
    rawPath: path.split('?')[0],
    rawQueryString: path.split('?')[1] ?? '',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    queryStringParameters: Object.fromEntries(new URLSearchParams(path.split('?')[1] ?? '')),
    requestContext: { requestId: randomUUID(), http: { method, path, sourceIp: '127.0.0.1' } },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const result = await notificationsHandler(event);
  return { status: result.statusCode ?? 200, body: result.body ? JSON.parse(result.body) : undefined };
}

/** A consultation that closed, with `n` voters. */
async function closedConsultation(n: number) {
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  const base = Date.now() - 7200_000;
  const voters: Actor[] = [];
  for (let i = 0; i < n; i++) voters.push(await verifiedResident(cid));
  const c = (
    await call('POST', `/v1/communities/${cid}/consultations`, {
      token: staff.token,
      now: new Date(base),
      body: { title: '小区停车位规划', body: '划线方案', options: [{ label: '方案一' }, { label: '方案二' }], eligibility: 'resident', opensAt: new Date(base).toISOString(), closesAt: new Date(base + 3600_000).toISOString() },
    })
  ).body;
  for (const v of voters) expect((await call('POST', `/v1/consultations/${c.id}/ballots`, { token: v.token, body: { choices: ['A'] }, now: new Date(base + 60_000) })).status).toBe(201);
  return { cid, staff, voters, consultationId: c.id as string };
}

describe('the outbox', () => {
  it('answers a publish at once while WeChat hangs, and the voters get the message once WeChat answers', async () => {
    const { staff, voters, consultationId } = await closedConsultation(3);
    for (const v of voters) await accept(v, ['consultationPublished']);
    wechat.sendHangs = true;
    const started = Date.now();
    const reply = await call('POST', `/v1/consultations/${consultationId}/publish`, { token: staff.token, body: { decision: '采用方案一' } });
    const took = Date.now() - started;
    expect(reply.status).toBe(200);
    // WeChat's timeout is 5 s; the request must not have waited on it.
    expect(took).toBeLessThan(1000);
    wechat.sendHangs = false;
    await deliverOutbox(new Date(Date.now() + 120_000));
    for (const v of voters) expect(sendsTo(v.openid)).toHaveLength(1);
  });

  it('delivers each message exactly once when two drains run at the same time', async () => {
    wechat.behaviour = 'ok';
    const people = await Promise.all(Array.from({ length: 24 }, () => login()));
    for (const p of people) await accept(p, ['queueCalled']);
    const now = new Date();
    await putOutbox(
      people.map((p) => outboxPut(`test-once-${p.id}`, { kind: 'wechat', userId: p.id, template: 'queueCalled', page: 'queue/ticket/index', data: { thing2: '请到 1 号窗口办理' } }, now)),
    );
    await Promise.all([drainOutbox(now), drainOutbox(now), deliverOutbox(now)]);
    for (const p of people) expect(sendsTo(p.openid), p.openid).toHaveLength(1);
    for (const p of people) expect((await getOutbox(`test-once-${p.id}`))?.status).toBe('sent');
  });

  it('retries a failing message with growing pauses, then lists it as dead for admins', async () => {
    const person = await login();
    await accept(person, ['queueCalled']);
    const id = `test-dead-${person.id}`;
    const t0 = new Date(Date.now() + 3600_000);
    wechat.behaviour = 'http-error';
    await putOutbox([outboxPut(id, { kind: 'wechat', userId: person.id, template: 'queueCalled', page: 'queue/ticket/index', data: {} }, t0)]);
    await deliverOutbox(t0);
    expect((await getOutbox(id))?.attempts).toBe(1);
    // Not again before its pause (30 s) is over.
    await drainOutbox(new Date(t0.getTime() + 10_000));
    expect((await getOutbox(id))?.attempts).toBe(1);
    let at = t0.getTime();
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      at += 30_000 * 2 ** (attempt - 2);
      await drainOutbox(new Date(at));
      expect((await getOutbox(id))?.attempts).toBe(attempt);
    }
    wechat.behaviour = 'ok';
    const dead = await getOutbox(id);
    expect(dead?.status).toBe('dead');
    // One request per attempt, none after it was given up.
    expect(sendsTo(person.openid)).toHaveLength(MAX_ATTEMPTS);
    await drainOutbox(new Date(at + 3600_000));
    expect(sendsTo(person.openid)).toHaveLength(MAX_ATTEMPTS);
    // The acceptance was not used up by messages WeChat never took.
    expect((await remainingAcceptances(person.id)).queueCalled).toBe(1);

    const root = await admin();
    const listed = await notifications('GET', '/v1/outbox/dead?limit=100', '/v1/outbox/dead', root.token);
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((m: { id: string }) => m.id === id)).toMatchObject({ kind: 'wechat', template: 'queueCalled', attempts: MAX_ATTEMPTS });
    expect((await notifications('GET', '/v1/outbox/dead', '/v1/outbox/dead', person.token)).status).toBe(403);
  });

  it('does not retry what WeChat refuses for good, and says why', async () => {
    for (const errcode of [43101, 40003, 47003]) {
      const person = await login();
      await accept(person, ['queueCalled']);
      const id = `test-refused-${errcode}-${person.id}`;
      const now = new Date();
      wechat.sendErrcode = errcode;
      await putOutbox([outboxPut(id, { kind: 'wechat', userId: person.id, template: 'queueCalled', page: 'queue/ticket/index', data: {} }, now)]);
      await deliverOutbox(now);
      wechat.sendErrcode = undefined;
      const message = await getOutbox(id);
      expect(message).toMatchObject({ status: 'dead', attempts: 1 });
      expect(message?.reason).toContain(String(errcode));
      await drainOutbox(new Date(now.getTime() + 3600_000));
      expect(sendsTo(person.openid)).toHaveLength(1);
    }
  });

  it('writes the publish notice only when the publish commits', async () => {
    const { staff, consultationId } = await closedConsultation(1);
    const before = new Date(Date.now() - 7200_000 + 120_000); // still open: refused
    const refused = await call('POST', `/v1/consultations/${consultationId}/publish`, { token: staff.token, body: { decision: '采用方案一' }, now: before });
    expect(refused.status).toBe(409);
    expect(await getOutbox(`published-${consultationId}`)).toBeUndefined();
    const now = new Date();
    const published = await call('POST', `/v1/consultations/${consultationId}/publish`, { token: staff.token, body: { decision: '采用方案一' }, now });
    expect(published.status).toBe(200);
    expect(await getOutbox(`published-${consultationId}`)).toMatchObject({ message: { kind: 'fanout', consultationId } });
  });

  it('sends nothing to a person who has not accepted the template, and uses one acceptance per message', async () => {
    const person = await login();
    const now = new Date();
    await putOutbox([outboxPut(`test-noconsent-${person.id}`, { kind: 'wechat', userId: person.id, template: 'queueCalled', page: 'p', data: {} }, now)]);
    await deliverOutbox(now);
    expect(sendsTo(person.openid)).toHaveLength(0);
    expect(await getOutbox(`test-noconsent-${person.id}`)).toMatchObject({ status: 'dropped', reason: 'no-consent' });

    const reported = await notifications('POST', '/v1/me/subscriptions', '/v1/me/subscriptions', person.token, { accepted: ['queueCalled'] });
    expect(reported).toMatchObject({ status: 200, body: { remaining: { queueCalled: 1 } } });
    await putOutbox(
      ['a', 'b'].map((n) => outboxPut(`test-consent-${n}-${person.id}`, { kind: 'wechat', userId: person.id, template: 'queueCalled', page: 'p', data: {} }, now)),
    );
    await deliverOutbox(now);
    expect(sendsTo(person.openid)).toHaveLength(1);
    expect((await remainingAcceptances(person.id)).queueCalled).toBe(0);
  });

  it('tells the mini-program the configured template ids by key', async () => {
    const reply = await notifications('GET', '/v1/notifications/templates', '/v1/notifications/templates');
    expect(reply.status).toBe(200);
    expect(reply.body.templates).toMatchObject({ consultationPublished: 'tpl-published', queueCalled: 'tpl-called' });
  });
});

describe('the WeChat access token', () => {
  it('is a stable token fetched once and shared through the table by every instance', async () => {
    wechat.behaviour = 'ok';
    const person = await login();
    await accept(person, ['queueCalled'], 2);
    const now = new Date();
    const tokenRequests = () => wechat.requests.filter((r) => r.path.startsWith('/cgi-bin/stable_token') || r.path === '/cgi-bin/token');
    const before = tokenRequests().length;
    await putOutbox([outboxPut(`test-token-1-${person.id}`, { kind: 'wechat', userId: person.id, template: 'queueCalled', page: 'p', data: {} }, now)]);
    await deliverOutbox(now);
    // A fresh instance: nothing in memory, the table has the token.
    forgetInstanceToken();
    await putOutbox([outboxPut(`test-token-2-${person.id}`, { kind: 'wechat', userId: person.id, template: 'queueCalled', page: 'p', data: {} }, now)]);
    await deliverOutbox(now);
    expect(sendsTo(person.openid)).toHaveLength(2);
    const fetched = tokenRequests().slice(before);
    expect(fetched.length).toBeLessThanOrEqual(1);
    expect(fetched.every((r) => r.path === '/cgi-bin/stable_token')).toBe(true);
    expect(sendsTo(person.openid).every((r) => r.query.access_token === 'stub-stable-token')).toBe(true);
  });
});
