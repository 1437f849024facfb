/**
 * Tickets (TICKET#<id> / TICKET), the resident's active marker per category
 * (COMMUNITY#<cid> / QACTIVE#<uid>#<category>) and a person's walk-in count of a day
 * (USER#<uid> / QTAKEN#<date>). Keys and the waiting index: keys/queue.ts.
 *
 * Invariants held by the database, not by the code that reads first:
 *  - waiting counts: a ticket leaving waiting adds one to its category's `leftWaiting` on the day
 *    (days.ts) in the same transaction that changes its status, so issued − leftWaiting is the count;
 *  - one active ticket per resident per category: the ticket is put in one transaction with a
 *    marker item whose put is conditional (part `marker`);
 *  - a ticket is called once: the claim's condition is `status = waiting`;
 *  - the priority ratio: the hall's streak lives on the day item, and every call writes it in the
 *    same transaction as the claim, conditioned on the day item's version (optimistic lock), so
 *    two windows calling at once are serialised and neither works from a stale streak.
 *
 *   window 1: Query ──pick T1──> Txn[T1 waiting→called, day v7→v8]  ✓
 *   window 2: Query ──pick T1──> Txn[T1 waiting→called, day v7→v8]  ✗ (both conditions) → Query again → pick T2
 *
 * Every write names its parts; a failed condition comes back as ConditionFailed with those names
 * (the service says what each means to a person).
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BoardCall, TicketStatus } from '@contract/queue';
import {
  activeTicketKey,
  hallPartition,
  membershipKey,
  normalFrom,
  ticketKey,
  ticketQuotaKey,
  ticketUserIndex,
  waitingIndex,
  waitingRange,
} from '../keys';
import { send } from '../client';
import type { Answer } from '../idempotency';
import type { TransactPut } from '../outbox';
import { queryAll, queryPage, stripKeys, table } from '../table';
import { conditional, isConditionFailed, transact, type TransactItem } from '../transaction';
import { dayPart, type CurrentCall, type DayFigures, type Jump } from './days';

export interface TicketRecord {
  id: string;
  communityId: string;
  date: string;
  seq: number;
  number: string;
  category: string;
  categoryName?: string;
  userId: string;
  status: TicketStatus;
  priority: boolean;
  priorityReason?: string;
  /** UTC ISO instant of first issue (kept on transfer): the ordering and the index use it. */
  issuedAt: string;
  appointmentId?: string;
  late?: boolean;
  notice?: string;
  window?: number;
  calledAt?: string;
  finishedAt?: string;
  transferredFrom?: string;
  recalls?: number;
  rating?: number;
  ratingComment?: string;
  ratedAt?: string;
  notifiedNear?: boolean;
}

// ---------------------------------------------------------------- waiting tickets

/** The attributes the ordering rule and a ticket page need; the rest stays in the table. */
const WAITING_PROJECTION = 'id, communityId, #date, seq, #number, category, userId, #status, priority, issuedAt, notifiedNear, transferredFrom';

const waitingQuery = (cid: string, range: { from: string; to: string }) => ({
  IndexName: 'gsi2',
  KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
  ExpressionAttributeValues: { ':pk': hallPartition(cid), ':from': range.from, ':to': range.to },
  ExpressionAttributeNames: { '#date': 'date', '#number': 'number', '#status': 'status' },
  ProjectionExpression: WAITING_PROJECTION,
});

/** The first `limit` entries of a waiting range, and whether more follow. */
async function waitingPage(cid: string, range: { from: string; to: string }, limit: number): Promise<{ items: TicketRecord[]; more: boolean }> {
  const { items, next } = await queryPage({ ...waitingQuery(cid, range), Limit: limit }, undefined);
  return { items: items.map((item) => stripKeys<TicketRecord>(item)), more: next !== undefined };
}

/** How many tickets of a category a window reads: enough for the rule's pick and the "3 ahead" notice. */
const HEAD = 12;

