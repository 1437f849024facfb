/**
 * Notices (居务公开) in the table. Access patterns:
 *  - a notice by id                                                      → NOTICE#id / NOTICE
 *  - a community's notices, pinned first, newest first (one backwards Query)
 *                                                                        → gsi2 COMMUNITY#cid#NOTICES / <1 pinned|0>#<displayFrom>#<id>
 *  - the same within one category                                        → gsi1 COMMUNITY#cid#NOTICES#<category> / the same sort key
 *  - "this person has opened it" (idempotent; a page's marks in one BatchGet) → NOTICE#id / READ#U#uid
 *  - "a verified household has opened it" (counted, never listed)        → NOTICE#id / OPENED#H#household
 * A withdrawn notice loses both list keys, so no list reads it again.
 *
 * Posting, editing and withdrawing are each one transaction with their audit entry; editing and
 * withdrawing fail by the name `notice` (withdrawn, or changed since it was read). Opening a
 * notice writes two idempotent markers: one per person (unread marks) and one per verified
 * household, which staff see counted; the household marker's conditional put is what keeps the
 * count exact when a household's members open it at the same moment.
 */
import { BatchGetCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import type { MoneyRow, NoticeBody, NoticeCategory } from '@contract/notices';
import { auditEntry } from './audit';
import { isConditionFailure, send } from './client';
import type { TransactPut } from './outbox';
import { countMatching, queryPage, stripKeys, table } from './table';
import { transact, type Part } from './transaction';

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

export type NoticeFailure = 'notice' | 'uploads';

const partition = (noticeId: string) => `NOTICE#${noticeId}`;
const noticeKey = (id: string) => ({ pk: partition(id), sk: 'NOTICE' });
const readKey = (noticeId: string, uid: string) => ({ pk: partition(noticeId), sk: `READ#U#${uid}` });
const openedKey = (noticeId: string, household: string) => ({ pk: partition(noticeId), sk: `OPENED#H#${household}` });

/** The list keys of a notice that is not withdrawn: both indexes share the sort key. */
const listKeys = (n: NoticeRecord) => {
  const sort = `${n.pinned ? 1 : 0}#${n.displayFrom}#${n.id}`;
  return { gsi2pk: `COMMUNITY#${n.communityId}#NOTICES`, gsi2sk: sort, gsi1pk: `COMMUNITY#${n.communityId}#NOTICES#${n.category}`, gsi1sk: sort };
};

const noticeItem = (n: NoticeRecord): Item => ({
  ...noticeKey(n.id),
  ...(n.status === 'active' ? listKeys(n) : {}),
  type: 'Notice',
  ...n,
});

/** The Put of a new notice, for the transaction that posts it (its own, or a published decision's). */
export function noticePut(n: NoticeRecord): TransactPut {
  return { Put: { TableName: table(), Item: noticeItem(n), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** Posts the notice with its audit entry and the messages it owes (outbox Puts), all or nothing. */
export async function postNotice(n: NoticeRecord, act: Act, messages: readonly TransactPut[] = [], uploads?: Part): Promise<NoticeRecord> {
  const audit = auditEntry({ communityId: n.communityId, actorId: act.actorId, act: 'notice.post', subjectId: n.id, detail: { title: n.title }, at: act.at });
  await transact({ notice: noticePut(n), audit, messages, uploads });
  return n;
}

export async function getNotice(id: string): Promise<NoticeRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: noticeKey(id), ConsistentRead: true }));
  return Item ? stripKeys<NoticeRecord>(Item) : undefined;
}

/** Replaces the notice with its edited version, if nobody changed or withdrew it since it was read (else `notice` fails). */
export async function editNotice(next: NoticeRecord, readVersion: number, act: Act): Promise<NoticeRecord> {
  const audit = auditEntry({ communityId: next.communityId, actorId: act.actorId, act: 'notice.edit', subjectId: next.id, detail: { title: next.title }, at: act.at });
  const put = {
    TableName: table(),
    Item: noticeItem(next),
    ConditionExpression: '#status = :active AND version = :read',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':active': 'active', ':read': readVersion },
  };
  await transact({ notice: { Put: put }, audit });
  return next;
}

/** Takes the notice down: out of every list, once (`notice` fails when it was withdrawn already). */
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
  await transact({ notice: { Update: update }, audit });
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
  // Within one category: gsi1; all of them: gsi2.
  const [index, pk] = options.category ? ['gsi1', `COMMUNITY#${cid}#NOTICES#${options.category}`] : ['gsi2', `COMMUNITY#${cid}#NOTICES`];
  const showing = options.showingAt !== undefined;
  const { items, next } = await queryPage(
    {
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk`,
      ...(showing ? { FilterExpression: 'displayFromEpoch <= :now AND (attribute_not_exists(displayUntilEpoch) OR displayUntilEpoch > :now)' } : {}),
      ExpressionAttributeValues: { ':pk': pk, ...(showing ? { ':now': options.showingAt } : {}) },
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
    keepFirst({ ...readKey(noticeId, reader.userId), type: 'NoticeRead', at }),
    // The household only: who in it opened the notice is not recorded here.
    reader.household ? keepFirst({ ...openedKey(noticeId, reader.household), type: 'NoticeOpened', at }) : undefined,
  ]);
}

/** Which of these notices the person has opened: one BatchGetItem (a page holds at most 100). */
export async function readAmong(noticeIds: readonly string[], userId: string): Promise<Set<string>> {
  const read = new Set<string>();
  let keys: Item[] | undefined = noticeIds.map((id) => readKey(id, userId));
  for (let attempt = 0; keys?.length && attempt < 5; attempt++) {
    const reply: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Item[] }> } = await send(
      new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys, ProjectionExpression: 'pk' } } }),
    );
    for (const item of reply.Responses?.[table()] ?? []) read.add(String(item.pk).slice(partition('').length));
    keys = reply.UnprocessedKeys?.[table()]?.Keys;
  }
  return read;
}

/** Verified households that opened the notice: one COUNT query of their markers. */
export function countOpens(noticeId: string): Promise<number> {
  return countMatching({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': partition(noticeId), ':prefix': 'OPENED#H#' },
  });
}
