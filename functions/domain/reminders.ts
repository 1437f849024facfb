/**
 * When appointment reminders are due (WeChat subscription messages): the evening before, at
 * 18:00 local time, and one hour before the slot. A reminder whose time has already passed when
 * the booking is made is not planned. Reminders are filed in 10-minute buckets (UTC) that the
 * scheduled function reads; each is sent once (store/reminders.ts claims it first).
 */
import { addDays, instantOf, localDate } from './time';

export type ReminderKind = 'day_before' | 'hour_before';

export const DAY_BEFORE_AT = '18:00';
export const BUCKET_MINUTES = 10;

export interface PlannedReminder {
  kind: ReminderKind;
  dueAt: Date;
}

export function plannedReminders(start: Date, bookedAt: Date, timeZone: string): PlannedReminder[] {
  const dayBefore = instantOf(addDays(localDate(start, timeZone), -1), DAY_BEFORE_AT, timeZone);
  const hourBefore = new Date(start.getTime() - 3600_000);
  const planned: PlannedReminder[] = [
    { kind: 'day_before', dueAt: dayBefore },
    { kind: 'hour_before', dueAt: hourBefore },
  ];
  return planned.filter((r) => r.dueAt.getTime() > bookedAt.getTime());
}

/** The 10-minute bucket of an instant: 2026-03-02T10:10 (UTC). */
export function bucketOf(instant: Date): string {
  const ms = Math.floor(instant.getTime() / (BUCKET_MINUTES * 60_000)) * BUCKET_MINUTES * 60_000;
  return new Date(ms).toISOString().slice(0, 16);
}

/**
 * How far back a reminder run looks: a WeChat or Lambda outage of a few hours still delivers
 * what is still useful (each sender skips what is past: an appointment or activity that has
 * started). 37 Queries a run, every 10 minutes.
 */
export const REMINDER_LOOKBACK_MINUTES = 6 * 60;

/** The buckets a run at `now` reads, oldest first, so a missed or late run catches up. */
export function bucketsToScan(now: Date, lookbackMinutes = 60): string[] {
  const out: string[] = [];
  for (let m = lookbackMinutes; m >= 0; m -= BUCKET_MINUTES) out.push(bucketOf(new Date(now.getTime() - m * 60_000)));
  return [...new Set(out)];
}

/** Volunteers are reminded this long before an activity they signed up for starts. */
export const ACTIVITY_REMINDER_LEAD_MS = 2 * 3600_000;

/** When a volunteer's activity reminder is due; undefined when that time has already passed at `at`. */
export function activityReminderDue(start: Date, at: Date): Date | undefined {
  const due = new Date(start.getTime() - ACTIVITY_REMINDER_LEAD_MS);
  return due.getTime() > at.getTime() ? due : undefined;
}

/** What one run of a reminder schedule did: reminders due, sent, skipped (no longer wanted), failed. */
export interface ReminderRun {
  due: number;
  sent: number;
  skipped: number;
  failed: number;
}
