/**
 * The display board's WebSocket: $connect records an unpaired connection whose first message is
 * answered with a pairing code; staff pair it with that code (at most MAX_HALL_BOARDS per hall);
 * only paired boards receive calls and recalls through the API Gateway management API (here a
 * local stand-in that records PostToConnection requests); a board gone (410) or disconnected
 * loses its slot.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as socket } from '../../functions/handlers/board-socket';
import { config } from '../../functions/lib/config';
import { getConnection, pairedBoards } from '../../functions/store/queue';
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

let connections = 0;
const freshConnection = (label: string) => `${label}-${Date.now()}-${++connections}`;
const postedTo = (connectionId: string) => posted.filter((p) => p.connectionId === connectionId).map((p) => p.body);
/** The configured limit of boards per hall (MAX_HALL_BOARDS, 10 unless set). */
const MAX_HALL_BOARDS = config().maxHallBoards;
const boardsOf = (cid: string) => pairedBoards(cid, new Date(), MAX_HALL_BOARDS);

async function hall() {
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  await call('PUT', `/v1/communities/${cid}/hall`, {
    token: staff.token,
    body: { categories: [{ code: 'A', name: '社保' }], windows: [{ no: 3, categories: ['A'] }] },
  });
  await call('POST', `/v1/communities/${cid}/windows/3/open`, { token: staff.token });
  return { cid, staff };
}

/** A TV connects and says hello: the code it shows. */
async function connect(cid: string, connectionId: string): Promise<string> {
  expect((await socket(event('$connect', connectionId, cid))).statusCode).toBe(200);
  expect((await socket(event('$default', connectionId))).statusCode).toBe(200);
  const pairing = postedTo(connectionId).find((m) => m.type === 'pairing');
  expect(pairing?.code).toMatch(/^\d{6}$/);
  return pairing.code;
}

async function hallWithPairedBoard(connectionId: string) {
  const { cid, staff } = await hall();
  const code = await connect(cid, connectionId);
  const paired = await call('POST', `/v1/communities/${cid}/boards`, { token: staff.token, body: { code } });
  expect(paired.status).toBe(201);
  return { cid, staff };
}

async function callOne(cid: string, staff: { token: string }, time: string) {
  const now = instantOf('2026-11-23', time);
  const taken = await call('POST', `/v1/communities/${cid}/tickets`, { token: (await verifiedResident(cid)).token, body: { category: 'A' }, now });
  const called = await call('POST', `/v1/communities/${cid}/windows/3/call-next`, { token: staff.token, now });
  expect(called.status).toBe(200);
  await deliverOutbox();
  return { taken, called, now };
}

