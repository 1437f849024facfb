/**
 * Notifications: the outbox's delivery (the `outbox` function: every minute, and at once when a
 * request kicks it), the dead letters staff of the platform can read, and the subscription
 * acceptances the mini-program reports.
 *
 * Delivery is at most once per message: a message is claimed by a conditional update before it
 * is sent (store/outbox.ts), so two drains running together deliver it once. A failure is retried
 * with a growing pause; after MAX_ATTEMPTS, or when WeChat refuses it for good (the person
 * refused, an invalid openid, bad data), the message is dead and listed at GET /v1/outbox/dead.
 */
import { AppError } from '@contract/errors';
import type { Page } from '@contract/common';
import type { DeadMessage, TemplateKey } from '@contract/notifications';
import { pushToBoards } from './boards';
import { config } from '../lib/config';
import { configuredTemplates, kickDelivery, sendNotice, setInProcessDrain, templateId } from '../lib/notifier';
import { sendInTurn } from '../lib/send-pool';
import type { AuthUser } from '../lib/tokens';
import { WechatUnavailable } from '../lib/wechat';
import { listMarkers } from '../store/consultations';
import { listMembers } from '../store/identity';
import * as outbox from '../store/outbox';
import { pairedBoards } from '../store/queue';
import { listSignups } from '../store/volunteers';

/**
 * Asks for the delivery of messages a change just committed in its transaction. Services take it
 * from here rather than from lib/notifier, so that loading them registers the in-process drain.
 */
export { kickDelivery };

/**
 * One message to a whole audience, as a part of the change's transaction: the outbox function
 * fans it out a page at a time, so the change writes one item whatever the audience's size and
 * never waits on WeChat. None while the template is not configured.
 */
export function fanoutParts(messageId: string, audience: outbox.FanoutAudience, template: TemplateKey, page: string, data: Record<string, string>, now: Date): outbox.TransactPut[] {
  if (!templateId(template)) return [];
  return [outbox.outboxPut(messageId, { kind: 'fanout', ...audience, template, page, data }, now)];
}

/** Attempts before a message is dead. */
export const MAX_ATTEMPTS = 5;
/** The pause after the n-th failed attempt: 30 s, 1, 2, 4 min. */
export const retryDelayMs = (attempts: number): number => 30_000 * 2 ** Math.max(0, attempts - 1);

/** Messages claimed per read of the pending index; a run reads again until none is due. */
const PAGE = 50;
/** A run stops starting deliveries after this (the function's timeout is 60 s). */
const RUN_BUDGET_MS = 40_000;

export interface DrainRun {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  dropped: number;
}

/**
 * Delivers the messages due by `now`, 16 at a time. A WeChat that is down stops the run at the
 * first message it fails (that one is retried later); the rest wait for the next run.
 */
export async function drainOutbox(now: Date = new Date()): Promise<DrainRun> {
  const run: DrainRun = { claimed: 0, sent: 0, retried: 0, dead: 0, dropped: 0 };
  const until = Date.now() + RUN_BUDGET_MS;
  const seen = new Set<string>();
  while (Date.now() < until) {
    const due = (await outbox.dueOutbox(now, PAGE)).filter((m) => !seen.has(m.id));
    if (due.length === 0) break;
    due.forEach((m) => seen.add(m.id));
    let stopped = false;
    await sendInTurn(due, async (pending) => {
      const claimed = await outbox.claimOutbox(pending.id, now);
      if (!claimed) return;
      run.claimed++;
      const end = await deliverOne(claimed, now);
      await outbox.finishOutbox(claimed.id, end.end, now);
      if (end.end.status === 'sent') run.sent++;
      else if (end.end.status === 'retry') run.retried++;
      else if (end.end.status === 'dead') run.dead++;
      else run.dropped++;
      if (end.stop) {
        stopped = true;
        return 'stop';
      }
    }, { concurrency: 16, budgetMs: until - Date.now() });
    if (stopped) break;
  }
  return run;
}

