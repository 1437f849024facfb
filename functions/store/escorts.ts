/**
 * 志愿陪同 (volunteer escort): an escort is a one-place volunteer activity carrying `escort`
 * (store/volunteers.ts ActivityRecord), so signing up, attendance, verification and the ledger
 * are the activities' own transactions. What is the escort's own:
 *
 *   ask       (in the booking's transaction, store/appointments.ts book)
 *             Put(escort activity: new) + Put(unclaimed check in the bucket of 18:00 the evening before)
 *   match     (in the signup's transaction, store/volunteers.ts signUp)
 *             activity: signedUp < 1 → SET matchedUserId; outbox Puts telling the elder (and proxy)
 *   cancel    (in the appointment cancel's transaction) activity → cancelled; outbox fan-out to
 *             the signed-up volunteer
 *   unclaimed Update(activity: no unclaimedAt, nobody signed up, scheduled → unclaimedAt)
 *             + outbox Puts to the community's staff: at most once per escort
 *   thanks    Update(activity: no thanks yet, matched → thanks) + Update(volunteer: ADD thanksCount, thanksScore)
 *             → ALREADY_THANKED
 */
import { AppError } from '@contract/errors';
import type { Page } from '@contract/common';
import { bucketOf } from '../domain/reminders';
import { failedConditions, transactWrite } from './client';
import type { ActingGuard } from './family';
import { guardFailed } from './family';
import { filteredPage } from './identity';
import { activityKey, appointmentKey, communityEscortsQuery, escortCheckBucketQuery, escortCheckKey, escortIndexes, membershipKey, volunteerKey } from './keys';
import type { AppointmentRecord } from './appointments';
import type { TransactPut } from './outbox';
import { claimReminderAt, finishReminderAt, reminderPut, remindersInPartition, type ReminderOutcome } from './reminders';
import { stripKeys, table } from './table';
import type { ActivityRecord } from './volunteers';

/** An escort activity (one that carries `escort`). */
export type EscortActivity = ActivityRecord & { escort: NonNullable<ActivityRecord['escort']> };

/** A check that an escort was taken, due at 18:00 the evening before (keys/escorts.ts). */
export interface EscortCheckRecord {
  activityId: string;
  communityId: string;
  dueAt: string;
  bucket: string;
  sentAt?: string;
}

/** The Put of an escort's unclaimed check (the booking's transaction, or a volunteer giving it back). */
export function escortCheckPut(activity: Pick<ActivityRecord, 'id' | 'communityId'>, dueAt: Date): { Put: { TableName: string; Item: Record<string, unknown> } } {
  const bucket = bucketOf(dueAt);
  return { Put: reminderPut(escortCheckKey(bucket, activity.id), dueAt, { activityId: activity.id, communityId: activity.communityId, bucket }) };
}

/** The escort's activity and its unclaimed check: parts of the booking's own transaction. */
export function escortAskItems(activity: EscortActivity, checkDueAt: Date): object[] {
  return [
    {
      Put: {
        TableName: table(),
        Item: { ...activityKey(activity.id), ...escortIndexes(activity.communityId, activity.id, activity.startsAt), type: 'Activity', ...activity },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    escortCheckPut(activity, checkDueAt),
  ];
}

/**
 * An escort asked for a booking already made: the booking marked (condition: still booked, no
 * escort yet), the resident still a verified member, and the escort's items, in one transaction.
 */
export async function askForBooking(a: AppointmentRecord, activity: EscortActivity, checkDueAt: Date, guard?: ActingGuard): Promise<void> {
  const items = [
    {
      Update: {
        TableName: table(),
        Key: appointmentKey(a.id),
        UpdateExpression: 'SET escortId = :escort',
        ConditionExpression: '#status = :booked AND attribute_not_exists(escortId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':escort': activity.id, ':booked': 'booked' },
      },
    },
    { ConditionCheck: { TableName: table(), Key: membershipKey(a.communityId, a.userId), ConditionExpression: 'verified = :true', ExpressionAttributeValues: { ':true': true } } },
    ...escortAskItems(activity, checkDueAt),
  ];
  await actingTransaction(items, guard, (failed) =>
    failed.includes(1) && !failed.includes(0)
      ? new AppError('FORBIDDEN', '请先通过本社区的门牌核实')
      : new AppError('STATE_CONFLICT', '这个预约已申请过志愿陪同，或已不是待办理的预约'),
  );
}

/**
 * An act's items and, when a family proxy acts, the guard's (store/family.ts), in one
 * transaction: a failed guard is the proxy's refusal, a failed condition of the act's own items
 * becomes `refused(their indexes)`.
 */
async function actingTransaction(items: readonly object[], guard: ActingGuard | undefined, refused: (failed: number[]) => AppError): Promise<void> {
  try {
    await transactWrite([...items, ...(guard?.items ?? [])]);
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed?.length) throw error;
    if (guard && guardFailed(failed, items.length)) throw guard.refusal;
    throw refused(failed);
  }
}

/** The escort cancelled with its appointment (a part of the cancel's transaction), with what the volunteer is owed. */
export function escortCancelItems(activityId: string, at: string, messages: readonly TransactPut[]): object[] {
  return [
    {
      Update: {
        TableName: table(),
        Key: activityKey(activityId),
        UpdateExpression: 'SET #status = :cancelled, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled', ':at': at },
      },
    },
    ...messages,
  ];
}

