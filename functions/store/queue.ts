/**
 * The service hall in the single table. Keys and the partition layout: keys/queue.ts.
 *
 * Invariants held by the database, not by the code that reads first:
 *  - numbers: one atomic ADD on the day's counter item per ticket, so concurrent takers get
 *    distinct, consecutive numbers;
 *  - waiting counts: a ticket leaving waiting adds one to the day's out_<category> in the same
 *    transaction that changes its status, so n_<category> − out_<category> is the count;
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
import { BatchGetCommand, DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@contract/errors';
import type { BoardCall, OpeningHours, TicketStatus } from '@contract/queue';
import {
  activeTicketKey,
  BOARD_SLOTS,
  boardCodeKey,
  boardSlotKey,
  connectionKey,
  hallKey,
  hallPartition,
  membershipKey,
  normalFrom,
  queueDayKey,
  queueNumbersKey,
  ticketKey,
  ticketQuotaKey,
  ticketUserIndex,
  waitingIndex,
  waitingRange,
} from './keys';
import { auditEntry } from './audit';
import { failedConditions, isConditionFailure, isTransactionConflict, retryOnConflict, send } from './client';
import { guardFailed, type ActingGuard } from './family';
import type { TransactPut } from './outbox';
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
  /** 办理时间; absent on halls laid out before they existed. */
  hours?: OpeningHours[];
  updatedAt: string;
  /** Until when (epoch seconds) a paired board may be connected: a call writes a board message only before. */
  boardsUntil?: number;
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

/** The hall and one of its days: what every queue action reads first, in one BatchGetItem. */
export interface HallDay {
  hall?: HallRecord;
  day?: DayRecord;
  /** Numbers issued per category that day. */
  issued: Record<string, number>;
  /** The issue instant of each category's last number. */
  lastIssuedAt: Record<string, string>;
  /** The resident's active marker, when asked for. */
  active?: { ticketId: string; date: string };
  /** The taker's membership of the community is verified (when asked for). */
  verifiedMember?: boolean;
  /** Walk-in tickets the taker has taken that day (when asked for). */
  takenToday?: number;
}

/** A paired display board: its connection, its slot, and the management endpoint that reaches it. */
export interface BoardConnection {
  connectionId: string;
  slot: number;
  endpoint?: string;
  pairedAt?: string;
}

// ---------------------------------------------------------------- hall

/**
 * Lays out the hall, with its audit entry (hall.change) in the same transaction. A transaction
 * returns no item: the answer is the layout over the hall as the caller read it (`current`), so
 * a window opened or closed at the same moment shows at the next read.
 */