/**
 * The head of a category's waiting range: its first priority and normal tickets in issue order —
 * every ticket the ordering rule can call next, and the next few after. One Query (a second only
 * when more than HEAD priority tickets wait, to reach the normal ones).
 */
export async function categoryHead(cid: string, date: string, category: string): Promise<TicketRecord[]> {
  const range = waitingRange(date, category);
  const head = await waitingPage(cid, { from: range, to: `${range}~` }, HEAD);
  if (!head.more || head.items.some((t) => !t.priority)) return head.items;
  const normals = await waitingPage(cid, { from: normalFrom(date, category), to: `${range}~` }, 4);
  return [...head.items, ...normals.items];
}

/** How far into its category a ticket page reads (one page): beyond this the place is estimated. */
const EXACT_PLACES = 60;

/**
 * What decides a waiting ticket's place in its category, in one Query that never reads more than
 * EXACT_PLACES entries:
 *  - a normal ticket: every priority ticket (they may be called before it), and the normal ones
 *    up to it;
 *  - a priority ticket: the priority ones, the normal ones issued before it (the maximum wait can
 *    put them ahead), and as many normal ones after it as priority ones are ahead (the ratio can
 *    put one ahead after every few priority calls).
 * `complete` is false when the ticket is further back than that: the caller estimates. A normal
 * ticket's range ends at its own entry, so reading that entry, or the whole range, means
 * everything ahead was read (even when the page is full and the database offers another).
 */
export async function ticketsAhead(t: TicketRecord): Promise<{ items: TicketRecord[]; complete: boolean }> {
  const range = waitingRange(t.date, t.category);
  const key = waitingIndex(t).gsi2sk;
  const read = await waitingPage(t.communityId, { from: range, to: t.priority ? `${range}~` : key }, EXACT_PLACES);
  const decided = t.priority
    ? read.items.filter((x) => !x.priority && x.issuedAt > t.issuedAt).length > read.items.filter((x) => x.priority && waitingIndex(x).gsi2sk <= key).length
    : read.items.some((x) => x.id === t.id);
  return { items: read.items, complete: !read.more || decided };
}

/** All of a day's waiting tickets (the staff's list): the one read that grows with the queue. */
export async function waitingTickets(cid: string, date: string): Promise<TicketRecord[]> {
  const range = waitingRange(date);
  return (await queryAll(waitingQuery(cid, { from: range, to: `${range}~` }))).map((item) => stripKeys<TicketRecord>(item));
}

// ---------------------------------------------------------------- reading tickets

/** A user's tickets issued since an instant (GSI1, oldest first); a person holds a few a day. */
export async function userTickets(uid: string, since: string): Promise<TicketRecord[]> {
  const from = ticketUserIndex(uid, since, '');
  const { Items } = await send<{ Items?: Record<string, unknown>[] }>(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': from.gsi1pk, ':from': from.gsi1sk, ':to': 'TICKET#~' },
      Limit: 100,
    }),
  );
  return (Items ?? []).map((item) => stripKeys<TicketRecord>(item));
}

export async function getTicket(id: string): Promise<TicketRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: ticketKey(id), ConsistentRead: true }));
  return Item ? stripKeys<TicketRecord>(Item) : undefined;
}

// ---------------------------------------------------------------- parts

/** The resident's active marker for a category; a refusal returns the marker (the ticket they hold). */
const markerPut = (t: TicketRecord, category = t.category): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...activeTicketKey(t.communityId, t.userId, category), type: 'ActiveTicket', ticketId: t.id, date: t.date },
    // A marker left by a ticket of an earlier day never blocks today.
    ConditionExpression: 'attribute_not_exists(pk) OR #date <> :date',
    ExpressionAttributeNames: { '#date': 'date' },
    ExpressionAttributeValues: { ':date': t.date },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

