/**
 * A request's clock (限时办结): respond within N hours of being filed or handed up, resolve
 * within M working days. Working days follow the State Council's calendar (holidays.ts): a
 * holiday is not one even on a weekday, a 调休 Saturday is one. Pure: `now` and the calendar
 * are passed in.
 */
import { REQUEST_CATEGORIES, type CategoryClock, type RequestCategory, type RequestStatus } from '@contract/requests';
import { officialDay, type Calendar } from './holidays';
import { addDays, instantOf, localDate } from './time';

export function isWorkingDay(date: string, calendar: Calendar = officialDay): boolean {
  const day = calendar(date);
  if (day.kind === 'holiday') return false;
  if (day.kind === 'makeup_workday') return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The local date on which the `days`-th working day after `from` falls (the day of `from` does not count). */
export function workingDaysAfter(from: string, days: number, calendar: Calendar = officialDay): string {
  let date = from;
  for (let counted = 0; counted < days; ) {
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar)) counted++;
  }
  return date;
}

export interface RequestClock {
  respondBy: string;
  resolveBy: string;
}

/** A community's clock of each category: what its staff set, else the default. */
export function categoryClocks(set: Partial<Record<RequestCategory, CategoryClock>>): Record<RequestCategory, CategoryClock> {
  const entries = (Object.keys(REQUEST_CATEGORIES) as RequestCategory[]).map((category) => {
    const { respondHours, resolveDays } = set[category] ?? REQUEST_CATEGORIES[category];
    return [category, { respondHours, resolveDays }] as const;
  });
  return Object.fromEntries(entries) as Record<RequestCategory, CategoryClock>;
}

/**
 * The clock started at `start` (filing, or being handed up): respond within `respondHours`;
 * resolve by the end of the `resolveDays`-th working day after the local day of `start`.
 */
export function requestClock({ respondHours, resolveDays }: CategoryClock, start: Date, timeZone: string, calendar: Calendar = officialDay): RequestClock {
  const lastDay = workingDaysAfter(localDate(start, timeZone), resolveDays, calendar);
  return {
    respondBy: new Date(start.getTime() + respondHours * 3600_000).toISOString(),
    resolveBy: instantOf(addDays(lastDay, 1), '00:00', timeZone).toISOString(),
  };
}

const UNACCEPTED: readonly RequestStatus[] = ['submitted', 'escalated'];
const FINISHED: readonly RequestStatus[] = ['resolved', 'closed'];

/** 超期: not accepted past its response time, or not resolved past its resolution time. */
export function isOverdue(request: { status: RequestStatus; respondBy: string; resolveBy: string }, now: Date): boolean {
  if (FINISHED.includes(request.status)) return false;
  const at = now.toISOString();
  return at > request.resolveBy || (UNACCEPTED.includes(request.status) && at > request.respondBy);
}