export async function putHall(hall: Omit<HallRecord, 'openWindows'>, actorId: string, current?: HallRecord): Promise<HallRecord> {
  await retryOnConflict(() =>
    send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: hallKey(hall.communityId),
              UpdateExpression:
                'SET #type = :type, communityId = :cid, communityName = :cname, #tz = :tz, ' +
                'categories = :cats, #windows = :wins, windowNos = :nos, priorityRatio = :ratio, maxWaitMin = :maxWait, #hours = :hours, updatedAt = :at',
              ExpressionAttributeNames: { '#type': 'type', '#tz': 'timezone', '#windows': 'windows', '#hours': 'hours' },
              ExpressionAttributeValues: {
                ':type': 'Hall', ':cid': hall.communityId, ':cname': hall.communityName ?? '', ':tz': hall.timezone, ':cats': hall.categories,
                ':wins': hall.windows, ':nos': hall.windowNos, ':ratio': hall.priorityRatio, ':maxWait': hall.maxWaitMin, ':hours': hall.hours ?? [], ':at': hall.updatedAt,
              },
            },
          },
          auditEntry({
            communityId: hall.communityId, actorId, act: 'hall.change',
            detail: { categories: hall.categories.map((c) => c.code).join(','), windows: hall.windowNos.join(',') }, at: hall.updatedAt,
          }),
        ],
      }),
    ),
  );
  return { ...current, ...hall };
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
 * One BatchGetItem: the hall, the day's state and the day's numbers (and, for a take, the
 * resident's active marker for the category). Strongly consistent: a window's version check
 * and a take's fast refusal read what was last written.
 */
export async function readHallDay(cid: string, date: string, activeOf?: { userId: string; category: string }): Promise<HallDay> {
  const taker = activeOf ? [activeTicketKey(cid, activeOf.userId, activeOf.category), membershipKey(cid, activeOf.userId), ticketQuotaKey(activeOf.userId, date)] : [];
  const keys = [hallKey(cid), queueDayKey(cid, date), queueNumbersKey(cid, date), ...taker];
  const items = await batchGet(keys);
  const view: HallDay = { issued: {}, lastIssuedAt: {} };
  for (const item of items) {
    if (item.type === 'Hall') view.hall = stripKeys<HallRecord>(item);
    else if (item.type === 'QueueDay') view.day = stripKeys<DayRecord>(item);
    else if (item.type === 'QueueCounter') {
      for (const [name, value] of Object.entries(item)) {
        if (name.startsWith('n_')) view.issued[name.slice(2)] = Number(value);
        else if (name.startsWith('at_')) view.lastIssuedAt[name.slice(3)] = String(value);
      }
    } else if (item.type === 'ActiveTicket') view.active = { ticketId: String(item.ticketId), date: String(item.date) };
    else if (item.type === 'Membership') view.verifiedMember = item.verified === true;
    else if (item.type === 'TicketQuota') view.takenToday = Number(item.taken ?? 0);
  }
  return view;
}

async function batchGet(keys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let pending: Record<string, unknown>[] = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    if (attempt > 5) throw new AppError('UNAVAILABLE', '服务繁忙，请稍后重试', { retryAfter: 1 });
    const reply = await send<{ Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }> }>(
      new BatchGetCommand({ RequestItems: { [table()]: { Keys: pending, ConsistentRead: true } } }),
    );
    items.push(...(reply.Responses?.[table()] ?? []));
    pending = reply.UnprocessedKeys?.[table()]?.Keys ?? [];
  }
  return items;
}

/** The attributes the ordering rule and a ticket page need; the rest stays in the table. */
const WAITING_PROJECTION = 'id, communityId, #date, seq, #number, category, userId, #status, priority, issuedAt, notifiedNear, transferredFrom';
const WAITING_NAMES = { '#date': 'date', '#number': 'number', '#status': 'status' };

/** Reads a waiting range page by page until `enough` says so (or it ends). */
async function queryWaiting(
  cid: string,
  range: { from: string; to: string },
  enough: (items: TicketRecord[]) => boolean = () => false,
  pageSize?: number,
): Promise<{ items: TicketRecord[]; more: boolean }> {
  const items: TicketRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await send<{ Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }>(
      new QueryCommand({
        TableName: table(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': hallPartition(cid), ':from': range.from, ':to': range.to },
        ExpressionAttributeNames: WAITING_NAMES,
        ProjectionExpression: WAITING_PROJECTION,
        ExclusiveStartKey: start,
        ...(pageSize ? { Limit: pageSize } : {}),
      }),
    );
    items.push(...(page.Items ?? []).map((item) => item as unknown as TicketRecord));
    start = page.LastEvaluatedKey;
  } while (start && !enough(items));
  return { items, more: Boolean(start) };
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
  const head = await queryWaiting(cid, { from: range, to: `${range}~` }, () => true, HEAD);
  if (!head.more || head.items.some((t) => !t.priority)) return head.items;
  const normals = await queryWaiting(cid, { from: normalFrom(date, category), to: `${range}~` }, () => true, 4);
  return [...head.items, ...normals.items];
}

/** How far into its category a ticket page reads (one page): beyond this the place is estimated. */
export const EXACT_PLACES = 60;

/**
 * What decides a waiting ticket's place in its category, in one Query that never reads more than
 * EXACT_PLACES entries:
 *  - a normal ticket: every priority ticket (they may be called before it), and the normal ones
 *    up to it;
 *  - a priority ticket: the priority ones, the normal ones issued before it (the maximum wait can
 *    put them ahead), and as many normal ones after it as priority ones are ahead (the ratio can
 *    put one ahead after every few priority calls).
 * `complete` is false when the ticket is further back than that: the caller estimates. A normal
 * ticket's range ends at its own entry, so reading that entry means everything ahead was read
 * (even when the page is full and the database offers another).
 */
