/**
 * The WeChat server API, at a configurable base URL (tests run a local stand-in).
 * The AppSecret and the session_key never leave this module's callers on the backend.
 */
import { AppError } from '@contract/errors';
import { config } from './config';
import { secret } from './secrets';
import { cachedWechatToken, forgetWechatToken, saveWechatToken } from '../store/outbox';

interface Code2Session {
  openid: string;
  unionid?: string;
}

/**
 * WeChat as a whole cannot serve us now: no answer within the timeout, unreachable, an HTTP error,
 * "system busy" (errcode -1), or no access token. Every other call would fail alike, so a run
 * sending many messages stops at the first one. Its message never holds the URL (the AppSecret
 * and the access token travel in the query string).
 */
export class WechatUnavailable extends Error {
  override readonly name = 'WechatUnavailable';
}

/**
 * A call to WeChat within the configured timeout (covering the body too), read as `read` says;
 * any failure is WechatUnavailable.
 */
async function fetchWechat<T>(url: URL, init: RequestInit, read: (response: Response) => Promise<T>): Promise<T> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(config().wechatTimeoutMs) });
    if (!response.ok) throw new WechatUnavailable(`WeChat answered HTTP ${response.status}`);
    return await read(response);
  } catch (error) {
    if (error instanceof WechatUnavailable) throw error;
    throw new WechatUnavailable(error instanceof Error && error.name === 'TimeoutError' ? 'WeChat did not answer in time' : 'WeChat could not be reached');
  }
}

const fetchJson = (url: URL, init: RequestInit = {}) => fetchWechat(url, init, async (response) => (await response.json()) as Record<string, unknown>);

/** errcode -1: "系统繁忙，此时请开发者稍候再试". */
const BUSY = -1;

/** Exchanges a wx.login code for the user's openid. The session_key is read and dropped here. */
export async function code2Session(code: string): Promise<Code2Session> {
  const url = new URL('/sns/jscode2session', config().wechatApiBase);
  url.searchParams.set('appid', config().wechatAppId);
  url.searchParams.set('secret', await secret('wechatSecret'));
  url.searchParams.set('js_code', code);
  url.searchParams.set('grant_type', 'authorization_code');
  let body: Record<string, unknown>;
  try {
    body = await fetchJson(url);
  } catch {
    throw new AppError('UNAVAILABLE', '暂时无法连接微信，请稍后重试', { retryAfter: 5 });
  }
  if (body.errcode === BUSY) throw new AppError('UNAVAILABLE', '微信繁忙，请稍后重试', { retryAfter: 5 });
  if (typeof body.openid !== 'string' || (typeof body.errcode === 'number' && body.errcode !== 0)) {
    const rateLimited = body.errcode === 45011;
    throw new AppError(rateLimited ? 'RATE_LIMITED' : 'WECHAT_LOGIN_FAILED', rateLimited ? '登录太频繁，请稍后再试' : undefined, {
      details: { errcode: body.errcode },
      retryAfter: rateLimited ? 60 : undefined,
    });
  }
  return { openid: body.openid, unionid: typeof body.unionid === 'string' ? body.unionid : undefined };
}

/**
 * The access token: WeChat's stable token (POST /cgi-bin/stable_token, normal mode), which does
 * not invalidate the one another instance holds, cached for every instance in the table and in
 * memory here. Only a miss (or a token WeChat rejected) asks WeChat.
 */
let accessToken: { value: string; expiresAt: number } | undefined;
/** The token request in flight: messages sent at once share it (each fetch counts against a daily quota). */
let fetchingToken: Promise<string> | undefined;

function getAccessToken(now: number): Promise<string> {
  if (accessToken && accessToken.expiresAt > now) return Promise.resolve(accessToken.value);
  fetchingToken ??= sharedAccessToken(now).finally(() => {
    fetchingToken = undefined;
  });
  return fetchingToken;
}

