/**
 * The service hall in the single table. Keys and the partition layout: keys/queue.ts.
 *
 * Invariants held by the database, not by the code that reads first:
 *  - numbers: one atomic ADD on the day's counter item per ticket, so concurrent takers get
 *    distinct, consecutive numbers;
 *  - one active ticket per resident per category: the ticket is put in one transaction with a
 *    marker item whose put is conditional (ALREADY_QUEUED);
 *  - a ticket is called once: the claim's condition is `status = waiting`;
 *  - the priority ratio: the hall's streak lives on the day item, and every call writes it in the
 *    same transaction as the claim, conditioned on the day item's version (optimistic lock), so
 *    two windows calling at once are serialised and neither works from a stale streak.
 *
 *   window 1: Query ──pick T1──> Txn[T1 waiting→called, day v7→v8]  ✓
 *   window 2: Query ──pick T1──> Txn[T1 waiting→called, day v7→v8]  ✗ (both conditions) → Query again → pick T2
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@contract/errors';
import type { BoardCall, TicketStatus } from '@contract/queue';
import {
  activeTicketKey,
  boardConnectionIndex,
  boardConnectionKey,
  connectionKey,
  hallIndex,
  hallKey,
  hallQuery,
  queueDayIndex,
  queueDayKey,
  ticketKey,
  ticketUserIndex,
  waitingIndex,
} from './keys';
import { failedConditions, isConditionFailure, retryOnConflict, send } from './client';
import { stripKeys, table } from './table';

export interface HallRecord {
  communityId: string;
  communityName?: string;
  timezone: string;
  categories: { code: string; name: string }[];
  windows: { no: number; categories: string[] }[];
  windowNos: number[];
  openWindows?: Set<number>;
  priorityRatio: number;
  maxWaitMin: number;
  updatedAt: string;
}

export interface CurrentCall {
  id: string;
  number: string;
  category: string;
  calledAt: string;
  userId: string;
}

export interface Jump {
  number: string;
  why: 'priority' | 'ratio' | 'overdue';
  issuedAt: string;
  seq: number;
  calledAt: string;
}

/** The day's state and figures of a hall; attributes with a suffix are per window or category. */
export interface DayRecord {
  communityId: string;
  date: string;
  version: number;
  streak: number;
  /** Announcements so far (calls and recalls). */
  seq: number;
  recent: BoardCall[];
  called?: number;
  completed?: number;
  skipped?: number;
  waitSec?: number;
  svcSec?: number;
  ratingSum?: number;
  ratingN?: number;
  /** cur_<no>, calls_<no>, jump_<category>, svcW_<category>, svcWX_<category> */
  [key: string]: unknown;
}

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

export interface HallView {
  hall?: HallRecord;
  days: Map<string, DayRecord>;
  waiting: TicketRecord[];
  connections: BoardConnection[];
}

/** A display board connected over WebSocket, and the management endpoint that reaches it. */
export interface BoardConnection {
  connectionId: string;
  endpoint?: string;
}

// ---------------------------------------------------------------- hall

export async function putHall(hall: Omit<HallRecord, 'openWindows'>): Promise<HallRecord> {
  const { Attributes } = await send<{ Attributes?: Record<string, unknown> }>(
    new UpdateCommand({
      TableName: table(),
      Key: hallKey(hall.communityId),
      UpdateExpression:
        'SET #type = :type, gsi2pk = :g2pk, gsi2sk = :g2sk, communityId = :cid, communityName = :cname, #tz = :tz, ' +
        'categories = :cats, #windows = :wins, windowNos = :nos, priorityRatio = :ratio, maxWaitMin = :maxWait, updatedAt = :at',
      ExpressionAttributeNames: { '#type': 'type', '#tz': 'timezone', '#windows': 'windows' },
      ExpressionAttributeValues: {
        ':type': 'Hall', ':g2pk': hallIndex(hall.communityId).gsi2pk, ':g2sk': hallIndex(hall.communityId).gsi2sk,
        ':cid': hall.communityId, ':cname': hall.communityName ?? '', ':tz': hall.timezone, ':cats': hall.categories,
        ':wins': hall.windows, ':nos': hall.windowNos, ':ratio': hall.priorityRatio, ':maxWait': hall.maxWaitMin, ':at': hall.updatedAt,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return stripKeys<HallRecord>(Attributes ?? {});
}

export async function getHall(cid: string): Promise<HallRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: hallKey(cid), ConsistentRead: true }));
  return Item ? stripKeys<HallRecord>(Item) : undefined;
}

