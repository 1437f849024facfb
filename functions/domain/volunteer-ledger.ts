/**
 * The ledger (台帐) read side: totals and the yearly summary. Entries are never edited; a
 * correction is an entry of its own, so every figure here is a sum over entries. Hours are
 * multiples of 0.5, exact in binary floating point, so sums are exact.
 */
export interface EntryLike {
  kind: 'service' | 'correction';
  hours: number;
  /** Local date YYYY-MM-DD. */
  date: string;
}

export const totalHours = (entries: readonly EntryLike[]): number => entries.reduce((sum, e) => sum + e.hours, 0);

export interface YearSummary {
  year: string;
  hours: number;
  services: number;
  corrections: number;
}

/** Per local year, newest first: hours (corrections included), services and corrections counted. */
export function yearlySummary(entries: readonly EntryLike[]): YearSummary[] {
  const years = new Map<string, YearSummary>();
  for (const entry of entries) {
    const year = entry.date.slice(0, 4);
    const summary = years.get(year) ?? { year, hours: 0, services: 0, corrections: 0 };
    summary.hours += entry.hours;
    if (entry.kind === 'service') summary.services += 1;
    else summary.corrections += 1;
    years.set(year, summary);
  }
  return [...years.values()].sort((a, b) => b.year.localeCompare(a.year));
}

/** The period a certificate covers: first and last dated entry. */
export function period(entries: readonly EntryLike[]): { from?: string; to?: string } {
  const dates = entries.map((e) => e.date).sort();
  return { from: dates[0], to: dates.at(-1) };
}

/** The volunteer ratio indicator (policy 003: registered volunteers ≥ 15% of residents). */
export const VOLUNTEER_TARGET_PERCENT = 15;
export function volunteerRatio(approved: number, residents: number): { ratioPercent: number; meetsTarget: boolean } {
  const ratioPercent = residents > 0 ? Math.round((approved / residents) * 10000) / 100 : 0;
  return { ratioPercent, meetsTarget: ratioPercent >= VOLUNTEER_TARGET_PERCENT };
}