export async function ticketsAhead(t: TicketRecord): Promise<{ items: TicketRecord[]; complete: boolean }> {
  const range = waitingRange(t.date, t.category);
  const key = waitingIndex(t).gsi2sk;
  const keyOf = (x: TicketRecord) => waitingIndex(x).gsi2sk;
  const decided = (items: TicketRecord[]) => {
    if (!t.priority) return items.some((x) => x.id === t.id);
    const prioritiesAhead = items.filter((x) => x.priority && keyOf(x) <= key).length;
    const normalsAfter = items.filter((x) => !x.priority && x.issuedAt > t.issuedAt).length;
    return normalsAfter > prioritiesAhead;
  };
  const to = t.priority ? `${range}~` : key;
  const read = await queryWaiting(t.communityId, { from: range, to }, (items) => decided(items) || items.length >= EXACT_PLACES, EXACT_PLACES);
  return { items: read.items, complete: !read.more || decided(read.items) };
}

/** All of a day's waiting tickets (the staff's list): the one read that grows with the queue. */
export async function waitingTickets(cid: string, date: string): Promise<TicketRecord[]> {
  const range = waitingRange(date);
  return (await queryWaiting(cid, { from: range, to: `${range}~` })).items;
}

// ---------------------------------------------------------------- tickets

/**
 * How often a take re-stamps after finding a later stamp on the counter. In a burst the latest
 * clocks keep winning, so a retry takes the last stamp plus as many milliseconds as it has tried
 * (it overtakes the clocks still arriving): taking the last stamp alone left 1–2 takes in 200
 * answered "busy" on the npm start stack. Stamps stay monotonic; they run ahead by milliseconds.
 */
const STAMP_ATTEMPTS = 40;
const overtaking = (stamp: string, attempt: number): string => new Date(Date.parse(stamp) + attempt).toISOString();

/**
 * The next number of a category today and its issue instant, in one atomic update of the day's
 * counter (numbers restart with each day's item). The counter also holds the category's last
 * stamp (`at_<category>`), and the update is conditioned on it not being later than this one's:
 * request clocks do not arrive in the order the numbers are given out, and a later number with
 * an earlier instant would sort ahead of its predecessor (the waiting index and the ordering rule
 * order by first issue). A take whose clock is behind takes the last stamp instead (ties fall to
 * the number), so within a category instants never decrease as numbers increase.
 */
export async function nextNumber(cid: string, date: string, category: string, now: string): Promise<{ seq: number; issuedAt: string }> {
  let stamp = now;
  for (let attempt = 1; ; attempt++) {
    try {
      const { Attributes } = await send<{ Attributes?: Record<string, unknown> }>(
        new UpdateCommand({
          TableName: table(),
          Key: queueNumbersKey(cid, date),
          UpdateExpression: 'SET #type = :type, #at = :at ADD #cat :one',
          ConditionExpression: 'attribute_not_exists(#at) OR #at <= :at',
          ExpressionAttributeNames: { '#type': 'type', '#cat': `n_${category}`, '#at': stampOf(category) },
          ExpressionAttributeValues: { ':type': 'QueueCounter', ':one': 1, ':at': stamp },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { seq: Number(Attributes?.[`n_${category}`]), issuedAt: stamp };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Outrun by later clocks this often: a busy moment, not a fault (no number was spent).
      if (attempt >= STAMP_ATTEMPTS) throw new AppError('UNAVAILABLE', '取号繁忙，请稍后重试', { retryAfter: 1 });
      stamp = overtaking(await lastStamp(error, cid, date, category), attempt);
    }
  }
}

/** The counter's stamp, from the refused update (or, where the database does not return it, a read). */
async function lastStamp(refusal: unknown, cid: string, date: string, category: string): Promise<string> {
  const returned = (refusal as { Item?: Record<string, { S?: string } | string> }).Item?.[stampOf(category)];
  if (typeof returned === 'string') return returned;
  if (returned?.S) return returned.S;
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: queueNumbersKey(cid, date), ConsistentRead: true }));
  return String(Item?.[stampOf(category)]);
}

/** The counter attribute holding a category's last issue instant. */
const stampOf = (category: string) => `at_${category}`;

const activeMarker = (t: TicketRecord, category = t.category) => ({
  Put: {
    TableName: table(),
    Item: { ...activeTicketKey(t.communityId, t.userId, category), type: 'ActiveTicket', ticketId: t.id, date: t.date },
    // A marker left by a ticket of an earlier day never blocks today.
    ConditionExpression: 'attribute_not_exists(pk) OR #date <> :date',
    ExpressionAttributeNames: { '#date': 'date' },
    ExpressionAttributeValues: { ':date': t.date },
    // A refusal names the ticket the resident already holds.
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  },
});

