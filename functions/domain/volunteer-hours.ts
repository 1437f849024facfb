/**
 * Hours credited for one attendance: the hours staff give; else the attended time rounded to
 * the nearest half hour and capped at the activity's hours; else (no check-out) the activity's
 * hours. Pure.
 */
export interface HoursInput {
  /** Hours staff entered when verifying, if any. */
  given?: number;
  checkedInAt?: string;
  checkedOutAt?: string;
  activityHours: number;
}

export const roundToHalfHour = (minutes: number): number => Math.round(minutes / 30) / 2;

export function creditedHours(input: HoursInput): number {
  if (input.given !== undefined) return input.given;
  if (input.checkedInAt && input.checkedOutAt) {
    const minutes = (Date.parse(input.checkedOutAt) - Date.parse(input.checkedInAt)) / 60000;
    return Math.min(Math.max(0, roundToHalfHour(minutes)), input.activityHours);
  }
  return input.activityHours;
}
