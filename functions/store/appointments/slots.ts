/**
 * Slot counters (SlotCounter): the places of one slot of a service that are booked, and how many
 * of those arrived. Created by the first booking of the slot.
 *
 * | item        | pk          | sk                    |
 * |-------------|-------------|-----------------------|
 * | SlotCounter | SERVICE#sid | SLOT#<start, UTC ISO> |
 *
 * Slot instants are keyed in UTC ISO form, so a day's slots are one range of sort keys.
 */
import { queryAll, table } from '../table';
import type { TransactItem } from '../transaction';
import type { AppointmentRecord } from './appointments';

interface SlotCount {
  booked: number;
  checkedIn: number;
}

type SlotOf = Pick<AppointmentRecord, 'serviceId' | 'start'>;

const SLOT = 'SLOT#';
const servicePartition = (sid: string) => `SERVICE#${sid}`;
const slotKey = (a: SlotOf) => ({ pk: servicePartition(a.serviceId), sk: `${SLOT}${new Date(a.start).toISOString()}` });

/** A place taken, while fewer than `capacity` are booked: the condition decides who is in. */
export const slotTake = (a: SlotOf, capacity: number): TransactItem => ({
  Update: {
    TableName: table(),
    Key: slotKey(a),
    UpdateExpression: 'SET #type = :slotType, serviceId = :sid, #start = :start ADD booked :one',
    ConditionExpression: 'attribute_not_exists(booked) OR booked < :cap',
    ExpressionAttributeNames: { '#type': 'type', '#start': 'start' },
    ExpressionAttributeValues: { ':slotType': 'SlotCounter', ':sid': a.serviceId, ':start': a.start, ':one': 1, ':cap': capacity },
  },
});

/** A place given back (a cancel), never below zero. */
export const slotGiveBack = (a: SlotOf): TransactItem => ({
  Update: {
    TableName: table(),
    Key: slotKey(a),
    UpdateExpression: 'ADD booked :minus',
    ConditionExpression: 'booked > :zero',
    ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
  },
});

/** An arrival counted (a check-in: +1), or uncounted (an undone check-in: −1). */
export const slotArrival = (a: SlotOf, change: 1 | -1): TransactItem => ({
  Update: { TableName: table(), Key: slotKey(a), UpdateExpression: 'ADD checkedIn :change', ExpressionAttributeValues: { ':change': change } },
});

/** Booked and checked-in counts of a service's slots starting in [from, to], by UTC ISO start. */
export async function slotCounts(sid: string, from: Date, to: Date): Promise<Map<string, SlotCount>> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': servicePartition(sid), ':from': `${SLOT}${from.toISOString()}`, ':to': `${SLOT}${to.toISOString()}` },
    ConsistentRead: true,
  });
  return new Map(items.map((item) => [String(item.sk).slice(SLOT.length), { booked: Number(item.booked ?? 0), checkedIn: Number(item.checkedIn ?? 0) }]));
}
