/**
 * What the handlers send to DynamoDB, recorded at the SDK's document client (the only client the
 * store uses), so the benchmark can send the same commands again without the handler ("bare"),
 * and run the handler again with the database answered from the recording ("stub": the
 * handler's own code, nothing else). Depends on the SDK only, not on the product's internals.
 */
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

type Command = { readonly input: object; constructor: new (input: never) => Command };

export interface Recorded {
  /** The document client's command class (GetCommand, TransactWriteCommand…). */
  ctor: new (input: never) => Command;
  input: Record<string, unknown>;
  /** Order of the start and the end among all events of the request. */
  startSeq: number;
  endSeq: number;
  start: number;
  end: number;
  output?: unknown;
  error?: unknown;
}

let recording: Recorded[] | undefined;
let stubbing: { recorded: Recorded[]; next: number; mismatch?: string } | undefined;
let seq = 0;
/** Time spent copying inputs and outputs while recording: taken off the measured request. */
let bookkeeping = 0;

const originalSend = DynamoDBDocumentClient.prototype.send as (this: DynamoDBDocumentClient, command: unknown, ...rest: unknown[]) => Promise<unknown>;

function clone<T>(value: T): T {
  const t = performance.now();
  const copy = structuredClone(value);
  bookkeeping += performance.now() - t;
  return copy;
}

/** Replaces `send` on every document client: records or stubs when asked, else passes through. */
export function installCapture(): void {
  Object.defineProperty(DynamoDBDocumentClient.prototype, 'send', {
    configurable: true,
    writable: true,
    value: function send(this: DynamoDBDocumentClient, command: Command, ...rest: unknown[]): Promise<unknown> {
      if (stubbing) {
        const stub = stubbing;
        const rec = stub.recorded[stub.next++];
        if (!rec || rec.ctor !== command.constructor) {
          stub.mismatch ??= `call ${stub.next}: ${command.constructor.name} where ${rec?.ctor.name ?? 'nothing'} was recorded`;
          return Promise.reject(new Error(`stub mismatch: ${stub.mismatch}`));
        }
        // Answered after a turn of the event loop, as a real response would be.
        return new Promise((resolve, reject) =>
          setImmediate(() => (rec.error !== undefined ? reject(rec.error) : resolve(structuredClone(rec.output)))),
        );
      }
      const log = recording;
      if (!log) return originalSend.call(this, command, ...rest);
      const rec: Recorded = {
        ctor: command.constructor,
        input: clone(command.input) as Record<string, unknown>,
        startSeq: seq++,
        endSeq: -1,
        start: performance.now(),
        end: 0,
      };
      log.push(rec);
      return originalSend.call(this, command, ...rest).then(
        (output) => {
          rec.end = performance.now();
          rec.endSeq = seq++;
          rec.output = clone(output);
          return output;
        },
        (error: unknown) => {
          rec.end = performance.now();
          rec.endSeq = seq++;
          rec.error = error;
          throw error;
        },
      );
    },
  });
}

/** Runs fn, recording its DynamoDB calls; `ms` is fn's wall time less the recording's own cost. */
export async function record<T>(fn: () => Promise<T>): Promise<{ result: T; calls: Recorded[]; ms: number }> {
  const calls: Recorded[] = [];
  recording = calls;
  bookkeeping = 0;
  const t = performance.now();
  try {
    const result = await fn();
    const ms = performance.now() - t - bookkeeping;
    return { result, calls, ms };
  } finally {
    recording = undefined;
  }
}

/** Runs fn with every DynamoDB call answered, in order, from `recorded` (no database). */
export async function stubbed<T>(recorded: Recorded[], fn: () => Promise<T>): Promise<{ result: T; ms: number; mismatch?: string }> {
  stubbing = { recorded, next: 0 };
  const t = performance.now();
  try {
    const result = await fn();
    const ms = performance.now() - t;
    const mismatch = stubbing.mismatch ?? (stubbing.next !== recorded.length ? `${stubbing.next} calls where ${recorded.length} were recorded` : undefined);
    return { result, ms, mismatch };
  } finally {
    stubbing = undefined;
  }
}

