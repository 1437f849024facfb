import { describe, expect, it } from 'vitest';
import { canonicalHousehold } from '../../functions/domain/household';
import { maskName, maskPhone } from '../../functions/domain/privacy';
import { addDays, instantOf, isoWithOffset, localDate } from '../../functions/domain/time';

describe('households', () => {
  it.each([
    ['3-2-501', '3-2-501'],
    ['03-02-0501', '3-2-501'],
    ['３－２－５０１', '3-2-501'],
    [' 12-1-1203 ', '12-1-1203'],
    ['3—2—501', '3-2-501'],
  ])('folds %s to %s, so one flat is one household', (input, canonical) => {
    expect(canonicalHousehold(input)).toBe(canonical);
  });
});

describe('masking', () => {
  it('keeps the family name and hides the rest', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('李*');
    expect(maskName(undefined)).toBeUndefined();
  });
  it('hides the middle four digits of a phone', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
  });
});

describe('community-local time', () => {
  it('gives the Shanghai date of an instant whatever the server zone', () => {
    expect(localDate(new Date('2026-11-22T16:30:00Z'))).toBe('2026-11-23');
    expect(localDate(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
  });
  it('turns a local wall-clock time into the right instant and back', () => {
    const nine = instantOf('2026-11-23', '09:00');
    expect(nine.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(isoWithOffset(nine)).toBe('2026-11-23T09:00:00+08:00');
  });
  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});
