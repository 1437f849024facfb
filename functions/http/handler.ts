/**
 * The HTTP layer: parse with the shared schema, call a service, map the result.
 *
 * Each Lambda function is `createHandler(fn, implementations)`: API Gateway gives the matched
 * route in `routeKey` ("POST /v1/communities/{cid}/members"), which names the contract's route.
 * Everything a request needs before and after the service is here, once: body size, JSON,
 * validation with field paths, the bearer token, the rate limit, Idempotency-Key, and
 * the mapping of errors to statuses and the contract's error shape.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, ERROR_MESSAGES, type FieldIssue } from '@contract/errors';
import { ON_BEHALF_OF_HEADER } from '@contract/family';
import type { FunctionName, PathParams, RouteDef } from '@contract/route';
import type * as z from '@contract/schema';
import { config, inAwsLambda, isLocalStage } from '../lib/config';
import { verifyToken, type AuthUser } from '../lib/tokens';
import * as idempotency from '../store/idempotency';
import { overBudget } from './rate-limit';
import { CORS, errorResponse, json } from './response';

export const MAX_BODY_BYTES = 64 * 1024;

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface Context<D extends RouteDef> {
  params: Record<PathParams<D['path']>, string>;
  body: Output<Exclude<D['body'], undefined>>;
  query: Output<Exclude<D['query'], undefined>>;
  user: D['auth'] extends 'user' ? AuthUser : AuthUser | undefined;
  now: Date;
  requestId: string;
  /** The Idempotency-Key header, for routes with `idempotency: 'own'` (ballots) that keep their own record. */
  idempotencyKey?: string;
}

/** A response that is not JSON (the certificate PDF). */
export interface RawResult {
  raw: { body: Buffer; contentType: string; headers?: Record<string, string> };
}

type Result<D extends RouteDef> = (D['response'] extends z.ZodType ? z.input<D['response']> : unknown) | RawResult;

/** A capability's route table (contract/<capability>.ts): operation name → definition. */
export type RouteTable = Record<string, RouteDef>;

/** One implementation for each route of the table that function F serves. */
export type Implementations<F extends FunctionName, T extends RouteTable> = {
  [N in keyof T as T[N]['fn'] extends F ? N : never]: (ctx: Context<T[N]>) => Promise<Result<T[N]>>;
};

function issues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const at = [prefix, ...issue.path.map(String)];
    // An unknown field is named by its own path, one detail each, so a form can mark it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...at, key].filter(Boolean).join('.'), message: `不认识的字段：${key}` }));
    }
    return [{ path: at.filter(Boolean).join('.'), message: issue.message }];
  });
}

function parse<S extends z.ZodType | undefined>(schema: S, value: unknown, where: string): Output<S> {
  if (!schema) return undefined as Output<S>;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError('VALIDATION', undefined, { details: issues(result.error, where) });
  }
  return result.data as Output<S>;
}

const PATH_PARAM = /^[A-Za-z0-9_-]{1,64}$/;

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

function readBody(event: APIGatewayProxyEventV2): string | undefined {
  // API Gateway always sends a string. serverless-offline hands over a body that parsed as JSON
  // `0` or `false` as that value, and other bodies it could parse as the raw bytes.
  const body: unknown = event.body;
  if (body === undefined || body === null || body === '') return undefined;
  const text =
    typeof body !== 'string'
      ? Buffer.isBuffer(body)
        ? body.toString('utf8')
        : JSON.stringify(body)
      : event.isBase64Encoded
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
  return text;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION', '请求内容不是有效的 JSON', { details: [{ path: 'body', message: '无效的 JSON' }] });
  }
}

async function authenticate(event: APIGatewayProxyEventV2, now: Date): Promise<AuthUser | undefined> {
  const value = header(event, 'authorization');
  if (!value) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  const user = match?.[1] ? await verifyToken(match[1], now) : undefined;
  if (!user) throw new AppError('UNAUTHENTICATED', '登录已过期，请重新登录');
  // Acting as a family member's proxy is part of who is asking; services/access.ts checks the link.
  const onBehalfOf = header(event, ON_BEHALF_OF_HEADER);
  if (onBehalfOf === undefined) return user;
  if (!PATH_PARAM.test(onBehalfOf) || onBehalfOf === user.id) {
    throw new AppError('VALIDATION', '代办对象无效', { details: [{ path: `header.${ON_BEHALF_OF_HEADER}`, message: '编号无效' }] });
  }
  return { ...user, onBehalfOf };
}