/** ALREADY_QUEUED naming the ticket the resident already holds, so a client can open it. */
export const alreadyQueued = (ticketId: string | undefined, message?: string) =>
  new AppError('ALREADY_QUEUED', message, ticketId ? { details: { ticketId } } : {});

/** The ticket id on the marker a cancelled transaction returned (plain or as an attribute value). */
function heldTicketId(error: unknown, index: number): string | undefined {
  const item = (error as { CancellationReasons?: { Item?: Record<string, unknown> }[] }).CancellationReasons?.[index]?.Item;
  const id = item?.ticketId as string | { S?: string } | undefined;
  return typeof id === 'string' ? id : id?.S;
}

const releaseMarker = (t: TicketRecord, category = t.category) => ({
  Delete: {
    TableName: table(),
    Key: activeTicketKey(t.communityId, t.userId, category),
    ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :id',
    ExpressionAttributeValues: { ':id': t.id },
  },
});

/** What a walk-in's take must satisfy, held in its transaction. */
export interface WalkInRules {
  /** At most this many walk-in tickets per person per (hall-local) day. */
  perDay: number;
  /** No hall token: the taker's membership must be verified when the ticket is written. */
  verifiedMember: boolean;
}

export const NOT_IN_HALL_MESSAGE = '取号需为本社区已核实的居民，或扫描服务大厅内今天的取号二维码';
export const ticketLimit = (perDay: number) => new AppError('TICKET_LIMIT', `每人每天最多取号 ${perDay} 次，今天已达上限`, { details: { perDay } });

/**
 * The ticket and the resident's active marker for its category, in one transaction; for a walk-in
 * also the person's count of the day (condition: under the limit) and, without a hall token, their
 * verified membership (ConditionCheck), so neither can be raced past.
 */
export async function createTicket(t: TicketRecord, walkIn?: WalkInRules, guard?: ActingGuard): Promise<void> {
  const quota = walkIn
    ? [
        {
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
      ]
    : [];
  const member = walkIn?.verifiedMember
    ? [
        {
          ConditionCheck: {
            TableName: table(),
            Key: membershipKey(t.communityId, t.userId),
            ConditionExpression: 'verified = :true',
            ExpressionAttributeValues: { ':true': true },
          },
        },
      ]
    : [];
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
                  ...waitingIndex(t),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            activeMarker(t),
            ...quota,
            ...member,
            ...(guard?.items ?? []),
          ],
        }),
      ),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (guard && failed && guardFailed(failed, 2 + quota.length + member.length)) throw guard.refusal;
    if (failed?.includes(1)) throw alreadyQueued(heldTicketId(error, 1));
    if (walkIn && failed?.includes(2)) throw ticketLimit(walkIn.perDay);
    if (walkIn && failed?.includes(3)) throw new AppError('NOT_ELIGIBLE', NOT_IN_HALL_MESSAGE);
    throw error;
  }
}

/** A user's tickets issued since an instant (GSI1, oldest first); a person holds a few a day. */
export async function userTickets(uid: string, since: string): Promise<TicketRecord[]> {
  const { Items } = await send<{ Items?: Record<string, unknown>[] }>(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': ticketUserIndex(uid, since, '').gsi1pk, ':from': ticketUserIndex(uid, since, '').gsi1sk, ':to': 'TICKET#~' },
      Limit: 100,
    }),
  );
  return (Items ?? []).map((item) => stripKeys<TicketRecord>(item));
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
  set: '#type = :dayType, communityId = :dayCid, #date = :dayDate',
  names: { '#type': 'type', '#date': 'date' },
  values: { ':dayType': 'QueueDay', ':dayCid': cid, ':dayDate': date },
});

/** The day figure counting a category's tickets that left waiting (see the waiting counts above). */
export const outOf = (category: string) => `out_${category}`;

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
  /** The call's outbox messages (board push, the resident's notice): committed with the claim or not at all. */
  messages?: readonly TransactPut[];
}

