/**
 * The HTTP layer's promises, which every endpoint inherits: the error shape, 4xx for anything
 * a client can send, tokens, idempotency and the rate limit.
 */
import { randomInt } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { handler as identity } from '../../functions/handlers/identity';
import { resetConfig } from '../../functions/lib/config';
import { documentClient } from '../../functions/store/client';
import * as idempotency from '../../functions/store/idempotency';
import { idempotencyKey } from '../../functions/store/keys';
import { table } from '../../functions/store/table';
import { invoke } from '../../scripts/local/api-server';
import { login, newCommunity, uniqueOpenid } from '../support/actors';
import { call } from '../support/stack';

const TEST_KEY = new TextEncoder().encode('linli-local-token-key-not-for-production-use');

const errorShape = { error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) } };

describe('errors', () => {
  it('answers an unknown route with 404 in the contract shape', async () => {
    const reply = await call('GET', '/v1/nothing-here');
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject(errorShape);
    expect(reply.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers malformed JSON with 400 VALIDATION', async () => {
    const reply = await call('POST', '/v1/auth/dev', { rawBody: '{"openid": ' });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/JSON/) });
  });

  it('names the failing fields in Chinese', async () => {
    const user = await login();
    const reply = await call('POST', '/v1/communities', { token: user.token, body: { name: '', residents: 'many' } });
    expect(reply.status).toBe(400);
    const paths = reply.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.district', 'body.street', 'body.residents', 'body.households']));
    expect(reply.body.error.details.every((d: { message: string }) => /[\u4e00-\u9fa5]/.test(d.message))).toBe(true);
  });

  it('says what is wrong in words a resident reads, not in type names', async () => {
    const user = await login();
    const reply = await call('POST', '/v1/communities', { token: user.token, body: { name: '', residents: 'many' } });
    const message = (path: string) => reply.body.error.details.find((d: { path: string }) => d.path === path)?.message;
    expect(message('body.district')).toBe('必填');
    expect(message('body.residents')).toBe('应为数字');
    expect(reply.body.error.details.map((d: { message: string }) => d.message).join(' ')).not.toMatch(/期望|string|number|undefined/);
  });

  it('refuses a body over 64 KB with 413', async () => {
    const reply = await call('POST', '/v1/auth/dev', { rawBody: JSON.stringify({ openid: 'x', nickname: 'x'.repeat(70_000) }) });
    expect(reply.status).toBe(413);
    expect(reply.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an id with characters no id has as not found', async () => {
    const reply = await call('GET', `/v1/communities/${encodeURIComponent('a#b')}`);
    expect(reply.status).toBe(404);
  });

  it('answers a made-up pagination cursor with 400', async () => {
    const { id, admin } = await newCommunity();
    const reply = await call('GET', `/v1/communities/${id}/members?cursor=not-a-cursor`, { token: admin.token });
    expect(reply.status).toBe(400);
  });
});

describe('tokens', () => {
  it('requires a token where the contract says user', async () => {
    const reply = await call('GET', '/v1/me');
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses expired, forged, tampered and alg-none tokens', async () => {
    const user = await login();
    const expired = await new SignJWT({ adm: false }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setIssuer('linli')
      .setIssuedAt(1_600_000_000).setExpirationTime(1_600_000_100).sign(TEST_KEY);
    const forged = await new SignJWT({ adm: true }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setIssuer('linli')
      .setExpirationTime('1h').sign(new TextEncoder().encode('somebody-elses-key'));
    const [header, payload, signature] = user.token.split('.');
    const elevated = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), adm: true })).toString('base64url');
    const tampered = `${header}.${elevated}.${signature}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${elevated}.`;
    for (const token of [expired, forged, tampered, none, 'garbage']) {
      const reply = await call('GET', '/v1/me', { token });
      expect(reply.status, token).toBe(401);
    }
  });

  it('lets a session last seven days and not longer', async () => {
    const user = await login();
    const sixDays = new Date(Date.now() + 6 * 24 * 3600 * 1000);
    const eightDays = new Date(Date.now() + 8 * 24 * 3600 * 1000);
    expect((await call('GET', '/v1/me', { token: user.token, now: sixDays })).status).toBe(200);
    expect((await call('GET', '/v1/me', { token: user.token, now: eightDays })).status).toBe(401);
  });
});

describe('dev login', () => {
  it('does not exist outside the local and test stages', async () => {
    process.env.STAGE = 'prod';
    resetConfig();
    try {
      const reply = await call('POST', '/v1/auth/dev', { body: { openid: uniqueOpenid() } });
      expect(reply.status).toBe(404);
    } finally {
      process.env.STAGE = 'test';
      resetConfig();
    }
  });

  it('makes the openid "admin" a platform admin on the test stage', async () => {
    const reply = await call('POST', '/v1/auth/dev', { body: { openid: 'admin' } });
    expect(reply.body.user.admin).toBe(true);
  });
});

