/**
 * The display board's WebSocket: $connect records the board in the hall's partition, every call
 * and recall is pushed to it through the API Gateway management API (here a local stand-in
 * that records PostToConnection requests), and a board that went away (410) is forgotten.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as socket } from '../../functions/handlers/board-socket';
import { instantOf } from '../../functions/domain/time';
import { newCommunity, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { deliverOutbox } from '../support/wechat-stub';

interface Posted {
  connectionId: string;
  body: any;
}

let server: Server;
const posted: Posted[] = [];
const gone = new Set<string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const connectionId = decodeURIComponent((req.url ?? '').split('/@connections/')[1] ?? '');
      if (gone.has(connectionId)) {
        res.writeHead(410, { 'content-type': 'application/json' }).end('{"message":"Gone"}');
        return;
      }
      posted.push({ connectionId, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  process.env.WS_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env.WS_ENDPOINT;
  await new Promise((done) => server.close(done));
});

const event = (routeKey: string, connectionId: string, cid?: string) =>
  ({
    requestContext: { routeKey, connectionId, domainName: 'example.execute-api.cn-north-1.amazonaws.com.cn', stage: 'test' },
    queryStringParameters: cid ? { cid } : undefined,
  }) as never;

async function hallWithBoard(connectionId: string) {
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  await call('PUT', `/v1/communities/${cid}/hall`, {
    token: staff.token,
    body: { categories: [{ code: 'A', name: '社保' }], windows: [{ no: 3, categories: ['A'] }] },
  });
  await call('POST', `/v1/communities/${cid}/windows/3/open`, { token: staff.token });
  expect((await socket(event('$connect', connectionId, cid))).statusCode).toBe(200);
  return { cid, staff };
}

describe('the display board socket', () => {
  it('refuses a connection without a community', async () => {
    expect((await socket(event('$connect', 'c-none'))).statusCode).toBe(400);
  });

  it('pushes every call and recall to the connected boards, with the board after it', async () => {
    const connectionId = `conn-${Date.now()}`;
    const { cid, staff } = await hallWithBoard(connectionId);
    const resident = await verifiedResident(cid); // a verified member takes a number without the hall's QR
    const now = instantOf('2026-11-23', '09:00');
    const taken = await call('POST', `/v1/communities/${cid}/tickets`, { token: resident.token, body: { category: 'A' }, now });
    const called = await call('POST', `/v1/communities/${cid}/windows/3/call-next`, { token: staff.token, now });
    expect(called.status).toBe(200);
    // The board's connection came with the same Query: still one Query for the call.
    expect(called.calls.filter((c) => c.command === 'QueryCommand')).toHaveLength(1);
    // Boards are pushed by the outbox, never inside the clerk's request.
    await deliverOutbox();
    const mine = posted.filter((p) => p.connectionId === connectionId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body).toMatchObject({
      type: 'call',
      call: { number: 'A001', window: 3, seq: 1 },
      board: { waiting: { A: 0 }, windows: [{ no: 3, ticket: { number: 'A001' } }], seq: 1 },
    });
    await call('POST', `/v1/tickets/${taken.body.id}/recall`, { token: staff.token, now });
    await deliverOutbox();
    expect(posted.filter((p) => p.connectionId === connectionId).at(-1)?.body.call).toMatchObject({ number: 'A001', recall: true, seq: 2 });
  });

  it('forgets a board that went away, and never fails the call because of it', async () => {
    const connectionId = `gone-${Date.now()}`;
    const { cid, staff } = await hallWithBoard(connectionId);
    gone.add(connectionId);
    const now = instantOf('2026-11-23', '10:00');
    await call('POST', `/v1/communities/${cid}/tickets`, { token: (await verifiedResident(cid)).token, body: { category: 'A' }, now });
    await call('POST', `/v1/communities/${cid}/tickets`, { token: (await verifiedResident(cid)).token, body: { category: 'A' }, now });
    expect((await call('POST', `/v1/communities/${cid}/windows/3/call-next`, { token: staff.token, now })).status).toBe(200);
    await deliverOutbox();
    expect((await call('POST', `/v1/communities/${cid}/windows/3/call-next`, { token: staff.token, now })).status).toBe(200);
    await deliverOutbox();
    // The second call found no board to push to: the first removed it.
    expect(posted.filter((p) => p.connectionId === connectionId)).toHaveLength(0);
  });

  it('removes the board on $disconnect', async () => {
    const connectionId = `bye-${Date.now()}`;
    const { cid, staff } = await hallWithBoard(connectionId);
    expect((await socket(event('$disconnect', connectionId))).statusCode).toBe(200);
    const now = instantOf('2026-11-23', '11:00');
    await call('POST', `/v1/communities/${cid}/tickets`, { token: (await verifiedResident(cid)).token, body: { category: 'A' }, now });
    await call('POST', `/v1/communities/${cid}/windows/3/call-next`, { token: staff.token, now });
    await deliverOutbox();
    expect(posted.filter((p) => p.connectionId === connectionId)).toHaveLength(0);
  });
});
