/**
 * Services, slot counters, appointments, their daily indicators and reminders.
 *
 * Every act on a booking is one TransactWriteItems, so the invariants hold on the database and
 * not in the function's memory:
 *
 *   book:     slot counter  ADD booked 1     if booked < capacity (created on first booking)  → SLOT_FULL
 *             appointment   Put              if new
 *             day marker    Put              if no active booking that day                    → ALREADY_BOOKED
 *             membership    ConditionCheck   verified = true                                  → FORBIDDEN
 *             held count    ADD taken 1      if taken < the ceiling (all services)            → BOOKING_LIMIT
 *             day counters  ADD booked 1;    reminders Put (when the resident subscribed)
 *   cancel:   appointment booked→cancelled (the condition lets exactly one cancel through),
 *             slot counter ADD booked -1, day marker Delete, day counters ADD cancelled 1,
 *             held count ADD taken -1
 *   service:  created or changed with its audit entry (service.change) in one transaction
 *
 * The held count is the number of the resident's bookings in status booked: every transition out
 * of booked (cancel, check-in, no-show, completion) gives one back in its own transaction, behind
 * its status condition, so it moves exactly once; undoing a check-in takes it back. A booking whose
 * slot passed with no transition stays held until staff mark it 爽约 or 办结.
 *
 * A failed condition becomes a named AppError here; callers never see the SDK's exception.
 */
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AppError } from '@contract/errors';
import type { Page } from '@contract/common';
import type { AppointmentStatus, Schedule } from '@contract/appointments';
import type { PlannedReminder, ReminderKind } from '../domain/reminders';
import { bucketOf } from '../domain/reminders';
import {
  appointmentDayKey,
  appointmentIndexes,
  appointmentsHeldKey,
  appointmentKey,
  appointmentSortKeyAt,
  appointmentStatsKey,
  appointmentStatsQuery,
  communityServicesQuery,
  membershipKey,
  reminderBucketQuery,
  reminderKey,
  serviceDayQuery,
  serviceIndexes,
  serviceKey,
  slotKey,
  slotRangeQuery,
  userAppointmentsQuery,
} from './keys';
import { failedConditions, retryOnConflict, send } from './client';
import { guardFailed, type ActingGuard } from './family';
import { quotaRelease, quotaRestore, quotaTake } from './quota';
import { stripKeys, table, queryPage } from './table';
import type { MembershipRecord } from './identity';
import { auditEntry } from './audit';
import { claimReminderAt, finishReminderAt, reminderPut, remindersInPartition, type ReminderOutcome } from './reminders';

export interface ServiceRecord {
  id: string;
  communityId: string;
  name: string;
  category: string;
  durationMin: number;
  materials: string[];
  schedule: Schedule;
  description?: string;
  kind: 'general' | 'mediation';
  graceMinutes?: number;
  location?: string;
  active: boolean;
  timezone: string;
  createdAt: string;
  updatedAt: string;
}

export interface AppointmentRecord {
  id: string;
  code: string;
  communityId: string;
  serviceId: string;
  serviceName: string;
  category: string;
  userId: string;
  /** Local date of the slot. */
  date: string;
  /** UTC ISO instants. */
  start: string;
  end: string;
  timezone: string;
  /** The service's grace period when it was booked (no-show release, late check-in). */
  graceMinutes: number;
  status: AppointmentStatus;
  bookedAt: string;
  /** Counted in the resident's held bookings (written by book); bookings made before the count existed release nothing. */
  heldCounted?: boolean;
  remind?: boolean;
  cancelledAt?: string;
  cancelledBy?: string;
  checkedInAt?: string;
  late?: boolean;
  ticketId?: string;
  completedAt?: string;
  noShowAt?: string;
  rating?: number;
  ratingComment?: string;
  ratedAt?: string;
  /** 志愿陪同: the escort activity asked with the booking (store/escorts.ts). */
  escortId?: string;
}

export interface SlotCount {
  booked: number;
  checkedIn: number;
}

export interface DayCounters {
  date: string;
  serviceId: string;
  booked: number;
  cancelled: number;
  arrived: number;
  noShow: number;
  completed: number;
  ratingSum: number;
  ratingCount: number;
}

export interface ReminderRecord {
  appointmentId: string;
  kind: ReminderKind;
  dueAt: string;
  userId: string;
  bucket: string;
  sentAt?: string;
  claimedUntil?: number;
}

type Item = Record<string, unknown>;

// ── services ────────────────────────────────────────────────────────────────

/** Who changed a service and when, for the audit entry written in the change's own transaction. */
export interface ServiceAct {
  actorId: string;
  at: string;
}

