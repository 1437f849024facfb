import { createHash, timingSafeEqual } from 'node:crypto';
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import { AppError } from '@contract/errors';
import { config } from '../lib/config';
import { send } from './client';

export const table = (): string => config().tableName;

type Key = Record<string, unknown>;
type PageQuery = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Select'>;

const invalidCursor = () =>
  new AppError('VALIDATION', '分页参数 cursor 无效', { details: [{ path: 'cursor', message: '无效的分页游标，请从第一页重新查询' }] });

/**
 * What makes two page requests "the same query": the index, the key and filter conditions and the
 * partition they read. Range bounds that move with the clock (":at" = now) are left out, so the
 * next page of "upcoming" still follows the first; the partition is kept, so a cursor from another
 * community's list is refused.
 */
function cursorScope(input: PageQuery): string {
  const partition = /^\s*[\w#]+\s*=\s*(:\w+)/.exec(input.KeyConditionExpression ?? '')?.[1];
  return JSON.stringify([
    input.IndexName ?? '',
    input.KeyConditionExpression ?? '',
    input.FilterExpression ?? '',
    input.ScanIndexForward ?? true,
    partition ? input.ExpressionAttributeValues?.[partition] : undefined,
  ]);
}

/** A checksum binding a LastEvaluatedKey to its query: a cursor is only honoured by that query. */
const seal = (scope: string, key: string) => createHash('sha256').update(scope).update('\n').update(key).digest('base64url').slice(0, 22);

/** Pagination cursors: the LastEvaluatedKey and a checksum of it with its query; opaque to clients. */
function encodeCursor(key: Key | undefined, scope: string): string | undefined {
  if (!key) return undefined;
  const json = JSON.stringify(key);
  return `${Buffer.from(json).toString('base64url')}.${seal(scope, json)}`;
}

function decodeCursor(cursor: string | undefined, scope: string): Key | undefined {
  if (!cursor) return undefined;
  const [body = '', tag, extra] = cursor.split('.');
  const json = Buffer.from(body, 'base64url').toString('utf8');
  // Garbled, made up, or issued for another query (another community, another list, another route).
  if (extra !== undefined || !tag || tag.length !== 22 || !timingSafeEqual(Buffer.from(tag), Buffer.from(seal(scope, json)))) throw invalidCursor();
  try {
    const key: unknown = JSON.parse(json);
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Key;
  } catch {
    // unreachable for a cursor we sealed: answered below
  }
  throw invalidCursor();
}

/**
 * One page of a query, continuing from a cursor this same query issued. Every list route pages
 * through here, so a cursor is checked once, the same way, everywhere.
 */
export async function queryPage(input: PageQuery, cursor: string | undefined): Promise<{ items: Key[]; next?: string }> {
  const scope = cursorScope(input);
  const start = decodeCursor(cursor, scope);
  try {
    const page = await send<{ Items?: Key[]; LastEvaluatedKey?: Key }>(new QueryCommand({ ...input, TableName: table(), ExclusiveStartKey: start }));
    return { items: page.Items ?? [], next: encodeCursor(page.LastEvaluatedKey, scope) };
  } catch (error) {
    // A sealed key the database still refuses (a key from before a schema change): the cursor's fault.
    if (start && (error as { name?: string })?.name === 'ValidationException') throw invalidCursor();
    throw error;
  }
}

/** Strips the table's key attributes so items can be returned as domain records. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, type: _t, expiresAt: _e, ...rest } = item;
  return rest as T;
}

/**
 * Reads a filtered query page by page until `limit` items matched, the list ended, or
 * `FILTERED_ROUNDS` reads were made (then the page is short and `next` continues). Each read
 * evaluates at most the items still missing, so a page never exceeds `limit` and its cursor is
 * exact.
 */
const FILTERED_ROUNDS = 20;
export async function filteredPage(input: PageQuery & { Limit: number }, cursor: string | undefined): Promise<Page<Record<string, unknown>>> {
  const items: Record<string, unknown>[] = [];
  let next = cursor;
  for (let round = 0; round < FILTERED_ROUNDS; round++) {
    const page = await queryPage({ ...input, Limit: input.Limit - items.length }, next);
    items.push(...page.items);
    next = page.next;
    if (!next || items.length >= input.Limit || !input.FilterExpression) break;
  }
  return { items, next };
}

/** Every page of a query, for bounded partitions (a month's requests, a region's communities, a day's tickets). */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Key[]> {
  const items: Key[] = [];
  let start: Key | undefined;
  do {
    const page = await send<{ Items?: Key[]; LastEvaluatedKey?: Key }>(new QueryCommand({ ...input, TableName: table(), ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every item of a partition under a sort-key prefix (a community's staff, its grids, a month's visits), strongly consistent unless told. */
export async function queryPrefix(q: { pk: string; skPrefix: string }, options: { consistent?: boolean } = {}): Promise<Key[]> {
  return queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
    ConsistentRead: options.consistent ?? true,
  });
}

/** A person's own things under one prefix of the "by user" index (GSI1), every page. */
export async function userItems<T>(q: { gsi1pk: string; gsi1skPrefix: string }): Promise<T[]> {
  const items = await queryAll({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.gsi1pk, ':prefix': q.gsi1skPrefix },
  });
  return items.map((item) => stripKeys<T>(item));
}

/** One page of them, newest first. */
export async function userItemsPage<T>(q: { gsi1pk: string; gsi1skPrefix: string }, options: { limit: number; cursor?: string }): Promise<{ items: T[]; next?: string }> {
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.gsi1pk, ':prefix': q.gsi1skPrefix },
      ScanIndexForward: false,
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<T>(item)), ...(next ? { next } : {}) };
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