/** Opens or closes a window of the layout (a set ADD/DELETE: concurrent toggles never lose one). */
export async function setWindowOpen(cid: string, no: number, open: boolean): Promise<HallRecord> {
  try {
    const { Attributes } = await send<{ Attributes?: Record<string, unknown> }>(
      new UpdateCommand({
        TableName: table(),
        Key: hallKey(cid),
        UpdateExpression: open ? 'ADD openWindows :no' : 'DELETE openWindows :no',
        ConditionExpression: 'contains(windowNos, :n)',
        ExpressionAttributeValues: { ':no': new Set([no]), ':n': no },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys<HallRecord>(Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) throw new AppError('NOT_FOUND', `大厅没有 ${no} 号窗口`);
    throw error;
  }
}

/**
 * One Query: the hall, its display boards, and the state and waiting tickets of the days from
 * `fromDate` on (the service passes yesterday, as the hall's time zone is not known yet).
 */
export async function readHall(cid: string, fromDate: string): Promise<HallView> {
  const q = hallQuery(cid, fromDate);
  const view: HallView = { days: new Map(), waiting: [], connections: [] };
  let start: Record<string, unknown> | undefined;
  do {
    const page = await send<{ Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }>(
      new QueryCommand({
        TableName: table(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :from',
        ExpressionAttributeValues: { ':pk': q.gsi2pk, ':from': q.gsi2skFrom },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.type === 'Hall') view.hall = stripKeys<HallRecord>(item);
      else if (item.type === 'QueueDay') {
        const day = stripKeys<DayRecord>(item);
        view.days.set(day.date, day);
      } else if (item.type === 'Ticket' && item.status === 'waiting') view.waiting.push(stripKeys<TicketRecord>(item));
      else if (item.type === 'BoardConnection') view.connections.push({ connectionId: String(item.connectionId), endpoint: item.endpoint as string | undefined });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return view;
}

// ---------------------------------------------------------------- tickets

/** The next number of a category today: one atomic ADD (numbers restart with each day's item). */
export async function nextNumber(cid: string, date: string, category: string): Promise<number> {
  const { Attributes } = await send<{ Attributes?: Record<string, number> }>(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: `COMMUNITY#${cid}`, sk: `QNUM#${date}` },
      UpdateExpression: 'SET #type = :type ADD #cat :one',
      ExpressionAttributeNames: { '#type': 'type', '#cat': `n_${category}` },
      ExpressionAttributeValues: { ':type': 'QueueCounter', ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.[`n_${category}`]);
}

const activeMarker = (t: TicketRecord, category = t.category) => ({
  Put: {
    TableName: table(),
    Item: { ...activeTicketKey(t.communityId, t.userId, category), type: 'ActiveTicket', ticketId: t.id, date: t.date },
    // A marker left by a ticket of an earlier day never blocks today.
    ConditionExpression: 'attribute_not_exists(pk) OR #date <> :date',
    ExpressionAttributeNames: { '#date': 'date' },
    ExpressionAttributeValues: { ':date': t.date },
  },
});

const releaseMarker = (t: TicketRecord, category = t.category) => ({
  Delete: {
    TableName: table(),
    Key: activeTicketKey(t.communityId, t.userId, category),
    ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :id',
    ExpressionAttributeValues: { ':id': t.id },
  },
});

/** The ticket and the resident's active marker for its category, in one transaction. */
export async function createTicket(t: TicketRecord): Promise<void> {
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table(),
                Item: {
                  ...ticketKey(t.id), type: 'Ticket', ...t,
                  ...ticketUserIndex(t.userId, t.issuedAt, t.id),
                  ...waitingIndex(t.communityId, t.date, t.issuedAt, t.id),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            activeMarker(t),
          ],
        }),
      ),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(1)) throw new AppError('ALREADY_QUEUED');
    throw error;
  }
}

export async function getTicket(id: string): Promise<TicketRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: ticketKey(id), ConsistentRead: true }));
  return Item ? stripKeys<TicketRecord>(Item) : undefined;
}

