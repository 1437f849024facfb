/**
 * The outbox (keys/outbox.ts): what a state change owes the world, kept in the table until a
 * separate function has delivered it, so a request never waits on WeChat or a board.
 *
 * - `outboxPut` is a transaction part: the change and its messages commit together or not at all.
 * - A drain claims each message by a conditional update before delivering it (one drain gets it),
 *   then records it delivered, retried later (backoff), dead (after MAX_ATTEMPTS, or refused for
 *   good) or dropped (nothing to send any more).
 * - Subscription acceptances (one-time WeChat consent) are counted per person and template;
 *   a send consumes one with a conditional decrement.
 * - The WeChat access token is cached here for every instance.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TemplateKey } from '@contract/notifications';
import { isConditionFailure, send } from './client';
import { outboxDeadIndex, outboxDeadQuery, outboxDueQuery, outboxKey, outboxPendingIndex, subscriptionKey, subscriptionsQuery, wechatTokenKey } from './keys/outbox';
import { queryPage, stripKeys, table } from './table';

type Item = Record<string, unknown>;

/** A WeChat subscription message to one person; `notAfter`: past it the message is useless (dropped). */
export interface WechatMessage {
  kind: 'wechat';
  userId: string;
  template: TemplateKey;
  page: string;
  data: Record<string, string>;
  notAfter?: string;
}
/** A push to a hall's display boards (the boards are read when it is delivered). */
export interface BoardMessage {
  kind: 'board';
  communityId: string;
  message: unknown;
}
/**
 * One message to every voter of a consultation, to every volunteer signed up for an activity, or
 * to every verified member of a community (a notice: only those who accepted its template get it):
 * the drain writes one WechatMessage per person, a page of them at a time, so a change that
 * concerns thousands costs its transaction one item (a transaction holds at most 100).
 */
export type FanoutMessage = {
  kind: 'fanout';
  template: TemplateKey;
  page: string;
  data: Record<string, string>;
} & FanoutAudience;
/** Whom a fanout reaches: a consultation's voters, an activity's signed-up volunteers, a community's members. */
export type FanoutAudience = { consultationId: string } | { activityId: string } | { noticeId: string; communityId: string };
export type OutboxMessage = WechatMessage | BoardMessage | FanoutMessage;

export type OutboxStatus = 'pending' | 'sent' | 'dead' | 'dropped';

export interface OutboxRecord {
  id: string;
  message: OutboxMessage;
  status: OutboxStatus;
  attempts: number;
  createdAt: string;
  nextAt: string;
  communityId?: string;
  /** Where the fanout's pages of people got to (fanout only): a voters' key, or a signups' page cursor. */
  cursor?: Item | string;
  lastError?: string;
  reason?: string;
  deadAt?: string;
}

/** Delivered or dropped messages are kept a week (for support), dead ones a month. */
const KEEP_DONE_SECONDS = 7 * 86400;
const KEEP_DEAD_SECONDS = 30 * 86400;
/** A claim outlives any single delivery (two WeChat calls of at most WECHAT_TIMEOUT_MS each). */
export const CLAIM_SECONDS = 60;

const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

export interface TransactPut {
  Put: { TableName: string; Item: Item; ConditionExpression: string };
}

/**
 * The Put of one outbox message, for the transaction of the change that owes it. The id is the
 * caller's when the message must exist once whatever retries happen (e.g. `near-<ticket>`): a
 * second Put of it fails its condition.
 */
