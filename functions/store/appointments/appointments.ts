/**
 * Appointments (预约), with the two items that hold a resident's bookings in check:
 *
 * | item             | pk        | sk                 | gsi1 (by user)             | gsi2 (a service's day)             |
 * |------------------|-----------|--------------------|----------------------------|------------------------------------|
 * | Appointment      | APPT#id   | APPT               | USER#uid / APPT#<start>#id | SERVICE#sid#DAY#<date> / <start>#id |
 * | AppointmentDay   | USER#uid  | APPTDAY#sid#<date> |  one active booking per resident per service per day                 |
 * | AppointmentsHeld | USER#uid  | APPTHELD           |  how many bookings the resident holds (status booked), all services  |
 *
 * The held count is the number of the resident's bookings in status booked: every transition out
 * of booked (cancel, check-in, no-show, completion) gives one back in its own transaction, behind
 * its status condition, so it moves exactly once; undoing a check-in takes it back.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import type { AppointmentStatus } from '@contract/appointments';
import { send } from '../client';
import { quotaRelease, quotaRestore, quotaTake } from '../quota';
import { queryPage, stripKeys, table } from '../table';
import type { TransactItem } from '../transaction';

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

const appointmentKey = (id: string) => ({ pk: `APPT#${id}`, sk: 'APPT' });
const userPartition = (uid: string) => `USER#${uid}`;
const byStart = (a: Pick<AppointmentRecord, 'id' | 'start'>) => `${new Date(a.start).toISOString()}#${a.id}`;
const serviceDay = (sid: string, date: string) => `SERVICE#${sid}#DAY#${date}`;

// ── the appointment's parts ──────────────────────────────────────────────────

/** A new appointment. */
export const appointmentPut = (a: AppointmentRecord): TransactItem => ({
  Put: {
    TableName: table(),
    Item: {
      ...appointmentKey(a.id),
      gsi1pk: userPartition(a.userId), gsi1sk: `APPT#${byStart(a)}`,
      gsi2pk: serviceDay(a.serviceId, a.date), gsi2sk: byStart(a),
      type: 'Appointment', ...a,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** from → to, with the fields the transition sets; fails when the status is no longer `from`. */
export function statusChange(a: Pick<AppointmentRecord, 'id'>, from: AppointmentStatus, to: AppointmentStatus, set: Partial<AppointmentRecord>): TransactItem {
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
}

/** checked_in → booked, while no ticket was attached: a check-in whose ticket could not be issued. */
export const checkInUndone = (a: Pick<AppointmentRecord, 'id'>): TransactItem => ({
  Update: {
    TableName: table(),
    Key: appointmentKey(a.id),
    UpdateExpression: 'SET #status = :booked REMOVE checkedInAt, late',
    ConditionExpression: '#status = :checked AND attribute_not_exists(ticketId)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':booked': 'booked', ':checked': 'checked_in' },
  },
});

/** The owner's rating, once, and only of a completed appointment. */
export const ratingSet = (a: Pick<AppointmentRecord, 'id'>, rating: { score: number; comment?: string; at: string }): TransactItem => ({
  Update: {
    TableName: table(),
    Key: appointmentKey(a.id),
    UpdateExpression: `SET rating = :score, ratedAt = :at${rating.comment ? ', ratingComment = :comment' : ''}`,
    ConditionExpression: '#status = :completed AND attribute_not_exists(rating)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':score': rating.score, ':at': rating.at, ':completed': 'completed', ...(rating.comment ? { ':comment': rating.comment } : {}) },
  },
});

/** An escort asked for a booking already made: while it is booked and has none yet. */
export const escortNoted = (a: Pick<AppointmentRecord, 'id'>, activityId: string): TransactItem => ({
  Update: {
    TableName: table(),
    Key: appointmentKey(a.id),
    UpdateExpression: 'SET escortId = :escort',
    ConditionExpression: '#status = :booked AND attribute_not_exists(escortId)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':escort': activityId, ':booked': 'booked' },
  },
});

// ── the resident's day marker and held count ────────────────────────────────

type BookingDayOf = Pick<AppointmentRecord, 'id' | 'userId' | 'serviceId' | 'date'>;
const bookingDayKey = (a: BookingDayOf) => ({ pk: userPartition(a.userId), sk: `APPTDAY#${a.serviceId}#${a.date}` });

/** Held while a booking is active: fails when the resident already booked the service that day. */
export const bookingDayPut = (a: BookingDayOf): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...bookingDayKey(a), type: 'AppointmentDay', appointmentId: a.id, serviceId: a.serviceId, date: a.date },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** The day free again, if this booking held it. */
export const bookingDayRelease = (a: BookingDayOf): TransactItem => ({
  Delete: {
    TableName: table(),
    Key: bookingDayKey(a),
    ConditionExpression: 'attribute_not_exists(pk) OR appointmentId = :id',
    ExpressionAttributeValues: { ':id': a.id },
  },
});

const heldKey = (uid: string) => ({ pk: userPartition(uid), sk: 'APPTHELD' });

/** One more booking held, while fewer than `max` are. */
export const heldTake = (a: Pick<AppointmentRecord, 'userId'>, max: number): TransactItem => quotaTake(heldKey(a.userId), 'AppointmentsHeld', max);

/** The booking's place in the held count given back (−1) or taken back (+1, an undone check-in), if it took one. */
export const heldChange = (a: Pick<AppointmentRecord, 'userId' | 'heldCounted'>, change: 1 | -1): TransactItem | undefined =>
  a.heldCounted ? (change < 0 ? quotaRelease(heldKey(a.userId)) : quotaRestore(heldKey(a.userId))) : undefined;

// ── reads ───────────────────────────────────────────────────────────────────

export async function getAppointment(id: string): Promise<AppointmentRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: appointmentKey(id), ConsistentRead: true }));
  return Item ? stripKeys<AppointmentRecord>(Item) : undefined;
}

