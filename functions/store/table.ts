import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@contract/errors';
import { config } from '../lib/config';
import { send } from './client';

export const table = (): string => config().tableName;

/** Pagination cursors are the LastEvaluatedKey, opaque to clients. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // a cursor the client made up: answered below
  }
  throw new AppError('VALIDATION', '分页参数 cursor 无效', { details: [{ path: 'cursor', message: '无效的分页游标' }] });
}

/** Strips the table's key attributes so items can be returned as domain records. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, type: _t, expiresAt: _e, ...rest } = item;
  return rest as T;
}

/** Counts the items a query matches, page by page (a COUNT query returns no items). */
export async function countMatching(input: Omit<QueryCommandInput, 'Select' | 'ExclusiveStartKey' | 'TableName'>): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await send<{ Count?: number; LastEvaluatedKey?: Record<string, unknown> }>(
      new QueryCommand({ ...input, TableName: table(), Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}