/** Calls a ticket to a window: the claim, the hall's new streak and the call's messages in one transaction. */
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
                  ' ADD #called :one, #waitSec :wait, #calls :one, #out :one',
                ConditionExpression: c.version === 0 ? 'attribute_not_exists(#version)' : '#version = :expected',
                ExpressionAttributeNames: {
                  ...init.names, ...DAY_NAMES, '#called': 'called', '#waitSec': 'waitSec',
                  '#cur': `cur_${c.window}`, '#calls': `calls_${c.window}`, '#out': outOf(t.category), ...jumpNames,
                },
                ExpressionAttributeValues: {
                  ...init.values, ':v': c.version + 1, ':streak': c.streak, ':seq': c.seq, ':recent': c.recent, ':cur': current,
                  ':one': 1, ':wait': c.waitSec, ...jumpValues, ...(c.version === 0 ? {} : { ':expected': c.version }),
                },
              },
            },
            ...(c.messages ?? []),
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

/**
 * Announces a called ticket again: the recall count, the board's recent list (under the day's
 * version) and the recall's outbox messages, in one transaction.
 */
export async function recallTicket(t: TicketRecord, d: { version: number; seq: number; recent: BoardCall[] }, messages: readonly TransactPut[] = []): Promise<'done' | 'stale'> {
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
            ...messages,
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
  const all = from === 'waiting' ? { ...figures, [outOf(t.category)]: 1 } : figures;
  const adds = Object.entries(all).map(([name, value], i) => {
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

/**
 * Back to waiting in another category with its original issue time; the marker moves with it and
 * the day's waiting counts follow (out of the old category if it was waiting, into the new one).
 */
export async function transferTicket(t: TicketRecord, from: TicketStatus, category: string, categoryName: string): Promise<TicketRecord> {
  const moved: TicketRecord = { ...t, category, categoryName, status: 'waiting', transferredFrom: t.category };
  delete moved.window;
  delete moved.calledAt;
  const place = waitingIndex(moved);
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
                UpdateExpression: 'SET #status = :waiting, category = :cat, categoryName = :cname, transferredFrom = :old, gsi2pk = :g2pk, gsi2sk = :g2sk REMOVE #window, calledAt',
                ConditionExpression: '#status = :from AND category = :old',
                ExpressionAttributeNames: { '#status': 'status', '#window': 'window' },
                ExpressionAttributeValues: { ':waiting': 'waiting', ':cat': category, ':cname': categoryName, ':old': t.category, ':from': from, ':g2pk': place.gsi2pk, ':g2sk': place.gsi2sk },
              },
            },
            releaseMarker(t),
            activeMarker(t, category),
            {
              Update: {
                ...dayUpdate(t.communityId, t.date),
                UpdateExpression: `SET ${init.set} ADD #in :minus${from === 'waiting' ? ', #out :one' : ''}`,
                ExpressionAttributeNames: { ...init.names, '#in': outOf(category), ...(from === 'waiting' ? { '#out': outOf(t.category) } : {}) },
                ExpressionAttributeValues: { ...init.values, ':minus': -1, ...(from === 'waiting' ? { ':one': 1 } : {}) },
              },
            },
          ],
        }),
      ),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw new AppError('TICKET_STATE');
    if (failed?.includes(2)) throw alreadyQueued(heldTicketId(error, 2), '该居民已在目标类别排队中');
    throw error;
  }
  return moved;
}

/** A priority mark moves the ticket into its category's priority range. */
export async function markPriority(t: TicketRecord, reason: string): Promise<TicketRecord> {
  try {
    const { Attributes } = await send<{ Attributes?: Record<string, unknown> }>(
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

/** Marks that the "3 ahead" message is owed, once, with the message in the same transaction (false when it already was). */
export async function markNotifiedNear(id: string, message: TransactPut): Promise<boolean> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: ticketKey(id),
              UpdateExpression: 'SET notifiedNear = :true',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notifiedNear)',
              ExpressionAttributeValues: { ':true': true },
            },
          },
          message,
        ],
      }),
    );
    return true;
  } catch (error) {
    if (failedConditions(error)?.length) return false;
    throw error;
  }
}

// ---------------------------------------------------------------- board connections

/** A WebSocket connection lives at most 2 h in API Gateway; its items outlive it a little (TTL). */
const CONNECTION_TTL_SECONDS = 3 * 3600;
/** How long a pairing code shown on the TV can be entered. */
export const PAIRING_CODE_SECONDS = 10 * 60;

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

