/**
 * A notice's state, derived from its display period and the withdraw act, never stored:
 *
 *   displayFrom        displayUntil
 *   ───┼──────────────────┼──────────>
 *   scheduled │   showing    │  ended        (withdrawn at any point: withdrawn)
 *
 * The period is half-open: at exactly `displayUntil` the notice has ended.
 */
import type { NoticeState } from '@contract/notices';
import type { FieldIssue } from '@contract/errors';

export interface DisplayPeriod {
  /** Epoch milliseconds. */
  from: number;
  until?: number;
  withdrawn?: boolean;
}

export function noticeState(period: DisplayPeriod, now: Date): NoticeState {
  if (period.withdrawn) return 'withdrawn';
  const t = now.getTime();
  if (t < period.from) return 'scheduled';
  if (period.until !== undefined && t >= period.until) return 'ended';
  return 'showing';
}

/** An end that is not after the start shows the notice to nobody: refused rather than stored. */
export function periodIssues(period: DisplayPeriod): FieldIssue[] {
  return period.until !== undefined && period.until <= period.from
    ? [{ path: 'body.displayUntil', message: '展示截止时间应晚于开始时间' }]
    : [];
}