/** API Gateway's routeKey ("POST /v1/...") → the operation's name and definition. */
function routeByKey(fn: FunctionName, routes: RouteTable): Map<string, { name: string; def: RouteDef }> {
  const map = new Map<string, { name: string; def: RouteDef }>();
  for (const [name, def] of Object.entries(routes)) if (def.fn === fn) map.set(`${def.method} ${def.path}`, { name, def });
  return map;
}

/**
 * The request's "now". On the test stage only, an `x-test-now` header sets it, so tests of
 * opening hours and voting windows need not wait for the clock.
 */
function clock(event: APIGatewayProxyEventV2): Date {
  const override = config().stage === 'test' && isLocalStage() ? header(event, 'x-test-now') : undefined;
  const now = override ? new Date(override) : new Date();
  if (Number.isNaN(now.getTime())) throw new AppError('VALIDATION', 'x-test-now 不是有效时间');
  return now;
}

/**
 * Requests one process runs at once under serverless-offline. A Lambda instance serves one
 * request at a time, so in AWS a burst spreads over instances; serverless-offline (in process, as
 * `npm start` runs it) serves every request of a function in one process, where 200 at once
 * overran the DynamoDB client's timeouts against DynamoDB Local. Past this many they wait their
 * turn, as they would for a free instance.
 */
const OFFLINE_IN_FLIGHT = 16;
let inFlight = 0;
const waiting: (() => void)[] = [];

async function admitted<T>(work: () => Promise<T>): Promise<T> {
  if (!process.env.IS_OFFLINE) return work();
  if (inFlight < OFFLINE_IN_FLIGHT) inFlight++;
  else await new Promise<void>((turn) => waiting.push(turn));
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, or is freed.
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  }
}

const isRaw = (value: unknown): value is RawResult => typeof value === 'object' && value !== null && 'raw' in value;

/**
 * The Lambda handler of function `fn`. It takes only its capability's route table, so each
 * function bundles only the schemas it validates with.
 */