/** Wall time during which at least one call was in flight. */
export function dbWait(calls: Recorded[]): number {
  const spans = calls.map((c) => [c.start, c.end] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = [-Infinity, -Infinity];
  for (const [s, e] of spans) {
    if (s > to) {
      if (to > from) total += to - from;
      [from, to] = [s, e];
    } else to = Math.max(to, e);
  }
  if (to > from) total += to - from;
  return total;
}

/** A document client configured as the product's (functions/store/client.ts), for the bare replays. */
export function bareClient(endpoint: string): DynamoDBDocumentClient {
  const base = new DynamoDBClient({
    region: 'cn-north-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 5000 }),
  });
  return DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } });
}

/** The same input aimed at another table (TableName anywhere, RequestItems keys). */
export function retarget(input: unknown, from: string, to: string): unknown {
  if (Array.isArray(input)) return input.map((v) => retarget(v, from, to));
  if (!input || typeof input !== 'object' || input instanceof Uint8Array || input instanceof Set) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'TableName' && value === from) out[key] = to;
    else if (key === 'RequestItems' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([t, v]) => [t === from ? to : t, retarget(v, from, to)]));
    } else out[key] = retarget(value, from, to);
  }
  return out;
}

export interface Prepared {
  commands: Command[];
  /** For each command, the indexes of the commands that had finished before it started. */
  after: number[][];
  /** Whether each recorded call failed (a condition, a cancelled transaction). */
  failed: boolean[];
}

/** The recorded calls as commands on `to`, keeping which ran after which (sequential or in parallel). */
export function prepare(calls: Recorded[], from: string, to: string): Prepared {
  return {
    commands: calls.map((c) => new c.ctor(retarget(c.input, from, to) as never)),
    after: calls.map((c) => calls.flatMap((d, j) => (d.endSeq < c.startSeq ? [j] : []))),
    failed: calls.map((c) => c.error !== undefined),
  };
}

/**
 * Sends prepared commands as the handler did (each after the ones that had finished before it
 * started), without the handler. Returns the wall time and how many calls ended differently
 * from the recording (should be 0: the mirror table holds the same items).
 */
export async function replay(client: DynamoDBDocumentClient, prepared: Prepared): Promise<{ ms: number; diverged: number }> {
  let diverged = 0;
  const debug = process.env.OVERHEAD_DEBUG === '1';
  const t = performance.now();
  const done: Promise<void>[] = [];
  const sequential = prepared.after.every((deps, i) => deps.length === i);
  const one = async (i: number) => {
    let failed = false;
    try {
      await client.send(prepared.commands[i] as never);
    } catch (error) {
      failed = true;
      if (debug && !prepared.failed[i]) console.log('replay failed:', prepared.commands[i]?.constructor.name, JSON.stringify(prepared.commands[i]?.input).slice(0, 600), (error as Error).message);
    }
    if (failed !== prepared.failed[i]) diverged++;
    if (debug && !failed && prepared.failed[i]) console.log('replay succeeded where the handler failed:', prepared.commands[i]?.constructor.name, JSON.stringify(prepared.commands[i]?.input).slice(0, 600));
  };
  if (sequential) {
    for (let i = 0; i < prepared.commands.length; i++) await one(i);
  } else {
    prepared.commands.forEach((_, i) => {
      done[i] = Promise.all(prepared.after[i]!.map((j) => done[j])).then(() => one(i));
    });
    await Promise.all(done);
  }
  return { ms: performance.now() - t, diverged };
}

const WRITES = new Set(['PutCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteCommand', 'BatchWriteCommand']);
export const isWrite = (c: Recorded): boolean => WRITES.has(c.ctor.name);

/** DynamoDB's name for a document-client command: GetCommand → GetItem. */
export function apiName(c: Recorded): string {
  const name = c.ctor.name.replace(/Command$/, '');
  return ({ Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', TransactWrite: 'TransactWriteItems', TransactGet: 'TransactGetItems', BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem' } as Record<string, string>)[name] ?? name;
}

