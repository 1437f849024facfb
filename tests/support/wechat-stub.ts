/**
 * A local stand-in for the WeChat server API (code2Session, access tokens, subscription
 * messages). Tests choose how it behaves and read what it was sent.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import QRCode from 'qrcode';
import type { TemplateKey } from '@contract/notifications';
import { deliveryIdle, drainOutbox, reportSubscriptions, type DrainRun } from '../../functions/services/notifications';

// This worker delivers only the outbox messages it wrote (other test files share the table).
process.env.OUTBOX_LANE = randomUUID().slice(0, 8);

export type Behaviour = 'ok' | 'invalid-code' | 'rate-limited' | 'http-error' | 'hang';

export interface WechatStub {
  base: string;
  behaviour: Behaviour;
  /** When set, subscription sends beyond this many (counted from when it was set) answer HTTP 502. */
  sendBudget?: number;
  /** When set, subscription sends answer this errcode (43101 refused, 40003 invalid openid…). */
  sendErrcode?: number;
  /** When set, mini-program code requests answer this errcode (in JSON, as WeChat does). */
  codeErrcode?: number;
  /** When set, subscription sends hang (never answer) while token requests still answer. */
  sendHangs?: boolean;
  /** Every request received: path and query. */
  requests: { path: string; query: Record<string, string>; body?: unknown }[];
  close(): Promise<void>;
}

export async function startWechatStub(): Promise<WechatStub> {
  const stub = {
    behaviour: 'ok' as Behaviour,
    requests: [] as WechatStub['requests'],
    sendBudget: undefined as number | undefined,
    sendErrcode: undefined as number | undefined,
    sendHangs: false,
    codeErrcode: undefined as number | undefined,
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    stub.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), body: text ? JSON.parse(text) : undefined });
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (stub.behaviour === 'hang') return; // never answers: the caller's timeout must fire
    if (stub.behaviour === 'http-error') return reply(502, { message: 'bad gateway' });
    if (stub.behaviour === 'rate-limited') return reply(200, { errcode: 45011, errmsg: 'api minute-quota reach limit' });
    if (url.pathname === '/sns/jscode2session') {
      if (stub.behaviour === 'invalid-code') return reply(200, { errcode: 40029, errmsg: 'invalid code' });
      const code = url.searchParams.get('js_code') ?? '';
      return reply(200, { openid: `wx-${code}`, session_key: `secret-session-key-${code}` });
    }
    if (url.pathname === '/cgi-bin/token') return reply(200, { access_token: 'stub-access-token', expires_in: 7200 });
    // Normal mode of the stable token: the same token until it expires, whoever asks.
    if (url.pathname === '/cgi-bin/stable_token' && req.method === 'POST') return reply(200, { access_token: 'stub-stable-token', expires_in: 7200 });
    if (url.pathname === '/cgi-bin/message/subscribe/send') {
      if (stub.sendHangs) return;
      if (stub.sendErrcode !== undefined) return reply(200, { errcode: stub.sendErrcode, errmsg: 'refused' });
      if (stub.sendBudget !== undefined) {
        if (stub.sendBudget <= 0) return reply(502, { message: 'bad gateway' });
        stub.sendBudget--;
      }
      return reply(200, { errcode: 0, errmsg: 'ok' });
    }
    // wxacode.getUnlimited: an image (a plain QR of what it was asked for stands in for the round code).
    if (url.pathname === '/wxa/getwxacodeunlimit' && req.method === 'POST') {
      if (stub.codeErrcode !== undefined) return reply(200, { errcode: stub.codeErrcode, errmsg: 'invalid scene' });
      const { scene, page } = JSON.parse(text) as { scene: string; page: string };
      return res.writeHead(200, { 'content-type': 'image/png' }).end(await QRCode.toBuffer(`${page}?scene=${scene}`));
    }
    return reply(404, { errcode: -1 });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return Object.assign(stub, {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
}

/**
 * Delivers the outbox as the outbox function would at `now` (after any delivery a request
 * kicked in-process has finished), so a test reads what WeChat was sent.
 */
export async function deliverOutbox(now: Date = new Date()): Promise<DrainRun> {
  await deliveryIdle();
  const run = await drainOutbox(now);
  await deliveryIdle();
  return run;
}

/** The person accepted these templates in the mini-program's dialog, `times` times (as POST /v1/me/subscriptions records it). */
export async function accept(user: { id: string }, templates: TemplateKey[], times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await reportSubscriptions({ id: user.id, admin: false }, templates, new Date());
}

/** A subscription message as the stand-in received it (whatever it answered). */
export interface SubscribeSend {
  touser: string;
  template_id: string;
  page: string;
  data: Record<string, { value: string }>;
}

/** Every subscription message the stand-in received, oldest first. */
export const subscribeSends = (stub: WechatStub): SubscribeSend[] =>
  stub.requests.filter((r) => r.path === '/cgi-bin/message/subscribe/send').map((r) => r.body as SubscribeSend);
