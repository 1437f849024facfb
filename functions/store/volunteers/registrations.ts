/**
 * Registrations (志愿者注册): one item per community and user, pending until staff decide.
 *
 *   register   conditional Update (none yet, or a declined one)            fails as `registration`
 *   decide     Update(registration: pending) [+ counters.approvedAdded]
 *              + audit entry                                                fails as `registration`
 *
 * Parts for other transactions: `approvedVolunteerCheck` (the registration is approved: a
 * signup, a recorded attendance) and `totalHoursAdd` (hours credited or corrected: the total
 * moves with the ledger entry that explains it).
 */
import { BatchGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import { auditEntry } from '../audit';
import { send } from '../client';
import { communityVolunteersQuery, userVolunteersQuery, volunteerIndexes, volunteerKey } from '../keys';
import { countMatching, filteredPage, stripKeys, table, userItems } from '../table';
import { conditional, transact, type TransactItem } from '../transaction';
import { approvedAdded } from './counters';
import { getRecord } from './record';

type RegistrationStatus = 'pending' | 'approved' | 'declined';

export interface VolunteerRecord {
  communityId: string;
  userId: string;
  status: RegistrationStatus;
  skills: string[];
  availability?: string;
  reason?: string;
  realName?: string;
  nickname?: string;
  household?: string;
  totalHours: number;
  registeredAt: string;
  decidedAt?: string;
  /** Thanks from escorted residents (志愿陪同): how many, and the sum of their scores. */
  thanksCount?: number;
  thanksScore?: number;
}

/** A registration, or a new one after a declined one; anything else fails as `registration`. */
export async function registerVolunteer(v: VolunteerRecord): Promise<VolunteerRecord> {
  const indexes = volunteerIndexes(v.communityId, v.userId, 'pending', v.registeredAt);
  const { Attributes } = await conditional<'registration', { Attributes?: Record<string, unknown> }>(
    'registration',
    new UpdateCommand({
      TableName: table(),
      Key: volunteerKey(v.communityId, v.userId),
      UpdateExpression:
        'SET #type = :type, communityId = :cid, userId = :uid, #status = :pending, skills = :skills, registeredAt = :at, ' +
        'totalHours = if_not_exists(totalHours, :zero), gsi1pk = :g1pk, gsi1sk = :g1sk, gsi2pk = :g2pk, gsi2sk = :g2sk' +
        (v.availability ? ', availability = :availability' : '') +
        (v.realName ? ', realName = :realName' : '') +
        (v.nickname ? ', nickname = :nickname' : '') +
        (v.household ? ', household = :household' : '') +
        ' REMOVE reason, decidedAt' +
        (v.availability ? '' : ', availability'),
      ConditionExpression: 'attribute_not_exists(pk) OR #status = :declined',
      ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
      ExpressionAttributeValues: {
        ':type': 'Volunteer', ':cid': v.communityId, ':uid': v.userId, ':pending': 'pending', ':declined': 'declined',
        ':skills': v.skills, ':at': v.registeredAt, ':zero': 0,
        ':g1pk': indexes.gsi1pk, ':g1sk': indexes.gsi1sk, ':g2pk': indexes.gsi2pk, ':g2sk': indexes.gsi2sk,
        ...(v.availability ? { ':availability': v.availability } : {}),
        ...(v.realName ? { ':realName': v.realName } : {}),
        ...(v.nickname ? { ':nickname': v.nickname } : {}),
        ...(v.household ? { ':household': v.household } : {}),
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return stripKeys<VolunteerRecord>(Attributes ?? {});
}

export const getVolunteer = (cid: string, uid: string) => getRecord<VolunteerRecord>(volunteerKey(cid, uid));

/** Registrations of several volunteers of a community, by user id (BatchGetItem, 100 keys a call). */
export async function getVolunteers(cid: string, uids: string[]): Promise<Map<string, VolunteerRecord>> {
  const found = new Map<string, VolunteerRecord>();
  const unique = [...new Set(uids)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [table()]: { Keys: unique.slice(i, i + 100).map((uid) => volunteerKey(cid, uid)) } };
    while (request && Object.keys(request).length) {
      const reply: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, { Keys: Record<string, unknown>[] }> } = await send(
        new BatchGetCommand({ RequestItems: request }),
      );
      for (const item of reply.Responses?.[table()] ?? []) {
        const record = stripKeys<VolunteerRecord>(item);
        found.set(record.userId, record);
      }
      request = reply.UnprocessedKeys;
    }
  }
  return found;
}

/** A user's registrations, in every community. */
export async function listUserVolunteers(uid: string): Promise<VolunteerRecord[]> {
  return userItems<VolunteerRecord>(userVolunteersQuery(uid));
}

/** A community's volunteers by status; `q` matches part of the name or the household. */
export async function listVolunteers(cid: string, options: { status?: RegistrationStatus; q?: string; limit: number; cursor?: string }): Promise<Page<VolunteerRecord>> {
  const q = communityVolunteersQuery(cid, options.status);
  const { items, next } = await filteredPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: q.gsi2skPrefix ? 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)' : 'gsi2pk = :pk',
      ...(options.q ? { FilterExpression: 'contains(realName, :q) OR contains(nickname, :q) OR contains(household, :q)' } : {}),
      ExpressionAttributeValues: { ':pk': q.gsi2pk, ...(q.gsi2skPrefix ? { ':prefix': q.gsi2skPrefix } : {}), ...(options.q ? { ':q': options.q } : {}) },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<VolunteerRecord>(item)), next };
}

