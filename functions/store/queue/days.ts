/**
 * A hall's day: its state (the calls' optimistic lock, the priority streak, the board's last
 * calls) and its figures, one item per hall per local day (COMMUNITY#<cid> / QDAY#<date>); and
 * the day's numbers, a counter item apart (COMMUNITY#<cid> / QNUM#<date>), so a take's ADD never
 * contends with the windows' lock. Keys: keys/queue.ts.
 *
 * The day item keeps the attribute names it was written with (days already stored stay
 * readable); the record names them plainly. The one mapping, read by `dayOf` and written by
 * `dayPart`:
 *
 *   stored attribute   DayRecord                              what it is
 *   version            version                                moved by every call and recall (their optimistic lock)
 *   streak             priorityStreak                         consecutive priority calls (the ordering rule's ratio)
 *   seq                announced                              calls and recalls announced so far (the last one's seq)
 *   recent             recentCalls                            the board's last calls, newest first
 *   called             figures.called                         tickets called
 *   completed          figures.completed                      tickets done
 *   skipped            figures.skipped                        tickets skipped
 *   waitSec            figures.waitSec                        the called tickets' waits, summed (seconds)
 *   svcSec             figures.serviceSec                     the done tickets' service times, summed (seconds)
 *   ratingSum          figures.ratingSum                      the ratings given, summed
 *   ratingN            figures.ratings                        ratings given
 *   cur_<no>           windows[no].current                    the ticket last called to window <no>
 *   calls_<no>         windows[no].calls                      calls window <no> made
 *   out_<cat>          categories[cat].leftWaiting            tickets that left waiting (waiting = issued − this)
 *   jump_<cat>         categories[cat].lastJump               the last call that passed over earlier tickets of <cat>
 *   svcW_<cat>         categories[cat].service.weight         the done tickets' service-time weights, summed
 *   svcWX_<cat>        categories[cat].service.weightedSec    weight × service seconds, summed
 *
 * The counter item: n_<cat> (numbers issued) and at_<cat> (the last number's issue instant).
 */
import { BatchGetCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@contract/errors';
import type { BoardCall } from '@contract/queue';
import { answerRecord } from '../idempotency';
import { activeTicketKey, hallKey, membershipKey, queueDayKey, queueNumbersKey, ticketQuotaKey } from '../keys';
import { send } from '../client';
import { stripKeys, table } from '../table';
import { conditional, ConditionFailed, isConditionFailed, type TransactItem } from '../transaction';
import type { HallRecord } from './halls';

/** The ticket a window called last. */
export interface CurrentCall {
  id: string;
  number: string;
  category: string;
  calledAt: string;
  userId: string;
}

/** A call out of number order: what a ticket passed over is told. */
export interface Jump {
  number: string;
  why: 'priority' | 'ratio' | 'overdue';
  issuedAt: string;
  seq: number;
  calledAt: string;
}

/** The day's running totals. */
export interface DayFigures {
  called: number;
  completed: number;
  skipped: number;
  waitSec: number;
  serviceSec: number;
  ratingSum: number;
  ratings: number;
}

interface WindowDay {
  current?: CurrentCall;
  calls: number;
}

interface CategoryDay {
  leftWaiting: number;
  lastJump?: Jump;
  /** The learned service time's sums (domain/wait-estimate.ts). */
  service: { weight: number; weightedSec: number };
}

export interface DayRecord {
  communityId: string;
  date: string;
  version: number;
  priorityStreak: number;
  announced: number;
  recentCalls: BoardCall[];
  figures: DayFigures;
  windows: Record<number, WindowDay>;
  categories: Record<string, CategoryDay>;
}

/** Stored names of the day's scalar figures. */
const FIGURE: { readonly [K in keyof DayFigures]: string } = {
  called: 'called', completed: 'completed', skipped: 'skipped', waitSec: 'waitSec', serviceSec: 'svcSec', ratingSum: 'ratingSum', ratings: 'ratingN',
};
/** Stored names of the per-window and per-category attributes. */
const currentOf = (no: number) => `cur_${no}`;
const callsOf = (no: number) => `calls_${no}`;
const leftWaitingOf = (category: string) => `out_${category}`;
const lastJumpOf = (category: string) => `jump_${category}`;
const serviceWeightOf = (category: string) => `svcW_${category}`;
const weightedServiceOf = (category: string) => `svcWX_${category}`;

const noFigures = (): DayFigures => ({ called: 0, completed: 0, skipped: 0, waitSec: 0, serviceSec: 0, ratingSum: 0, ratings: 0 });

/** A day before any write: what an action reads when the day has no item yet. */
export const emptyDay = (communityId: string, date: string): DayRecord => ({
  communityId, date, version: 0, priorityStreak: 0, announced: 0, recentCalls: [], figures: noFigures(), windows: {}, categories: {},
});

/** A window's day as the record shows it, present or not. */
export const windowDay = (day: DayRecord | undefined, no: number): WindowDay => day?.windows[no] ?? { calls: 0 };
/** A category's day as the record shows it, present or not. */
export const categoryDay = (day: DayRecord | undefined, category: string): CategoryDay =>
  day?.categories[category] ?? { leftWaiting: 0, service: { weight: 0, weightedSec: 0 } };

/** The day item as a record (the mapping above). */
function dayOf(item: Record<string, unknown>): DayRecord {
  const day = emptyDay(String(item.communityId), String(item.date));
  day.version = Number(item.version ?? 0);
  day.priorityStreak = Number(item.streak ?? 0);
  day.announced = Number(item.seq ?? 0);
  day.recentCalls = Array.isArray(item.recent) ? (item.recent as BoardCall[]) : [];
  for (const [field, stored] of Object.entries(FIGURE) as [keyof DayFigures, string][]) day.figures[field] = Number(item[stored] ?? 0);
  const windowOf = (no: number) => (day.windows[no] ??= { calls: 0 });
  const categoryOf = (category: string) => (day.categories[category] ??= categoryDay(undefined, category));
  for (const [name, value] of Object.entries(item)) {
    const [, prefix, suffix] = /^(cur|calls|out|jump|svcW|svcWX)_(.+)$/.exec(name) ?? [];
    if (!prefix || suffix === undefined) continue;
    if (prefix === 'cur') windowOf(Number(suffix)).current = value as CurrentCall;
    else if (prefix === 'calls') windowOf(Number(suffix)).calls = Number(value);
    else if (prefix === 'out') categoryOf(suffix).leftWaiting = Number(value);
    else if (prefix === 'jump') categoryOf(suffix).lastJump = value as Jump;
    else if (prefix === 'svcW') categoryOf(suffix).service.weight = Number(value);
    else categoryOf(suffix).service.weightedSec = Number(value);
  }
  return day;
}

/** What one write changes on the day item; everything but `announce`, `calledTo` and `lastJumps` is added. */
interface DayChange {
  /** A call's or recall's state, under the day's version (the optimistic lock: 0 means no item yet). */
  announce?: { version: number; priorityStreak?: number; announced: number; recentCalls: BoardCall[] };
  /** A call: the ticket now at the window (its calls count one more). */
  calledTo?: { window: number; call: CurrentCall };
  lastJumps?: Record<string, Jump>;
  figures?: Partial<DayFigures>;
  /** Per category: tickets that left waiting (−1 for one that came back into it). */
  leftWaiting?: Record<string, number>;
  /** A done ticket's service time, weighted, for its category's learned service time. */
  service?: { category: string; weight: number; weightedSec: number };
}

/**
 * The day item's part of a transaction: the change, creating the item on its first write, and
 * (for `announce`) conditioned on the day's version. undefined when there is nothing to write.
 */
export function dayPart(cid: string, date: string, change: DayChange): TransactItem | undefined {
  const names: Record<string, string> = { '#type': 'type', '#date': 'date' };
  const values: Record<string, unknown> = { ':dayType': 'QueueDay', ':dayCid': cid, ':dayDate': date };
  const sets = ['#type = :dayType', 'communityId = :dayCid', '#date = :dayDate'];
  const adds: string[] = [];
  let count = 0;
  const placeholder = (attribute: string, value: unknown) => {
    const i = count++;
    names[`#d${i}`] = attribute;
    values[`:d${i}`] = value;
    return `#d${i}`;
  };
  const set = (attribute: string, value: unknown) => {
    const name = placeholder(attribute, value);
    sets.push(`${name} = :${name.slice(1)}`);
  };
  const add = (attribute: string, value: number) => {
    const name = placeholder(attribute, value);
    adds.push(`${name} :${name.slice(1)}`);
  };
  const { announce, calledTo, lastJumps = {}, figures = {}, leftWaiting = {}, service } = change;
  let lock: string | undefined;
  if (announce) {
    names['#version'] = 'version';
    sets.push('#version = :nextVersion');
    values[':nextVersion'] = announce.version + 1;
    if (announce.version === 0) lock = 'attribute_not_exists(#version)';
    else {
      lock = '#version = :readVersion';
      values[':readVersion'] = announce.version;
    }
    if (announce.priorityStreak !== undefined) set('streak', announce.priorityStreak);
    set('seq', announce.announced);
    set('recent', announce.recentCalls);
  }
  if (calledTo) {
    set(currentOf(calledTo.window), calledTo.call);
    add(callsOf(calledTo.window), 1);
  }
  for (const [category, jump] of Object.entries(lastJumps)) set(lastJumpOf(category), jump);
  for (const [field, value] of Object.entries(figures) as [keyof DayFigures, number][]) add(FIGURE[field], value);
  for (const [category, value] of Object.entries(leftWaiting)) add(leftWaitingOf(category), value);
  if (service) {
    add(serviceWeightOf(service.category), service.weight);
    add(weightedServiceOf(service.category), service.weightedSec);
  }
  if (!announce && sets.length === 3 && adds.length === 0) return undefined;
  return {
    Update: {
      TableName: table(),
      Key: queueDayKey(cid, date),
      UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ...(lock ? { ConditionExpression: lock } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

// ---------------------------------------------------------------- the day's numbers

/**
 * How often a take re-stamps after finding a later stamp on the counter. In a burst the latest
 * clocks keep winning, so a retry takes the last stamp plus as many milliseconds as it has tried
 * (it overtakes the clocks still arriving): taking the last stamp alone left 1–2 takes in 200
 * answered "busy" on the npm start stack. Stamps stay monotonic; they run ahead by milliseconds.
 */
const STAMP_ATTEMPTS = 40;
const overtaking = (stamp: string, attempt: number): string => new Date(Date.parse(stamp) + attempt).toISOString();

/** The counter attributes of a category: numbers issued, and the last number's issue instant. */
const issuedOf = (category: string) => `n_${category}`;
const stampOf = (category: string) => `at_${category}`;

/**
 * The next number of a category today and its issue instant, in one atomic update of the day's
 * counter (numbers restart with each day's item). The counter also holds the category's last
 * stamp, and the update is conditioned on it not being later than this one's: request clocks do
 * not arrive in the order the numbers are given out, and a later number with an earlier instant
 * would sort ahead of its predecessor (the waiting index and the ordering rule order by first
 * issue). A take whose clock is behind takes the last stamp instead (ties fall to the number), so
 * within a category instants never decrease as numbers increase. Outrun by later clocks
 * STAMP_ATTEMPTS times (a busy moment; no number was spent): ConditionFailed<'counter'>.
 */
export async function nextNumber(cid: string, date: string, category: string, now: string): Promise<{ seq: number; issuedAt: string }> {
  let stamp = now;
  for (let attempt = 1; ; attempt++) {
    try {
      const { Attributes } = await conditional<'counter', { Attributes?: Record<string, unknown> }>(
        'counter',
        new UpdateCommand({
          TableName: table(),
          Key: queueNumbersKey(cid, date),
          UpdateExpression: 'SET #type = :type, #at = :at ADD #cat :one',
          ConditionExpression: 'attribute_not_exists(#at) OR #at <= :at',
          ExpressionAttributeNames: { '#type': 'type', '#cat': issuedOf(category), '#at': stampOf(category) },
          ExpressionAttributeValues: { ':type': 'QueueCounter', ':one': 1, ':at': stamp },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { seq: Number(Attributes?.[issuedOf(category)]), issuedAt: stamp };
    } catch (error) {
      if (!isConditionFailed<'counter'>(error) || attempt >= STAMP_ATTEMPTS) throw error;
      stamp = overtaking(await lastStamp(error, cid, date, category), attempt);
    }
  }
}

/** The counter's stamp, from the refused update (or, where the database does not return it, a read). */
async function lastStamp(refusal: ConditionFailed<'counter'>, cid: string, date: string, category: string): Promise<string> {
  const returned = refusal.item('counter')?.[stampOf(category)];
  if (typeof returned === 'string') return returned;
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: queueNumbersKey(cid, date), ConsistentRead: true }));
  return String(Item?.[stampOf(category)]);
}

// ---------------------------------------------------------------- the first read of every action

/** The hall and one of its days: what every queue action reads first, in one BatchGetItem. */
export interface HallDay {
  hall?: HallRecord;
  day?: DayRecord;
  /** Numbers issued per category that day. */
  issued: Record<string, number>;
  /** The issue instant of each category's last number. */
  lastIssuedAt: Record<string, string>;
  /** The taker's active marker for the category (when asked for). */
  active?: { ticketId: string; date: string };
  /** The actor's membership of the community (when asked for). */
  membership?: { verified: boolean; staff: boolean };
  /** Walk-in tickets the taker has taken that day (when asked for). */
  takenToday?: number;
}

/** What else the first read reads, for the action that asks. */
export interface HallDayAlso {
  /** The actor's membership (a call's staff check, a take's verified member). */
  memberOf?: string;
  /** A take: the taker's active marker for the category and walk-in count of the day. */
  taker?: { userId: string; category: string };
  /**
   * A take spends its number before its transaction: with an Idempotency-Key whose record is
   * written by that transaction, the record is read here too, and an answered request replays
   * (store/idempotency.ts `answerRecord`) before a number is spent.
   */
  answered?: boolean;
}

/**
 * One BatchGetItem: the hall, the day's state and the day's numbers, and what `also` asks.
 * Strongly consistent: a window's version check and a take's fast refusals read what was last
 * written.
 */
export async function readHallDay(cid: string, date: string, also: HallDayAlso = {}): Promise<HallDay> {
  const record = also.answered ? answerRecord() : undefined;
  const keys = [
    hallKey(cid),
    queueDayKey(cid, date),
    queueNumbersKey(cid, date),
    ...(also.memberOf ? [membershipKey(cid, also.memberOf)] : []),
    ...(also.taker ? [activeTicketKey(cid, also.taker.userId, also.taker.category), ticketQuotaKey(also.taker.userId, date)] : []),
    ...(record ? [record.key] : []),
  ];
  const view: HallDay = { issued: {}, lastIssuedAt: {} };
  for (const item of await batchGet(keys)) {
    if (item.type === 'Hall') view.hall = stripKeys<HallRecord>(item);
    else if (item.type === 'QueueDay') view.day = dayOf(item);
    else if (item.type === 'QueueCounter') {
      for (const [name, value] of Object.entries(item)) {
        if (name.startsWith('n_')) view.issued[name.slice(2)] = Number(value);
        else if (name.startsWith('at_')) view.lastIssuedAt[name.slice(3)] = String(value);
      }
    } else if (item.type === 'ActiveTicket') view.active = { ticketId: String(item.ticketId), date: String(item.date) };
    else if (item.type === 'Membership') view.membership = { verified: item.verified === true, staff: item.role === 'staff' };
    else if (item.type === 'TicketQuota') view.takenToday = Number(item.taken ?? 0);
    else if (item.type === 'Idempotency') record?.found(item);
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
