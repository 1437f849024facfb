/**
 * The WeChat server API, at a configurable base URL (tests run a local stand-in).
 * The AppSecret and the session_key never leave this module's callers on the backend.
 */
import { AppError } from '@contract/errors';
import { config } from './config';
import { secret } from './secrets';

const TIMEOUT_MS = 5000;

interface Code2Session {
  openid: string;
  unionid?: string;
}

async function getJson(url: URL): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`WeChat answered HTTP ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Exchanges a wx.login code for the user's openid. The session_key is read and dropped here. */
export async function code2Session(code: string): Promise<Code2Session> {
  const url = new URL('/sns/jscode2session', config().wechatApiBase);
  url.searchParams.set('appid', config().wechatAppId);
  url.searchParams.set('secret', await secret('wechatSecret'));
  url.searchParams.set('js_code', code);
  url.searchParams.set('grant_type', 'authorization_code');
  let body: Record<string, unknown>;
  try {
    body = await getJson(url);
  } catch {
    throw new AppError('UNAVAILABLE', '暂时无法连接微信，请稍后重试', { retryAfter: 5 });
  }
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

async function getAccessToken(now: number): Promise<string> {
  if (accessToken && accessToken.expiresAt > now) return accessToken.value;
  const url = new URL('/cgi-bin/token', config().wechatApiBase);
  url.searchParams.set('grant_type', 'client_credential');
  url.searchParams.set('appid', config().wechatAppId);
  url.searchParams.set('secret', await secret('wechatSecret'));
  const body = await getJson(url);
  if (typeof body.access_token !== 'string') throw new Error(`WeChat token error ${String(body.errcode)}`);
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
 * not fix (the user has not granted one: 43101); throws when a retry may succeed.
 */
export async function sendSubscribeMessage(message: SubscribeMessage): Promise<boolean> {
  const token = await getAccessToken(Date.now());
  const url = new URL('/cgi-bin/message/subscribe/send', config().wechatApiBase);
  url.searchParams.set('access_token', token);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
    body: JSON.stringify({
      touser: message.openid,
      template_id: message.templateId,
      page: message.page,
      miniprogram_state: config().stage === 'prod' ? 'formal' : 'developer',
      lang: 'zh_CN',
      data: Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }])),
    }),
  });
  if (!response.ok) throw new Error(`WeChat answered HTTP ${response.status}`);
  const body = (await response.json()) as { errcode?: number };
  if (!body.errcode) return true;
  if (body.errcode === 40001 || body.errcode === 42001) accessToken = undefined; // token expired: next try renews
  if (body.errcode === 43101) return false;
  throw new Error(`WeChat subscribe send error ${body.errcode}`);
}
