/**
 * 志愿陪同 (volunteer escort): when the volunteer's time runs, what it is credited, when staff
 * are told nobody took it, and in which order volunteers see the open escorts. Pure: `now` is
 * passed in.
 */
import type { AppointmentStatus } from '@contract/appointments';
import { DAY_BEFORE_AT } from './reminders';
import { addDays, instantOf, localDate } from './time';

/** The volunteer meets the resident this long before the appointment and stays this long after it (the way there and back). */
export const ESCORT_MARGIN_MINUTES = 30;

/** The escort's activity: from the meeting to the way back, credited its length to the half hour (at most 24 hours). */
export function escortWindow(slotStart: Date, slotEnd: Date): { startsAt: Date; endsAt: Date; hours: number } {
  const margin = ESCORT_MARGIN_MINUTES * 60_000;
  const startsAt = new Date(slotStart.getTime() - margin);
  const endsAt = new Date(slotEnd.getTime() + margin);
  const halfHours = Math.ceil((endsAt.getTime() - startsAt.getTime()) / (30 * 60_000));
  return { startsAt, endsAt, hours: Math.min(24, Math.max(1, halfHours) / 2) };
}

/**
 * When staff are told an escort is still untaken: 18:00 (community time) the evening before
 * the appointment; an escort asked after that time is checked at once (the next run).
 */
export function unclaimedCheckDue(slotStart: Date, now: Date, timeZone: string): Date {
  const evening = instantOf(addDays(localDate(slotStart, timeZone), -1), DAY_BEFORE_AT, timeZone);
  return evening.getTime() > now.getTime() ? evening : now;
}

/** Open escorts for a volunteer: those whose need is among the volunteer's skills first, then by start. */
export function matchedFirst<T extends { need: string; startsAt: string }>(escorts: T[], skills: readonly string[]): (T & { matchesMySkills: boolean })[] {
  return escorts
    .map((e) => ({ ...e, matchesMySkills: skills.includes(e.need) }))
    .sort((a, b) => Number(b.matchesMySkills) - Number(a.matchesMySkills) || Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

/**
 * An escort's hours may be verified once its appointment is over: completed, or marked 爽约 (the
 * resident did not come; a volunteer who did is credited what staff recorded of their attendance).
 */
export const escortOver = (appointmentStatus: AppointmentStatus | undefined): boolean => appointmentStatus === 'completed' || appointmentStatus === 'no_show';

/** The committee's figures over some escorts: cancelled ones left out; the thanks' mean to one decimal. */
export function escortFigures(escorts: readonly { status: string; matchedUserId?: string; unclaimedAt?: string; thanks?: { score: number } }[]): {
  asked: number;
  taken: number;
  unclaimed: number;
  thanked: number;
  meanThanksScore: number | null;
} {
  const held = escorts.filter((e) => e.status !== 'cancelled');
  const scores = held.flatMap((e) => (e.thanks ? [e.thanks.score] : []));
  return {
    asked: held.length,
    taken: held.filter((e) => e.matchedUserId).length,
    unclaimed: held.filter((e) => e.unclaimedAt).length,
    thanked: scores.length,
    meanThanksScore: scores.length ? Math.round((scores.reduce((sum, s) => sum + s, 0) / scores.length) * 10) / 10 : null,
  };
}
