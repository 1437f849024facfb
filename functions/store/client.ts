/**
 * The DynamoDB client, and the one place where SDK failures become domain errors.
 *
 * Every store module sends through `send`, so:
 *  - an unreachable database becomes 503 UNAVAILABLE with Retry-After, never a hang or a 500;
 *  - when LINLI_COUNT_CALLS=1 (tests, benchmarks) each call is recorded against the request
 *    that made it, which is how the tests prove "one round trip" and "never a Scan".
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@contract/errors';
import { config } from '../lib/config';

export interface CallRecord {
  command: string;
  consumed?: number;
  /** A transaction's or batch's kinds of part (Put, Update, ConditionCheck…): IAM authorizes each. */
  parts?: string[];
}

const calls = new AsyncLocalStorage<CallRecord[]>();

/** Receives the calls made outside withCallLog (scheduled runs, the board socket), when counting. */
let unlogged: ((record: CallRecord) => void) | undefined;

/** Tests attribute those calls to the Lambda function that made them (tests/support/iam.ts). */
export function onUnloggedCall(observer: ((record: CallRecord) => void) | undefined): void {
  unlogged = observer;
}

/** The kinds of part of a TransactWriteItems, TransactGetItems or BatchWriteItem input. */
function partsOf(input: { TransactItems?: object[]; RequestItems?: Record<string, unknown> }): string[] | undefined {
  if (input.TransactItems) return [...new Set(input.TransactItems.flatMap((item) => Object.keys(item)))];
  const requests = Object.values(input.RequestItems ?? {}).filter(Array.isArray) as object[][];
  return requests.length ? [...new Set(requests.flat().flatMap((request) => Object.keys(request)))] : undefined;
}

/** Runs fn and returns the DynamoDB calls it made (when call counting is on). */
export async function withCallLog<T>(fn: () => Promise<T>): Promise<{ result: T; calls: CallRecord[] }> {
  const log: CallRecord[] = [];
  const result = await calls.run(log, fn);
  return { result, calls: log };
}

let client: DynamoDBDocumentClient | undefined;

export function documentClient(): DynamoDBDocumentClient {
  if (client) return client;
  const { dynamoEndpoint, region } = config();
  const base = new DynamoDBClient({
    region,
    endpoint: dynamoEndpoint,
    // DynamoDB Local accepts any credentials; in AWS the function's role provides them.
    ...(dynamoEndpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 3,
    // Options, not a NodeHttpHandler instance: the SDK builds its own handler from them, so the
    // bundle needs no copy of @smithy's HTTP stack (the Lambda runtime ships it with the SDK).
    requestHandler: { connectionTimeout: 1000, requestTimeout: 5000 },
  });
  client = DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  if (process.env.LINLI_COUNT_CALLS === '1') {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        const record: CallRecord = { command: context.commandName ?? 'unknown' };
        const parts = partsOf(args.input as object);
        if (parts) record.parts = parts;
        // Recorded before it is sent, so a call that fails its condition counts too.
        const log = calls.getStore();
        if (log) log.push(record);
        else unlogged?.(record);
        const output = await next(args);
        record.consumed = sumCapacity((output.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        return output;
      },
      { step: 'initialize', name: 'linliCallLog' },
    );
  }
  return client;
}

function sumCapacity(consumed: unknown): number | undefined {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  if (list.length === 0) return undefined;
  return list.reduce((sum: number, c: { CapacityUnits?: number }) => sum + (c.CapacityUnits ?? 0), 0);
}

const UNREACHABLE = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ServiceUnavailable',
  'InternalServerError',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** True for SDK errors that mean "the database could not be reached or is overloaded". */
export function isUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    UNREACHABLE.has(e?.name ?? '') ||
    UNREACHABLE.has(e?.code ?? '') ||
    (e?.$metadata?.httpStatusCode ?? 0) >= 500
  );
}

/** Sends a command; an unreachable database becomes AppError UNAVAILABLE. */
export async function send<T = Record<string, unknown>>(command: { readonly input: object }): Promise<T> {
  try {
    return (await documentClient().send(command as never)) as T;
  } catch (error) {
    if (isUnavailable(error)) throw new AppError('UNAVAILABLE', undefined, { retryAfter: 5 });
    throw error;
  }
}

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** TransactionConflict: another transaction touched the same item at the same moment. */
export function isTransactionConflict(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  return e?.name === 'TransactionCanceledException' && !!e.CancellationReasons?.some((r) => r.Code === 'TransactionConflict');
}

/**
 * Runs a write that may lose a race with another transaction on the same item
 * (TransactionConflict): retried a few times with jitter. Condition failures are not retried.
 */
export async function retryOnConflict<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isTransactionConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