const prefix = (key: unknown): string => (typeof key === 'string' ? key.replace(/#.*$/, '#') : '?');

function keyOf(input: Record<string, unknown>): string {
  const key = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
  if (key) return `${prefix(key.pk)}/${prefix(key.sk)}`;
  if (input.IndexName || input.KeyConditionExpression) {
    const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
    const first = Object.values(values).find((v) => typeof v === 'string');
    return `${(input.IndexName as string | undefined) ?? 'table'} ${prefix(first)}`;
  }
  return '';
}

/** One call as a reader can check it: `GetItem COMMUNITY#/MEMBER#`, `TransactWriteItems[Update TICKET#/TICKET, …]`. */
export function describe(c: Recorded): string {
  const input = c.input;
  if (Array.isArray(input.TransactItems)) {
    const parts = (input.TransactItems as Record<string, Record<string, unknown>>[]).map((item) => {
      const [kind, body] = Object.entries(item)[0]!;
      return `${kind} ${keyOf(body)}`;
    });
    return `${apiName(c)}[${parts.join(', ')}]`;
  }
  if (input.RequestItems) {
    const n = Object.values(input.RequestItems as Record<string, { Keys?: unknown[] }>).reduce((s, v) => s + (v.Keys?.length ?? 0), 0);
    return `${apiName(c)}(${n} keys)`;
  }
  return `${apiName(c)} ${keyOf(input)}`.trim();
}

/** The idempotency record's calls (claim and completion), told by the record's key. */
export const isIdempotency = (c: Recorded): boolean => JSON.stringify(c.input.Key ?? c.input.Item ?? {}).includes('IDEMPOTENCY#');

const isIdempotencyItem = (item: Record<string, Record<string, unknown>>) => Object.values(item).some((body) => JSON.stringify(body.Item ?? body.Key ?? {}).includes('IDEMPOTENCY#'));

/**
 * A route that records its Idempotency-Key with its act (`idempotency: 'with-act'`) writes the
 * record as one item of the act's transaction: the bare operation is that transaction without the
 * item, and the record is the item alone (a Put, sent untimed to keep the mirror whole).
 */
export function splitRecordedAct(calls: Recorded[]): { act: Recorded[]; records: Recorded[] } {
  const act: Recorded[] = [];
  const records: Recorded[] = [];
  for (const c of calls) {
    const items = c.input.TransactItems as Record<string, Record<string, unknown>>[] | undefined;
    const record = items?.find(isIdempotencyItem);
    if (!items || !record) {
      act.push(c);
      continue;
    }
    act.push({ ...c, input: { ...c.input, TransactItems: items.filter((item) => item !== record) } });
    // The act failed (a replay): the record was not written, so neither is the mirror's.
    if (c.error === undefined) records.push({ ...c, ctor: PutCommand as unknown as Recorded['ctor'], input: record.Put! });
  }
  return { act, records };
}

/**
 * Runs fn with `Intl.DateTimeFormat` built once per (locale, options) and reused: what the
 * handler code would cost if the time helpers kept their formatters. Measurement only.
 */
export async function withCachedIntl<T>(fn: () => Promise<T>): Promise<T> {
  const Original = Intl.DateTimeFormat;
  const cached = function DateTimeFormat(locales?: string | string[], options?: Intl.DateTimeFormatOptions) {
    const key = JSON.stringify([locales, options]);
    let format = intlCache.get(key);
    if (!format) intlCache.set(key, (format = new Original(locales, options)));
    return format;
  } as unknown as typeof Intl.DateTimeFormat;
  Object.assign(cached, { prototype: Original.prototype, supportedLocalesOf: Original.supportedLocalesOf.bind(Original) });
  (Intl as { DateTimeFormat: typeof Intl.DateTimeFormat }).DateTimeFormat = cached;
  try {
    return await fn();
  } finally {
    (Intl as { DateTimeFormat: typeof Intl.DateTimeFormat }).DateTimeFormat = Original;
  }
}
const intlCache = new Map<string, Intl.DateTimeFormat>();