const markerRelease = (t: TicketRecord): TransactItem => ({
  Delete: {
    TableName: table(),
    Key: activeTicketKey(t.communityId, t.userId, t.category),
    ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :id',
    ExpressionAttributeValues: { ':id': t.id },
  },
});

/** The ticket as a new item (waiting ones also in the waiting index). */
const ticketPut = (t: TicketRecord): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...ticketKey(t.id), type: 'Ticket', ...t, ...ticketUserIndex(t.userId, t.issuedAt, t.id), ...(t.status === 'waiting' ? waitingIndex(t) : {}) },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** The resident's active marker, as a refused `marker` part returns it: the ticket they hold. */
export interface ActiveMarker {
  ticketId: string;
  date: string;
}

// ---------------------------------------------------------------- writes

/** What a walk-in's take must satisfy, held in its transaction. */
export interface WalkInRules {
  /** At most this many walk-in tickets per person per (hall-local) day. */
  perDay: number;
  /** No hall token: the taker's membership must be verified when the ticket is written. */
  verifiedMember: boolean;
}

type TakePart = 'ticket' | 'marker' | 'quota' | 'member' | 'proxy';

/**
 * The ticket and the resident's active marker for its category, in one transaction; for a walk-in
 * also the person's count of the day (`quota`: under the limit) and, without a hall token, their
 * verified membership (`member`), so neither can be raced past; for a proxy's take, the link
 * (`proxy`). `answers`: the take is the request's act (store/idempotency.ts).
 */
export async function createTicket(t: TicketRecord, also: { walkIn?: WalkInRules; proxy?: TransactItem[]; answers?: Answer } = {}): Promise<void> {
  const { walkIn } = also;
  await transact<TakePart>(
    {
      ticket: ticketPut(t),
      marker: markerPut(t),
      quota: walkIn && {
        Update: {
          TableName: table(),
          Key: ticketQuotaKey(t.userId, t.date),
          UpdateExpression: 'SET #type = :type, expiresAt = :expires ADD taken :one',
          ConditionExpression: 'attribute_not_exists(taken) OR taken < :max',
          ExpressionAttributeNames: { '#type': 'type' },
          // Kept two days: the limit is per day, and the item is only a counter.
          ExpressionAttributeValues: { ':type': 'TicketQuota', ':one': 1, ':max': walkIn.perDay, ':expires': Math.floor(Date.parse(t.issuedAt) / 1000) + 2 * 86400 },
        },
      },
      member: walkIn?.verifiedMember
        ? {
            ConditionCheck: {
              TableName: table(),
              Key: membershipKey(t.communityId, t.userId),
              ConditionExpression: 'verified = :true',
              ExpressionAttributeValues: { ':true': true },
            },
          }
        : undefined,
      proxy: also.proxy,
    },
    { answers: also.answers },
  );
}

/**
 * A number spent by a duplicate take (the same resident racing themselves): kept as a void
 * ticket so the numbering has no silent hole, and counted out of waiting.
 */
export async function voidTicket(t: TicketRecord): Promise<void> {
  await transact({ ticket: ticketPut(t), day: dayPart(t.communityId, t.date, { leftWaiting: { [t.category]: 1 } }) });
}

/** A call: the ticket, the window, and what the day learns. */
interface Claim {
  ticket: TicketRecord;
  window: number;
  calledAt: string;
  /** The day item's version the pick was made on (0: no item yet). */
  version: number;
  priorityStreak: number;
  announced: number;
  recentCalls: BoardCall[];
  waitSec: number;
  /** The categories whose earlier tickets this call passed over, and the call that did. */
  jumps: Record<string, Jump>;
  /** The call's outbox messages (board push, the resident's notice): committed with the claim or not at all. */
  messages?: readonly TransactPut[];
}