async function sharedAccessToken(now: number): Promise<string> {
  const cached = await cachedWechatToken(new Date(now)).catch(() => undefined);
  if (cached) {
    accessToken = { value: cached.value, expiresAt: cached.expiresAtMs };
    return cached.value;
  }
  const url = new URL('/cgi-bin/stable_token', config().wechatApiBase);
  const body = await fetchJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid: config().wechatAppId, secret: await secret('wechatSecret'), force_refresh: false }),
  });
  if (typeof body.access_token !== 'string') throw new WechatUnavailable(`WeChat token error ${String(body.errcode)}`);
  const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 7200;
  // Renewed five minutes early so a token never expires mid-request.
  accessToken = { value: body.access_token, expiresAt: now + (lifetime - 300) * 1000 };
  await saveWechatToken(accessToken.value, accessToken.expiresAt).catch(() => undefined);
  return accessToken.value;
}

/** WeChat rejected the token: no instance may use it again; the next try gets a new one. */
async function forgetRejectedToken(token: string): Promise<void> {
  accessToken = undefined;
  await forgetWechatToken(token).catch(() => undefined);
}

/** For tests: forget the token this instance holds in memory (as a fresh instance would). */
export function forgetInstanceToken(): void {
  accessToken = undefined;
}

export interface SubscribeMessage {
  openid: string;
  templateId: string;
  /** The mini-program page the message opens, e.g. `appointments/detail/index?id=…`. */
  page?: string;
  data: Record<string, string>;
}

/**
 * WeChat refused this message for a reason a retry will not fix: 43101 the person has not
 * accepted (or refused) the template, 40003 an invalid openid, 47003 data the template does not
 * take, 40037 an unknown template.
 */
export class WechatRefused extends Error {
  override readonly name = 'WechatRefused';
  constructor(readonly errcode: number) {
    super(`WeChat refused the message (errcode ${errcode})`);
  }
}

const PERMANENT = new Set([43101, 40003, 47003, 40037]);

/**
 * Sends one subscription message. Throws WechatRefused when a retry will not help, and
 * otherwise an error a retry may fix: WechatUnavailable when no other message would get
 * through now either.
 */
export async function sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
  const token = await getAccessToken(Date.now());
  const url = new URL('/cgi-bin/message/subscribe/send', config().wechatApiBase);
  url.searchParams.set('access_token', token);
  const body = await fetchJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      touser: message.openid,
      template_id: message.templateId,
      page: message.page,
      miniprogram_state: config().stage === 'prod' ? 'formal' : 'developer',
      lang: 'zh_CN',
      data: Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }])),
    }),
  });
  if (!body.errcode) return;
  if (body.errcode === 40001 || body.errcode === 42001) await forgetRejectedToken(token);
  if (typeof body.errcode === 'number' && PERMANENT.has(body.errcode)) throw new WechatRefused(body.errcode);
  if (body.errcode === BUSY) throw new WechatUnavailable('WeChat is busy');
  throw new Error(`WeChat subscribe send error ${String(body.errcode)}`);
}

export interface UnlimitedCode {
  /** What the page receives as `scene` (at most 32 visible characters). */
  scene: string;
  /** The page it opens, without a leading slash, e.g. `community/join/index`. */
  page: string;
}

/**
 * A mini-program code (wxacode.getUnlimited): an image WeChat's scanner opens the page with,
 * `scene` in its options. The page need not be in the released version yet (check_path off),
 * and outside prod the code opens the trial version. An answer in JSON is an error.
 */
export async function getUnlimitedCode(code: UnlimitedCode): Promise<Buffer> {
  const token = await getAccessToken(Date.now());
  const url = new URL('/wxa/getwxacodeunlimit', config().wechatApiBase);
  url.searchParams.set('access_token', token);
  const answer = await fetchWechat(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scene: code.scene, page: code.page, check_path: false, env_version: config().stage === 'prod' ? 'release' : 'trial', width: 430 }),
    },
    async (response) => ({ json: (response.headers.get('content-type') ?? '').includes('json'), bytes: Buffer.from(await response.arrayBuffer()) }),
  );
  if (answer.json) {
    const body = JSON.parse(answer.bytes.toString('utf8')) as { errcode?: unknown };
    if (body.errcode === 40001 || body.errcode === 42001) await forgetRejectedToken(token);
    throw new WechatUnavailable(`WeChat code error ${String(body.errcode)}`);
  }
  return answer.bytes;
}
