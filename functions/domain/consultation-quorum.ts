/**
 * Turnout and quorum, in integers where it matters: "quorum 50% of 7 eligible" needs 4 ballots,
 * never 3.5 compared with floating error.
 */

/** Ballots the quorum needs: ceil(percent × eligible / 100), computed on tenths of a percent. */
export function requiredBallots(eligible: number, quorumPercent: number): number {
  const tenths = Math.round(quorumPercent * 10);
  return Math.ceil((tenths * eligible) / 1000);
}

export function quorumMet(ballots: number, eligible: number, quorumPercent: number | undefined): boolean {
  if (quorumPercent === undefined) return true;
  return ballots >= requiredBallots(eligible, quorumPercent);
}

/** Turnout in percent, one decimal (0 when nobody was eligible). */
export function turnoutPercent(ballots: number, eligible: number): number {
  if (eligible <= 0) return 0;
  return Math.round((ballots * 1000) / eligible) / 10;
}
