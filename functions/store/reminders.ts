/**
 * The bucket mechanism shared by every kind of reminder (appointments, volunteer activities):
 * a reminder is an item in its due time's 10-minute bucket (each kind's keys: keys/reminders.ts,
 * store/appointments/reminders.ts, store/escorts.ts), written with a TTL; a scheduled sender reads
 * the recent buckets, claims each reminder by a conditional update before sending (so a schedule
 * that fires twice sends it once), marks it sent (or refused, or skipped), or releases the claim
 * when WeChat failed so a later run tries again.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { send } from './client';
import { queryAll, stripKeys, table } from './table';
import { conditional, isConditionFailed } from './transaction';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

export type ReminderOutcome = 'sent' | 'refused' | 'skipped' | 'retry';

/** Reminders expire a week after they are due. */
export const REMINDER_TTL_SECONDS = 7 * 86400;

/** The Put of a reminder item (for a transaction, or on its own). */
export function reminderPut(key: Key, dueAt: Date, fields: Item): { TableName: string; Item: Item } {
  return {
    TableName: table(),
    Item: { ...key, type: 'Reminder', ...fields, dueAt: dueAt.toISOString(), expiresAt: Math.floor(dueAt.getTime() / 1000) + REMINDER_TTL_SECONDS },
  };
}

/** Every reminder of one bucket partition (strongly consistent). */
export async function remindersInPartition<T>(pk: string): Promise<T[]> {
  const items = await queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true });
  return items.map((i) => stripKeys<T>(i));
}

/**
 * Claims a reminder for sending: only one run gets it (a second firing of the schedule finds
 * it claimed or sent). A claim lapses after a minute, so a crashed run does not lose it.
 */
export async function claimReminderAt(key: Key, now: Date): Promise<boolean> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await conditional(
      'claim',
      new UpdateCommand({
        TableName: table(),
        Key: key,
        UpdateExpression: 'SET claimedUntil = :until',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sentAt) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
        ExpressionAttributeValues: { ':until': nowSeconds + 60, ':now': nowSeconds },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** Records how a claimed reminder ended; 'retry' only releases the claim for a later run. */
export async function finishReminderAt(key: Key, outcome: ReminderOutcome, now: Date): Promise<void> {
  if (outcome === 'retry') {
    await send(new UpdateCommand({ TableName: table(), Key: key, UpdateExpression: 'REMOVE claimedUntil' }));
    return;
  }
  await send(
    new UpdateCommand({
      TableName: table(),
      Key: key,
      UpdateExpression: 'SET sentAt = :at, outcome = :outcome REMOVE claimedUntil',
      ExpressionAttributeValues: { ':at': now.toISOString(), ':outcome': outcome },
    }),
  );
}
