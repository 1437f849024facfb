/**
 * Idempotency records, after Powertools' DynamoDBPersistenceLayer: a conditional put claims the
 * key before the work starts; a failed condition hands back the existing record, which says
 * whether to replay the first response, refuse a different body, or report "still running".
 *
 *   first request:  put(in_progress) ──work──> update(completed, response), retried
 *   repeat:         put fails ─> completed? replay : in_progress? wait for it, then 409 : other body? 422
 *   work fails:     delete, so a retry can run again
 *
 * A claim in progress is never taken over while the record lives: it cannot tell a request that
 * died before its work committed from one whose work committed but whose completion could not be
 * written, and running committed work a second time (a second comment, a second correction) is
 * the one outcome a retry must never have. Such a key answers 409 until the record expires; the
 * person's next action comes with a new key.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AppError } from '@contract/errors';
import { idempotencyKey } from './keys';
import { isConditionFailure, send } from './client';
import { table } from './table';
import type { TransactItem } from './transaction';

export interface StoredResponse {
  status: number;
  body: unknown;
}

const RETENTION_SECONDS = 24 * 3600;

/**
 * The response is kept as one JSON text: replayed as it was given, and cheaper to write than the
 * same object as a DynamoDB map (no marshalling of every field, nothing for the table to parse).
 */
const textOf = (response: StoredResponse): string => JSON.stringify(response);
/** Records written before the text (a map under `response`) are read as they were until they expire. */
const responseOf = (record: Record<string, unknown>): StoredResponse =>
  typeof record.responseText === 'string' ? (JSON.parse(record.responseText) as StoredResponse) : (record.response as StoredResponse);
/** Waits before the further tries of a completion (each try is itself up to 3 SDK attempts). */
const COMPLETE_BACKOFF_MS = [200, 1000];

/** Claims the key; returns the first response to replay when the request was already done. */
export async function claim(scope: string, bodyHash: string, now: Date): Promise<StoredResponse | undefined> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...idempotencyKey(scope),
          type: 'Idempotency',
          status: 'in_progress',
          bodyHash,
          expiresAt: nowSeconds + RETENTION_SECONDS,
        },
        // An expired record may linger until TTL deletes it: it no longer counts.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': nowSeconds },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return undefined;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const raw = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
    const existing = raw ? unmarshall(raw) : undefined;
    if (!existing) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    if (existing.bodyHash !== bodyHash) throw new AppError('IDEMPOTENCY_MISMATCH');
    if (existing.status !== 'completed') throw new AppError('IDEMPOTENCY_IN_PROGRESS', undefined, { retryAfter: 1 });
    return responseOf(existing);
  }
}

/** How long a repeat waits for the first request's work (which never waits on WeChat) to finish. */
const WAIT_FOR_FIRST_MS = 3000;
const WAIT_STEP_MS = 150;

/**
 * Claims the key as `claim` does, but a repeat that arrives while the first request is still
 * working waits for it: the first response is replayed when it completes, or the claim is taken
 * when the first failed and released it. Still in progress after the wait: 409, as before.
 */
export async function claimOrAwait(scope: string, bodyHash: string, now: Date): Promise<StoredResponse | undefined> {
  const until = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    try {
      return await claim(scope, bodyHash, now);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'IDEMPOTENCY_IN_PROGRESS') || Date.now() + WAIT_STEP_MS > until) throw error;
      await new Promise((done) => setTimeout(done, WAIT_STEP_MS));
    }
  }
}

/**
 * Records the response of work that has committed, trying again over a short outage; if it still
 * fails, the claim stays in progress (see above) and the error is the caller's to log.
 */
export async function complete(scope: string, response: StoredResponse): Promise<void> {
  const update = new UpdateCommand({
    TableName: table(),
    Key: idempotencyKey(scope),
    UpdateExpression: 'SET #status = :done, responseText = :response',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':done': 'completed', ':response': textOf(response) },
  });
  for (const wait of [...COMPLETE_BACKOFF_MS, undefined]) {
    try {
      await send(update);
      return;
    } catch (error) {
      if (wait === undefined) throw error;
      await new Promise((done) => setTimeout(done, wait));
    }
  }
}

export async function release(scope: string): Promise<void> {
  await send(new DeleteCommand({ TableName: table(), Key: idempotencyKey(scope) }));
}

