/**
 * The load generator's plumbing: a bounded-concurrency pool (FIFO), and a recording HTTP client
 * (plain Node fetch, loopback only) that classifies every answer as ok, an expected refusal
 * (SLOT_FULL, ALREADY_VOTED, QUEUE_EMPTY…) or an error (any 5xx, network failure, or a 4xx the
 * caller did not expect).
 */
import { performance } from 'node:perf_hooks';

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** At most `limit` tasks in flight; the rest wait their turn, first come first served. */
export class Pool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  peak = 0;

  constructor(readonly name: string, readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export type Outcome = 'ok' | 'expected' | 'error';

export interface Sample {
  /** The route template, e.g. `POST /v1/tickets/{id}/complete`. */
  endpoint: string;
  status: number;
  code?: string;
  outcome: Outcome;
  /** performance.now() when sent and when the body was read. */
  sentAt: number;
  doneAt: number;
  ms: number;
  /** Phase the request belongs to ('seed', 'rush', 'verify'). */
  phase: string;
}

export interface Reply<T = any> {
  status: number;
  code?: string;
  body: T;
  outcome: Outcome;
  sentAt: number;
  doneAt: number;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** The request's clock (x-test-now, test stage). A function is called when the request is sent. */
  now?: Date | (() => Date);
  /** Statuses (numbers) and error codes (strings) that are expected outcomes besides 2xx. */
  expect?: (number | string)[];
}

export class Client {
  readonly samples: Sample[] = [];
  phase = 'seed';
  readonly errors: { endpoint: string; status: number; code?: string; message?: string }[] = [];

  constructor(readonly base: string) {}

  async request<T = any>(endpoint: string, method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const now = typeof options.now === 'function' ? options.now() : options.now;
    if (now) headers['x-test-now'] = now.toISOString();
    const sentAt = performance.now();
    let status = 0;
    let body: any;
    let code: string | undefined;
    let responseHeaders = new Headers();
    let message: string | undefined;
    try {
      const response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      status = response.status;
      responseHeaders = response.headers;
      const text = await response.text();
      body = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
      code = body?.error?.code;
      message = body?.error?.message;
    } catch (error) {
      message = (error as Error).message;
    }
    const doneAt = performance.now();
    const expected = options.expect ?? [];
    let outcome: Outcome;
    if (status >= 200 && status < 300) outcome = 'ok';
    else if (status > 0 && status < 500 && (expected.includes(status) || (code !== undefined && expected.includes(code)))) outcome = 'expected';
    else outcome = 'error';
    this.samples.push({ endpoint, status, code, outcome, sentAt, doneAt, ms: doneAt - sentAt, phase: this.phase });
    if (outcome === 'error') this.errors.push({ endpoint, status, code, message });
    return { status, code, body: body as T, outcome, sentAt, doneAt, headers: responseHeaders };
  }
}

/** A promise with its resolver, for "this person has logged in". */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
