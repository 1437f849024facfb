/**
 * Notices (居务公开) in the table (keys: keys/notices.ts). Posting, editing and withdrawing are
 * each one transaction with their audit entry. Opening a notice writes two idempotent markers:
 * one per person (unread marks) and one per verified household, which staff see counted; the
 * household marker's conditional put is what keeps the count exact when a household's members
 * open it at the same moment.
 */
import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import { AppError } from '@contract/errors';
import type { MoneyRow, NoticeBody, NoticeCategory } from '@contract/notices';
import { auditEntry } from './audit';
import { failedConditions, isConditionFailure, send } from './client';
import { communityNoticesQuery, noticeIndexes, noticeKey, noticeOpenedKey, noticeOpensQuery, noticeReadKey } from './keys';
import type { TransactPut } from './outbox';
import { countMatching, queryPage, stripKeys, table } from './table';

type Item = Record<string, unknown>;

export interface NoticeRecord {
  id: string;
  communityId: string;
  timezone: string;
  title: string;
  category: NoticeCategory;
  body: NoticeBody;
  pinned: boolean;
  /** UTC ISO instants, and the same as epoch milliseconds for conditions and filters. */
  displayFrom: string;
  displayFromEpoch: number;
  displayUntil?: string;
  displayUntilEpoch?: number;
  table?: MoneyRow[];
  /** Checked files under files/ (lib/storage.ts), with the name residents see. */
  attachments?: { key: string; name: string; contentType: string; size: number }[];
  consultationId?: string;
  status: 'active' | 'withdrawn';
  /** Bumped by every edit: an edit applies only to the version it was made from. */
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt?: string;
  withdrawnAt?: string;
}

interface Act {
  actorId: string;
  at: string;
}

const noticeItem = (n: NoticeRecord): Item => ({
  ...noticeKey(n.id),
  ...(n.status === 'active' ? noticeIndexes(n.communityId, n) : {}),
  type: 'Notice',
  ...n,
});

/** The Put of a new notice, for the transaction that posts it (its own, or a published decision's). */
export function noticePut(n: NoticeRecord): TransactPut {
  return { Put: { TableName: table(), Item: noticeItem(n), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** Posts the notice with its audit entry and the messages it owes (outbox Puts), all or nothing. */
export async function postNotice(n: NoticeRecord, act: Act, messages: readonly TransactPut[] = []): Promise<NoticeRecord> {
  const audit = auditEntry({ communityId: n.communityId, actorId: act.actorId, act: 'notice.post', subjectId: n.id, detail: { title: n.title }, at: act.at });
  await send(new TransactWriteCommand({ TransactItems: [noticePut(n), audit, ...messages] }));
  return n;
}

export async function getNotice(id: string): Promise<NoticeRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: noticeKey(id), ConsistentRead: true }));
  return Item ? stripKeys<NoticeRecord>(Item) : undefined;
}

const changedByOthers = () => new AppError('STATE_CONFLICT', '公告已被撤回或已被他人修改，请刷新后重试');

/** Replaces the notice with its edited version, if nobody changed or withdrew it since it was read. */
export async function editNotice(next: NoticeRecord, readVersion: number, act: Act): Promise<NoticeRecord> {
  const audit = auditEntry({ communityId: next.communityId, actorId: act.actorId, act: 'notice.edit', subjectId: next.id, detail: { title: next.title }, at: act.at });
  const put = {
    TableName: table(),
    Item: noticeItem(next),
    ConditionExpression: '#status = :active AND version = :read',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':active': 'active', ':read': readVersion },
  };
  try {
    await send(new TransactWriteCommand({ TransactItems: [{ Put: put }, audit] }));
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw changedByOthers();
    throw error;
  }
  return next;
}

/** Takes the notice down: out of every list, once. */
export async function withdrawNotice(n: NoticeRecord, act: Act): Promise<NoticeRecord> {
  const update = {
    TableName: table(),
    Key: noticeKey(n.id),
    UpdateExpression: 'SET #status = :withdrawn, withdrawnAt = :at, version = version + :one REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk',
    ConditionExpression: '#status = :active',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':withdrawn': 'withdrawn', ':active': 'active', ':at': act.at, ':one': 1 },
  };
  const audit = auditEntry({ communityId: n.communityId, actorId: act.actorId, act: 'notice.withdraw', subjectId: n.id, detail: { title: n.title }, at: act.at });
  try {
    await send(new TransactWriteCommand({ TransactItems: [{ Update: update }, audit] }));
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw new AppError('STATE_CONFLICT', '该公告已撤回');
    throw error;
  }
  return { ...n, status: 'withdrawn', withdrawnAt: act.at, version: n.version + 1 };
}

/**
 * A community's notices, pinned first, then newest first. `showingAt` (epoch ms) keeps only
 * those within their display period then (what residents see); staff read without it.
 */
export async function listNotices(
  cid: string,
  options: { category?: NoticeCategory; showingAt?: number; limit: number; cursor?: string },
): Promise<Page<NoticeRecord>> {
  const q = communityNoticesQuery(cid, options.category);
  const showing = options.showingAt !== undefined;
  const { items, next } = await queryPage(
    {
      IndexName: q.index,
      KeyConditionExpression: `${q.pkName} = :pk`,
      ...(showing ? { FilterExpression: 'displayFromEpoch <= :now AND (attribute_not_exists(displayUntilEpoch) OR displayUntilEpoch > :now)' } : {}),
      ExpressionAttributeValues: { ':pk': q.pk, ...(showing ? { ':now': options.showingAt } : {}) },
      ScanIndexForward: false,
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<NoticeRecord>(item)), next };
}

/**
 * Records that a person opened a notice, and, for a verified member, that their household did.
 * Both are puts that keep the first opening: repeating one changes nothing.
 */
export async function markRead(noticeId: string, reader: { userId: string; household?: string }, at: string): Promise<void> {
  const keepFirst = async (Item: Item): Promise<void> => {
    try {
      await send(new PutCommand({ TableName: table(), Item, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  };
  await Promise.all([
    keepFirst({ ...noticeReadKey(noticeId, reader.userId), type: 'NoticeRead', at }),
    // The household only: who in it opened the notice is not recorded here.
    reader.household ? keepFirst({ ...noticeOpenedKey(noticeId, reader.household), type: 'NoticeOpened', at }) : undefined,
  ]);
}

/** Which of these notices the person has opened: one BatchGetItem (a page holds at most 100). */
export async function readAmong(noticeIds: readonly string[], userId: string): Promise<Set<string>> {
  const read = new Set<string>();
  let keys: Item[] | undefined = noticeIds.map((id) => noticeReadKey(id, userId));
  for (let attempt = 0; keys?.length && attempt < 5; attempt++) {
    const reply: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Item[] }> } = await send(
      new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys, ProjectionExpression: 'pk' } } }),
    );
    for (const item of reply.Responses?.[table()] ?? []) read.add(String(item.pk).slice('NOTICE#'.length));
    keys = reply.UnprocessedKeys?.[table()]?.Keys;
  }
  return read;
}

/** Verified households that opened the notice: one COUNT query of their markers. */
export function countOpens(noticeId: string): Promise<number> {
  const q = noticeOpensQuery(noticeId);
  return countMatching({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
  });
}
