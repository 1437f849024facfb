/**
 * Hours credited for one attendance: the hours staff give; else the attended time (check-in to
 * check-out) rounded to the nearest half hour and capped at the activity's hours. A check-in
 * without a check-out earns nothing by itself: staff record the check-out or the hours. Pure.
 */
export interface HoursInput {
  /** Hours staff entered when verifying, if any. */
  given?: number;
  checkedInAt?: string;
  checkedOutAt?: string;
  activityHours: number;
}

export const roundToHalfHour = (minutes: number): number => Math.round(minutes / 30) / 2;

/** The hours to credit, or undefined when nothing says how long the volunteer stayed. */
export function creditedHours(input: HoursInput): number | undefined {
  if (input.given !== undefined) return input.given;
  if (!input.checkedInAt || !input.checkedOutAt) return undefined;
  const minutes = (Date.parse(input.checkedOutAt) - Date.parse(input.checkedInAt)) / 60000;
  return Math.min(Math.max(0, roundToHalfHour(minutes)), input.activityHours);
}