const servicePut = (service: ServiceRecord) => ({
  TableName: table(),
  Item: { ...serviceKey(service.id), ...serviceIndexes(service.communityId, service.id), type: 'Service', ...service },
});

const serviceAudit = (service: ServiceRecord, act: ServiceAct, detail: Record<string, string | boolean>) =>
  auditEntry({ communityId: service.communityId, actorId: act.actorId, act: 'service.change', subjectId: service.id, detail: { name: service.name, ...detail }, at: act.at });

export async function putService(service: ServiceRecord, act: ServiceAct): Promise<void> {
  await send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { ...servicePut(service), ConditionExpression: 'attribute_not_exists(pk)' } },
        serviceAudit(service, act, { created: true }),
      ],
    }),
  );
}

/** Replaces a service after a change, if nobody changed it since it was read (optimistic). */
export async function replaceService(service: ServiceRecord, previousUpdatedAt: string, act: ServiceAct & { fields: string[] }): Promise<void> {
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                ...servicePut(service),
                ConditionExpression: 'updatedAt = :prev',
                ExpressionAttributeValues: { ':prev': previousUpdatedAt },
              },
            },
            serviceAudit(service, act, { fields: act.fields.join(',') }),
          ],
        }),
      ),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw new AppError('STATE_CONFLICT', '该服务事项刚被他人修改，请刷新后重试');
    throw error;
  }
}

export async function getService(sid: string): Promise<ServiceRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: serviceKey(sid) }));
  return Item ? stripKeys<ServiceRecord>(Item) : undefined;
}

export async function listServices(cid: string, options: { limit: number; cursor?: string }): Promise<Page<ServiceRecord>> {
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': communityServicesQuery(cid).gsi2pk },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((i) => stripKeys<ServiceRecord>(i)), next };
}

// ── slot counters ───────────────────────────────────────────────────────────