describe('the display board socket', () => {
  it('refuses a connection without a community, or to a hall that does not exist', async () => {
    expect((await socket(event('$connect', freshConnection('none')))).statusCode).toBe(400);
    expect((await socket(event('$connect', freshConnection('nohall'), `nohall${Date.now()}`))).statusCode).toBe(404);
  });

  it('shows an unpaired board its pairing code and pushes it no call', async () => {
    const connectionId = freshConnection('unpaired');
    const { cid, staff } = await hall();
    await connect(cid, connectionId);
    const { called } = await callOne(cid, staff, '08:30');
    // No board is paired: the call writes no board message, and nothing reaches the TV.
    expect(called.calls.filter((c) => c.command === 'QueryCommand')).toHaveLength(1);
    expect(postedTo(connectionId).filter((m) => m.type === 'call')).toHaveLength(0);
  });

  it('pushes every call and recall to a paired board, with the board after it', async () => {
    const connectionId = freshConnection('conn');
    const { cid, staff } = await hallWithPairedBoard(connectionId);
    const { taken, called, now } = await callOne(cid, staff, '09:00');
    // The call reads no board connection: still one Query (the waiting heads).
    expect(called.calls.filter((c) => c.command === 'QueryCommand')).toHaveLength(1);
    const calls = postedTo(connectionId).filter((m) => m.type === 'call');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      type: 'call',
      call: { number: 'A001', window: 3, seq: 1 },
      board: { waiting: { A: 0 }, windows: [{ no: 3, ticket: { number: 'A001' } }], seq: 1 },
    });
    await call('POST', `/v1/tickets/${taken.body.id}/recall`, { token: staff.token, now });
    await deliverOutbox();
    expect(postedTo(connectionId).at(-1)?.call).toMatchObject({ number: 'A001', recall: true, seq: 2 });
    // Asked again, the board learns it is paired.
    await socket(event('$default', connectionId));
    expect(postedTo(connectionId).at(-1)).toEqual({ type: 'paired' });
  });

  it('refuses a code no board shows, and a code already used', async () => {
    const { cid, staff } = await hall();
    const code = await connect(cid, freshConnection('once'));
    const unknown = code === '000000' ? '000001' : '000000';
    expect((await call('POST', `/v1/communities/${cid}/boards`, { token: staff.token, body: { code: unknown } })).status).toBe(404);
    expect((await call('POST', `/v1/communities/${cid}/boards`, { token: staff.token, body: { code } })).status).toBe(201);
    expect((await call('POST', `/v1/communities/${cid}/boards`, { token: staff.token, body: { code } })).status).toBe(404);
  });

  it(`pairs at most ${MAX_HALL_BOARDS} boards, however many staff pair at once`, async () => {
    const { cid, staff } = await hall();
    const codes: string[] = [];
    for (let i = 0; i < 2 * MAX_HALL_BOARDS; i++) codes.push(await connect(cid, freshConnection('many')));
    const replies = await Promise.all(codes.map((code) => call('POST', `/v1/communities/${cid}/boards`, { token: staff.token, body: { code } })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(MAX_HALL_BOARDS);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(MAX_HALL_BOARDS);
    for (const r of refused) expect(r).toMatchObject({ status: 409, body: { error: { code: 'BOARD_LIMIT' } } });
    expect(await boardsOf(cid)).toHaveLength(MAX_HALL_BOARDS);
  });

  it('frees the slot and deletes the connection of a board that went away, and never fails the call because of it', async () => {
    const connectionId = freshConnection('gone');
    const { cid, staff } = await hallWithPairedBoard(connectionId);
    gone.add(connectionId);
    await callOne(cid, staff, '10:00');
    expect(await boardsOf(cid)).toHaveLength(0);
    expect(await getConnection(connectionId)).toBeUndefined();
    expect(postedTo(connectionId)).toHaveLength(1); // only its pairing code, before it went away
  });

  it('lists the paired boards, and unpairs one so its TV shows a fresh code and gets no call', async () => {
    const connectionId = freshConnection('unpair');
    const { cid, staff } = await hallWithPairedBoard(connectionId);
    const listed = await call('GET', `/v1/communities/${cid}/boards`, { token: staff.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const id = listed.body.items[0].id;
    expect((await call('DELETE', `/v1/communities/${cid}/boards/${id}`, { token: staff.token })).status).toBe(200);
    expect((await call('DELETE', `/v1/communities/${cid}/boards/${id}`, { token: staff.token })).status).toBe(404);
    expect((await call('GET', `/v1/communities/${cid}/boards`, { token: staff.token })).body.items).toHaveLength(0);
    await socket(event('$default', connectionId));
    expect(postedTo(connectionId).at(-1)).toMatchObject({ type: 'pairing', code: expect.stringMatching(/^\d{6}$/) });
    await callOne(cid, staff, '12:00');
    expect(postedTo(connectionId).filter((m) => m.type === 'call')).toHaveLength(0);
  });

  it('frees the slot on $disconnect', async () => {
    const connectionId = freshConnection('bye');
    const { cid, staff } = await hallWithPairedBoard(connectionId);
    expect(await boardsOf(cid)).toHaveLength(1);
    expect((await socket(event('$disconnect', connectionId))).statusCode).toBe(200);
    expect(await boardsOf(cid)).toHaveLength(0);
    await callOne(cid, staff, '11:00');
    expect(postedTo(connectionId).filter((m) => m.type === 'call')).toHaveLength(0);
  });
});
