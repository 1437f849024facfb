/** A volunteer's reminder before an activity (REMIND#ACTIVITY#<bucket>, keys/reminders.ts); the bucket mechanism is store/reminders.ts. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { bucketOf } from '../../domain/reminders';
import { send } from '../client';
import { activityReminderBucketQuery, activityReminderKey } from '../keys';
import { claimReminderAt, finishReminderAt, reminderPut, remindersInPartition, type ReminderOutcome } from '../reminders';
import type { ActivityRecord } from './activities';

export interface ActivityReminderRecord {
  activityId: string;
  userId: string;
  /** The activity's start when the reminder was planned: a rescheduled activity's old reminder is skipped. */
  startsAt: string;
  dueAt: string;
  bucket: string;
  sentAt?: string;
  claimedUntil?: number;
}

/** The Put of one reminder (in a signup's transaction, or on its own). */
export function activityReminderPut(activity: Pick<ActivityRecord, 'id' | 'startsAt'>, uid: string, dueAt: Date) {
  const bucket = bucketOf(dueAt);
  return reminderPut(activityReminderKey(bucket, activity.id, uid), dueAt, { activityId: activity.id, userId: uid, startsAt: activity.startsAt, bucket });
}

/** Plans reminders outside a signup (after a reschedule); a re-planned one is simply overwritten. */
export async function planActivityReminders(activity: Pick<ActivityRecord, 'id' | 'startsAt'>, uids: string[], dueAt: Date): Promise<void> {
  for (let i = 0; i < uids.length; i += 25) {
    await Promise.all(uids.slice(i, i + 25).map((uid) => send(new PutCommand(activityReminderPut(activity, uid, dueAt)))));
  }
}

export const activityRemindersIn = (bucket: string): Promise<ActivityReminderRecord[]> =>
  remindersInPartition<ActivityReminderRecord>(activityReminderBucketQuery(bucket).pk);

const reminderKey = (r: ActivityReminderRecord) => activityReminderKey(r.bucket, r.activityId, r.userId);

/** Claims a reminder for sending: only one run gets it (see store/reminders.ts). */
export const claimActivityReminder = (r: ActivityReminderRecord, now: Date): Promise<boolean> => claimReminderAt(reminderKey(r), now);

export const finishActivityReminder = (r: ActivityReminderRecord, outcome: ReminderOutcome, now: Date): Promise<void> =>
  finishReminderAt(reminderKey(r), outcome, now);
