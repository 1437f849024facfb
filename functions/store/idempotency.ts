/**
 * Idempotency records, after Powertools' DynamoDBPersistenceLayer: a conditional put claims the
 * key before the work starts; a failed condition hands back the existing record, which says
 * whether to replay the first response, refuse a different body, or report "still running".
 *
 *   first request:  put(in_progress) ──work──> update(completed, response)
 *   repeat:         put fails ─> completed? replay : in_progress? 409 : other body? 422
 *   work fails:     delete, so a retry can run again
 */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AppError } from '@contract/errors';
import { idempotencyKey } from './keys';
import { isConditionFailure, send } from './client';
import { table } from './table';

export interface StoredResponse {
  status: number;
  body: unknown;
}

const RETENTION_SECONDS = 24 * 3600;
/** A claim older than this is taken to belong to a crashed request and may be taken over. */
const LOCK_SECONDS = 30;

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
          lockedUntil: nowSeconds + LOCK_SECONDS,
          expiresAt: nowSeconds + RETENTION_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#status = :running AND lockedUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': nowSeconds, ':running': 'in_progress' },
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
    return existing.response as StoredResponse;
  }
}

export async function complete(scope: string, response: StoredResponse): Promise<void> {
  await send(
    new UpdateCommand({
      TableName: table(),
      Key: idempotencyKey(scope),
      UpdateExpression: 'SET #status = :done, #response = :response REMOVE lockedUntil',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: { ':done': 'completed', ':response': response },
    }),
  );
}

export async function release(scope: string): Promise<void> {
  await send(new DeleteCommand({ TableName: table(), Key: idempotencyKey(scope) }));
}