export async function countPendingVolunteers(cid: string): Promise<number> {
  const q = communityVolunteersQuery(cid, 'pending');
  return countMatching({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.gsi2pk, ':prefix': q.gsi2skPrefix },
  });
}

/**
 * Decides a pending registration (undefined: there is none). Approval moves the community's count
 * of approved volunteers (the numerator of the 15% indicator) in the same transaction, so the
 * count stays exact. A registration that is no longer pending fails as `registration`.
 */
export async function decideVolunteer(
  cid: string,
  uid: string,
  decision: 'approved' | 'declined',
  act: { actorId: string; at: string },
  reason?: string,
): Promise<VolunteerRecord | undefined> {
  const { at } = act;
  const current = await getVolunteer(cid, uid);
  if (!current) return undefined;
  const indexes = volunteerIndexes(cid, uid, decision, current.registeredAt);
  await transact({
    registration: {
      Update: {
        TableName: table(),
        Key: volunteerKey(cid, uid),
        UpdateExpression: 'SET #status = :decision, decidedAt = :at, gsi2sk = :g2sk' + (reason ? ', reason = :reason' : ''),
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':decision': decision, ':at': at, ':g2sk': indexes.gsi2sk, ':pending': 'pending', ...(reason ? { ':reason': reason } : {}) },
      },
    },
    approvedCount: decision === 'approved' ? approvedAdded(cid) : undefined,
    audit: auditEntry({
      communityId: cid, actorId: act.actorId, act: decision === 'approved' ? 'volunteer.approve' : 'volunteer.decline', subjectId: uid,
      ...(reason ? { detail: { reason } } : {}), at,
    }),
  });
  return { ...current, status: decision, decidedAt: at, ...(reason ? { reason } : {}) };
}

/** Part: the registration follows its member to another flat (it must still exist). */
export const registrationMoved = (cid: string, uid: string, household: string): TransactItem => ({
  Update: {
    TableName: table(),
    Key: volunteerKey(cid, uid),
    UpdateExpression: 'SET household = :household',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':household': household },
  },
});

/** Part: the user's registration in the community is approved. */
export const approvedVolunteerCheck = (cid: string, uid: string): TransactItem => ({
  ConditionCheck: {
    TableName: table(),
    Key: volunteerKey(cid, uid),
    ConditionExpression: '#status = :approved',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':approved': 'approved' },
  },
});

/**
 * Part: the registration's total moves by `hours`; it must exist, and with `neverBelowZero` a
 * negative move may not take it below zero (the old item comes back with a failure, so a missing
 * registration can be told from a total too small).
 */
export const totalHoursAdd = (cid: string, uid: string, hours: number, options: { neverBelowZero?: boolean } = {}): TransactItem => {
  const floor = options.neverBelowZero && hours < 0;
  return {
    Update: {
      TableName: table(),
      Key: volunteerKey(cid, uid),
      UpdateExpression: 'ADD totalHours :hours',
      ConditionExpression: floor ? 'attribute_exists(pk) AND totalHours >= :min' : 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':hours': hours, ...(floor ? { ':min': -hours } : {}) },
      ...(options.neverBelowZero ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
    },
  };
};
