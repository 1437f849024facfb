/**
 * The WeChat server API, at a configurable base URL (tests run a local stand-in).
 * The AppSecret and the session_key never leave this module's callers on the backend.
 */
import { AppError } from '@contract/errors';
import { config } from './config';
import { secret } from './secrets';

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

/** A call to WeChat within the configured timeout (covering the body too); any failure is WechatUnavailable. */
async function fetchJson(url: URL, init: RequestInit = {}): Promise<Record<string, unknown>> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(config().wechatTimeoutMs) });
    if (!response.ok) throw new WechatUnavailable(`WeChat answered HTTP ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof WechatUnavailable) throw error;
    throw new WechatUnavailable(error instanceof Error && error.name === 'TimeoutError' ? 'WeChat did not answer in time' : 'WeChat could not be reached');
  }
}

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

let accessToken: { value: string; expiresAt: number } | undefined;
/** The token request in flight: messages sent at once share it (each fetch counts against a daily quota). */
let fetchingToken: Promise<string> | undefined;

function getAccessToken(now: number): Promise<string> {
  if (accessToken && accessToken.expiresAt > now) return Promise.resolve(accessToken.value);
  fetchingToken ??= fetchAccessToken(now).finally(() => {
    fetchingToken = undefined;
  });
  return fetchingToken;
}

async function fetchAccessToken(now: number): Promise<string> {
  const url = new URL('/cgi-bin/token', config().wechatApiBase);
  url.searchParams.set('grant_type', 'client_credential');
  url.searchParams.set('appid', config().wechatAppId);
  url.searchParams.set('secret', await secret('wechatSecret'));
  const body = await fetchJson(url);
  if (typeof body.access_token !== 'string') throw new WechatUnavailable(`WeChat token error ${String(body.errcode)}`);
  const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 7200;
  // Renewed five minutes early so a token never expires mid-request.
  accessToken = { value: body.access_token, expiresAt: now + (lifetime - 300) * 1000 };
  return accessToken.value;
}

export interface SubscribeMessage {
  openid: string;
  templateId: string;
  /** The mini-program page the message opens, e.g. `appointments/detail/index?id=…`. */
  page?: string;
  data: Record<string, string>;
}

/**
 * Sends one subscription message. Returns false when WeChat refuses it for a reason a retry will
 * not fix (the user has not granted one: 43101); throws when a retry may succeed:
 * WechatUnavailable when no other message would get through now either.
 */
export async function sendSubscribeMessage(message: SubscribeMessage): Promise<boolean> {
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
  if (!body.errcode) return true;
  if (body.errcode === 40001 || body.errcode === 42001) accessToken = undefined; // token expired: next try renews
  if (body.errcode === 43101) return false;
  if (body.errcode === BUSY) throw new WechatUnavailable('WeChat is busy');
  throw new Error(`WeChat subscribe send error ${String(body.errcode)}`);
}
