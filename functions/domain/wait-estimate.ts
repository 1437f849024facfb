/**
 * The wait estimate: it learns from the day's actual service times per category.
 *
 * Each completed ticket adds its service time with a weight that doubles every
 * HALF_LIFE_MIN minutes of the day (w = 2^((t − 24 h)/half-life)), so the mean leans on recent
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
const DAY_MIN = 24 * 60;
/**
 * The stored sums are DynamoDB numbers, exact decimals of at most 38 digits, and an ADD that
 * would need more is refused. Weights are therefore anchored at the day's end (at most 1, so a
 * late-evening service never reaches the SDK's 2^53 limit, as weights anchored at midnight did
 * after 22:00) and each term is rounded to this many decimals (so a day's sums, below 10^13,
 * stay within 38 digits). A service at midnight still weighs 2^-48 ≈ 3.6e-15, eight digits.
 */
const TERM_DECIMALS = 22;
const rounded = (term: number) => Number(term.toFixed(TERM_DECIMALS));

export interface ServiceSums {
  /** Σ w·seconds */
  weightedSec: number;
  /** Σ w */
  weight: number;
}

/** The weight of an observation made `minutesIntoDay` minutes after local midnight (a ticket of the day finished after midnight weighs 1). */
export const weightAt = (minutesIntoDay: number): number =>
  rounded(2 ** ((Math.min(DAY_MIN, Math.max(0, minutesIntoDay)) - DAY_MIN) / HALF_LIFE_MIN));

/** What one completed service adds to its category's sums. */
export function serviceTerms(minutesIntoDay: number, serviceSec: number): ServiceSums {
  const weight = weightAt(minutesIntoDay);
  return { weight, weightedSec: rounded(weight * serviceSec) };
}

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
