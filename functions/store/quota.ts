/**
 * Per-person limits held in the table: a counter item taken (+1, conditional on staying under
 * the ceiling) and released (−1) inside the act's own transaction, so a burst of simultaneous
 * requests can never pass the limit and the count moves only with the act it counts.
 */
import { table } from './table';

type Key = { pk: string; sk: string };

/** +1 under `max`; the item also names its type and, for a per-period count, when TTL drops it. */
export const quotaTake = (key: Key, type: string, max: number, expiresAt?: number) => ({
  Update: {
    TableName: table(),
    Key: key,
    UpdateExpression: `SET #type = :quotaType${expiresAt === undefined ? '' : ', expiresAt = :quotaExpires'} ADD taken :quotaOne`,
    ConditionExpression: 'attribute_not_exists(taken) OR taken < :quotaMax',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: {
      ':quotaType': type,
      ':quotaOne': 1,
      ':quotaMax': max,
      ...(expiresAt === undefined ? {} : { ':quotaExpires': expiresAt }),
    },
  },
});

/** +1 with no ceiling: a held place given back (an undone transition), never a new one. */
export const quotaRestore = (key: Key) => ({
  Update: { TableName: table(), Key: key, UpdateExpression: 'ADD taken :quotaOne', ExpressionAttributeValues: { ':quotaOne': 1 } },
});

/** −1, never below zero. */
export const quotaRelease = (key: Key) => ({
  Update: {
    TableName: table(),
    Key: key,
    UpdateExpression: 'ADD taken :quotaMinus',
    ConditionExpression: 'taken > :quotaZero',
    ExpressionAttributeValues: { ':quotaMinus': -1, ':quotaZero': 0 },
  },
});

/** Two days: a per-day count is needed for its day only; the margin covers every time zone. */
export const dailyQuotaExpiry = (at: string): number => Math.floor(Date.parse(at) / 1000) + 2 * 86400;
