/**
 * The daily indicators of appointments: counters per community, day and service, moved by each
 * act on a booking in its own transaction.
 *
 * | item             | pk            | sk                   |
 * |------------------|---------------|----------------------|
 * | AppointmentStats | COMMUNITY#cid | APPTSTATS#<date>#sid |
 */
import { queryAll, table } from '../table';
import type { TransactItem } from '../transaction';
import type { AppointmentRecord } from './appointments';

const COUNTERS = ['booked', 'cancelled', 'arrived', 'noShow', 'completed', 'ratingSum', 'ratingCount'] as const;
type Counter = (typeof COUNTERS)[number];

type DayCounters = { date: string; serviceId: string } & Record<Counter, number>;

type StatsOf = Pick<AppointmentRecord, 'communityId' | 'date' | 'serviceId'>;

const communityPartition = (cid: string) => `COMMUNITY#${cid}`;
const statsKey = (a: StatsOf) => ({ pk: communityPartition(a.communityId), sk: `APPTSTATS#${a.date}#${a.serviceId}` });

/** Adds to the day's counters (created by the first act of the day). */
export function statsAdd(a: StatsOf, add: Partial<Record<Counter, number>>): TransactItem {
  const names = Object.keys(add) as Counter[];
  return {
    Update: {
      TableName: table(),
      Key: statsKey(a),
      UpdateExpression: `SET #type = :statsType, communityId = :statsCid, #date = :statsDate, serviceId = :statsSid ADD ${names.map((n) => `#${n} :${n}`).join(', ')}`,
      ExpressionAttributeNames: { '#type': 'type', '#date': 'date', ...Object.fromEntries(names.map((n) => [`#${n}`, n])) },
      ExpressionAttributeValues: {
        ':statsType': 'AppointmentStats', ':statsCid': a.communityId, ':statsDate': a.date, ':statsSid': a.serviceId,
        ...Object.fromEntries(names.map((n) => [`:${n}`, add[n]])),
      },
    },
  };
}

/** A community's counters of the days from..to, every service. */
export async function dayCounters(cid: string, from: string, to: string): Promise<DayCounters[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': communityPartition(cid), ':from': `APPTSTATS#${from}#`, ':to': `APPTSTATS#${to}#~` },
  });
  return items.map((item) => ({
    date: String(item.date),
    serviceId: String(item.serviceId),
    ...(Object.fromEntries(COUNTERS.map((name) => [name, Number(item[name] ?? 0)])) as Record<Counter, number>),
  }));
}
