/**
 * Calling the API in tests: `call` runs the real handlers in-process through the same event
 * adapter the local HTTP server uses; `startApi` serves them over HTTP for browsers.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { onUnloggedCall, withCallLog, type CallRecord } from '../../functions/store/client';
import { appendFileSync } from 'node:fs';
import { invoke, matchRoute, startApiServer } from '../../scripts/local/api-server';
import { recordUnlogged, recordUsage } from './iam';

// Calls made outside a request (scheduled runs, the board socket) are attributed by their stack.
onUnloggedCall(recordUnlogged);

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** A raw body, sent as is (malformed JSON, huge strings). */
  rawBody?: string;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  /** The request's clock (test stage only: sent as x-test-now). */
  now?: Date | string;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, string>;
  /** The DynamoDB calls the request made. */
  calls: CallRecord[];
  raw: APIGatewayProxyStructuredResultV2;
}

export async function call<T = any>(method: string, url: string, options: CallOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (options.now) headers['x-test-now'] = new Date(options.now).toISOString();
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const { result, calls } = await withCallLog(() => invoke({ method, url, headers, body }));
  // No request path may ever Scan the table: every API test checks it on every call.
  const scan = calls.find((c) => c.command === 'ScanCommand');
  if (scan) throw new Error(`${method} ${url} issued a Scan`);
  const matched = matchRoute(method, url.split('?')[0] ?? url);
  // Each function's IAM role must allow what its code issued (tests/support/iam-reporter.ts).
  if (matched) recordUsage(matched.def.fn, calls);
  // bench/roundtrips.ts collects every request's DynamoDB calls from the API tests.
  if (process.env.LINLI_CALL_REPORT) {
    const route = matched ? `${matched.def.method} ${matched.def.path}` : 'unknown';
    appendFileSync(process.env.LINLI_CALL_REPORT, `${JSON.stringify({ route, status: result.statusCode, calls })}\n`);
  }
  const responseHeaders = (result.headers ?? {}) as Record<string, string>;
  const isJson = String(responseHeaders['content-type'] ?? '').startsWith('application/json');
  return {
    status: result.statusCode ?? 200,
    body: isJson && result.body ? JSON.parse(result.body) : result.body,
    headers: responseHeaders,
    calls,
    raw: result,
  };
}

export const startApi = () => startApiServer(0);
