import { describe, expect, it } from 'vitest';
import { HALF_LIFE_MIN, PRIOR_MIN, estimateWaitMin, meanServiceMin, weightAt, type ServiceSums } from '../../functions/domain/wait-estimate';

/** Adds service times (minutes) completed at given minutes into the day. */
function observe(list: [atMin: number, minutes: number][]): ServiceSums {
  return list.reduce<ServiceSums>(
    (sums, [at, minutes]) => ({ weight: sums.weight + weightAt(at), weightedSec: sums.weightedSec + weightAt(at) * minutes * 60 }),
    { weight: 0, weightedSec: 0 },
  );
}

describe('the learned service time', () => {
  it('starts from the prior before any service is done', () => {
    expect(meanServiceMin(undefined, 540)).toBeCloseTo(PRIOR_MIN);
  });

  it("moves to the day's actual service times", () => {
    const sums = observe([[540, 12], [550, 12], [560, 12], [570, 12]]);
    expect(meanServiceMin(sums, 575)).toBeGreaterThan(10);
    expect(meanServiceMin(sums, 575)).toBeLessThan(12);
  });

  it('leans on recent services: a slow morning fades once the windows speed up', () => {
    const sums = observe([[540, 20], [545, 20], [550, 20], [660, 4], [665, 4], [670, 4]]);
    const mean = meanServiceMin(sums, 675);
    expect(mean).toBeLessThan(7);
    expect(mean).toBeGreaterThan(4);
  });

  it('weighs an observation twice as much one half-life later', () => {
    expect(weightAt(100 + HALF_LIFE_MIN) / weightAt(100)).toBeCloseTo(2);
  });

  it('does not depend on the order completions arrive in (windows add concurrently)', () => {
    const a = observe([[540, 3], [600, 9], [610, 6]]);
    const b = observe([[610, 6], [540, 3], [600, 9]]);
    expect(meanServiceMin(a, 620)).toBeCloseTo(meanServiceMin(b, 620));
  });
});

describe('the wait estimate', () => {
  it.each([
    { ahead: 0, windows: 1, expected: 0 },
    { ahead: 3, windows: 1, expected: 15 },
    { ahead: 3, windows: 3, expected: 5 },
    { ahead: 4, windows: 0, expected: 20 },
    { ahead: 1, windows: 20, expected: 1 },
  ])('$ahead ahead with $windows open windows and 5-minute services: $expected min', ({ ahead, windows, expected }) => {
    expect(estimateWaitMin(ahead, undefined, windows, 540)).toBe(expected);
  });
});
