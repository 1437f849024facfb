import { describe, expect, it } from 'vitest';
import { coveredYears, isYearCovered, officialDay } from '../../functions/domain/holidays';

describe('official holiday calendar (chinese-days)', () => {
  it('names a public holiday in Chinese, weekend days inside it included', () => {
    expect(officialDay('2026-10-01')).toEqual({ kind: 'holiday', name: '国庆节' });
    expect(officialDay('2026-10-04')).toEqual({ kind: 'holiday', name: '国庆节' }); // a Sunday inside the holiday
    expect(officialDay('2026-02-17')).toEqual({ kind: 'holiday', name: '春节' });
  });

  it('knows the 调休 make-up working days', () => {
    expect(officialDay('2026-01-04')).toEqual({ kind: 'makeup_workday', name: '元旦' }); // a Sunday
    expect(officialDay('2026-05-09')).toEqual({ kind: 'makeup_workday', name: '劳动节' }); // a Saturday
  });

  it('calls every other date ordinary, weekends too (the weekly plan decides those)', () => {
    expect(officialDay('2026-03-10')).toEqual({ kind: 'ordinary' });
    expect(officialDay('2026-03-14')).toEqual({ kind: 'ordinary' });
  });

  it('treats a year it does not cover as ordinary weeks, so it never closes a centre', () => {
    const next = Math.max(...coveredYears()) + 1;
    expect(isYearCovered(next)).toBe(false);
    expect(officialDay(`${next}-01-01`)).toEqual({ kind: 'ordinary' });
    expect(officialDay(`${next}-10-01`)).toEqual({ kind: 'ordinary' });
    expect(isYearCovered(2026)).toBe(true);
  });
});
