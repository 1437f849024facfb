/**
 * Time rules of an activity. Pure: `now` is passed in.
 */
export const CHECKIN_OPENS_MINUTES = 30;
/** Check-out stays open this long after the end, for those who leave last. */
export const CHECKOUT_CLOSES_MINUTES = 60;
/** An activity may be posted after the fact, up to this many days back. */
export const RECORD_BACK_DAYS = 7;
export const MAX_DURATION_HOURS = 24 * 7;

const MINUTE = 60_000;

export interface Times {
  startsAt: string;
  endsAt: string;
}

/** Why an activity's times are refused, or undefined when they are acceptable. */
export function timesProblem(times: Times, now: Date): string | undefined {
  const start = Date.parse(times.startsAt);
  const end = Date.parse(times.endsAt);
  if (end <= start) return '结束时间应晚于开始时间';
  if (end - start > MAX_DURATION_HOURS * 60 * MINUTE) return '活动时长不能超过 7 天';
  if (start < now.getTime() - RECORD_BACK_DAYS * 24 * 60 * MINUTE) return '开始时间最早只能补录 7 天前的活动';
  return undefined;
}

export const canSignUp = (times: Times, now: Date): boolean => now.getTime() < Date.parse(times.startsAt);

export const canCancelSignup = canSignUp;

export const checkInOpen = (times: Times, now: Date): boolean =>
  now.getTime() >= Date.parse(times.startsAt) - CHECKIN_OPENS_MINUTES * MINUTE && now.getTime() <= Date.parse(times.endsAt);

export const checkOutOpen = (times: Times, now: Date): boolean =>
  now.getTime() >= Date.parse(times.startsAt) - CHECKIN_OPENS_MINUTES * MINUTE &&
  now.getTime() <= Date.parse(times.endsAt) + CHECKOUT_CLOSES_MINUTES * MINUTE;
