/**
 * The official holiday calendar of the State Council (国务院办公厅 节假日安排), from the
 * `chinese-days` package: public holidays (法定节假日, the weekend days inside them included)
 * and make-up working days (调休上班日).
 *
 * A year the package does not cover yet reads as ordinary weeks: it never closes a centre by
 * itself. Staff `closures` and `openDays` (see slots.ts) adjust either case, so a late change by
 * the State Council, or a year not yet published, is a setting and not a code change. To take
 * in a new year's calendar: `npm install chinese-days@<newer exact version>` and redeploy.
 */
import calendar from 'chinese-days/dist/chinese-days.json';

export type OfficialDay =
  | { kind: 'holiday'; name: string }
  | { kind: 'makeup_workday'; name: string }
  | { kind: 'ordinary' };

/** "New Year's Day,元旦,1" → 元旦 */
const chineseName = (entry: string): string => entry.split(',')[1] ?? entry;

const holidays = calendar.holidays as Record<string, string>;
const workdays = calendar.workdays as Record<string, string>;

const years = new Set(Object.keys(holidays).map((date) => Number(date.slice(0, 4))));

/** The years the bundled calendar covers (2004 up to the newest published year). */
export const coveredYears = (): number[] => [...years].sort((a, b) => a - b);

export const isYearCovered = (year: number): boolean => years.has(year);

/** What the official calendar says of a local date (YYYY-MM-DD). */
export function officialDay(date: string): OfficialDay {
  const holiday = holidays[date];
  if (holiday) return { kind: 'holiday', name: chineseName(holiday) };
  const workday = workdays[date];
  if (workday) return { kind: 'makeup_workday', name: chineseName(workday) };
  return { kind: 'ordinary' };
}

export type Calendar = (date: string) => OfficialDay;