/** A community's escorts starting from an instant, by start (staff's list), a page at a time. */
export async function listEscorts(cid: string, fromUtc: string, options: { limit: number; cursor?: string; openOnly?: boolean }): Promise<Page<EscortActivity>> {
  const q = communityEscortsQuery(cid, fromUtc);
  const { items, next } = await filteredPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
      ...(options.openOnly ? { FilterExpression: '#status = :scheduled AND signedUp < #capacity', ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' } } : {}),
      ExpressionAttributeValues: { ':pk': q.gsi2pk, ':from': q.gsi2skFrom, ':to': q.gsi2skTo, ...(options.openOnly ? { ':scheduled': 'scheduled' } : {}) },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<EscortActivity>(item)), next };
}

// ——— unclaimed checks (the bucket mechanism is store/reminders.ts) ————————————————

export const escortChecksIn = (bucket: string): Promise<EscortCheckRecord[]> => remindersInPartition<EscortCheckRecord>(escortCheckBucketQuery(bucket).pk);
export const claimEscortCheck = (r: EscortCheckRecord, now: Date): Promise<boolean> => claimReminderAt(escortCheckKey(r.bucket, r.activityId), now);
export const finishEscortCheck = (r: EscortCheckRecord, outcome: ReminderOutcome, now: Date): Promise<void> =>
  finishReminderAt(escortCheckKey(r.bucket, r.activityId), outcome, now);

/**
 * Flags an escort nobody took (无人认领) and writes the staff's messages, in one transaction,
 * only while nobody has signed up and it was never flagged: 'flagged', or 'not-due' when
 * someone took it, it was cancelled or it was flagged before.
 */
export async function flagUnclaimed(activityId: string, at: string, messages: readonly TransactPut[]): Promise<'flagged' | 'not-due'> {
  const flag = {
    TableName: table(),
    Key: activityKey(activityId),
    UpdateExpression: 'SET unclaimedAt = :at',
    ConditionExpression: 'attribute_not_exists(unclaimedAt) AND #status = :scheduled AND signedUp = :zero',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':at': at, ':scheduled': 'scheduled', ':zero': 0 },
  };
  try {
    await transactWrite([{ Update: flag }, ...messages]);
    return 'flagged';
  } catch (error) {
    if (failedConditions(error)?.length) return 'not-due';
    throw error;
  }
}

/** The resident's thanks, once, counted in the volunteer's registration in the same transaction. */
export async function thank(
  activity: EscortActivity & { matchedUserId: string },
  thanks: { score: number; text?: string; at: string; by: string },
  guard?: ActingGuard,
): Promise<void> {
  const once = {
    Key: activityKey(activity.id),
    UpdateExpression: 'SET thanks = :thanks',
    ConditionExpression: 'attribute_not_exists(thanks) AND matchedUserId = :volunteer',
    ExpressionAttributeValues: { ':thanks': thanks, ':volunteer': activity.matchedUserId },
  };
  const counted = {
    Key: volunteerKey(activity.communityId, activity.matchedUserId),
    UpdateExpression: 'ADD thanksCount :one, thanksScore :score',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':one': 1, ':score': thanks.score },
  };
  const items = [once, counted].map((update) => ({ Update: { TableName: table(), ...update } }));
  await actingTransaction(items, guard, (failed) =>
    failed.includes(0) ? new AppError('ALREADY_THANKED') : new AppError('STATE_CONFLICT', '这位志愿者已不在本社区的志愿者名册中'),
  );
}