/** Booked and checked-in counts of a service's slots starting in [from, to], by UTC ISO start. */
export async function slotCounts(sid: string, from: Date, to: Date): Promise<Map<string, SlotCount>> {
  const q = slotRangeQuery(sid, from, to);
  const counts = new Map<string, SlotCount>();
  let start: Item | undefined;
  do {
    const page = await send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': q.pk, ':from': q.skFrom, ':to': q.skTo },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      counts.set(String(item.sk).slice('SLOT#'.length), { booked: Number(item.booked ?? 0), checkedIn: Number(item.checkedIn ?? 0) });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return counts;
}

// ── booking ─────────────────────────────────────────────────────────────────

const statsUpdate = (a: Pick<AppointmentRecord, 'communityId' | 'date' | 'serviceId'>, add: Partial<Record<keyof DayCounters, number>>) => {
  const names = Object.keys(add);
  return {
    Update: {
      TableName: table(),
      Key: appointmentStatsKey(a.communityId, a.date, a.serviceId),
      UpdateExpression:
        'SET #type = :statsType, communityId = :statsCid, #date = :statsDate, serviceId = :statsSid ADD ' +
        names.map((n) => `#${n} :${n}`).join(', '),
      ExpressionAttributeNames: { '#type': 'type', '#date': 'date', ...Object.fromEntries(names.map((n) => [`#${n}`, n])) },
      ExpressionAttributeValues: {
        ':statsType': 'AppointmentStats', ':statsCid': a.communityId, ':statsDate': a.date, ':statsSid': a.serviceId,
        ...Object.fromEntries(names.map((n) => [`:${n}`, add[n as keyof DayCounters]])),
      },
    },
  };
};

/** Gives the booking's place in the resident's held count back, if it took one. */
const releaseHeld = (a: AppointmentRecord) => (a.heldCounted ? [quotaRelease(appointmentsHeldKey(a.userId))] : []);

const releaseDay = (a: AppointmentRecord) => ({
  Delete: {
    TableName: table(),
    Key: appointmentDayKey(a.userId, a.serviceId, a.date),
    ConditionExpression: 'attribute_not_exists(pk) OR appointmentId = :id',
    ExpressionAttributeValues: { ':id': a.id },
  },
});

function reasonItem(error: unknown, index: number): Item | undefined {
  const reasons = (error as { CancellationReasons?: { Item?: Item }[] }).CancellationReasons;
  const raw = reasons?.[index]?.Item;
  if (!raw) return undefined;
  // The document client does not translate errors: the item arrives in attribute-value form.
  const looksMarshalled = Object.values(raw).every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
  try {
    return looksMarshalled ? unmarshall(raw as Parameters<typeof unmarshall>[0]) : raw;
  } catch {
    return raw;
  }
}

/**
 * Books a place: one transaction (see the top of the file). Concurrent bookings of the same
 * slot conflict on its counter and are retried; the counter's condition decides who is in.
 * Answers the booking as written (with its place in the held count).
 */
export async function book(
  a: AppointmentRecord,
  capacity: number,
  reminders: PlannedReminder[],
  maxHeld: number,
  guard?: ActingGuard,
  /** More of the booking's own items (the escort asked with it), after the ones whose failures are named below. */
  extra: readonly object[] = [],
): Promise<AppointmentRecord> {
  const start = new Date(a.start);
  const record: AppointmentRecord = { ...a, heldCounted: true };
  const items = [
    {
      Update: {
        TableName: table(),
        Key: slotKey(a.serviceId, start),
        UpdateExpression: 'SET #type = :slotType, serviceId = :sid, #start = :start ADD booked :one',
        ConditionExpression: 'attribute_not_exists(booked) OR booked < :cap',
        ExpressionAttributeNames: { '#type': 'type', '#start': 'start' },
        ExpressionAttributeValues: { ':slotType': 'SlotCounter', ':sid': a.serviceId, ':start': a.start, ':one': 1, ':cap': capacity },
      },
    },
    {
      Put: {
        TableName: table(),
        Item: { ...appointmentKey(a.id), ...appointmentIndexes({ ...a, start }), type: 'Appointment', ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table(),
        Item: { ...appointmentDayKey(a.userId, a.serviceId, a.date), type: 'AppointmentDay', appointmentId: a.id, serviceId: a.serviceId, date: a.date },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      ConditionCheck: {
        TableName: table(),
        Key: membershipKey(a.communityId, a.userId),
        ConditionExpression: 'verified = :true',
        ExpressionAttributeValues: { ':true': true },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    },
    quotaTake(appointmentsHeldKey(a.userId), 'AppointmentsHeld', maxHeld),
    statsUpdate(a, { booked: 1 }),
    ...reminders.map((r) => {
      const bucket = bucketOf(r.dueAt);
      return { Put: reminderPut(reminderKey(bucket, a.id, r.kind), r.dueAt, { appointmentId: a.id, kind: r.kind, userId: a.userId, bucket }) };
    }),
    ...extra,
  ];
  const guardFrom = items.length;
  try {
    await retryOnConflict(() => send(new TransactWriteCommand({ TransactItems: [...items, ...(guard?.items ?? [])] })));
    return record;
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed?.length) throw error;
    if (guard && guardFailed(failed, guardFrom)) throw guard.refusal;
    if (failed.includes(3)) {
      const membership = reasonItem(error, 3);
      if (membership?.household) throw new AppError('FORBIDDEN', '您的门牌尚待社区工作人员核实，核实后即可预约');
      throw new AppError('FORBIDDEN', '请先申请加入本社区并通过门牌核实');
    }
    if (failed.includes(2)) throw new AppError('ALREADY_BOOKED');
    if (failed.includes(4)) throw new AppError('BOOKING_LIMIT', `每人最多同时持有 ${maxHeld} 个待办理的预约，请先办理或取消已有的预约后再预约`, { details: { maxHeld } });
    if (failed.includes(0)) throw new AppError('SLOT_FULL');
    throw error;
  }
}

export async function getAppointment(id: string): Promise<AppointmentRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: appointmentKey(id), ConsistentRead: true }));
  return Item ? stripKeys<AppointmentRecord>(Item) : undefined;
}

/** Why a transition's condition failed, read back once: a named conflict. */
async function transitionConflict(id: string, fallback: string): Promise<AppError> {
  const current = await getAppointment(id);
  switch (current?.status) {
    case 'cancelled':
      return new AppError('ALREADY_CANCELLED');
    case 'checked_in':
      return new AppError('ALREADY_CHECKED_IN');
    case 'completed':
      return new AppError('STATE_CONFLICT', '该预约已办结');
    case 'no_show':
      return new AppError('STATE_CONFLICT', '该预约已标记为爽约');
    default:
      return new AppError('STATE_CONFLICT', fallback);
  }
}

const setStatus = (a: AppointmentRecord, from: AppointmentStatus, to: AppointmentStatus, set: Record<string, unknown>) => {
  const fields = Object.entries(set);
  return {
    Update: {
      TableName: table(),
      Key: appointmentKey(a.id),
      UpdateExpression: `SET #status = :to${fields.map(([k]) => `, #${k} = :${k}`).join('')}`,
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(fields.map(([k]) => [`#${k}`, k])) },
      ExpressionAttributeValues: { ':to': to, ':from': from, ...Object.fromEntries(fields.map(([k, v]) => [`:${k}`, v])) },
    },
  };
};