const dayUpdate = (cid: string, date: string) => ({
  TableName: table(),
  Key: queueDayKey(cid, date),
});

/** The names and values that create the day item on its first write. */
const dayInit = (cid: string, date: string) => ({
  set: '#type = :dayType, gsi2pk = :dayG2pk, gsi2sk = :dayG2sk, communityId = :dayCid, #date = :dayDate',
  names: { '#type': 'type', '#date': 'date' },
  values: { ':dayType': 'QueueDay', ':dayG2pk': queueDayIndex(cid, date).gsi2pk, ':dayG2sk': queueDayIndex(cid, date).gsi2sk, ':dayCid': cid, ':dayDate': date },
});

/** The day item's state attributes, always by placeholder (several are reserved words). */
const DAY_NAMES = { '#version': 'version', '#streak': 'streak', '#seq': 'seq', '#recent': 'recent' };

/** Outcome of a claim attempt: the ticket was taken by another window, or the day moved on. */
export type ClaimOutcome = 'claimed' | 'taken' | 'stale';

export interface Claim {
  ticket: TicketRecord;
  window: number;
  calledAt: string;
  /** The day item's version the pick was made on (0: no item yet). */
  version: number;
  streak: number;
  seq: number;
  recent: BoardCall[];
  waitSec: number;
  /** jump_<category> entries for the categories whose earlier tickets this call passed over. */
  jumps: Record<string, Jump>;
}

/** Calls a ticket to a window: the claim and the hall's new streak in one transaction. */
export async function claimTicket(c: Claim): Promise<ClaimOutcome> {
  const t = c.ticket;
  const init = dayInit(t.communityId, t.date);
  const jumpNames: Record<string, string> = {};
  const jumpValues: Record<string, unknown> = {};
  const jumpSets = Object.entries(c.jumps).map(([category, jump], i) => {
    jumpNames[`#j${i}`] = `jump_${category}`;
    jumpValues[`:j${i}`] = jump;
    return `#j${i} = :j${i}`;
  });
  const current: CurrentCall = { id: t.id, number: t.number, category: t.category, calledAt: c.calledAt, userId: t.userId };
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: ticketKey(t.id),
                UpdateExpression: 'SET #status = :called, #window = :no, calledAt = :at REMOVE gsi2pk, gsi2sk',
                ConditionExpression: '#status = :waiting',
                ExpressionAttributeNames: { '#status': 'status', '#window': 'window' },
                ExpressionAttributeValues: { ':called': 'called', ':waiting': 'waiting', ':no': c.window, ':at': c.calledAt },
              },
            },
            {
              Update: {
                ...dayUpdate(t.communityId, t.date),
                UpdateExpression:
                  `SET ${init.set}, #version = :v, #streak = :streak, #seq = :seq, #recent = :recent, #cur = :cur` +
                  (jumpSets.length ? `, ${jumpSets.join(', ')}` : '') +
                  ' ADD #called :one, #waitSec :wait, #calls :one',
                ConditionExpression: c.version === 0 ? 'attribute_not_exists(#version)' : '#version = :expected',
                ExpressionAttributeNames: {
                  ...init.names, ...DAY_NAMES, '#called': 'called', '#waitSec': 'waitSec',
                  '#cur': `cur_${c.window}`, '#calls': `calls_${c.window}`, ...jumpNames,
                },
                ExpressionAttributeValues: {
                  ...init.values, ':v': c.version + 1, ':streak': c.streak, ':seq': c.seq, ':recent': c.recent, ':cur': current,
                  ':one': 1, ':wait': c.waitSec, ...jumpValues, ...(c.version === 0 ? {} : { ':expected': c.version }),
                },
              },
            },
          ],
        }),
      ),
    );
    return 'claimed';
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed) {
      if (isConditionFailure(error)) return 'stale';
      // Lost every retry to concurrent transactions on the same day item: the caller queries again.
      if ((error as { name?: string })?.name === 'TransactionCanceledException') return 'stale';
      throw error;
    }
    return failed.includes(0) ? 'taken' : 'stale';
  }
}

