/**
 * The ledger (台帐): a volunteer's credited hours, one entry per verification or correction.
 *
 *   verify      [staff] + signup verified once + entry + registration's total + month's hours + audit
 *                                                                          fails as VerifyPart
 *   correction  entry + registration's total (never below zero) + month's hours + audit
 *                                                                          fails as CorrectionPart
 *
 * The ledger is append-only: entries are written only by `Put` inside those two transactions,
 * with `attribute_not_exists(pk)`; this module has no update or delete of an entry, so the
 * volunteer's total (moved in the same transactions) always equals the sum of the entries.
 */
import type { Page } from '@contract/common';
import { auditEntry } from '../audit';
import type { Answer } from '../idempotency';
import { communityLedgerQuery, ledgerEntryIndexes, ledgerEntryKey, volunteerLedgerQuery } from '../keys';
import { queryAll, queryPage, stripKeys, table } from '../table';
import { transact, type TransactItem } from '../transaction';
import { monthHoursAdd } from './counters';
import { totalHoursAdd } from './registrations';
import { signupVerified } from './signups';

export interface LedgerRecord {
  id: string;
  communityId: string;
  userId: string;
  kind: 'service' | 'correction';
  hours: number;
  activityId?: string;
  title?: string;
  date: string;
  reason?: string;
  by: string;
  at: string;
}

const ledgerPut = (entry: LedgerRecord) => ({
  Put: {
    TableName: table(),
    Item: {
      ...ledgerEntryKey(entry.communityId, entry.userId, entry.at, entry.id),
      ...ledgerEntryIndexes(entry.communityId, entry.at, entry.id),
      type: 'LedgerEntry',
      ...entry,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * `staff`: the caller is no longer staff; `signup`: not signed up, not attended, or already
 * verified (its item as it was tells which); `volunteer`: no registration.
 */
export type VerifyPart = 'staff' | 'signup' | 'entry' | 'volunteer' | 'month' | 'audit';

/**
 * Credits one attendance: the signup turns verified, the entry is appended and the totals move,
 * all or nothing. A second verification fails on the signup's condition. `staff` is the
 * caller's staff check, `answers` the response recorded with the act (store/idempotency.ts).
 */
export async function verifyAttendance(
  entry: LedgerRecord & { activityId: string },
  month: string,
  options: { staff?: TransactItem; answers?: Answer } = {},
): Promise<LedgerRecord> {
  await transact<VerifyPart>(
    {
      staff: options.staff,
      signup: signupVerified(entry),
      entry: ledgerPut(entry),
      volunteer: totalHoursAdd(entry.communityId, entry.userId, entry.hours),
      month: monthHoursAdd(entry.communityId, month, entry.hours),
      audit: auditEntry({
        communityId: entry.communityId, actorId: entry.by, act: 'hours.verify', subjectId: entry.userId,
        detail: { hours: entry.hours, activity: entry.title ?? entry.activityId }, at: entry.at,
      }),
    },
    { answers: options.answers },
  );
  return entry;
}

/** `volunteer`: no registration (no item as it was), or a total that would fall below zero. */
export type CorrectionPart = 'entry' | 'volunteer' | 'month' | 'audit';

/** A correcting entry; the total may not fall below zero. */
export async function appendCorrection(entry: LedgerRecord, month: string): Promise<LedgerRecord> {
  await transact<CorrectionPart>({
    entry: ledgerPut(entry),
    volunteer: totalHoursAdd(entry.communityId, entry.userId, entry.hours, { neverBelowZero: true }),
    month: monthHoursAdd(entry.communityId, month, entry.hours),
    audit: auditEntry({
      communityId: entry.communityId, actorId: entry.by, act: 'hours.correct', subjectId: entry.userId,
      detail: { hours: entry.hours, ...(entry.reason ? { reason: entry.reason } : {}) }, at: entry.at,
    }),
  });
  return entry;
}

/** A volunteer's whole ledger, oldest first. */
export async function listLedger(cid: string, uid: string): Promise<LedgerRecord[]> {
  const q = volunteerLedgerQuery(cid, uid);
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
    ConsistentRead: true,
  });
  return items.map((item) => stripKeys<LedgerRecord>(item));
}

/** The community's entries recorded in [fromUtc, toUtc), oldest first. */
function communityLedgerRange(cid: string, range: { fromUtc: string; toUtc: string }) {
  const q = communityLedgerQuery(cid, range.fromUtc, range.toUtc);
  return {
    IndexName: 'gsi2',
    // BETWEEN is inclusive, but no sort key equals toUtc itself (each ends in #<id>): the range is half-open.
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': q.gsi2pk, ':from': q.gsi2skFrom, ':to': q.gsi2skBelow },
  };
}

/** One page of the community's entries recorded in [fromUtc, toUtc), oldest first. */
export async function listCommunityLedger(
  cid: string,
  range: { fromUtc: string; toUtc: string },
  options: { limit: number; cursor?: string },
): Promise<Page<LedgerRecord>> {
  const { items, next } = await queryPage({ ...communityLedgerRange(cid, range), Limit: options.limit }, options.cursor);
  return { items: items.map((item) => stripKeys<LedgerRecord>(item)), next };
}

/** Every entry of the community recorded in [fromUtc, toUtc) (a month: the spreadsheet export). */
export async function allCommunityLedger(cid: string, range: { fromUtc: string; toUtc: string }): Promise<LedgerRecord[]> {
  return (await queryAll(communityLedgerRange(cid, range))).map((item) => stripKeys<LedgerRecord>(item));
}
