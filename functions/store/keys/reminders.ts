/**
 * Reminders (WeChat subscription messages), filed in 10-minute buckets (UTC) that a scheduled
 * function reads. Each kind of reminder has its own bucket partitions, so each sender reads only
 * its own:
 *
 * | item             | pk                              | sk                          |
 * |------------------|---------------------------------|-----------------------------|
 * | Reminder (appt.) | REMIND#<10-min bucket>          | <appointment id>#<kind>     |  (store/appointments/reminders.ts)
 * | Reminder (act.)  | REMIND#ACTIVITY#<10-min bucket> | <activity id>#<uid>         |
 * | Consultation close | REMIND#CONSULTATION#<10-min bucket of closesAt> | <consultation id> |
 *
 * Buckets start with a digit (2026-03-02T10:10), so the partitions never meet. Every
 * reminder expires (TTL) a week after it is due.
 */
export const activityReminderKey = (bucket: string, activityId: string, uid: string) => ({ pk: `REMIND#ACTIVITY#${bucket}`, sk: `${activityId}#${uid}` });
export const activityReminderBucketQuery = (bucket: string) => ({ pk: `REMIND#ACTIVITY#${bucket}` });

/** Filed at a consultation's creation in its close's bucket: the results notice's to-do item. */
export const consultationCloseKey = (bucket: string, consultationId: string) => ({ pk: `REMIND#CONSULTATION#${bucket}`, sk: consultationId });
export const consultationCloseBucketQuery = (bucket: string) => ({ pk: `REMIND#CONSULTATION#${bucket}` });
