/**
 * What the consultation's entities share: the consultation's partition (its META item, the
 * counter shards, the "has voted" markers, the results notices and the discussion live under it),
 * and the membership checks its acts carry in their own transaction.
 */
import { membershipKey } from '../keys';
import type { TransactItem } from '../transaction';
import { table } from '../table';

export const consultationPartition = (consultationId: string): string => `CONSULTATION#${consultationId}`;

/** Pads a number into a sort key (clamped to `width` digits). */
export const pad = (n: number, width: number): string => String(Math.max(0, Math.min(n, 10 ** width - 1))).padStart(width, '0');

/** A verified member of the community (and, when given, of this verified household), at the moment of the act. */
export const verifiedMemberPart = (cid: string, uid: string, household?: string): TransactItem => ({
  ConditionCheck: {
    TableName: table(),
    Key: membershipKey(cid, uid),
    ConditionExpression: household ? 'verified = :true AND household = :household' : 'verified = :true',
    ExpressionAttributeValues: { ':true': true, ...(household ? { ':household': household } : {}) },
  },
});