export interface ConnectionRecord {
  connectionId: string;
  communityId: string;
  endpoint?: string;
  /** The pairing code while unpaired. */
  code?: string;
  codeExpiresAt?: number;
  /** The hall's slot once paired. */
  slot?: number;
  expiresAt: number;
}

/**
 * Records an unpaired connection with a fresh 6-digit pairing code, unique among the hall's valid
 * codes (the code item's put is conditional; a clash draws another). undefined: no such hall.
 */
export async function addConnection(cid: string, connectionId: string, endpoint: string | undefined, now: Date, drawCode: () => string): Promise<ConnectionRecord | undefined> {
  const nowSec = epochSeconds(now);
  for (let attempt = 1; ; attempt++) {
    const code = drawCode();
    const record: ConnectionRecord = {
      connectionId, communityId: cid, ...(endpoint ? { endpoint } : {}), code, codeExpiresAt: nowSec + PAIRING_CODE_SECONDS, expiresAt: nowSec + CONNECTION_TTL_SECONDS,
    };
    try {
      await send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: table(), Key: hallKey(cid), ConditionExpression: 'attribute_exists(pk)' } },
            {
              Put: {
                TableName: table(),
                Item: { ...boardCodeKey(cid, code), type: 'BoardCode', connectionId, expiresAt: record.codeExpiresAt },
                ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
                ExpressionAttributeValues: { ':now': nowSec },
              },
            },
            { Put: { TableName: table(), Item: { ...connectionKey(connectionId), type: 'Connection', ...record } } },
          ],
        }),
      );
      return record;
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.includes(0)) return undefined;
      if (!(failed?.includes(1) || isTransactionConflict(error)) || attempt >= 8) throw error;
    }
  }
}

export async function getConnection(connectionId: string): Promise<ConnectionRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: connectionKey(connectionId), ConsistentRead: true }));
  return Item ? { ...stripKeys<ConnectionRecord>(Item), expiresAt: Number(Item.expiresAt) } : undefined;
}

/** Deletes a connection, its pending code and its slot (each only while it is still this connection's). */
export async function removeConnection(connectionId: string): Promise<void> {
  const connection = await getConnection(connectionId);
  await deleteConnection(connectionId);
  if (!connection) return;
  const ifMine = { ConditionExpression: 'connectionId = :id', ExpressionAttributeValues: { ':id': connectionId } };
  const ignoreTaken = (error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  };
  if (connection.code) await send(new DeleteCommand({ TableName: table(), Key: boardCodeKey(connection.communityId, connection.code), ...ifMine })).catch(ignoreTaken);
  if (connection.slot) await removeBoard(connection.communityId, { connectionId, slot: connection.slot });
}

/** Deletes a connection's own item (its TTL would, later). */
export async function deleteConnection(connectionId: string): Promise<void> {
  await send(new DeleteCommand({ TableName: table(), Key: connectionKey(connectionId) }));
}

/** Frees a paired board's slot (a push found it gone, or it disconnected). */
export async function removeBoard(cid: string, board: { connectionId: string; slot: number }): Promise<void> {
  await send(
    new DeleteCommand({
      TableName: table(), Key: boardSlotKey(cid, board.slot), ConditionExpression: 'connectionId = :id', ExpressionAttributeValues: { ':id': board.connectionId },
    }),
  ).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}

/** The hall's paired boards: one Query of at most `limit` slots. */
export async function pairedBoards(cid: string, now: Date, limit: number): Promise<BoardConnection[]> {
  const { Items = [] } = await send<{ Items?: Record<string, unknown>[] }>(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :slots)',
      ExpressionAttributeValues: { ':pk': hallKey(cid).pk, ':slots': BOARD_SLOTS },
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  const nowSec = epochSeconds(now);
  return Items.filter((item) => Number(item.expiresAt) > nowSec).map((item) => ({
    connectionId: String(item.connectionId), slot: Number(item.slot), ...(item.endpoint ? { endpoint: String(item.endpoint) } : {}),
    ...(item.pairedAt ? { pairedAt: String(item.pairedAt) } : {}),
  }));
}

