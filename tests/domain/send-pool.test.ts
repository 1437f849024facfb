import { describe, expect, it } from 'vitest';
import { sendInTurn } from '../../functions/lib/send-pool';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sending a run of messages', () => {
  it('sends the first alone: when it says stop, no other is tried', async () => {
    const tried: number[] = [];
    await sendInTurn([1, 2, 3, 4], async (n) => {
      tried.push(n);
      return 'stop';
    });
    expect(tried).toEqual([1]);
  });

  it('sends every message once, never more at a time than allowed', async () => {
    const sent: number[] = [];
    let inFlight = 0;
    let most = 0;
    await sendInTurn(Array.from({ length: 50 }, (_, i) => i), async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await pause(2);
      sent.push(n);
      inFlight--;
    }, { concurrency: 4, budgetMs: 60_000 });
    expect(sent.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(most).toBe(4);
  });

  it('starts no new message once the budget is spent, leaving the rest for the next run', async () => {
    const sent: number[] = [];
    await sendInTurn(Array.from({ length: 100 }, (_, i) => i), async (n) => {
      await pause(20);
      sent.push(n);
    }, { concurrency: 2, budgetMs: 50 });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(100);
  });
});
