/**
 * The results notice at a consultation's close (scheduled). Access patterns:
 *  - consultations closing in a 10-minute bucket      → REMIND#CONSULTATION#bucket / id (keys/reminders.ts)
 *  - "this voter was sent the results notice" (once; voter id only)
 *                                                     → CONSULTATION#id / NOTIFIED#RESULTS#uid
 * Both end as any claimed reminder does (store/reminders.ts).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { bucketOf } from '../../domain/reminders';
import { isConditionFailure, send } from '../client';
import { consultationCloseBucketQuery, consultationCloseKey } from '../keys';
import { claimReminderAt, finishReminderAt, REMINDER_TTL_SECONDS, reminderPut, remindersInPartition, type ReminderOutcome } from '../reminders';
import { table } from '../table';
import type { TransactItem } from '../transaction';
import { consultationPartition } from './partition';

export interface ClosingRecord {
  consultationId: string;
  bucket: string;
  dueAt: string;
  sentAt?: string;
}

/** Per-recipient record of the results notice: claimed before the send, so nobody gets it twice. */
const resultsNoticeKey = (consultationId: string, uid: string) => ({ pk: consultationPartition(consultationId), sk: `NOTIFIED#RESULTS#${uid}` });

/** The closing item of a consultation: due at the close, expiring (TTL) a week after it. */
export function closingPut(c: { id: string; closesAtEpoch: number }): TransactItem {
  const closesAt = new Date(c.closesAtEpoch);
  const bucket = bucketOf(closesAt);
  return { Put: reminderPut(consultationCloseKey(bucket, c.id), closesAt, { type: 'ConsultationClose', consultationId: c.id, bucket }) };
}

export const closingsIn = (bucket: string): Promise<ClosingRecord[]> => remindersInPartition<ClosingRecord>(consultationCloseBucketQuery(bucket).pk);

/** Claims a consultation's results notice for one run (a conditional update; the claim lapses after a minute). */
export const claimClosing = (c: ClosingRecord, now: Date): Promise<boolean> => claimReminderAt(consultationCloseKey(c.bucket, c.consultationId), now);

/**
 * Claims the results notice of one voter (their user id only): true when this run may send it.
 * Once sent (or refused) it is never claimed again; a failed send's claim is released, and a
 * crashed run's lapses after a minute.
 */
export async function claimResultsNotice(consultationId: string, uid: string, now: Date): Promise<boolean> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await send(
      new PutCommand({
        TableName: table(),
        Item: { ...resultsNoticeKey(consultationId, uid), type: 'ResultsNotice', claimedUntil: nowSeconds + 60, expiresAt: nowSeconds + REMINDER_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(sentAt) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now))',
        ExpressionAttributeValues: { ':now': nowSeconds },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Records how a claimed notice ended, a consultation's (`{ closing }`) or one voter's
 * (`{ consultationId, voterId }`): 'sent' when handled, 'retry' releases the claim for a later run.
 */
export function finishNotice(
  notice: { closing: ClosingRecord } | { consultationId: string; voterId: string },
  outcome: ReminderOutcome,
  now: Date,
): Promise<void> {
  const key = 'closing' in notice ? consultationCloseKey(notice.closing.bucket, notice.closing.consultationId) : resultsNoticeKey(notice.consultationId, notice.voterId);
  return finishReminderAt(key, outcome, now);
}