/** Frees a slot and tells its connection it is unpaired. false: the slot was free. */
export async function unpairBoard(cid: string, slot: number): Promise<boolean> {
  const { Attributes } = await send<{ Attributes?: Record<string, unknown> }>(
    new DeleteCommand({ TableName: table(), Key: boardSlotKey(cid, slot), ReturnValues: 'ALL_OLD' }),
  );
  if (!Attributes) return false;
  await send(
    new UpdateCommand({
      TableName: table(), Key: connectionKey(String(Attributes.connectionId)), UpdateExpression: 'REMOVE slot', ConditionExpression: 'attribute_exists(pk)',
    }),
  ).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
  return true;
}

/**
 * Pairs the connection showing `code` into a free slot of the hall, with its audit entry
 * (board.pair), in one transaction: the slot's put is conditional (free or expired), so at most
 * `limit` boards are ever paired however many staff pair at once. The hall item learns until when
 * it may have boards (`boardsUntil`), the one thing a call reads to decide on a board message.
 */
export async function pairBoard(cid: string, code: string, actorId: string, now: Date, limit: number): Promise<BoardConnection | 'unknown' | 'full'> {
  const nowSec = epochSeconds(now);
  for (let attempt = 1; ; attempt++) {
    const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: boardCodeKey(cid, code), ConsistentRead: true }));
    if (!Item || Number(Item.expiresAt) <= nowSec) return 'unknown';
    const connection = await getConnection(String(Item.connectionId));
    if (!connection || connection.communityId !== cid) return 'unknown';
    const taken = new Set((await pairedBoards(cid, now, limit)).map((b) => b.slot));
    const free = Array.from({ length: limit }, (_, i) => i + 1).filter((slot) => !taken.has(slot));
    if (free.length === 0) return 'full';
    // A random free slot: simultaneous pairings rarely aim at the same one.
    const slot = free[Math.floor(Math.random() * free.length)]!;
    const expiresAt = connection.expiresAt;
    const board: BoardConnection = { connectionId: connection.connectionId, slot, ...(connection.endpoint ? { endpoint: connection.endpoint } : {}) };
    try {
      await send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: table(), Key: boardCodeKey(cid, code),
                ConditionExpression: 'connectionId = :id AND expiresAt > :now', ExpressionAttributeValues: { ':id': connection.connectionId, ':now': nowSec },
              },
            },
            {
              Put: {
                TableName: table(),
                Item: { ...boardSlotKey(cid, slot), type: 'Board', communityId: cid, ...board, pairedAt: now.toISOString(), expiresAt },
                ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
                ExpressionAttributeValues: { ':now': nowSec },
              },
            },
            {
              Update: {
                TableName: table(), Key: connectionKey(connection.connectionId),
                UpdateExpression: 'SET slot = :slot REMOVE code, codeExpiresAt', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':slot': slot },
              },
            },
            {
              Update: {
                TableName: table(), Key: hallKey(cid),
                UpdateExpression: 'SET boardsUntil = :until', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':until': expiresAt },
              },
            },
            auditEntry({ communityId: cid, actorId, act: 'board.pair', subjectId: String(slot), at: now.toISOString() }),
          ],
        }),
      );
      return board;
    } catch (error) {
      const failed = failedConditions(error) ?? [];
      if (failed.includes(0) || failed.includes(2) || failed.includes(3)) return 'unknown';
      // Another pairing took the slot, or touched the hall at the same moment: look again.
      if (!(failed.includes(1) || isTransactionConflict(error)) || attempt >= 4 * limit) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * Math.min(attempt, 5)));
    }
  }
}

/** Whether the hall may have paired boards now (read from the hall item a call reads anyway). */
export const mayHaveBoards = (hall: HallRecord, now: Date): boolean => Number(hall.boardsUntil ?? 0) > epochSeconds(now);

/**
 * A number spent by a duplicate take (the same resident racing themselves): kept as a void
 * ticket so the numbering has no silent hole, and counted out of waiting.
 */
export async function voidTicket(t: TicketRecord): Promise<void> {
  const init = dayInit(t.communityId, t.date);
  await retryOnConflict(() =>
    send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table(), Item: { ...ticketKey(t.id), type: 'Ticket', ...t, ...ticketUserIndex(t.userId, t.issuedAt, t.id) }, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Update: {
              ...dayUpdate(t.communityId, t.date),
              UpdateExpression: `SET ${init.set} ADD #out :one`,
              ExpressionAttributeNames: { ...init.names, '#out': outOf(t.category) },
              ExpressionAttributeValues: { ...init.values, ':one': 1 },
            },
          },
        ],
      }),
    ),
  );
}