describe('idempotency', () => {
  const body = { name: '幂等社区', district: '鼓楼区', street: '西司门街道', residents: 100, households: 40 };

  it('replays the first response to a retry with the same key and body, creating nothing more', async () => {
    const root = await login('admin');
    const key = uniqueOpenid('key');
    const first = await call('POST', '/v1/communities', { token: root.token, body, idempotencyKey: key });
    const retry = await call('POST', '/v1/communities', { token: root.token, body, idempotencyKey: key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 422 to the same key with another body', async () => {
    const root = await login('admin');
    const key = uniqueOpenid('key');
    await call('POST', '/v1/communities', { token: root.token, body, idempotencyKey: key });
    const other = await call('POST', '/v1/communities', { token: root.token, body: { ...body, residents: 101 }, idempotencyKey: key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
  });

  it('runs concurrent repeats once: one creates, the others wait for it and answer what it answered', async () => {
    const root = await login('admin');
    const key = uniqueOpenid('key');
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', '/v1/communities', { token: root.token, body, idempotencyKey: key })),
    );
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 201));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(replies.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
  });

  it('scopes keys to the caller: two users may use the same key', async () => {
    const { id: cid } = await newCommunity();
    const [a, b] = await Promise.all([login(), login()]);
    const key = uniqueOpenid('shared');
    const first = await call('POST', `/v1/communities/${cid}/members`, { token: a.token, body: { household: '1-1-101' }, idempotencyKey: key });
    const second = await call('POST', `/v1/communities/${cid}/members`, { token: b.token, body: { household: '1-1-101' }, idempotencyKey: key });
    expect(first.body.userId).toBe(a.id);
    expect(second.body.userId).toBe(b.id);
  });
  it('replays a first response recorded before responses were kept as text, until it expires', async () => {
    // prepare: a completed record of the earlier shape, the response as a map
    const scope = uniqueOpenid('legacy');
    const now = new Date();
    const response = { status: 201, body: { id: 'c-1', name: '幂等社区' } };
    await documentClient().send(new PutCommand({
      TableName: table(),
      Item: { ...idempotencyKey(scope), type: 'Idempotency', status: 'completed', bodyHash: 'h', response, expiresAt: Math.floor(now.getTime() / 1000) + 60 },
    }));

    // act
    const claimed = await idempotency.claim(scope, 'h', now);
    const earlier = await idempotency.earlierAnswer(scope, 'h', now);

    // assess
    expect(claimed).toEqual(response);
    expect(earlier).toEqual(response);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a user exceeds the budget', async () => {
    const user = await login();
    process.env.RATE_LIMIT_PER_MINUTE = '5';
    resetConfig();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await call('GET', '/v1/me', { token: user.token })).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      const limited = await call('GET', '/v1/me', { token: user.token });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      process.env.RATE_LIMIT_PER_MINUTE = '100000';
      resetConfig();
    }
  });

  /**
   * Dev logins (no token) from one made-up address, under the deployed default budgets, or with
   * the anonymous budget set to `budget`.
   */
  async function fromOneAddress(budget: string | undefined, act: (login: () => Promise<number>) => Promise<void>): Promise<void> {
    const address = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(256)}`;
    const saved = { user: process.env.RATE_LIMIT_PER_MINUTE, anonymous: process.env.RATE_LIMIT_ANONYMOUS_PER_MINUTE };
    delete process.env.RATE_LIMIT_PER_MINUTE;
    if (budget === undefined) delete process.env.RATE_LIMIT_ANONYMOUS_PER_MINUTE;
    else process.env.RATE_LIMIT_ANONYMOUS_PER_MINUTE = budget;
    resetConfig();
    const login = async () => {
      const body = JSON.stringify({ openid: uniqueOpenid('wifi') });
      return (await invoke({ method: 'POST', url: '/v1/auth/dev', headers: { 'content-type': 'application/json' }, body, sourceIp: address })).statusCode ?? 0;
    };
    try {
      await act(login);
    } finally {
      Object.assign(process.env, { RATE_LIMIT_PER_MINUTE: saved.user, RATE_LIMIT_ANONYMOUS_PER_MINUTE: saved.anonymous });
      resetConfig();
    }
  }

  it("lets 200 residents behind one hall's Wi-Fi address log in within a minute", async () => {
    await fromOneAddress(undefined, async (login) => {
      // Ten at a time: the budget is per minute, and DynamoDB Local shares two cores.
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push(...(await Promise.all(Array.from({ length: 10 }, login))));
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    });
  });

  it('answers 429 once one address without a token exceeds the anonymous budget', async () => {
    await fromOneAddress('5', async (login) => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push(await login());
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    });
  });
});

describe('bodies that are JSON but not an object', () => {
  // serverless-offline hands `0` and `false` to the handler as a number and a boolean.
  it.each([[0], [false], [1], [true]])('answers an event body of %s with 400 VALIDATION', async (body) => {
    const event = {
      version: '2.0',
      routeKey: 'POST /v1/auth/dev',
      rawPath: '/v1/auth/dev',
      headers: { 'content-type': 'application/json' },
      requestContext: { requestId: 'primitive-body', http: { method: 'POST', path: '/v1/auth/dev', sourceIp: '127.0.0.1' } },
      body,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const reply = await identity(event);
    expect(reply.statusCode).toBe(400);
    expect(JSON.parse(String(reply.body))).toEqual({ error: expect.objectContaining({ code: 'VALIDATION', message: expect.any(String), requestId: 'primitive-body' }) });
  });
});
