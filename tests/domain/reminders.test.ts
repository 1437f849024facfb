import { describe, expect, it } from 'vitest';
import { bucketOf, bucketsToScan, plannedReminders } from '../../functions/domain/reminders';

describe('reminder timing', () => {
  const start = new Date('2026-03-12T09:30:00+08:00');

  it('plans one the evening before at 18:00 local and one an hour before', () => {
    const planned = plannedReminders(start, new Date('2026-03-10T09:00:00+08:00'), 'Asia/Shanghai');
    expect(planned.map((r) => [r.kind, r.dueAt.toISOString()])).toEqual([
      ['day_before', '2026-03-11T10:00:00.000Z'],
      ['hour_before', '2026-03-12T00:30:00.000Z'],
    ]);
  });

  it('skips a reminder whose time has passed when the booking is made', () => {
    const planned = plannedReminders(start, new Date('2026-03-11T20:00:00+08:00'), 'Asia/Shanghai');
    expect(planned.map((r) => r.kind)).toEqual(['hour_before']);
    expect(plannedReminders(start, new Date('2026-03-12T09:00:00+08:00'), 'Asia/Shanghai')).toEqual([]);
  });

  it('files reminders in 10-minute buckets and scans the last hour of them', () => {
    expect(bucketOf(new Date('2026-03-11T10:07:59Z'))).toBe('2026-03-11T10:00');
    const buckets = bucketsToScan(new Date('2026-03-11T10:05:00Z'));
    expect(buckets[0]).toBe('2026-03-11T09:00');
    expect(buckets.at(-1)).toBe('2026-03-11T10:00');
    expect(buckets).toHaveLength(7);
  });
});