async function deliverOne(m: outbox.OutboxRecord, now: Date): Promise<{ end: outbox.OutboxEnd; stop?: boolean }> {
  const failed = (error: unknown): { end: outbox.OutboxEnd; stop?: boolean } => {
    const text = error instanceof Error ? error.message : String(error);
    return {
      end: m.attempts >= MAX_ATTEMPTS ? { status: 'dead', reason: `${m.attempts} 次尝试均失败：${text}` } : { status: 'retry', at: new Date(now.getTime() + retryDelayMs(m.attempts)), error: text },
      stop: error instanceof WechatUnavailable,
    };
  };
  const message = m.message;
  try {
    switch (message.kind) {
      case 'wechat': {
        if (message.notAfter && now.getTime() > Date.parse(message.notAfter)) return { end: { status: 'dropped', reason: 'expired' } };
        const outcome = await sendNotice(message);
        if (outcome.status === 'sent') return { end: { status: 'sent' } };
        if (outcome.status === 'refused') return { end: { status: 'dead', reason: `微信拒收（errcode ${outcome.errcode}）` } };
        return { end: { status: 'dropped', reason: outcome.reason } };
      }
      case 'board': {
        await pushToBoards(message.communityId, await pairedBoards(message.communityId, now, config().maxHallBoards), message.message);
        return { end: { status: 'sent' } };
      }
      case 'fanout':
        await fanOut(m, message, now);
        return { end: { status: 'sent' } };
    }
  } catch (error) {
    return failed(error);
  }
}

/**
 * One message per person, a page of people at a time, each its own outbox message (id: the
 * fanout's and the person's, so a fanout resumed after a crash writes none twice). The cursor is
 * saved after each page.
 */
async function fanOut(m: outbox.OutboxRecord, message: outbox.FanoutMessage, now: Date): Promise<void> {
  let cursor = m.cursor;
  do {
    const page = await peoplePage(message, cursor);
    await outbox.putOutbox(
      page.userIds.map((userId) =>
        outbox.outboxPut(`${m.id}-${userId}`, { kind: 'wechat', userId, template: message.template, page: message.page, data: message.data }, now),
      ),
    );
    cursor = page.next;
    await outbox.saveFanoutCursor(m.id, cursor, now);
  } while (cursor);
}

/** A page of a fanout's people: a consultation's voters, the volunteers still signed up for an activity, or a community's verified members. */
async function peoplePage(message: outbox.FanoutMessage, cursor: Record<string, unknown> | string | undefined): Promise<{ userIds: string[]; next?: Record<string, unknown> | string }> {
  if ('noticeId' in message) {
    const page = await listMembers(message.communityId, { verified: true, limit: PAGE, cursor: typeof cursor === 'string' ? cursor : undefined });
    return { userIds: page.items.map((m) => m.userId), next: page.next };
  }
  if ('activityId' in message) {
    const page = await listSignups(message.activityId, { limit: PAGE, cursor: typeof cursor === 'string' ? cursor : undefined });
    return { userIds: page.items.filter((s) => s.status === 'signed_up').map((s) => s.userId), next: page.next };
  }
  const page = await listMarkers(message.consultationId, typeof cursor === 'string' ? cursor : undefined);
  return { userIds: [...new Set(page.items.map((marker) => marker.voterId))], next: page.next };
}

// In-process (tests, the local API server), a kick runs one drain at a time; a kick during a
// run asks for one more run after it.
let running: Promise<unknown> | undefined;
let again = false;
function drainInProcess(): Promise<unknown> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await drainOutbox(new Date()).catch(() => undefined);
    } while (again);
  })().finally(() => {
    running = undefined;
  });
  return running;
}
setInProcessDrain(drainInProcess);

/** Resolves once no in-process delivery is running (tests wait for what a request kicked). */
export const deliveryIdle = (): Promise<unknown> => running ?? Promise.resolve();

// ── routes ──────────────────────────────────────────────────────────────────

export function templates(): { templates: Record<string, string> } {
  return { templates: configuredTemplates() };
}

/** Records what the person just accepted: one message per accepted template. */
export async function reportSubscriptions(actor: AuthUser, accepted: readonly TemplateKey[], now: Date): Promise<{ remaining: Record<string, number> }> {
  await outbox.addAcceptances(actor.id, [...new Set(accepted)], now);
  return { remaining: await outbox.remainingAcceptances(actor.id) };
}

/** Platform admins only: a dead letter can concern any community. */
export async function deadMessages(actor: AuthUser, query: { limit: number; cursor?: string }): Promise<Page<DeadMessage>> {
  if (!actor.admin) throw new AppError('FORBIDDEN', '仅限平台管理员查看');
  const page = await outbox.listDeadOutbox(query);
  return {
    items: page.items.map((m) => ({
      id: m.id,
      kind: m.message.kind,
      ...(m.message.kind === 'board' ? {} : { template: m.message.template }),
      ...(m.communityId ? { communityId: m.communityId } : {}),
      attempts: m.attempts,
      reason: m.reason ?? '',
      createdAt: m.createdAt,
      deadAt: m.deadAt ?? '',
    })),
    next: page.next,
  };
}
