/**
 * Activities (志愿活动): one item per activity (an escort, 志愿陪同, is one too: store/escorts.ts),
 * listed by the community in order of start. `signedUp` counts the places taken; it moves only
 * with a signup, in the signup's transaction (the parts below).
 *
 *   change, cancel   conditional Update (scheduled; a capacity not below the places taken)
 *                    [+ the outbox messages the change owes]     fails as `activity` / `messages`
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import type { EscortOutcome } from '@contract/escorts';
import { send } from '../client';
import { activityIndexes, activityKey, communityActivitiesQuery } from '../keys';
import type { TransactPut } from '../outbox';
import { countMatching, queryPage, stripKeys, table } from '../table';
import { conditional, transact, type TransactItem } from '../transaction';
import { getRecord } from './record';

export interface ActivityRecord {
  id: string;
  communityId: string;
  timezone: string;
  title: string;
  description?: string;
  place: string;
  /** Instants, UTC ISO; shown in the community's offset by the service. */
  startsAt: string;
  endsAt: string;
  startMs: number;
  endMs: number;
  capacity: number;
  hours: number;
  skills?: string[];
  signedUp: number;
  status: 'scheduled' | 'cancelled';
  createdAt: string;
  createdBy: string;
  updatedAt?: string;
  /** 志愿陪同: the activity is a resident's escort (store/escorts.ts), with one place. */
  escort?: EscortDetails;
  /** The volunteer who took the escort (set and removed with the signup, in its transaction). */
  matchedUserId?: string;
  matchedAt?: string;
  /** 无人认领: nobody had taken the escort by 18:00 the evening before; staff were told (once). */
  unclaimedAt?: string;
  /** The resident's thanks to the volunteer, once. */
  thanks?: { score: number; text?: string; at: string; by: string };
}

/** What an escort activity knows of the booking it serves. */
export interface EscortDetails {
  appointmentId: string;
  serviceId: string;
  serviceName: string;
  /** UTC ISO instants of the appointment's slot. */
  appointmentStart: string;
  appointmentEnd: string;
  elderId: string;
  /** The family member who asked for the elder, told as the elder is. */
  proxyId?: string;
  need: '助老' | '助残';
  note?: string;
  /** How the appointment ended, noted in the act that ended it. */
  outcome?: EscortOutcome;
}

