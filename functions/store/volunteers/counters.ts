/**
 * The community's volunteer counters: approved volunteers (the numerator of the 15% indicator)
 * and hours credited per community-local month. Each moves only as a part of the transaction
 * that explains it (an approval; a verification or a correction), so it stays exact.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { send } from '../client';
import { volunteerMonthKey, volunteerStatsKey } from '../keys';
import { table } from '../table';
import type { TransactItem } from '../transaction';

/** Part: one more approved volunteer. */
export const approvedAdded = (cid: string): TransactItem => ({
  Update: {
    TableName: table(),
    Key: volunteerStatsKey(cid),
    UpdateExpression: 'SET #type = :type, communityId = :cid ADD approvedVolunteers :one',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':type': 'VolunteerStats', ':cid': cid, ':one': 1 },
  },
});

/** Part: hours credited (or corrected) in a month, one entry more. */
export const monthHoursAdd = (cid: string, month: string, hours: number): TransactItem => ({
  Update: {
    TableName: table(),
    Key: volunteerMonthKey(cid, month),
    UpdateExpression: 'SET #type = :type, communityId = :cid, #month = :month ADD #hours :hours, #entries :one',
    ExpressionAttributeNames: { '#type': 'type', '#month': 'month', '#hours': 'hours', '#entries': 'entries' },
    ExpressionAttributeValues: { ':type': 'VolunteerMonth', ':cid': cid, ':month': month, ':hours': hours, ':one': 1 },
  },
});

export async function getVolunteerCounters(cid: string, month: string): Promise<{ approved: number; hoursThisMonth: number }> {
  const statsKey = volunteerStatsKey(cid);
  const monthKey = volunteerMonthKey(cid, month);
  const { Responses } = await send<{ Responses?: Record<string, Record<string, unknown>[]> }>(
    new BatchGetCommand({ RequestItems: { [table()]: { Keys: [statsKey, monthKey] } } }),
  );
  const items = Responses?.[table()] ?? [];
  const stats = items.find((i) => i.sk === statsKey.sk);
  const monthItem = items.find((i) => i.sk === monthKey.sk);
  return { approved: Number(stats?.approvedVolunteers ?? 0), hoursThisMonth: Number(monthItem?.hours ?? 0) };
}
