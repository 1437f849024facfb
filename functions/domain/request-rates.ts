/**
 * Beijing's three rates of 接诉即办 over a month's requests, and the open, overdue and escalated
 * counts: pure, over the records a store read returned.
 */
import type { RequestRates, RequestStatus } from '@contract/requests';
import { isOverdue } from './request-clock';
import { isSatisfied, OPEN } from './request-state';

export interface RatedRecord {
  status: RequestStatus;
  respondBy: string;
  resolveBy: string;
  respondedInTime?: boolean;
  resolvedInTime?: boolean;
  escalated?: boolean;
  rating?: { score: number };
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

export function requestRates(records: readonly RatedRecord[], now: Date): RequestRates {
  const rated = records.filter((r) => r.rating);
  return {
    filed: records.length,
    responseRate: ratio(records.filter((r) => r.respondedInTime).length, records.length),
    resolutionRate: ratio(records.filter((r) => r.resolvedInTime).length, records.length),
    satisfactionRate: ratio(rated.filter((r) => isSatisfied(r.rating?.score ?? 0)).length, rated.length),
    rated: rated.length,
    open: records.filter((r) => OPEN.includes(r.status)).length,
    overdue: records.filter((r) => isOverdue(r, now)).length,
    escalated: records.filter((r) => r.escalated).length,
  };
}

/** 走访入户率: distinct households visited ÷ households in the grid. */
export const visitRate = (visited: number, households: number): number | null => ratio(visited, households);