export function outboxPut(id: string, message: OutboxMessage, now: Date): TransactPut {
  const at = now.toISOString();
  const communityId = message.kind === 'board' ? message.communityId : undefined;
  return {
    Put: {
      TableName: table(),
      Item: {
        ...outboxKey(id),
        type: 'OutboxMessage',
        ...outboxPendingIndex(at, id),
        id,
        message,
        status: 'pending',
        attempts: 0,
        createdAt: at,
        nextAt: at,
        ...(communityId ? { communityId } : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Transactions hold at most 100 items. */
const TRANSACTION_LIMIT = 100;

/**
 * Writes outbox messages on their own (a fanout's per-person messages: the fanout itself was
 * written with its change), in bounded transactions of 100. A message already there (same id)
 * is left as it is.
 */
export async function putOutbox(puts: readonly TransactPut[]): Promise<void> {
  for (let i = 0; i < puts.length; i += TRANSACTION_LIMIT) {
    const batch = puts.slice(i, i + TRANSACTION_LIMIT);
    if (batch.length === 1) {
      try {
        await send(new PutCommand(batch[0]!.Put));
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      continue;
    }
    try {
      await send(new TransactWriteCommand({ TransactItems: batch }));
    } catch (error) {
      if ((error as { name?: string })?.name !== 'TransactionCanceledException') throw error;
      // Some were already written (a retry): write the rest one by one.
      await Promise.all(batch.map((put) => putOutbox([put])));
    }
  }
}

/** Pending messages whose next attempt is due by `now` (the index is eventually consistent: claims decide). */
export async function dueOutbox(now: Date, limit: number): Promise<OutboxRecord[]> {
  const q = outboxDueQuery(now.toISOString());
  const page = await send<{ Items?: Item[] }>(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :to',
      ExpressionAttributeValues: { ':pk': q.gsi1pk, ':to': q.gsi1skTo },
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map((i) => stripKeys<OutboxRecord>(i));
}

export async function getOutbox(id: string): Promise<OutboxRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: outboxKey(id), ConsistentRead: true }));
  return Item ? stripKeys<OutboxRecord>(Item) : undefined;
}

/**
 * Claims a message for delivery: only one drain gets it (at most once), and only while it is
 * pending and due. The attempt is counted here, so a drain that dies mid-send still counts it.
 * Returns the message as claimed, or undefined when another drain has it or it is done.
 */
export async function claimOutbox(id: string, now: Date): Promise<OutboxRecord | undefined> {
  try {
    const { Attributes } = await send<{ Attributes?: Item }>(
      new UpdateCommand({
        TableName: table(),
        Key: outboxKey(id),
        UpdateExpression: 'SET claimedUntil = :until ADD attempts :one',
        ConditionExpression: '#status = :pending AND nextAt <= :at AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':until': epoch(now) + CLAIM_SECONDS, ':now': epoch(now), ':pending': 'pending', ':at': now.toISOString(), ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ? stripKeys<OutboxRecord>(Attributes) : undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

export type OutboxEnd =
  | { status: 'sent' }
  | { status: 'dropped'; reason: string }
  | { status: 'dead'; reason: string }
  | { status: 'retry'; at: Date; error: string };

/** Records how a claimed delivery ended and releases the claim. */
export async function finishOutbox(id: string, end: OutboxEnd, now: Date): Promise<void> {
  const at = now.toISOString();
  if (end.status === 'retry') {
    const next = end.at.toISOString();
    await send(
      new UpdateCommand({
        TableName: table(),
        Key: outboxKey(id),
        UpdateExpression: 'SET nextAt = :next, gsi1sk = :sk, lastError = :error REMOVE claimedUntil',
        ExpressionAttributeValues: { ':next': next, ':sk': outboxPendingIndex(next, id).gsi1sk, ':error': end.error },
      }),
    );
    return;
  }
  const dead = end.status === 'dead';
  await send(
    new UpdateCommand({
      TableName: table(),
      Key: outboxKey(id),
      UpdateExpression: `SET #status = :status, finishedAt = :at, expiresAt = :expires${end.status === 'sent' ? '' : ', reason = :reason'}${dead ? ', deadAt = :at, gsi2pk = :dpk, gsi2sk = :dsk' : ''} REMOVE claimedUntil, gsi1pk, gsi1sk`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': end.status,
        ':at': at,
        ':expires': epoch(now) + (dead ? KEEP_DEAD_SECONDS : KEEP_DONE_SECONDS),
        ...(end.status === 'sent' ? {} : { ':reason': end.reason }),
        ...(dead ? { ':dpk': outboxDeadIndex(at, id).gsi2pk, ':dsk': outboxDeadIndex(at, id).gsi2sk } : {}),
      },
    }),
  );
}

/** A fanout's progress: the pages of people done so far; its claim is renewed with it. */
export async function saveFanoutCursor(id: string, cursor: Item | string | undefined, now: Date): Promise<void> {
  await send(
    new UpdateCommand({
      TableName: table(),
      Key: outboxKey(id),
      UpdateExpression: cursor ? 'SET #cursor = :cursor, claimedUntil = :until' : 'REMOVE #cursor',
      ExpressionAttributeNames: { '#cursor': 'cursor' },
      ...(cursor ? { ExpressionAttributeValues: { ':cursor': cursor, ':until': epoch(now) + CLAIM_SECONDS } } : {}),
    }),
  );
}

/** Dead letters, newest first. */
export async function listDeadOutbox(query: { limit: number; cursor?: string }): Promise<{ items: OutboxRecord[]; next?: string }> {
  const page = await queryPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': outboxDeadQuery().gsi2pk },
      ScanIndexForward: false,
      Limit: query.limit,
    },
    query.cursor,
  );
  return { items: page.items.map((i) => stripKeys<OutboxRecord>(i)), next: page.next };
}

// ── subscription acceptances ────────────────────────────────────────────────

/** One more message allowed per template the person accepted. */
export async function addAcceptances(uid: string, templates: readonly TemplateKey[], now: Date): Promise<void> {
  await Promise.all(
    templates.map((template) =>
      send(
        new UpdateCommand({
          TableName: table(),
          Key: subscriptionKey(uid, template),
          UpdateExpression: 'SET #type = :type, updatedAt = :at ADD #count :one',
          ExpressionAttributeNames: { '#type': 'type', '#count': 'count' },
          ExpressionAttributeValues: { ':type': 'Subscription', ':at': now.toISOString(), ':one': 1 },
        }),
      ),
    ),
  );
}

export async function remainingAcceptances(uid: string): Promise<Record<string, number>> {
  const q = subscriptionsQuery(uid);
  const page = await send<{ Items?: Item[] }>(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
      ConsistentRead: true,
    }),
  );
  return Object.fromEntries((page.Items ?? []).map((i) => [String(i.sk).slice(q.skPrefix.length), Number(i.count ?? 0)]));
}

/** Uses one acceptance; false when the person has none left for this template. */
export async function consumeAcceptance(uid: string, template: TemplateKey): Promise<boolean> {
  try {
    await send(
      new UpdateCommand({
        TableName: table(),
        Key: subscriptionKey(uid, template),
        UpdateExpression: 'ADD #count :minus',
        ConditionExpression: '#count > :zero',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Gives back an acceptance whose message WeChat did not take (it was never shown). */
export async function returnAcceptance(uid: string, template: TemplateKey): Promise<void> {
  await send(
    new UpdateCommand({
      TableName: table(),
      Key: subscriptionKey(uid, template),
      UpdateExpression: 'ADD #count :one',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1 },
    }),
  );
}

// ── the shared WeChat access token ──────────────────────────────────────────

export async function cachedWechatToken(now: Date): Promise<{ value: string; expiresAtMs: number } | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: wechatTokenKey(), ConsistentRead: true }));
  const expiresAtMs = Number(Item?.validUntilMs ?? 0);
  return Item && typeof Item.value === 'string' && expiresAtMs > now.getTime() ? { value: Item.value, expiresAtMs } : undefined;
}

export async function saveWechatToken(value: string, validUntilMs: number): Promise<void> {
  await send(
    new PutCommand({
      TableName: table(),
      Item: { ...wechatTokenKey(), type: 'WechatToken', value, validUntilMs, expiresAt: Math.floor(validUntilMs / 1000) + 3600 },
    }),
  );
}

export async function forgetWechatToken(value: string): Promise<void> {
  try {
    await send(
      new UpdateCommand({
        TableName: table(),
        Key: wechatTokenKey(),
        UpdateExpression: 'SET validUntilMs = :zero',
        ConditionExpression: '#value = :value',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':zero': 0, ':value': value },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
