/**
 * How a scheduled run sends its messages. An evening's reminders across a city are tens of
 * thousands (BENCHMARKS.md, cost): one at a time they would outlast the run many times over.
 *
 * The first goes alone, so when WeChat is down the run stops after one request rather than one
 * per message; then `concurrency` at a time, until all are sent, one says stop, or the run's time
 * budget is spent (the rest are still pending and the next run sends them).
 */
import type { ReminderRun } from '../domain/reminders';
import { sendNotice, type Notice } from './notifier';
import { WechatUnavailable } from './wechat';

export interface PoolOptions {
  concurrency: number;
  /** Wall-clock milliseconds after which no new message is started. */
  budgetMs: number;
}

export const REMINDER_POOL: PoolOptions = { concurrency: 16, budgetMs: 40_000 };

export async function sendInTurn<T>(items: readonly T[], send: (item: T) => Promise<'stop' | void>, options: PoolOptions = REMINDER_POOL): Promise<void> {
  const until = Date.now() + options.budgetMs;
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < items.length && Date.now() < until) {
      const item = items[next++] as T;
      if ((await send(item)) === 'stop') stopped = true;
    }
  };
  if (items.length === 0) return;
  if ((await send(items[next++] as T)) === 'stop') return;
  await Promise.all(Array.from({ length: Math.min(options.concurrency, items.length - 1) }, worker));
}

/**
 * Sends one claimed reminder through the notifier and records the outcome through `finish`:
 * sent; refused for good (WeChat refused it, or the person has no acceptance left for the
 * template, or no template is configured); or released for the next run when WeChat failed.
 * 'stop' when WeChat as a whole is down: the rest of the run waits for the next one.
 */
export async function deliver(run: ReminderRun, notice: Notice, finish: (outcome: 'sent' | 'refused' | 'retry') => Promise<void>): Promise<'stop' | void> {
  try {
    const outcome = await sendNotice(notice);
    await finish(outcome.status === 'sent' ? 'sent' : 'refused');
    if (outcome.status === 'sent') run.sent++;
    else run.skipped++;
  } catch (error) {
    await finish('retry');
    run.failed++;
    if (error instanceof WechatUnavailable) return 'stop';
  }
}
