import { describe, expect, it } from 'vitest';
import { escortFigures, escortOver, escortWindow, matchedFirst, unclaimedCheckDue } from '../../functions/domain/escort';

describe('an escort’s time', () => {
  it('runs from half an hour before the appointment to half an hour after it, credited to the half hour', () => {
    const w = escortWindow(new Date('2026-03-12T09:30:00+08:00'), new Date('2026-03-12T09:50:00+08:00'));
    expect([w.startsAt.toISOString(), w.endsAt.toISOString(), w.hours]).toEqual(['2026-03-12T01:00:00.000Z', '2026-03-12T02:20:00.000Z', 1.5]);
    expect(escortWindow(new Date('2026-03-12T08:00:00Z'), new Date('2026-03-13T08:00:00Z')).hours).toBe(24);
  });

  it('is checked at 18:00 community time the evening before, or at once when asked later', () => {
    const start = new Date('2026-03-12T09:30:00+08:00');
    expect(unclaimedCheckDue(start, new Date('2026-03-10T09:00:00+08:00'), 'Asia/Shanghai').toISOString()).toBe('2026-03-11T10:00:00.000Z');
    expect(unclaimedCheckDue(start, new Date('2026-03-10T09:00:00+08:00'), 'Asia/Urumqi').toISOString()).toBe('2026-03-11T12:00:00.000Z');
    const late = new Date('2026-03-11T20:00:00+08:00');
    expect(unclaimedCheckDue(start, late, 'Asia/Shanghai')).toEqual(late);
  });
});

describe('an escort’s hours', () => {
  it('may be verified once the appointment was completed or marked 爽约, not before nor after a cancellation', () => {
    expect((['booked', 'checked_in', 'completed', 'no_show', 'cancelled', undefined] as const).map((status) => escortOver(status))).toEqual([false, false, true, true, false, false]);
  });
});

describe('open escorts for a volunteer', () => {
  it('lists those needing the volunteer’s skill first, each kind by start', () => {
    const escorts = [
      { id: 'a', need: '助老', startsAt: '2026-03-12T09:00:00+08:00' },
      { id: 'b', need: '助残', startsAt: '2026-03-12T10:00:00+08:00' },
      { id: 'c', need: '助残', startsAt: '2026-03-12T08:00:00+08:00' },
    ];
    expect(matchedFirst(escorts, ['助残']).map((e) => [e.id, e.matchesMySkills])).toEqual([['c', true], ['b', true], ['a', false]]);
    expect(matchedFirst(escorts, ['文体']).map((e) => e.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('the committee’s escort figures', () => {
  it('leaves cancelled escorts out and gives the thanks’ mean to one decimal', () => {
    const figures = escortFigures([
      { status: 'scheduled', matchedUserId: 'v1', thanks: { score: 5 } },
      { status: 'scheduled', matchedUserId: 'v2', unclaimedAt: '2026-03-11T10:00:00Z', thanks: { score: 4 } },
      { status: 'scheduled', matchedUserId: 'v3', thanks: { score: 5 } },
      { status: 'scheduled', unclaimedAt: '2026-03-11T10:00:00Z' },
      { status: 'cancelled', matchedUserId: 'v4', unclaimedAt: '2026-03-11T10:00:00Z', thanks: { score: 1 } },
    ]);
    expect(figures).toEqual({ asked: 4, taken: 3, unclaimed: 2, thanked: 3, meanThanksScore: 4.7 });
    expect(escortFigures([]).meanThanksScore).toBeNull();
  });
});