export function createHandler<F extends FunctionName, T extends RouteTable>(fn: F, routes: T, implementations: Implementations<F, T>) {
  // In AWS a bad setting stops the function at cold start rather than failing each request.
  if (inAwsLambda()) config();
  const table = routeByKey(fn, routes);
  const impls = implementations as unknown as Record<string, (ctx: Context<RouteDef>) => Promise<unknown>>;

  return (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => admitted(() => handle(event));

  async function handle(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const requestId = event.requestContext?.requestId ?? randomUUID();
    try {
      const now = clock(event);
      const route = table.get(event.routeKey);
      const implementation = route && impls[route.name];
      if (!route || !implementation) throw new AppError('ROUTE_NOT_FOUND');
      const { def } = route;
      const params = event.pathParameters ?? {};
      for (const [name, value] of Object.entries(params)) {
        if (!value || !PATH_PARAM.test(value)) throw new AppError('NOT_FOUND', undefined, { details: [{ path: name, message: '编号无效' }] });
      }
      const text = readBody(event);
      const user = await authenticate(event, now);
      if (def.auth === 'user' && !user) throw new AppError('UNAUTHENTICATED');
      // A user is counted by id; a caller without a token by address, with the larger budget a
      // hall's shared Wi-Fi needs.
      const caller = user?.id ?? event.requestContext?.http?.sourceIp ?? 'anonymous';
      const budget = user ? config().rateLimitPerMinute : config().rateLimitAnonymousPerMinute;
      const wait = overBudget(caller, budget, now.getTime());
      if (wait) throw new AppError('RATE_LIMITED', undefined, { retryAfter: wait });

      const ctx: Context<RouteDef> = {
        params: params as Record<string, string>,
        body: parse(def.body, def.body ? parseJson(text) : undefined, 'body'),
        query: parse(def.query, event.queryStringParameters ?? {}, 'query'),
        user,
        now,
        requestId,
        idempotencyKey: def.idempotency === 'own' ? header(event, 'idempotency-key') : undefined,
      };
      const run = async () => {
        const result = await implementation(ctx);
        if (isRaw(result)) {
          return {
            statusCode: 200,
            headers: { 'content-type': result.raw.contentType, ...CORS, ...result.raw.headers },
            body: result.raw.body.toString('base64'),
            isBase64Encoded: true,
          };
        }
        return json(def.status ?? 200, result);
      };

      const key = header(event, 'idempotency-key');
      if (!key || def.method === 'GET' || def.idempotency === 'own') return await run();
      const keyed: Keyed = { scopeHash: hash(`${caller}#${def.method}#${event.rawPath}#${key}`), bodyHash: hash(text ?? ''), now, requestId };
      if (def.idempotency === 'with-act') return await withRecordedAct(keyed, def.status ?? 200, run);
      return await withIdempotency(keyed, run);
    } catch (error) {
      return toErrorResponse(error, requestId);
    }
  }
}

const hash = (text: string) => createHash('sha256').update(text).digest('base64url');

/** A request with an Idempotency-Key: its record's key (who asked, what, with which key) and its body, hashed. */
interface Keyed {
  scopeHash: string;
  bodyHash: string;
  now: Date;
  requestId: string;
}

/**
 * A route whose act records the key in its own transaction (store/idempotency.ts): a repeat is
 * found by that transaction, or, when the repeat is refused before it (the booking already
 * cancelled by the first request), by one read of the record on the way out.
 */
async function withRecordedAct(
  { scopeHash, bodyHash, now, requestId }: Keyed,
  status: number,
  run: () => Promise<APIGatewayProxyStructuredResultV2>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const replayed = (replay: idempotency.StoredResponse) => json(replay.status, replay.body, { 'idempotent-replayed': 'true' });
  try {
    const { result, recorded } = await idempotency.withRecordedAct(scopeHash, bodyHash, now, status, run);
    if (!recorded) {
      // An answer without the act's transaction (nothing to write): recorded now, so a repeat replays it.
      await idempotency.record(scopeHash, bodyHash, now, { status: result.statusCode ?? 200, body: JSON.parse(String(result.body)) });
    } else if (JSON.stringify(recorded.body) !== result.body || recorded.status !== result.statusCode) {
      console.error(JSON.stringify({ level: 'error', requestId, event: 'idempotency-answer-differs' }));
    }
    return result;
  } catch (error) {
    if (error instanceof idempotency.AlreadyAnswered) return replayed(error.response);
    try {
      const earlier = await idempotency.earlierAnswer(scopeHash, bodyHash, now);
      if (earlier) return replayed(earlier);
    } catch (refusal) {
      return toErrorResponse(refusal, requestId);
    }
    return toErrorResponse(error, requestId);
  }
}

async function withIdempotency(
  { scopeHash, bodyHash, now, requestId }: Keyed,
  run: () => Promise<APIGatewayProxyStructuredResultV2>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const replay = await idempotency.claimOrAwait(scopeHash, bodyHash, now);
  if (replay) return json(replay.status, replay.body, { 'idempotent-replayed': 'true' });
  let response: APIGatewayProxyStructuredResultV2;
  try {
    response = await run();
  } catch (error) {
    response = toErrorResponse(error, requestId);
  }
  const status = response.statusCode ?? 200;
  if (status >= 500 || status === 429 || response.isBase64Encoded) {
    await idempotency.release(scopeHash);
    return response;
  }
  try {
    await idempotency.complete(scopeHash, { status, body: JSON.parse(String(response.body)) });
  } catch (error) {
    // The work has committed: it is answered as done. The claim stays in progress, so a retry
    // hears 409 rather than running the work again.
    console.error(JSON.stringify({ level: 'error', requestId, event: 'idempotency-complete-failed', message: (error as Error)?.message }));
  }
  return response;
}

function toErrorResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (error instanceof AppError) return errorResponse(error, requestId);
  // An unexpected fault: logged with the request id, answered without internals.
  console.error(JSON.stringify({ level: 'error', requestId, name: (error as Error)?.name, message: (error as Error)?.message }));
  return errorResponse(new AppError('INTERNAL', ERROR_MESSAGES.INTERNAL), requestId);
}
