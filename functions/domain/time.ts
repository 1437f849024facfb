/**
 * Local dates and times of a community, whatever the server's clock zone is. China has no
 * daylight saving time, but nothing here assumes a fixed offset: the zone comes from the
 * community and Intl does the arithmetic.
 */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

// Building an Intl.DateTimeFormat costs far more than using one (it was most of a slot list's
// time): one per zone, kept for the life of the process.
const formats = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, f);
  }
  return f;
}

/** The local date (YYYY-MM-DD) of an instant in a time zone: the UTC date of the instant moved by the zone's offset. */
export function localDate(instant: Date, timeZone: string = DEFAULT_TIMEZONE): string {
  return new Date(instant.getTime() + offsetMinutes(instant, timeZone) * 60000).toISOString().slice(0, 10);
}

// Offsets (since 1970) are whole quarter hours and change only at a quarter hour, so within one UTC quarter
// hour a zone has one offset: remembered per zone and quarter (formatToParts was the costliest
// date work of a request).
const QUARTER_MS = 15 * 60 * 1000;
const offsets = new Map<string, number>();

/** The zone's offset from UTC at an instant, in minutes (Asia/Shanghai: 480). */
export function offsetMinutes(instant: Date, timeZone: string = DEFAULT_TIMEZONE): number {
  const quarter = Math.floor(instant.getTime() / QUARTER_MS);
  const key = `${timeZone} ${quarter}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const start = new Date(quarter * QUARTER_MS);
  const parts = wallClock(timeZone).formatToParts(start);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = Math.round((asUtc - start.getTime()) / 60000);
  if (offsets.size > 10_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** The instant of a local wall-clock time (date + HH:mm) in a zone. */
export function instantOf(date: string, hhmm: string, timeZone: string = DEFAULT_TIMEZONE): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number];
  const guess = new Date(Date.UTC(y, m - 1, d, hh, mm));
  const offset = offsetMinutes(guess, timeZone);
  const instant = new Date(guess.getTime() - offset * 60000);
  // Correct once if the guess fell on the other side of an offset change.
  const second = offsetMinutes(instant, timeZone);
  return second === offset ? instant : new Date(guess.getTime() - second * 60000);
}

/** Minutes from a local date's midnight to an instant (more than a day's when the instant is on a later day). */
export const minutesIntoDay = (instant: Date, date: string, timeZone: string = DEFAULT_TIMEZONE): number =>
  (instant.getTime() - instantOf(date, '00:00', timeZone).getTime()) / 60000;

/** The instants of a community-local month (2026-11): [its first instant, the next month's first), UTC ISO. */
export function monthRange(month: string, timeZone: string = DEFAULT_TIMEZONE): { fromUtc: string; toUtc: string } {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  const next = mm === 12 ? `${year + 1}-01` : `${year}-${String(mm + 1).padStart(2, '0')}`;
  return { fromUtc: instantOf(`${month}-01`, '00:00', timeZone).toISOString(), toUtc: instantOf(`${next}-01`, '00:00', timeZone).toISOString() };
}

/** ISO 8601 with the zone's offset, e.g. 2026-11-23T09:00:00+08:00. */
export function isoWithOffset(instant: Date, timeZone: string = DEFAULT_TIMEZONE): string {
  const offset = offsetMinutes(instant, timeZone);
  const local = new Date(instant.getTime() + offset * 60000).toISOString().slice(0, 19);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Adds days to a local date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