export async function putActivity(a: ActivityRecord): Promise<void> {
  await send(
    new PutCommand({
      TableName: table(),
      Item: { ...activityKey(a.id), ...activityIndexes(a.communityId, a.id, a.startsAt), type: 'Activity', ...a },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export const getActivity = (id: string) => getRecord<ActivityRecord>(activityKey(id));

export type ActivityChange = Partial<Pick<ActivityRecord, 'title' | 'description' | 'place' | 'startsAt' | 'endsAt' | 'startMs' | 'endMs' | 'capacity' | 'hours' | 'skills'>>;

/**
 * The messages a change owes (outbox Puts), written in the change's own transaction so both
 * commit or neither, and the activity as read before the change (a transaction returns no
 * item: the result is built from it).
 */
export interface OwedMessages {
  messages: readonly TransactPut[];
  current: ActivityRecord;
}

/** What a change or a cancellation fails on: the activity (with it as it was), or its message already written. */
export type ActivityChangePart = 'activity' | 'messages';

type ActivityUpdate = NonNullable<TransactItem['Update']>;

/** The update alone (one UpdateItem answering the new activity), or with its messages (one transaction). */
async function changeActivity(update: ActivityUpdate, owed: OwedMessages | undefined, changed: Partial<ActivityRecord>): Promise<ActivityRecord> {
  if (!owed?.messages.length) {
    const { Attributes } = await conditional<'activity', { Attributes?: Record<string, unknown> }>('activity', new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
    return stripKeys<ActivityRecord>(Attributes ?? {});
  }
  await transact<ActivityChangePart>({ activity: { Update: update }, messages: owed.messages });
  return { ...owed.current, ...changed };
}

/** Changes a scheduled activity; the capacity never drops below the places already taken. */
export async function updateActivity(id: string, cid: string, change: ActivityChange, at: string, owed?: OwedMessages): Promise<ActivityRecord> {
  const values: Record<string, unknown> = { ':scheduled': 'scheduled', ':at': at };
  const names: Record<string, string> = { '#status': 'status' };
  const sets = ['updatedAt = :at'];
  const changed = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
  for (const [field, value] of Object.entries(changed)) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  if (change.startsAt) {
    values[':g2sk'] = activityIndexes(cid, id, change.startsAt).gsi2sk;
    sets.push('gsi2sk = :g2sk');
  }
  const update: ActivityUpdate = {
    TableName: table(),
    Key: activityKey(id),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: '#status = :scheduled' + (change.capacity !== undefined ? ' AND signedUp <= :capacity' : ''),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
  return changeActivity(update, owed, { ...(changed as ActivityChange), updatedAt: at });
}

/** Cancels a scheduled activity (its message is written once, `cancelled-<id>`: either failure means it was cancelled). */
export async function cancelActivity(id: string, at: string, owed?: OwedMessages): Promise<ActivityRecord> {
  const update: ActivityUpdate = {
    TableName: table(),
    Key: activityKey(id),
    UpdateExpression: 'SET #status = :cancelled, updatedAt = :at',
    ConditionExpression: '#status = :scheduled',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':cancelled': 'cancelled', ':scheduled': 'scheduled', ':at': at },
  };
  return changeActivity(update, owed, { status: 'cancelled', updatedAt: at });
}

/**
 * A community's activities starting between two instants, by start. A skill filter is applied
 * by DynamoDB after reading; pages are read on until `limit` items are found or 5 pages were read.
 */
export async function listActivities(
  cid: string,
  options: { fromUtc: string; toUtc: string; skill?: string; limit: number; cursor?: string },
): Promise<Page<ActivityRecord>> {
  const q = communityActivitiesQuery(cid, options.fromUtc, options.toUtc);
  const items: ActivityRecord[] = [];
  let next = options.cursor;
  for (let pages = 0; pages < 5; pages++) {
    const page = await queryPage(
      {
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        ...(options.skill ? { FilterExpression: 'contains(skills, :skill)' } : {}),
        ExpressionAttributeValues: { ':pk': q.gsi2pk, ':from': q.gsi2skFrom, ':to': q.gsi2skTo, ...(options.skill ? { ':skill': options.skill } : {}) },
        Limit: options.limit - items.length,
      },
      next,
    );
    items.push(...page.items.map((item) => stripKeys<ActivityRecord>(item)));
    next = page.next;
    if (!next || items.length >= options.limit) break;
  }
  return { items, next };
}

/** Activities held (scheduled, already ended) among those starting between two instants. */
export async function countActivitiesHeld(cid: string, fromUtc: string, nowMs: number): Promise<number> {
  const q = communityActivitiesQuery(cid, fromUtc, new Date(nowMs).toISOString());
  return countMatching({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
    FilterExpression: '#status = :scheduled AND endMs <= :now',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': q.gsi2pk, ':from': q.gsi2skFrom, ':to': q.gsi2skTo, ':scheduled': 'scheduled', ':now': nowMs },
  });
}

/**
 * Part: a place is taken while the activity is scheduled, not started and not full (the activity
 * as it was comes back with a failure, to tell which). An escort records who took it.
 */
export const placeTaken = (activity: Pick<ActivityRecord, 'id' | 'escort'>, by: { userId: string; at: string }): TransactItem => {
  const escort = activity.escort !== undefined;
  return {
    Update: {
      TableName: table(),
      Key: activityKey(activity.id),
      UpdateExpression: escort ? 'SET matchedUserId = :uid, matchedAt = :at ADD signedUp :one' : 'ADD signedUp :one',
      ConditionExpression: '#status = :scheduled AND signedUp < #capacity AND startMs > :now',
      ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' },
      ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled', ':now': Date.parse(by.at), ...(escort ? { ':uid': by.userId, ':at': by.at } : {}) },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
};

/** Part: a place recorded after the fact (staff's attendance for someone not signed up), while the activity is scheduled. */
export const placeAdded = (activityId: string): TransactItem => ({
  Update: {
    TableName: table(),
    Key: activityKey(activityId),
    UpdateExpression: 'ADD signedUp :one',
    ConditionExpression: '#status = :scheduled',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled' },
  },
});

/** Part: a place given back; an escort is open again for someone else. */
export const placeFreed = (activityId: string, options: { escort: boolean }): TransactItem => ({
  Update: {
    TableName: table(),
    Key: activityKey(activityId),
    UpdateExpression: options.escort ? 'ADD signedUp :minus REMOVE matchedUserId, matchedAt' : 'ADD signedUp :minus',
    ConditionExpression: 'signedUp > :zero',
    ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
  },
});
