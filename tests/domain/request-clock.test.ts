import { describe, expect, it } from 'vitest';
import { categoryClocks, isOverdue, isWorkingDay, requestClock, workingDaysAfter } from '../../functions/domain/request-clock';
import { levelAbove, levelBelow, ratingOutcome, canReopen } from '../../functions/domain/request-state';
import { requestRates } from '../../functions/domain/request-rates';

const SH = 'Asia/Shanghai';

describe('working days of a request clock', () => {
  it('skips weekends and official holidays, and counts a 调休 Saturday', () => {
    expect(isWorkingDay('2026-11-16')).toBe(true); // a plain Monday
    expect(isWorkingDay('2026-11-21')).toBe(false); // a plain Saturday
    expect(isWorkingDay('2026-10-01')).toBe(false); // 国庆节, a Thursday
    expect(isWorkingDay('2026-05-09')).toBe(true); // 劳动节 调休, a Saturday
  });

  it('counts working days after the filing day, not including it', () => {
    // Friday 13 Nov 2026 + 3 working days → Mon 16, Tue 17, Wed 18
    expect(workingDaysAfter('2026-11-13', 3)).toBe('2026-11-18');
  });

  it('runs a clock over the National Day holiday: filed on 30 September, 3 working days end on the 调休 Saturday 10 October', () => {
    // 1–7 Oct 2026 are holidays; then Thu 8, Fri 9 and the 调休 Saturday 10 Oct are working days
    expect(workingDaysAfter('2026-09-30', 3)).toBe('2026-10-10');
  });
});

describe('requestClock', () => {
  it('gives the category its response hours and the end of its last working day in the community zone', () => {
    const filed = new Date('2026-11-13T10:00:00+08:00'); // Friday
    const clock = requestClock(categoryClocks({}).sanitation, filed, SH); // 环境卫生 by default: respond 4 h, resolve 3 working days
    expect(clock.respondBy).toBe(new Date('2026-11-13T14:00:00+08:00').toISOString());
    expect(clock.resolveBy).toBe(new Date('2026-11-19T00:00:00+08:00').toISOString());
  });
});

describe('categoryClocks', () => {
  it("takes a community's own clock for a category it set, and the default for the others", () => {
    const clocks = categoryClocks({ repair: { respondHours: 8, resolveDays: 2 } });
    expect(clocks.repair).toEqual({ respondHours: 8, resolveDays: 2 });
    expect(clocks.safety).toEqual({ respondHours: 2, resolveDays: 3 });
  });
});

describe('overdue (超期)', () => {
  const clock = { respondBy: '2026-11-16T06:00:00.000Z', resolveBy: '2026-11-19T16:00:00.000Z' };
  it('flags an unaccepted request past its response time, and any open one past its resolution time', () => {
    expect(isOverdue({ status: 'submitted', ...clock }, new Date('2026-11-16T07:00:00Z'))).toBe(true);
    expect(isOverdue({ status: 'accepted', ...clock }, new Date('2026-11-16T07:00:00Z'))).toBe(false);
    expect(isOverdue({ status: 'accepted', ...clock }, new Date('2026-11-19T16:00:01Z'))).toBe(true);
  });
  it('never flags a resolved or closed one', () => {
    expect(isOverdue({ status: 'resolved', ...clock }, new Date('2026-12-01T00:00:00Z'))).toBe(false);
    expect(isOverdue({ status: 'closed', ...clock }, new Date('2026-12-01T00:00:00Z'))).toBe(false);
  });
});

describe('the state rules', () => {
  it('hands up community → street → district, and no further', () => {
    expect(levelAbove('community')).toBe('street');
    expect(levelAbove('street')).toBe('district');
    expect(levelAbove('district')).toBeUndefined();
    expect(levelBelow('district')).toBe('street');
    expect(levelBelow('community')).toBeUndefined();
  });
  it('reopens a rating of 1–2 at the level above the owner, closes 3–5', () => {
    expect(ratingOutcome(2, 'community')).toEqual({ status: 'reopened', level: 'street' });
    expect(ratingOutcome(1, 'district')).toEqual({ status: 'reopened', level: 'district' });
    expect(ratingOutcome(3, 'community')).toEqual({ status: 'closed' });
  });
  it('lets the resident reopen for 7 days after the resolution', () => {
    const resolvedAt = '2026-11-16T00:00:00.000Z';
    expect(canReopen({ status: 'resolved', resolvedAt }, new Date('2026-11-22T23:59:00Z'))).toBe(true);
    expect(canReopen({ status: 'resolved', resolvedAt }, new Date('2026-11-23T00:00:01Z'))).toBe(false);
  });
});

describe('the three rates', () => {
  it('counts response, resolution and satisfaction among the month, open, overdue and escalated now', () => {
    const base = { respondBy: '2026-11-16T06:00:00.000Z', resolveBy: '2026-11-19T16:00:00.000Z' };
    const rates = requestRates(
      [
        { ...base, status: 'closed', respondedInTime: true, resolvedInTime: true, rating: { score: 5 } },
        { ...base, status: 'closed', respondedInTime: true, resolvedInTime: false, escalated: true, rating: { score: 2 } },
        { ...base, status: 'submitted' },
        { ...base, status: 'accepted', respondedInTime: false },
      ],
      new Date('2026-11-20T00:00:00Z'),
    );
    expect(rates).toEqual({ filed: 4, responseRate: 0.5, resolutionRate: 0.25, satisfactionRate: 0.5, rated: 2, open: 2, overdue: 2, escalated: 1 });
  });
});
