/**
 * A per-caller request budget (a user by id, a caller without a token by address), counted per
 * function instance in memory: it costs no database call on the request path. API Gateway's
 * stage throttling bounds the total; this bounds one caller hammering one instance.
 */
const WINDOW_MS = 60_000;
const buckets = new Map<string, { windowStart: number; count: number }>();

/** Returns the seconds to wait when the caller is over budget, else undefined. */
export function overBudget(caller: string, limitPerMinute: number, now: number): number | undefined {
  const bucket = buckets.get(caller);
  if (!bucket || now - bucket.windowStart >= WINDOW_MS) {
    buckets.set(caller, { windowStart: now, count: 1 });
    if (buckets.size > 10_000) pruneBefore(now - WINDOW_MS);
    return undefined;
  }
  bucket.count += 1;
  if (bucket.count <= limitPerMinute) return undefined;
  return Math.max(1, Math.ceil((bucket.windowStart + WINDOW_MS - now) / 1000));
}

function pruneBefore(cutoff: number): void {
  for (const [caller, bucket] of buckets) if (bucket.windowStart < cutoff) buckets.delete(caller);
}
