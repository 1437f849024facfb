import { describe, expect, it } from 'vitest';
import { HALF_LIFE_MIN, PRIOR_MIN, estimateWaitMin, meanServiceMin, serviceTerms, weightAt, type ServiceSums } from '../../functions/domain/wait-estimate';

/** Adds service times (minutes) completed at given minutes into the day. */
function observe(list: [atMin: number, minutes: number][]): ServiceSums {
  return list.reduce<ServiceSums>(
    (sums, [at, minutes]) => {
      const terms = serviceTerms(at, minutes * 60);
      return { weight: sums.weight + terms.weight, weightedSec: sums.weightedSec + terms.weightedSec };
    },
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

/** The significant digits of the exact decimal sum of numbers as the SDK sends them (their shortest text), as DynamoDB adds them. */
function exactSumDigits(terms: number[]): number {
  const decimals = (text: string) => {
    const [mantissa, exponent = '0'] = text.split('e');
    const [whole, fraction = ''] = mantissa!.split('.');
    return { digits: BigInt(whole! + fraction), scale: fraction.length - Number(exponent) };
  };
  const parts = terms.map((t) => decimals(String(t)));
  const scale = Math.max(...parts.map((p) => p.scale));
  const sum = parts.reduce((total, p) => total + p.digits * 10n ** BigInt(scale - p.scale), 0n);
  return sum.toString().replace(/0+$/, '').length;
}

describe('the stored sums', () => {
  const everyMinute = Array.from({ length: 24 * 60 + 90 }, (_, minute) => minute);

  it('keeps every term a safe number, late in the evening and after midnight too', () => {
    const terms = everyMinute.flatMap((minute) => Object.values(serviceTerms(minute, 4 * 3600)));
    expect(terms.every((t) => t > 0 && t <= Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('adds a day of services, one a minute around the clock and ten thousand long ones before midnight, within the 38 digits of a DynamoDB number', () => {
    const busyEvening = Array.from({ length: 10_000 }, () => serviceTerms(23 * 60 + 59, 4 * 3600));
    const terms = [...everyMinute.map((minute) => serviceTerms(minute, 60 + ((minute * 37) % 7200))), ...busyEvening];
    expect(exactSumDigits(terms.map((t) => t.weight))).toBeLessThanOrEqual(38);
    expect(exactSumDigits(terms.map((t) => t.weightedSec))).toBeLessThanOrEqual(38);
  });

  it('still tells a slow midnight from a quick one', () => {
    expect(meanServiceMin(observe([[5, 30], [10, 30]]), 15)).toBeGreaterThan(meanServiceMin(observe([[5, 2], [10, 2]]), 15));
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
