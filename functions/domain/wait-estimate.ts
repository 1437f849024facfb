/**
 * The wait estimate: it learns from the day's actual service times per category.
 *
 * Each completed ticket adds its service time with a weight that doubles every
 * HALF_LIFE_MIN minutes of the day (w = 2^(t/half-life)), so the mean leans on recent
 * services: an exponentially weighted mean in continuous time. Unlike a sequential EWMA it is
 * a pair of sums, so completions at different windows add to it with plain atomic ADDs and
 * never have to read-modify-write under concurrency. A prior (PRIOR_MIN, worth PRIOR_WEIGHT
 * services made PRIOR_AGE_MIN minutes ago) holds the estimate before the first completions
 * and fades as the day's own times arrive.
 *
 * Estimated wait = tickets ahead × mean service time ÷ open windows serving the category.
 */
export const HALF_LIFE_MIN = 30;
export const PRIOR_MIN = 5;
export const PRIOR_WEIGHT = 2;
export const PRIOR_AGE_MIN = 60;

export interface ServiceSums {
  /** Σ w·seconds */
  weightedSec: number;
  /** Σ w */
  weight: number;
}

/** The weight of an observation made `minutesIntoDay` minutes after local midnight. */
export const weightAt = (minutesIntoDay: number): number => 2 ** (Math.max(0, minutesIntoDay) / HALF_LIFE_MIN);

/** The learned mean service time of a category at `nowMin` minutes into the day, in minutes. */
export function meanServiceMin(sums: ServiceSums | undefined, nowMin: number): number {
  const priorWeight = PRIOR_WEIGHT * weightAt(nowMin - PRIOR_AGE_MIN);
  const weightedSec = (sums?.weightedSec ?? 0) + priorWeight * PRIOR_MIN * 60;
  const weight = (sums?.weight ?? 0) + priorWeight;
  return weightedSec / weight / 60;
}

/**
 * Minutes until a ticket with `ahead` tickets before it is called: the tickets ahead share the
 * open windows that serve the category (at least one is assumed, so a closed hall still answers).
 */
export function estimateWaitMin(ahead: number, sums: ServiceSums | undefined, openWindows: number, nowMin: number): number {
  if (ahead <= 0) return 0;
  return Math.max(1, Math.round((ahead * meanServiceMin(sums, nowMin)) / Math.max(1, openWindows)));
}
