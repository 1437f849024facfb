/**
 * The life of a request, as pure rules: who may move it from which state. The store writes the
 * same rules as conditions (the statuses below), so a lost race fails in the database.
 */
import type { RequestLevel, RequestStatus } from '@contract/requests';

/** Waiting for someone at its level to accept it (首问负责): nobody owns it. */
export const ACCEPTABLE: readonly RequestStatus[] = ['submitted', 'escalated', 'reopened'];
/** Being worked by its owner: notes, escalation and resolution. */
export const WORKABLE: readonly RequestStatus[] = ['accepted', 'reopened'];
/** Still the resident's to add to. */
export const OPEN: readonly RequestStatus[] = ['submitted', 'accepted', 'escalated', 'reopened'];

/** A resident may reopen a resolution within 7 days. */
export const REOPEN_DAYS = 7;

const LEVELS: readonly RequestLevel[] = ['community', 'street', 'district'];

/** The level above, or undefined at the district (the top). */
export function levelAbove(level: RequestLevel): RequestLevel | undefined {
  return LEVELS[LEVELS.indexOf(level) + 1];
}

/** The level below, or undefined at the community (the bottom): where a hand-up came from. */
export function levelBelow(level: RequestLevel): RequestLevel | undefined {
  return LEVELS[LEVELS.indexOf(level) - 1];
}

export const reopenUntil = (resolvedAt: string): string => new Date(Date.parse(resolvedAt) + REOPEN_DAYS * 86400_000).toISOString();

export const canReopen = (request: { status: RequestStatus; resolvedAt?: string }, now: Date): boolean =>
  request.status === 'resolved' && !!request.resolvedAt && now.toISOString() <= reopenUntil(request.resolvedAt);

/**
 * What a rating does: 4–5 and 3 close the request; 1–2 reopen it for review by the level above
 * its owner's (the district reviews its own).
 */
export function ratingOutcome(score: number, ownerLevel: RequestLevel): { status: 'closed' } | { status: 'reopened'; level: RequestLevel } {
  if (score >= 3) return { status: 'closed' };
  return { status: 'reopened', level: levelAbove(ownerLevel) ?? ownerLevel };
}

/** A satisfied rating (满意率's numerator). */
export const isSatisfied = (score: number): boolean => score >= 4;