/** Announces a called ticket again: the recall count and the board's recent list, under the day's version. */
export async function recallTicket(t: TicketRecord, d: { version: number; seq: number; recent: BoardCall[] }): Promise<'done' | 'stale'> {
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: ticketKey(t.id),
                UpdateExpression: 'ADD recalls :one',
                ConditionExpression: '#status = :called',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':one': 1, ':called': 'called' },
              },
            },
            {
              Update: {
                ...dayUpdate(t.communityId, t.date),
                UpdateExpression: 'SET #version = :v, #seq = :seq, #recent = :recent',
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version', '#seq': 'seq', '#recent': 'recent' },
                ExpressionAttributeValues: { ':v': d.version + 1, ':seq': d.seq, ':recent': d.recent, ':expected': d.version },
              },
            },
          ],
        }),
      ),
    );
    return 'done';
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw new AppError('TICKET_STATE', '该号码当前不在呼叫中，不能重呼');
    if (failed || (error as { name?: string })?.name === 'TransactionCanceledException') return 'stale';
    throw error;
  }
}

/**
 * Ends a ticket (done, skipped, cancelled): the state change conditioned on the expected status,
 * the resident's active marker released, and the day's figures added — one transaction.
 */
export async function finishTicket(
  t: TicketRecord,
  to: 'done' | 'skipped' | 'cancelled',
  from: TicketStatus,
  at: string,
  figures: Record<string, number>,
): Promise<TicketRecord> {
  const init = dayInit(t.communityId, t.date);
  const figureNames: Record<string, string> = {};
  const figureValues: Record<string, number> = {};
  const adds = Object.entries(figures).map(([name, value], i) => {
    figureNames[`#f${i}`] = name;
    figureValues[`:f${i}`] = value;
    return `#f${i} :f${i}`;
  });
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: ticketKey(t.id),
                UpdateExpression: 'SET #status = :to, finishedAt = :at REMOVE gsi2pk, gsi2sk',
                ConditionExpression: '#status = :from',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':to': to, ':from': from, ':at': at },
              },
            },
            releaseMarker(t),
            ...(adds.length
              ? [
                  {
                    Update: {
                      ...dayUpdate(t.communityId, t.date),
                      UpdateExpression: `SET ${init.set} ADD ${adds.join(', ')}`,
                      ExpressionAttributeNames: { ...init.names, ...figureNames },
                      ExpressionAttributeValues: { ...init.values, ...figureValues },
                    },
                  },
                ]
              : []),
          ],
        }),
      ),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw new AppError('TICKET_STATE');
    throw error;
  }
  return { ...t, status: to, finishedAt: at };
}

/** Back to waiting in another category with its original issue time; the marker moves with it. */
export async function transferTicket(t: TicketRecord, from: TicketStatus, category: string, categoryName: string): Promise<TicketRecord> {
  const moved: TicketRecord = { ...t, category, categoryName, status: 'waiting', transferredFrom: t.category };
  delete moved.window;
  delete moved.calledAt;
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: ticketKey(t.id),
                UpdateExpression: 'SET #status = :waiting, category = :cat, categoryName = :cname, transferredFrom = :old, gsi2pk = :g2pk, gsi2sk = :g2sk REMOVE #window, calledAt',
                ConditionExpression: '#status = :from AND category = :old',
                ExpressionAttributeNames: { '#status': 'status', '#window': 'window' },
                ExpressionAttributeValues: {
                  ':waiting': 'waiting', ':cat': category, ':cname': categoryName, ':old': t.category, ':from': from,
                  ':g2pk': waitingIndex(t.communityId, t.date, t.issuedAt, t.id).gsi2pk,
                  ':g2sk': waitingIndex(t.communityId, t.date, t.issuedAt, t.id).gsi2sk,
                },
              },
            },
            releaseMarker(t),
            activeMarker(t, category),
          ],
        }),
      ),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw new AppError('TICKET_STATE');
    if (failed?.includes(2)) throw new AppError('ALREADY_QUEUED', '该居民已在目标类别排队中');
    throw error;
  }
  return moved;
}