/**
 * Calls a ticket to a window: the claim, the hall's new streak and the call's messages in one
 * transaction, with the caller's `staff` check. 'lost': the ticket was taken by another window,
 * or the day moved on (read again, pick again). A failed `staff` check: ConditionFailed.
 * `answers`: the call is the request's act (store/idempotency.ts).
 */
export async function claimTicket(c: Claim, also: { staff?: TransactItem; answers?: Answer } = {}): Promise<'claimed' | 'lost'> {
  const t = c.ticket;
  const current: CurrentCall = { id: t.id, number: t.number, category: t.category, calledAt: c.calledAt, userId: t.userId };
  try {
    await transact(
      {
        ticket: {
          Update: {
            TableName: table(),
            Key: ticketKey(t.id),
            UpdateExpression: 'SET #status = :called, #window = :no, calledAt = :at REMOVE gsi2pk, gsi2sk',
            ConditionExpression: '#status = :waiting',
            ExpressionAttributeNames: { '#status': 'status', '#window': 'window' },
            ExpressionAttributeValues: { ':called': 'called', ':waiting': 'waiting', ':no': c.window, ':at': c.calledAt },
          },
        },
        day: dayPart(t.communityId, t.date, {
          announce: { version: c.version, priorityStreak: c.priorityStreak, announced: c.announced, recentCalls: c.recentCalls },
          calledTo: { window: c.window, call: current },
          lastJumps: c.jumps,
          figures: { called: 1, waitSec: c.waitSec },
          leftWaiting: { [t.category]: 1 },
        }),
        staff: also.staff,
        messages: c.messages,
      },
      { answers: also.answers },
    );
    return 'claimed';
  } catch (error) {
    if (isConditionFailed<'staff'>(error) && error.has('staff')) throw error;
    // Lost to the other window (or to concurrent transactions on the day item, every retry).
    if (isConditionFailed(error) || (error as { name?: string })?.name === 'TransactionCanceledException') return 'lost';
    throw error;
  }
}

/**
 * Announces a called ticket again: the recall count, the board's recent list (under the day's
 * version) and the recall's outbox messages, in one transaction. 'stale': the day moved on.
 * ConditionFailed<'ticket'>: the ticket is no longer called.
 */
export async function recallTicket(
  t: TicketRecord,
  d: { version: number; announced: number; recentCalls: BoardCall[] },
  messages: readonly TransactPut[] = [],
): Promise<'done' | 'stale'> {
  try {
    await transact({
      ticket: {
        Update: {
          TableName: table(),
          Key: ticketKey(t.id),
          UpdateExpression: 'ADD recalls :one',
          ConditionExpression: '#status = :called',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':called': 'called' },
        },
      },
      day: dayPart(t.communityId, t.date, { announce: d }),
      messages,
    });
    return 'done';
  } catch (error) {
    if (isConditionFailed<'ticket'>(error) && error.has('ticket')) throw error;
    if (isConditionFailed(error) || (error as { name?: string })?.name === 'TransactionCanceledException') return 'stale';
    throw error;
  }
}

/** What ending a ticket adds to the day's figures. */
interface FinishFigures {
  figures?: Partial<DayFigures>;
  service?: { weight: number; weightedSec: number };
}

/**
 * Ends a ticket (done, skipped, cancelled): the state change conditioned on the expected status
 * (part `ticket`), the resident's active marker released, and the day's figures added — one
 * transaction.
 */
export async function finishTicket(t: TicketRecord, to: 'done' | 'skipped' | 'cancelled', from: TicketStatus, at: string, adds: FinishFigures = {}): Promise<TicketRecord> {
  await transact({
    ticket: {
      Update: {
        TableName: table(),
        Key: ticketKey(t.id),
        UpdateExpression: 'SET #status = :to, finishedAt = :at REMOVE gsi2pk, gsi2sk',
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':to': to, ':from': from, ':at': at },
      },
    },
    marker: markerRelease(t),
    day: dayPart(t.communityId, t.date, {
      figures: adds.figures,
      ...(adds.service ? { service: { category: t.category, ...adds.service } } : {}),
      ...(from === 'waiting' ? { leftWaiting: { [t.category]: 1 } } : {}),
    }),
  });
  return { ...t, status: to, finishedAt: at };
}

