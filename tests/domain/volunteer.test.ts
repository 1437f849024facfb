import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInOpen, checkOutOpen, canSignUp, timesProblem } from '../../functions/domain/volunteer-activity';
import { checkPresenceCode, CODE_VALID_SECONDS, issuePresenceCode, qrPayload } from '../../functions/domain/volunteer-codes';
import { creditedHours, roundToHalfHour } from '../../functions/domain/volunteer-hours';
import { period, totalHours, volunteerRatio, yearlySummary } from '../../functions/domain/volunteer-ledger';

const KEY = 'test-key';
const at = (iso: string) => new Date(iso);

describe('personal attendance codes', () => {
  const now = at('2026-05-20T09:00:30+08:00');
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it('reads back the volunteer and the act a code was issued for', () => {
    const { code, expiresAt } = issuePresenceCode(KEY, 'act1', 'u1', 'check_in', now);
    expect(checkPresenceCode(KEY, 'act1', 'check_in', code, now)).toMatchObject({ ok: true, userId: 'u1', act: 'check_in' });
    expect(expiresAt.getTime() - now.getTime()).toBeLessThanOrEqual(CODE_VALID_SECONDS * 1000);
  });

  it('never lets a check-in code check out, nor a check-out code check in', () => {
    const checkIn = issuePresenceCode(KEY, 'act1', 'u1', 'check_in', now).code;
    const checkOut = issuePresenceCode(KEY, 'act1', 'u1', 'check_out', now).code;
    expect(checkPresenceCode(KEY, 'act1', 'check_out', checkIn, now)).toEqual({ ok: false, reason: 'other_act' });
    expect(checkPresenceCode(KEY, 'act1', 'check_in', checkOut, now)).toEqual({ ok: false, reason: 'other_act' });
  });

  it('refuses a code more than a minute old', () => {
    const { code } = issuePresenceCode(KEY, 'act1', 'u1', 'check_in', now);
    expect(checkPresenceCode(KEY, 'act1', 'check_in', code, later(CODE_VALID_SECONDS)).ok).toBe(true);
    expect(checkPresenceCode(KEY, 'act1', 'check_in', code, later(CODE_VALID_SECONDS + 1))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another activity\'s code, another key\'s, a volunteer swapped in, and garbage', () => {
    const { code } = issuePresenceCode(KEY, 'act2', 'u1', 'check_in', now);
    expect(checkPresenceCode(KEY, 'act1', 'check_in', code, now)).toEqual({ ok: false, reason: 'wrong' });
    expect(checkPresenceCode('token-key', 'act2', 'check_in', code, now)).toEqual({ ok: false, reason: 'wrong' });
    expect(checkPresenceCode(KEY, 'act2', 'check_in', code.replace('.u1.', '.u2.'), now)).toEqual({ ok: false, reason: 'wrong' });
    expect(checkPresenceCode(KEY, 'act1', 'check_in', 'hello', now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a code issued in the future', () => {
    const { code } = issuePresenceCode(KEY, 'act1', 'u1', 'check_in', later(60));
    expect(checkPresenceCode(KEY, 'act1', 'check_in', code, now)).toEqual({ ok: false, reason: 'future' });
  });

  it('accepts a code only for its own activity and volunteer, whatever the ids and times (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.integer({ min: 0, max: 4e12 }), (a, b, uid, ms) => {
        const t = new Date(ms);
        const { code } = issuePresenceCode(KEY, a, uid, 'check_out', t);
        expect(checkPresenceCode(KEY, a, 'check_out', code, t)).toMatchObject({ ok: true, userId: uid });
        if (a !== b) expect(checkPresenceCode(KEY, b, 'check_out', code, t).ok).toBe(false);
      }),
    );
  });

  it('puts the activity and the code in the QR', () => {
    expect(qrPayload('act1', 'Iabc.u1.ABC')).toBe('linli:presence:act1:Iabc.u1.ABC');
  });
});

