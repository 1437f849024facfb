/**
 * The stack a person starts with `npm start` (DynamoDB Local, serverless-offline on the local
 * stage, its default rate limits) holds a hall's burst: 200 residents behind one address log in
 * for the first time at once, then all take a ticket at the same instant with the hall's QR of
 * the day. Every request must succeed, and the numbers must be unique and consecutive.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type StartedStack } from '../../scripts/local/stack';
import { DEMO_COMMUNITY } from '../../scripts/seed';

const RESIDENTS = 200;
let stack: StartedStack;

beforeAll(async () => {
  // The stack's own defaults, not the limits the in-process API tests lift.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RATE_LIMIT')));
  // An unexpected fault is logged by the handler as one JSON line: shown with the test's output.
  stack = await startStack({ env, log: (line) => line.includes('"level":"error"') && console.error(line) });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

async function send(method: string, path: string, body?: string, token?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    const reply = await fetch(`${stack.base}${path}`, { method, headers, body, signal: AbortSignal.timeout(60_000) });
    const text = await reply.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the failure message
    }
    return { status: reply.status, body: parsed };
  } catch (error) {
    return { status: 0, body: (error as Error).message };
  }
}

const post = (path: string, body: string, token?: string) => send('POST', path, body, token);

const failures = (replies: { status: number; body: any }[], ok: number) =>
  replies.filter((r) => r.status !== ok).map((r) => `${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);

describe('the npm start stack under a hall burst', () => {
  it('serves 200 simultaneous first logins, then 200 simultaneous takes, with unique consecutive numbers', async () => {
    // prepare: the hall's QR of the day, as the demo's director shows it, and 200 residents
    // nobody has seen before
    const staff = await post('/v1/auth/dev', JSON.stringify({ openid: 'staff-wang' }));
    const qr = await send('GET', `/v1/communities/${DEMO_COMMUNITY}/hall/qr`, undefined, staff.body.token);
    expect(qr.status).toBe(200);
    const openids = Array.from({ length: RESIDENTS }, () => `burst-${randomUUID().slice(0, 12)}`);

    // act
    const loginStart = performance.now();
    const logins = await Promise.all(openids.map((openid) => post('/v1/auth/dev', JSON.stringify({ openid }))));
    const loginMs = performance.now() - loginStart;
    // serverless-offline answers a Lambda timeout with 200 and its own body: a login is its token.
    expect(logins.filter((login) => typeof login.body?.token !== 'string').map((r) => `${r.status} ${JSON.stringify(r.body).slice(0, 120)}`)).toEqual([]);
    const takeStart = performance.now();
    const takes = await Promise.all(
      logins.map((login) => post(`/v1/communities/${DEMO_COMMUNITY}/tickets`, JSON.stringify({ category: 'C', hallToken: qr.body.token }), login.body.token)),
    );
    const takeMs = performance.now() - takeStart;
    console.log(`burst through the npm start stack: ${RESIDENTS} logins in ${loginMs.toFixed(0)} ms, ${RESIDENTS} takes in ${takeMs.toFixed(0)} ms`);

    // assess
    expect(failures(takes, 201)).toEqual([]);
    const numbers = takes.map((t) => Number(String(t.body.number).slice(1))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(RESIDENTS);
    expect(numbers.at(-1)! - numbers[0]! + 1).toBe(RESIDENTS);
  }, 240_000);

  it.each([['0'], ['false'], ['"x"'], ['[1]'], ['null']])('answers a JSON %s body with 400 VALIDATION in the contract shape', async (body) => {
    const reply = await post('/v1/auth/dev', body);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: expect.objectContaining({ code: 'VALIDATION', message: expect.any(String), requestId: expect.any(String) }) });
  });
});
