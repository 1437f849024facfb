/**
 * Upload records. An upload is claimed once: `pending` → `claimed` by a conditional update, so
 * two acts naming the same upload at the same moment cannot both take it. A claim whose file turns
 * out to be unusable ends `rejected`; one that failed for a passing reason goes back to `pending`.
 * A claim that does not hold fails its condition by name: `upload`.
 *
 * A claimed file waits for the act that names it (`awaitingUse`) and is used by that act's own
 * transaction (`uploadsUsed`), once: a request refused after its photos were checked leaves them
 * to their owner for the next try, and two acts naming the same file cannot both keep it.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UploadContentType, UploadPurpose } from '@contract/uploads';
import { send } from './client';
import { uploadKey } from './keys';
import { table } from './table';
import { conditional, type TransactItem } from './transaction';

export type UploadStatus = 'pending' | 'claimed' | 'rejected';

export interface UploadRecord {
  id: string;
  userId: string;
  purpose: UploadPurpose;
  contentType: UploadContentType;
  /** Bytes the client declared, and signed into the PUT. */
  size: number;
  rawKey: string;
  status: UploadStatus;
  createdAt: string;
  /** Epoch seconds: the item and, by the bucket's lifecycle rule, the raw bytes are gone by then. */
  expiresAt: number;
  /** Set by the claim: the checked file's key and what it holds. */
  fileKey?: string;
  /** Set with the file, removed by the act that uses it: until then its owner may name it again. */
  awaitingUse?: true;
  /** The record (request, notice) that uses the file. */
  usedBy?: string;
  fileType?: string;
  fileSize?: number;
  width?: number;
  height?: number;
}

export async function putUpload(record: UploadRecord): Promise<void> {
  await send(
    new PutCommand({
      TableName: table(),
      Item: { ...uploadKey(record.id), type: 'Upload', ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getUpload(id: string): Promise<UploadRecord | undefined> {
  const { Item } = await send<{ Item?: UploadRecord }>(new GetCommand({ TableName: table(), Key: uploadKey(id), ConsistentRead: true }));
  return Item;
}

/**
 * Takes a pending upload for its owner and purpose, before anything is read from the bucket. The
 * condition repeats what the caller checked, so a lost race or a changed record fails (`upload`) here.
 */
export async function claimPending(id: string, userId: string, purpose: UploadPurpose, now: Date): Promise<void> {
  await conditional(
    'upload',
    new UpdateCommand({
      TableName: table(),
      Key: uploadKey(id),
      UpdateExpression: 'SET #status = :claimed, claimedAt = :at',
      ConditionExpression: '#status = :pending AND userId = :user AND purpose = :purpose AND expiresAt > :nowSeconds',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':claimed': 'claimed',
        ':pending': 'pending',
        ':at': now.toISOString(),
        ':user': userId,
        ':purpose': purpose,
        ':nowSeconds': Math.floor(now.getTime() / 1000),
      },
    }),
  );
}

/** Records the checked file on the claimed upload, which waits for its act (and expires as before, if none comes). */
export async function recordClaimedFile(id: string, file: { key: string; contentType: string; size: number; width?: number; height?: number }): Promise<void> {
  await send(
    new UpdateCommand({
      TableName: table(),
      Key: uploadKey(id),
      UpdateExpression: 'SET fileKey = :key, fileType = :type, fileSize = :size, width = :width, height = :height, awaitingUse = :true',
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':key': file.key,
        ':type': file.contentType,
        ':size': file.size,
        ':width': file.width ?? null,
        ':height': file.height ?? null,
        ':true': true,
        ':claimed': 'claimed',
      },
    }),
  );
}

/**
 * The files an act uses, as items of its transaction (one part, `uploads`): each must still wait
 * for its use by this owner and purpose; once used it no longer expires and cannot be named again.
 */
export function uploadsUsed(ids: readonly string[], owner: { userId: string; purpose: UploadPurpose }, usedBy: string, now: Date): TransactItem[] {
  return ids.map((id) => ({
    Update: {
      TableName: table(),
      Key: uploadKey(id),
      UpdateExpression: 'SET usedBy = :usedBy REMOVE awaitingUse, expiresAt',
      ConditionExpression: 'awaitingUse = :true AND userId = :user AND purpose = :purpose AND expiresAt > :nowSeconds',
      ExpressionAttributeValues: {
        ':usedBy': usedBy,
        ':true': true,
        ':user': owner.userId,
        ':purpose': owner.purpose,
        ':nowSeconds': Math.floor(now.getTime() / 1000),
      },
    },
  }));
}

/**
 * Ends a claim that did not produce a file: `rejected` when the bytes were unusable (a new upload
 * is needed), `pending` when the failure was passing (the storage was unreachable), so a retry of
 * the same act can claim it again.
 */
export async function releaseClaim(id: string, outcome: 'rejected' | 'pending'): Promise<void> {
  await send(
    new UpdateCommand({
      TableName: table(),
      Key: uploadKey(id),
      UpdateExpression: 'SET #status = :outcome REMOVE claimedAt',
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':outcome': outcome, ':claimed': 'claimed' },
    }),
  );
}