/**
 * Recording the key with the act. On routes that end in one transaction (book, cancel, sign up,
 * verify, take a ticket, call next), the pipeline does not claim the key first: it opens an
 * intent here, and the act's transaction (`transact(parts, { answers })`) writes the completed
 * record, with the response the route will give, as one more item. A retry's transaction fails on
 * that item and the first response is replayed; a request whose act fails writes no record.
 */
export type Answer = unknown;

interface Intent {
  scope: string;
  bodyHash: string;
  nowSeconds: number;
  status: number;
  /** Set once the act's transaction carries the record. */
  recorded?: StoredResponse;
}

const intents = new AsyncLocalStorage<Intent>();

/** Thrown when the act's transaction found the key already recorded: the response to replay. */
export class AlreadyAnswered extends Error {
  constructor(readonly response: StoredResponse) {
    super('already answered');
  }
}

export async function withRecordedAct<T>(
  scope: string,
  bodyHash: string,
  now: Date,
  status: number,
  act: () => Promise<T>,
): Promise<{ result: T; recorded?: StoredResponse }> {
  const intent: Intent = { scope, bodyHash, nowSeconds: Math.floor(now.getTime() / 1000), status };
  const result = await intents.run(intent, act);
  return { result, recorded: intent.recorded };
}

/** What a repeat finds: the response to replay, or a refusal (another body, or still running). */
function replayOf(existing: Record<string, unknown> | undefined, bodyHash: string): StoredResponse {
  if (!existing) throw new AppError('IDEMPOTENCY_IN_PROGRESS', undefined, { retryAfter: 1 });
  if (existing.bodyHash !== bodyHash) throw new AppError('IDEMPOTENCY_MISMATCH');
  if (existing.status !== 'completed') throw new AppError('IDEMPOTENCY_IN_PROGRESS', undefined, { retryAfter: 1 });
  return responseOf(existing);
}

/** The record as a part of the act's transaction, when the request is inside an intent. */
export function answerPart(answer: Answer): { item: TransactItem; taken: (existing: Record<string, unknown> | undefined) => never } | undefined {
  const intent = intents.getStore();
  if (!intent) return undefined;
  const response: StoredResponse = { status: intent.status, body: answer };
  intent.recorded = response;
  return {
    item: {
      Put: {
        TableName: table(),
        Item: { ...idempotencyKey(intent.scope), type: 'Idempotency', status: 'completed', bodyHash: intent.bodyHash, responseText: textOf(response), expiresAt: intent.nowSeconds + RETENTION_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': intent.nowSeconds },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    taken: (existing) => {
      intent.recorded = undefined;
      throw new AlreadyAnswered(replayOf(existing, intent.bodyHash));
    },
  };
}

/**
 * For an act that spends something before its transaction (a take's number): the key of this
 * request's record, to read with the act's first read, and `found`, which replays an answered
 * request (AlreadyAnswered) before anything is spent. undefined outside a with-act request.
 */
export function answerRecord(): { key: Record<string, string>; found: (existing: Record<string, unknown>) => void } | undefined {
  const intent = intents.getStore();
  if (!intent) return undefined;
  return {
    key: idempotencyKey(intent.scope),
    found: (existing) => {
      if (Number(existing.expiresAt) >= intent.nowSeconds) throw new AlreadyAnswered(replayOf(existing, intent.bodyHash));
    },
  };
}

/** After an act refused with an error: the first response, if an earlier request with this key did the act. */
export async function earlierAnswer(scope: string, bodyHash: string, now: Date): Promise<StoredResponse | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: idempotencyKey(scope), ConsistentRead: true }));
  if (!Item || Number(Item.expiresAt) < Math.floor(now.getTime() / 1000)) return undefined;
  return replayOf(Item, bodyHash);
}

/** Records an answer given without the act's transaction, unless a record is already there. */
export async function record(scope: string, bodyHash: string, now: Date, response: StoredResponse): Promise<void> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await send(
      new PutCommand({
        TableName: table(),
        Item: { ...idempotencyKey(scope), type: 'Idempotency', status: 'completed', bodyHash, responseText: textOf(response), expiresAt: nowSeconds + RETENTION_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': nowSeconds },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