/**
 * Back to waiting in another category with its original issue time; the marker moves with it and
 * the day's waiting counts follow (out of the old category if it was waiting, into the new one).
 * ConditionFailed: `ticket` (its status or category changed), `marker` (the resident already
 * queues in the new category; the marker returned names the ticket).
 */
export async function transferTicket(t: TicketRecord, from: TicketStatus, category: string, categoryName: string): Promise<TicketRecord> {
  const moved: TicketRecord = { ...t, category, categoryName, status: 'waiting', transferredFrom: t.category };
  delete moved.window;
  delete moved.calledAt;
  const place = waitingIndex(moved);
  await transact({
    ticket: {
      Update: {
        TableName: table(),
        Key: ticketKey(t.id),
        UpdateExpression: 'SET #status = :waiting, category = :cat, categoryName = :cname, transferredFrom = :old, gsi2pk = :g2pk, gsi2sk = :g2sk REMOVE #window, calledAt',
        ConditionExpression: '#status = :from AND category = :old',
        ExpressionAttributeNames: { '#status': 'status', '#window': 'window' },
        ExpressionAttributeValues: { ':waiting': 'waiting', ':cat': category, ':cname': categoryName, ':old': t.category, ':from': from, ':g2pk': place.gsi2pk, ':g2sk': place.gsi2sk },
      },
    },
    oldMarker: markerRelease(t),
    marker: markerPut(t, category),
    day: dayPart(t.communityId, t.date, { leftWaiting: { [category]: -1, ...(from === 'waiting' ? { [t.category]: 1 } : {}) } }),
  });
  return moved;
}

/** A priority mark moves the ticket into its category's priority range. ConditionFailed<'ticket'>: it is no longer waiting. */
export async function markPriority(t: TicketRecord, reason: string): Promise<TicketRecord> {
  const { Attributes } = await conditional<'ticket', { Attributes?: Record<string, unknown> }>(
    'ticket',
    new UpdateCommand({
      TableName: table(),
      Key: ticketKey(t.id),
      UpdateExpression: 'SET priority = :true, priorityReason = :reason, gsi2sk = :g2sk',
      ConditionExpression: '#status = :waiting',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':true': true, ':reason': reason, ':waiting': 'waiting', ':g2sk': waitingIndex({ ...t, priority: true }).gsi2sk },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return stripKeys<TicketRecord>(Attributes ?? {});
}

/** The rating, once, on a done ticket; the day's satisfaction figures move with it. ConditionFailed<'ticket'>: not done, or rated. */
export async function rateTicket(t: TicketRecord, score: number, comment: string | undefined, at: string): Promise<void> {
  await transact({
    ticket: {
      Update: {
        TableName: table(),
        Key: ticketKey(t.id),
        UpdateExpression: `SET rating = :score, ratedAt = :at${comment ? ', ratingComment = :comment' : ''}`,
        ConditionExpression: '#status = :done AND attribute_not_exists(rating)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':score': score, ':at': at, ':done': 'done', ...(comment ? { ':comment': comment } : {}) },
      },
    },
    day: dayPart(t.communityId, t.date, { figures: { ratingSum: score, ratings: 1 } }),
  });
}

/** Marks that the "3 ahead" message is owed, once, with the message in the same transaction (false when it already was). */
export async function markNotifiedNear(id: string, message: TransactPut): Promise<boolean> {
  try {
    await transact({
      ticket: {
        Update: {
          TableName: table(),
          Key: ticketKey(id),
          UpdateExpression: 'SET notifiedNear = :true',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notifiedNear)',
          ExpressionAttributeValues: { ':true': true },
        },
      },
      message,
    });
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}
