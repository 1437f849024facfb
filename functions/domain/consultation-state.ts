/**
 * A consultation's state, derived from its times and the publish act, never stored:
 *
 *   opensAt          closesAt         publish
 *   ───┼────────────────┼────────────────┼─────────>
 *   upcoming │    open      │    closed     │ published
 *
 * The open window is half-open: a ballot at exactly `closesAt` is outside it.
 */
import type { ConsultationState } from '@contract/consultations';

export interface Window {
  /** Epoch milliseconds. */
  opensAt: number;
  closesAt: number;
  published?: boolean;
}

export function consultationState(window: Window, now: Date): ConsultationState {
  if (window.published) return 'published';
  const t = now.getTime();
  if (t < window.opensAt) return 'upcoming';
  if (t < window.closesAt) return 'open';
  return 'closed';
}

/** Closed or published: the tally is final and may be read. */
export const isClosed = (window: Window, now: Date): boolean => {
  const state = consultationState(window, now);
  return state === 'closed' || state === 'published';
};