describe('hours credited', () => {
  it('rounds attended time to the nearest half hour', () => {
    expect(roundToHalfHour(44)).toBe(0.5);
    expect(roundToHalfHour(46)).toBe(1);
    expect(roundToHalfHour(14)).toBe(0);
    expect(roundToHalfHour(15)).toBe(0.5);
    expect(roundToHalfHour(100)).toBe(1.5);
  });

  it('takes the hours staff give first', () => {
    expect(creditedHours({ given: 5, checkedInAt: '2026-05-20T09:00:00Z', checkedOutAt: '2026-05-20T10:00:00Z', activityHours: 2 })).toBe(5);
  });

  it('uses the attended time, capped at the activity\'s hours', () => {
    expect(creditedHours({ checkedInAt: '2026-05-20T09:00:00Z', checkedOutAt: '2026-05-20T10:20:00Z', activityHours: 3 })).toBe(1.5);
    expect(creditedHours({ checkedInAt: '2026-05-20T09:00:00Z', checkedOutAt: '2026-05-20T15:00:00Z', activityHours: 3 })).toBe(3);
  });

  it('credits nothing by itself when nobody checked out', () => {
    expect(creditedHours({ checkedInAt: '2026-05-20T09:00:00Z', activityHours: 2.5 })).toBeUndefined();
    expect(creditedHours({ given: 2, checkedInAt: '2026-05-20T09:00:00Z', activityHours: 2.5 })).toBe(2);
  });

  it('is always a multiple of half an hour between 0 and the cap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 * 60 }), fc.integer({ min: 1, max: 48 }), (minutes, halfHours) => {
        const cap = halfHours / 2;
        const h = creditedHours({ checkedInAt: '2026-05-20T00:00:00Z', checkedOutAt: new Date(Date.parse('2026-05-20T00:00:00Z') + minutes * 60000).toISOString(), activityHours: cap });
        if (h === undefined) throw new Error('a check-out was given');
        expect(h * 2).toBe(Math.round(h * 2));
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(cap);
      }),
    );
  });
});

describe('ledger totals and the yearly summary', () => {
  const entries = [
    { kind: 'service' as const, hours: 3, date: '2025-11-02' },
    { kind: 'service' as const, hours: 2.5, date: '2026-03-01' },
    { kind: 'correction' as const, hours: -0.5, date: '2026-03-05' },
    { kind: 'service' as const, hours: 4, date: '2026-05-18' },
  ];

  it('totals every entry, corrections included', () => {
    expect(totalHours(entries)).toBe(9);
    expect(totalHours([])).toBe(0);
  });

  it('sums per year, newest first, and the years add up to the total', () => {
    const years = yearlySummary(entries);
    expect(years).toEqual([
      { year: '2026', hours: 6, services: 2, corrections: 1 },
      { year: '2025', hours: 3, services: 1, corrections: 0 },
    ]);
    expect(years.reduce((s, y) => s + y.hours, 0)).toBe(totalHours(entries));
  });

  it('gives the period from the first to the last entry', () => {
    expect(period(entries)).toEqual({ from: '2025-11-02', to: '2026-05-18' });
  });

  it('sums exactly whatever the entries, in any order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -40, max: 40 }), { maxLength: 200 }), (halves) => {
        const list = halves.map((h, i) => ({ kind: 'service' as const, hours: h / 2, date: `20${10 + (i % 15)}-01-01` }));
        const expected = halves.reduce((a, b) => a + b, 0) / 2;
        expect(totalHours(list)).toBe(expected);
        expect(totalHours([...list].reverse())).toBe(expected);
        expect(yearlySummary(list).reduce((s, y) => s + y.hours, 0)).toBe(expected);
      }),
    );
  });

  it('measures the volunteer ratio against the 15% target', () => {
    expect(volunteerRatio(1500, 10000)).toEqual({ ratioPercent: 15, meetsTarget: true });
    expect(volunteerRatio(1, 9800)).toEqual({ ratioPercent: 0.01, meetsTarget: false });
  });
});

describe('activity times', () => {
  const times = { startsAt: '2026-05-20T09:00:00+08:00', endsAt: '2026-05-20T11:00:00+08:00' };

  it('opens check-in 30 minutes before the start until the end, check-out an hour longer', () => {
    expect(checkInOpen(times, at('2026-05-20T08:29:00+08:00'))).toBe(false);
    expect(checkInOpen(times, at('2026-05-20T08:30:00+08:00'))).toBe(true);
    expect(checkInOpen(times, at('2026-05-20T11:00:00+08:00'))).toBe(true);
    expect(checkInOpen(times, at('2026-05-20T11:01:00+08:00'))).toBe(false);
    expect(checkOutOpen(times, at('2026-05-20T12:00:00+08:00'))).toBe(true);
    expect(checkOutOpen(times, at('2026-05-20T12:01:00+08:00'))).toBe(false);
  });

  it('closes signup at the start', () => {
    expect(canSignUp(times, at('2026-05-20T08:59:59+08:00'))).toBe(true);
    expect(canSignUp(times, at('2026-05-20T09:00:00+08:00'))).toBe(false);
  });

  it('allows recording an activity up to 7 days back, not more', () => {
    const now = at('2026-05-27T08:00:00+08:00');
    expect(timesProblem(times, now)).toBeUndefined();
    expect(timesProblem(times, at('2026-05-28T10:00:00+08:00'))).toMatch(/7 天/);
    expect(timesProblem({ startsAt: times.endsAt, endsAt: times.startsAt }, now)).toMatch(/结束时间/);
  });
});