async function transition(a: AppointmentRecord, items: object[], fallback: string, guard?: ActingGuard): Promise<void> {
  try {
    await retryOnConflict(() => send(new TransactWriteCommand({ TransactItems: [...items, ...(guard?.items ?? [])] as never })));
  } catch (error) {
    const failed = failedConditions(error);
    if (guard && failed && guardFailed(failed, items.length)) throw guard.refusal;
    if (failed?.includes(0)) throw await transitionConflict(a.id, fallback);
    throw error;
  }
}

/**
 * booked → cancelled and the place back in the slot, in one transaction: only one cancel wins.
 * `extra`: more of the cancel's items (the escort cancelled with it, and its message).
 */
export async function cancel(a: AppointmentRecord, by: string, at: string, guard?: ActingGuard, extra: readonly object[] = []): Promise<void> {
  await transition(
    a,
    [
      setStatus(a, 'booked', 'cancelled', { cancelledAt: at, cancelledBy: by }),
      {
        Update: {
          TableName: table(),
          Key: slotKey(a.serviceId, new Date(a.start)),
          UpdateExpression: 'ADD booked :minus',
          ConditionExpression: 'booked > :zero',
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
        },
      },
      releaseDay(a),
      statsUpdate(a, { cancelled: 1 }),
      ...releaseHeld(a),
      ...extra,
    ],
    '只有待办理的预约可以取消',
    guard,
  );
}

/** booked → checked_in, counted as an arrival; the ticket is attached afterwards. */
export async function checkIn(a: AppointmentRecord, at: string, late: boolean, guard?: ActingGuard): Promise<void> {
  await transition(
    a,
    [
      setStatus(a, 'booked', 'checked_in', { checkedInAt: at, late }),
      {
        Update: {
          TableName: table(),
          Key: slotKey(a.serviceId, new Date(a.start)),
          UpdateExpression: 'ADD checkedIn :one',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
      statsUpdate(a, { arrived: 1 }),
      ...releaseHeld(a),
    ],
    '该预约当前不能签到',
    guard,
  );
}

/** Undoes a check-in whose queue ticket could not be issued, so the resident can try again. */
export async function undoCheckIn(a: AppointmentRecord): Promise<void> {
  await retryOnConflict(() =>
    send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: appointmentKey(a.id),
              UpdateExpression: 'SET #status = :booked REMOVE checkedInAt, late',
              ConditionExpression: '#status = :checked AND attribute_not_exists(ticketId)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':booked': 'booked', ':checked': 'checked_in' },
            },
          },
          {
            Update: {
              TableName: table(),
              Key: slotKey(a.serviceId, new Date(a.start)),
              UpdateExpression: 'ADD checkedIn :minus',
              ExpressionAttributeValues: { ':minus': -1 },
            },
          },
          statsUpdate(a, { arrived: -1 }),
          ...(a.heldCounted ? [quotaRestore(appointmentsHeldKey(a.userId))] : []),
        ],
      }),
    ),
  );
}

export async function attachTicket(id: string, ticketId: string): Promise<void> {
  await send(
    new UpdateCommand({
      TableName: table(),
      Key: appointmentKey(id),
      UpdateExpression: 'SET ticketId = :ticket',
      ExpressionAttributeValues: { ':ticket': ticketId },
    }),
  );
}

export async function markNoShow(a: AppointmentRecord, at: string): Promise<void> {
  await transition(a, [setStatus(a, 'booked', 'no_show', { noShowAt: at }), statsUpdate(a, { noShow: 1 }), releaseDay(a), ...releaseHeld(a)], '只有待办理的预约可以标记爽约');
}

/** booked or checked_in → completed; completing a booking nobody checked in counts the arrival too. */
export async function complete(a: AppointmentRecord, at: string): Promise<void> {
  if (a.status !== 'booked' && a.status !== 'checked_in') throw await transitionConflict(a.id, '该预约当前不能办结');
  const counters = a.status === 'booked' ? { completed: 1, arrived: 1 } : { completed: 1 };
  // Only a booking still booked holds a place; a checked-in one gave it back at check-in.
  const held = a.status === 'booked' ? releaseHeld(a) : [];
  await transition(a, [setStatus(a, a.status, 'completed', { completedAt: at }), statsUpdate(a, counters), releaseDay(a), ...held], '该预约当前不能办结');
}

