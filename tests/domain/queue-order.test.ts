import { describe, expect, it } from 'vitest';
import { callOrder, passedOver, pickNext, positionOf, reasonText, type QueuedTicket } from '../../functions/domain/queue-order';

const NOW = new Date('2026-11-23T02:00:00Z'); // 10:00 in Shanghai
const RULE = { priorityRatio: 2, maxWaitMin: 60 };

/** A ticket issued `minAgo` minutes before NOW; `p` marks a priority one; `cat` defaults to A. */
function t(name: string, minAgo: number, p = false, cat = 'A'): QueuedTicket & { name: string } {
  return { id: name, name, category: cat, priority: p, issuedAt: new Date(NOW.getTime() - minAgo * 60000).toISOString(), seq: Number(name.slice(1)) };
}

const names = (list: { id: string }[]) => list.map((x) => x.id);

describe('the ordering rule: one pick', () => {
  it.each([
    { case: 'empty queue → nothing', waiting: [], streak: 0, expected: undefined, why: undefined },
    { case: 'first come first served among normal tickets', waiting: [t('A3', 10), t('A1', 30), t('A2', 20)], streak: 0, expected: 'A1', why: 'order' },
    { case: 'a priority ticket goes before earlier normal ones', waiting: [t('A1', 30), t('A2', 20, true)], streak: 0, expected: 'A2', why: 'priority' },
    { case: 'after 2 consecutive priority calls a normal ticket goes', waiting: [t('A1', 30), t('A2', 20, true)], streak: 2, expected: 'A1', why: 'order' },
    { case: 'the ratio lets a normal ticket pass an earlier priority one', waiting: [t('A1', 40, true), t('A2', 20)], streak: 2, expected: 'A2', why: 'ratio' },
    { case: 'after 1 priority call priority still goes', waiting: [t('A1', 30), t('A2', 20, true)], streak: 1, expected: 'A2', why: 'priority' },
    { case: 'ratio reached but no normal waits: priority goes', waiting: [t('A2', 20, true), t('A3', 10, true)], streak: 5, expected: 'A2', why: 'order' },
    { case: 'a ticket past the maximum wait goes next, before priority', waiting: [t('A1', 61), t('A2', 20, true)], streak: 0, expected: 'A1', why: 'overdue' },
    { case: 'exactly the maximum wait is not yet overdue', waiting: [t('A1', 60), t('A2', 20, true)], streak: 0, expected: 'A2', why: 'priority' },
    { case: 'among priority tickets, the earliest', waiting: [t('A4', 5, true), t('A2', 20, true), t('A1', 40)], streak: 0, expected: 'A2', why: 'priority' },
    { case: 'a transferred ticket keeps its original time', waiting: [t('B7', 5), t('A1', 45, false, 'B')], streak: 0, expected: 'A1', why: 'order' },
    { case: 'same issue time: lower number first', waiting: [{ ...t('A2', 10), issuedAt: t('A1', 10).issuedAt }, t('A1', 10)], streak: 0, expected: 'A1', why: 'order' },
  ])('$case', ({ waiting, streak, expected, why }) => {
    const pick = pickNext(waiting, streak, RULE, NOW);
    expect(pick?.ticket.id).toBe(expected);
    expect(pick?.why).toBe(why);
  });

  it.each([
    { streak: 0, p: true, after: 1 },
    { streak: 1, p: true, after: 2 },
    { streak: 2, p: false, after: 0 },
  ])('a call moves the streak from $streak to $after', ({ streak, p, after }) => {
    const pick = pickNext([t('A1', 30, p), t('A2', 20, !p)], streak, RULE, NOW);
    expect(pick?.ticket.priority).toBe(p);
    expect(pick?.streak).toBe(after);
  });
});

describe('the ordering rule: the whole order', () => {
  it.each([
    {
      case: 'priority first, then one normal after every 2 priority calls',
      waiting: [t('A1', 50), t('A2', 40), t('A3', 30, true), t('A4', 20, true), t('A5', 15, true), t('A6', 10, true)],
      streak: 0,
      ratio: 2,
      expected: ['A3', 'A4', 'A1', 'A5', 'A6', 'A2'],
    },
    {
      case: 'a ratio of 1 alternates',
      waiting: [t('A1', 50), t('A2', 40), t('A3', 30, true), t('A4', 20, true)],
      streak: 0,
      ratio: 1,
      expected: ['A3', 'A1', 'A4', 'A2'],
    },
    {
      case: 'the hall streak carries over: 2 priority calls just happened',
      waiting: [t('A1', 50), t('A3', 30, true)],
      streak: 2,
      ratio: 2,
      expected: ['A1', 'A3'],
    },
    {
      case: 'overdue tickets first, oldest first, then the rule',
      waiting: [t('A1', 90), t('A2', 70), t('A3', 30, true), t('A4', 10)],
      streak: 0,
      ratio: 2,
      expected: ['A1', 'A2', 'A3', 'A4'],
    },
  ])('$case', ({ waiting, streak, ratio, expected }) => {
    expect(names(callOrder(waiting, streak, { ...RULE, priorityRatio: ratio }, NOW))).toEqual(expected);
  });
});

describe('positions', () => {
  const waiting = [t('A1', 50), t('A2', 40), t('A3', 30, true), t('B1', 45, false, 'B'), t('B2', 25, true, 'B')];

  it.each([
    ['A3', 1],
    ['A1', 2],
    ['A2', 3],
    ['B2', 1],
    ['B1', 2],
  ])('%s is number %i in its category', (id, position) => {
    expect(positionOf(id, waiting, 0, RULE, NOW)).toBe(position);
  });

  it('the ticket at position 1 is the one the rule picks for a window serving only that category', () => {
    for (const streak of [0, 1, 2, 3]) {
      const onlyA = waiting.filter((x) => x.category === 'A');
      const first = onlyA.find((x) => positionOf(x.id, waiting, streak, RULE, NOW) === 1);
      expect(first?.id).toBe(pickNext(onlyA, streak, RULE, NOW)?.ticket.id);
    }
  });

  it('a ticket not waiting has no position', () => {
    expect(positionOf('Z9', waiting, 0, RULE, NOW)).toBeUndefined();
  });
});

describe('explanations', () => {
  it('names the categories whose earlier tickets a call passed over', () => {
    const called = t('A5', 5, true);
    expect(passedOver(called, [t('A1', 30), t('B1', 20, false, 'B'), called, t('C9', 1, false, 'C')])).toEqual(['A', 'B']);
    expect(passedOver(t('A1', 30), [t('A1', 30), t('A2', 10)])).toEqual([]);
  });

  it.each([
    ['priority', /A015 号是优先号.*绿色通道/],
    ['overdue', /已等候超过 60 分钟/],
    ['ratio', /轮到一位普通号/],
  ] as const)('explains a %s call in plain Chinese', (why, text) => {
    expect(reasonText('A015', why, 60)).toMatch(text);
  });

  it('needs no explanation for a call in number order', () => {
    expect(reasonText('A001', 'order', 60)).toBeUndefined();
  });
});