export async function attachTicket(id: string, ticketId: string): Promise<void> {
  await send(new UpdateCommand({ TableName: table(), Key: appointmentKey(id), UpdateExpression: 'SET ticketId = :ticket', ExpressionAttributeValues: { ':ticket': ticketId } }));
}

/** A resident's bookings by start: from `boundary` on (upcoming, soonest first), before it (past, latest first), or all. */
export async function listUserAppointments(
  uid: string,
  options: { limit: number; cursor?: string; when?: 'upcoming' | 'past'; boundary: Date },
): Promise<Page<AppointmentRecord>> {
  const prefix = 'APPT#';
  const at = `${prefix}${options.boundary.toISOString()}`;
  const range =
    options.when === 'upcoming'
      ? { condition: 'gsi1sk BETWEEN :at AND :end', values: { ':at': at, ':end': `${prefix}~` } }
      : options.when === 'past'
        ? { condition: 'gsi1sk BETWEEN :prefix AND :at', values: { ':prefix': prefix, ':at': at } }
        : { condition: 'begins_with(gsi1sk, :prefix)', values: { ':prefix': prefix } };
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi1',
      KeyConditionExpression: `gsi1pk = :pk AND ${range.condition}`,
      ExpressionAttributeValues: { ':pk': userPartition(uid), ...range.values },
      ScanIndexForward: options.when === 'upcoming',
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((i) => stripKeys<AppointmentRecord>(i)), next };
}

/** A service's bookings of one day, by start. */
export async function listServiceDay(sid: string, date: string, options: { limit: number; cursor?: string }): Promise<Page<AppointmentRecord>> {
  const { items, next } = await queryPage(
    { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': serviceDay(sid, date) }, Limit: options.limit },
    options.cursor,
  );
  return { items: items.map((i) => stripKeys<AppointmentRecord>(i)), next };
}