/** The owner's 满意度 rating: once, after completion. */
export async function rate(a: AppointmentRecord, score: number, comment: string | undefined, at: string): Promise<void> {
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: appointmentKey(a.id),
                UpdateExpression: `SET rating = :score, ratedAt = :at${comment ? ', ratingComment = :comment' : ''}`,
                ConditionExpression: '#status = :completed AND attribute_not_exists(rating)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':score': score, ':at': at, ':completed': 'completed', ...(comment ? { ':comment': comment } : {}) },
              },
            },
            statsUpdate(a, { ratingSum: score, ratingCount: 1 }),
          ],
        }),
      ),
    );
  } catch (error) {
    if (!failedConditions(error)?.includes(0)) throw error;
    const current = await getAppointment(a.id);
    if (current?.rating !== undefined) throw new AppError('ALREADY_RATED');
    throw new AppError('STATE_CONFLICT', '办结后才能评价');
  }
}

// ── lists ───────────────────────────────────────────────────────────────────

export async function listUserAppointments(
  uid: string,
  options: { limit: number; cursor?: string; when?: 'upcoming' | 'past'; boundary: Date },
): Promise<Page<AppointmentRecord>> {
  const q = userAppointmentsQuery(uid);
  const at = appointmentSortKeyAt(options.boundary);
  const condition =
    options.when === 'upcoming'
      ? 'gsi1pk = :pk AND gsi1sk BETWEEN :at AND :end'
      : options.when === 'past'
        ? 'gsi1pk = :pk AND gsi1sk BETWEEN :prefix AND :at'
        : 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)';
  const values: Item = { ':pk': q.gsi1pk };
  if (options.when === 'upcoming') Object.assign(values, { ':at': at, ':end': `${q.prefix}~` });
  else if (options.when === 'past') Object.assign(values, { ':prefix': q.prefix, ':at': at });
  else values[':prefix'] = q.prefix;
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi1',
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
      ScanIndexForward: options.when === 'upcoming',
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((i) => stripKeys<AppointmentRecord>(i)), next };
}

export async function listServiceDay(sid: string, date: string, options: { limit: number; cursor?: string }): Promise<Page<AppointmentRecord>> {
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': serviceDayQuery(sid, date).gsi2pk },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((i) => stripKeys<AppointmentRecord>(i)), next };
}

/** Memberships of several users of one community, in one BatchGetItem per 100. */
export async function getMemberships(cid: string, uids: string[]): Promise<Map<string, MembershipRecord>> {
  const out = new Map<string, MembershipRecord>();
  const unique = [...new Set(uids)];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Item[] | undefined = unique.slice(i, i + 100).map((uid) => membershipKey(cid, uid));
    for (let attempt = 0; keys?.length && attempt < 5; attempt++) {
      const reply: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Item[] }> } = await send(
        new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys } } }),
      );
      for (const item of reply.Responses?.[table()] ?? []) {
        const m = stripKeys<MembershipRecord>(item);
        out.set(m.userId, m);
      }
      keys = reply.UnprocessedKeys?.[table()]?.Keys;
    }
  }
  return out;
}

// ── indicators ──────────────────────────────────────────────────────────────

export async function dayCounters(cid: string, from: string, to: string): Promise<DayCounters[]> {
  const q = appointmentStatsQuery(cid, from, to);
  const out: DayCounters[] = [];
  let start: Item | undefined;
  do {
    const page = await send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': q.pk, ':from': q.skFrom, ':to': q.skTo },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      out.push({
        date: String(item.date), serviceId: String(item.serviceId),
        booked: Number(item.booked ?? 0), cancelled: Number(item.cancelled ?? 0), arrived: Number(item.arrived ?? 0),
        noShow: Number(item.noShow ?? 0), completed: Number(item.completed ?? 0),
        ratingSum: Number(item.ratingSum ?? 0), ratingCount: Number(item.ratingCount ?? 0),
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

// ── reminders (the bucket mechanism is store/reminders.ts) ──────────────────

export const remindersIn = (bucket: string): Promise<ReminderRecord[]> => remindersInPartition<ReminderRecord>(reminderBucketQuery(bucket).pk);

/** Claims a reminder for sending: only one run gets it (see store/reminders.ts). */
export const claimReminder = (r: ReminderRecord, now: Date): Promise<boolean> => claimReminderAt(reminderKey(r.bucket, r.appointmentId, r.kind), now);

export const finishReminder = (r: ReminderRecord, outcome: ReminderOutcome, now: Date): Promise<void> =>
  finishReminderAt(reminderKey(r.bucket, r.appointmentId, r.kind), outcome, now);
