/**
 * The typed API client. Every call names a route of the shared contract:
 *
 *   const member = await api('join', { params: { cid }, body: { household: '3-2-501' } });
 *
 * Path parameters, body and query are typed from the contract's schemas, and the promise
 * resolves with the route's response type (z.output of its schema). Any non-2xx answer rejects
 * with an ApiError (an AppError from @contract/errors, plus the HTTP status); a request that gets
 * no answer rejects with AppError code UNAVAILABLE. Nothing is swallowed.
 *
 * A 401 on an authenticated route logs in again once, silently, and repeats the request with
 * the same Idempotency-Key. A route that answers a file (the certificate PDF) is called the same
 * way through apiFile, which resolves with where the file is on the device.
 */
import { AppError } from '@contract/errors';
import type { Auth, BodyOf, Method, PathParams, ResponseOf } from '@contract/route';
import type { RouteName, routes } from '@contract/routes';
import type * as z from '@contract/schema';
import type { Session } from '@contract/identity';
import { proxyModeStore, stopProxyMode } from '../family/proxy-mode';
import { apiBase, httpDownload, httpRequest, loginCode, usesDevLogin, type HttpResponse } from '../platform';
import { clearSession, currentToken, devOpenid, saveSession } from '../store/session';
import { errorFromResponse, networkError } from './errors';

type Routes = typeof routes;
type Def<N extends RouteName> = Routes[N];

export type ApiResponse<N extends RouteName> = ResponseOf<Def<N>>;
export type ApiBody<N extends RouteName> = BodyOf<Def<N>>;
export type ApiQuery<N extends RouteName> = NonNullable<Def<N>['query']> extends z.ZodType ? z.input<NonNullable<Def<N>['query']>> : undefined;
type Params<N extends RouteName> = PathParams<Def<N>['path']>;

export type ApiOptions<N extends RouteName> = ([Params<N>] extends [never]
  ? { params?: undefined }
  : { params: Record<Params<N>, string> }) &
  (ApiBody<N> extends undefined ? { body?: undefined } : { body: ApiBody<N> }) &
  (ApiQuery<N> extends undefined ? { query?: undefined } : { query?: ApiQuery<N> }) & {
    /** One key per user action; repeats of the same action reuse it. Generated when absent. */
    idempotencyKey?: string;
  };

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type Args<O> = {} extends O ? [options?: O] : [options: O];

interface LooseOptions {
  params?: Record<string, string>;
  body?: unknown;
  query?: Record<string, unknown>;
  idempotencyKey?: string;
}

/** [method, path, auth] by route name, read from the contract at build time (config/routes.ts). */
const ROUTES = LINLI_ROUTES as Record<string, [Method, string, Auth] | undefined>;

/** A fresh Idempotency-Key: unique per user action (not a secret). */
export function newIdempotencyKey(): string {
  let key = Date.now().toString(36);
  for (let i = 0; i < 3; i += 1) key += Math.random().toString(36).slice(2, 10);
  return key.slice(0, 40);
}

function buildUrl(path: string, params: Record<string, string> = {}, query: Record<string, unknown> = {}): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new AppError('VALIDATION', `缺少参数 ${name}`);
    return encodeURIComponent(value);
  });
  const search = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `${apiBase()}${filled}${search ? `?${search}` : ''}`;
}

let relogin: Promise<Session> | undefined;

/**
 * Logs in again without asking the person: WeChat login on weapp; on h5 the dev login with the
 * openid used last. Concurrent callers share one attempt.
 */
export function loginSilently(): Promise<Session> {
  relogin ??= (async () => {
    try {
      if (usesDevLogin) {
        const openid = devOpenid.get();
        if (!openid) throw new AppError('UNAUTHENTICATED');
        return await loginWithDevOpenid(openid);
      }
      const code = await loginCode();
      const session = await api('loginWechat', { body: { code } });
      saveSession(session);
      return session;
    } finally {
      relogin = undefined;
    }
  })();
  return relogin;
}

/** h5 dev login (local and test stages only). Remembers the openid for silent re-login. */
export async function loginWithDevOpenid(openid: string, nickname?: string): Promise<Session> {
  const session = await api('loginDev', { body: nickname ? { openid, nickname } : { openid } });
  devOpenid.set(openid);
  saveSession(session);
  return session;
}

export function logout(): void {
  clearSession();
  stopProxyMode();
}

/** How one request travels: JSON (httpRequest) or a file (httpDownload). */
type Transfer<R extends HttpResponse> = (request: { url: string; method: Method; header: Record<string, string>; data?: unknown }) => Promise<R>;

async function send<R extends HttpResponse>(name: RouteName, options: LooseOptions, key: string | undefined, transfer: Transfer<R>, retried = false): Promise<R> {
  const entry = ROUTES[name];
  if (!entry) throw new AppError('ROUTE_NOT_FOUND');
  const [method, path, auth] = entry;
  const url = buildUrl(path, options.params, options.query);

  let token = auth === 'none' ? undefined : currentToken();
  if (!token && auth === 'user') token = (await loginSilently()).token;

  const header: Record<string, string> = { Accept: 'application/json' };
  if (token) header.Authorization = `Bearer ${token}`;
  // 为TA办事: the server checks the link on every act and refuses it where only the person may act.
  const proxy = proxyModeStore.get();
  if (token && proxy) header['X-On-Behalf-Of'] = proxy.elderId;
  if (key) header['Idempotency-Key'] = key;
  // A DELETE carries a body only when its route has one (a revocation's reason).
  const hasBody = method !== 'GET' && (method !== 'DELETE' || options.body !== undefined);
  if (hasBody) header['Content-Type'] = 'application/json';

  let res: R;
  try {
    res = await transfer({ url, method, header, data: hasBody ? (options.body ?? {}) : undefined });
  } catch {
    throw networkError();
  }

  if (res.status === 401 && auth !== 'none' && !retried) {
    try {
      await loginSilently();
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAUTHENTICATED') clearSession();
      throw error;
    }
    return send(name, options, key, transfer, true);
  }
  if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.data, res.header);
  return res;
}

/** Calls one route of the contract; see the top of this file. */
export function api<N extends RouteName>(name: N, ...[options]: Args<ApiOptions<N>>): Promise<ApiResponse<N>> {
  const loose = (options ?? {}) as LooseOptions;
  const method = ROUTES[name]?.[0];
  const key = method && method !== 'GET' ? (loose.idempotencyKey ?? newIdempotencyKey()) : undefined;
  return send(name, loose, key, httpRequest).then((res) => res.data as ApiResponse<N>);
}

/** A file a route answered, on the device, and the answer's headers (names in lower case). */
export interface ApiFile {
  /** A temporary file (weapp) or a blob URL (h5). */
  path: string;
  header: Record<string, string>;
}

/**
 * Calls a GET route that answers a file rather than JSON (its `produces`, the certificate PDF)
 * the way api() calls any route: token, X-On-Behalf-Of while acting for an elder, silent re-login,
 * errors as ApiError.
 */
export async function apiFile<N extends RouteName>(name: N, ...[options]: Args<ApiOptions<N>>): Promise<ApiFile> {
  const { path, header } = await send(name, (options ?? {}) as LooseOptions, undefined, httpDownload);
  return { path, header };
}
