/**
 * Appointment reminders (WeChat subscription messages), filed in their due time's 10-minute
 * bucket when the resident booked with `remind` (the bucket mechanism is store/reminders.ts).
 *
 * | item     | pk                     | sk                      |
 * |----------|------------------------|-------------------------|
 * | Reminder | REMIND#<10-min bucket> | <appointment id>#<kind> |
 *
 * Buckets start with a digit (2026-03-02T10:10), so these partitions never meet the other kinds'
 * (REMIND#ACTIVITY#…, REMIND#ESCORT#…, REMIND#CONSULTATION#…).
 */
import { bucketOf, type PlannedReminder, type ReminderKind } from '../../domain/reminders';
import { claimReminderAt, finishReminderAt, reminderPut, remindersInPartition, type ReminderOutcome } from '../reminders';
import type { TransactItem } from '../transaction';
import type { AppointmentRecord } from './appointments';

export interface ReminderRecord {
  appointmentId: string;
  kind: ReminderKind;
  dueAt: string;
  userId: string;
  bucket: string;
  sentAt?: string;
  claimedUntil?: number;
}

const bucketPartition = (bucket: string) => `REMIND#${bucket}`;
const reminderKey = (r: Pick<ReminderRecord, 'bucket' | 'appointmentId' | 'kind'>) => ({ pk: bucketPartition(r.bucket), sk: `${r.appointmentId}#${r.kind}` });

/** The booking's reminders, each in its bucket: parts of the booking's transaction. */
export const reminderPuts = (a: Pick<AppointmentRecord, 'id' | 'userId'>, planned: readonly PlannedReminder[]): TransactItem[] =>
  planned.map((r) => {
    const bucket = bucketOf(r.dueAt);
    return { Put: reminderPut(reminderKey({ bucket, appointmentId: a.id, kind: r.kind }), r.dueAt, { appointmentId: a.id, kind: r.kind, userId: a.userId, bucket }) };
  });

export const remindersIn = (bucket: string): Promise<ReminderRecord[]> => remindersInPartition<ReminderRecord>(bucketPartition(bucket));

/** Claims a reminder for sending: only one run gets it (see store/reminders.ts). */
export const claimReminder = (r: ReminderRecord, now: Date): Promise<boolean> => claimReminderAt(reminderKey(r), now);

export const finishReminder = (r: ReminderRecord, outcome: ReminderOutcome, now: Date): Promise<void> => finishReminderAt(reminderKey(r), outcome, now);
