/**
 * The audit log: an append-only record of privileged acts, one partition per community.
 *
 * How a capability records its act: add `auditEntry({...})` as the `audit` part of the very
 * transaction that performs the act, so the entry exists if and only if the act committed:
 *
 *   await transact({
 *     comment: theAct,
 *     audit: auditEntry({ communityId: cid, actorId: actor.id, act: 'comment.hide', subjectId: commentId, detail: { reason }, at }),
 *   });
 *
 * The entry is a conditional put on a fresh key, so it can never overwrite another, and its
 * failure cancels the act with it. Nothing updates or deletes an entry; no route can.
 * A transaction holds at most 100 items: the entry is one of them.
 */
import type { Page } from '@contract/common';
import type { AuditEntry } from '@contract/identity';
import { newId } from '../lib/ids';
import { auditEntryKey, communityAuditQuery } from './keys';
import { queryPage, stripKeys, table } from './table';
import type { TransactItem } from './transaction';

/** Other capabilities' stores still name the part type through this module. */
export type { TransactItem } from './transaction';

export interface AuditEntryInput extends AuditEntry {
  communityId: string;
}

/** The Put that records one act, for the act's own transaction. */
export function auditEntry(entry: AuditEntryInput): TransactItem {
  const id = newId(new Date(entry.at));
  return {
    Put: {
      TableName: table(),
      Item: { ...auditEntryKey(entry.communityId, entry.at, id), type: 'AuditEntry', id, ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** A community's entries, newest first. */
export async function listAuditEntries(cid: string, options: { limit: number; cursor?: string }): Promise<Page<AuditEntry>> {
  const { items, next } = await queryPage(
    {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': communityAuditQuery(cid).pk },
      ScanIndexForward: false,
      Limit: options.limit,
    },
    options.cursor,
  );
  return {
    items: items.map((item) => {
      const { id: _id, communityId: _cid, ...entry } = stripKeys<AuditEntryInput & { id: string }>(item);
      return entry;
    }),
    next,
  };
}