export async function markPriority(t: TicketRecord, reason: string): Promise<TicketRecord> {
  try {
    const { Attributes } = await send<{ Attributes?: Record<string, unknown> }>(
      new UpdateCommand({
        TableName: table(),
        Key: ticketKey(t.id),
        UpdateExpression: 'SET priority = :true, priorityReason = :reason',
        ConditionExpression: '#status = :waiting',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':true': true, ':reason': reason, ':waiting': 'waiting' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys<TicketRecord>(Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) throw new AppError('TICKET_STATE', '只有等候中的号码可以设为优先');
    throw error;
  }
}

/** The rating, once, on a done ticket; the day's satisfaction figures move with it. */
export async function rateTicket(t: TicketRecord, score: number, comment: string | undefined, at: string): Promise<void> {
  const init = dayInit(t.communityId, t.date);
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: ticketKey(t.id),
                UpdateExpression: `SET rating = :score, ratedAt = :at${comment ? ', ratingComment = :comment' : ''}`,
                ConditionExpression: '#status = :done AND attribute_not_exists(rating)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':score': score, ':at': at, ':done': 'done', ...(comment ? { ':comment': comment } : {}) },
              },
            },
            {
              Update: {
                ...dayUpdate(t.communityId, t.date),
                UpdateExpression: `SET ${init.set} ADD #ratingSum :score, #ratingN :one`,
                ExpressionAttributeNames: { ...init.names, '#ratingSum': 'ratingSum', '#ratingN': 'ratingN' },
                ExpressionAttributeValues: { ...init.values, ':score': score, ':one': 1 },
              },
            },
          ],
        }),
      ),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw new AppError('TICKET_STATE', '该号码尚未办结，或已评价过');
    throw error;
  }
}

/** Marks that the "3 ahead" message went out, once (false when it already had). */
export async function markNotifiedNear(id: string): Promise<boolean> {
  try {
    await send(
      new UpdateCommand({
        TableName: table(),
        Key: ticketKey(id),
        UpdateExpression: 'SET notifiedNear = :true',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notifiedNear)',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

// ---------------------------------------------------------------- board connections

const CONNECTION_TTL_SECONDS = 24 * 3600;

export async function addConnection(cid: string, connectionId: string, endpoint: string | undefined, now: Date): Promise<void> {
  const expiresAt = Math.floor(now.getTime() / 1000) + CONNECTION_TTL_SECONDS;
  await send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: { ...boardConnectionKey(cid, connectionId), ...boardConnectionIndex(cid, connectionId), type: 'BoardConnection', communityId: cid, connectionId, endpoint, expiresAt },
          },
        },
        { Put: { TableName: table(), Item: { ...connectionKey(connectionId), type: 'Connection', communityId: cid, connectionId, expiresAt } } },
      ],
    }),
  );
}

export async function removeConnection(connectionId: string, cid?: string): Promise<void> {
  let community = cid;
  if (!community) {
    const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: connectionKey(connectionId) }));
    community = Item?.communityId as string | undefined;
  }
  await send(new DeleteCommand({ TableName: table(), Key: connectionKey(connectionId) }));
  if (community) await send(new DeleteCommand({ TableName: table(), Key: boardConnectionKey(community, connectionId) }));
}

/** Used by seeding only. */
export async function putRawTicket(t: TicketRecord): Promise<void> {
  await send(new PutCommand({ TableName: table(), Item: { ...ticketKey(t.id), type: 'Ticket', ...t, ...ticketUserIndex(t.userId, t.issuedAt, t.id) } }));
}
