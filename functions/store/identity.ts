/**
 * Users, communities, memberships and households.
 */
import { BatchGetCommand, DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@contract/errors';
import type { Page } from '@contract/common';
import type { Community, EndedStatus, Role, StaffRole } from '@contract/identity';
import {
  communitiesQuery,
  communityEndedQuery,
  communityIndexes,
  communityKey,
  communityMembersQuery,
  endedMembershipIndexes,
  endedMembershipKey,
  householdKey,
  membershipIndexes,
  membershipKey,
  membershipUserIndex,
  pendingJoinsKey,
  openidKey,
  staffRollKey,
  staffRollQuery,
  userEndedMembershipsQuery,
  userKey,
  userMembershipsQuery,
} from './keys';
import { auditEntry } from './audit';
import { failedConditions, retryOnConflict, send } from './client';
import { quotaRelease, quotaTake } from './quota';
import { countMatching, stripKeys, table, queryPage } from './table';
import type { TransactItem } from './transaction';

type PageQuery = Parameters<typeof queryPage>[0];

export interface UserRecord {
  id: string;
  openid: string;
  nickname?: string;
  createdAt: string;
}

export interface CommunityRecord extends Community {
  verifiedMembers: number;
  verifiedHouseholds: number;
}

export interface MembershipRecord {
  communityId: string;
  communityName?: string;
  userId: string;
  role: Role;
  staffRole?: StaffRole;
  verified: boolean;
  household?: string;
  realName?: string;
  phone?: string;
  requestedAt: string;
  verifiedAt?: string;
  /** A pending request counted in the user's pending joins (every request since the count exists); verifying or ending it gives the place back. */
  pendingCounted?: boolean;
}

/** A membership staff ended, with what staff saw of it and why it ended. */
export interface EndedMembershipRecord extends Omit<MembershipRecord, 'role' | 'staffRole' | 'verified'> {
  status: EndedStatus;
  reason: string;
  endedAt: string;
  actorId: string;
}

export async function getUserByOpenid(openid: string): Promise<UserRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: openidKey(openid) }));
  return Item ? stripKeys<UserRecord>(Item) : undefined;
}

/** Creates the user for an openid, or returns the one a concurrent login created first. */
export async function createUser(user: UserRecord): Promise<UserRecord> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: { ...openidKey(user.openid), type: 'OpenId', ...user },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: table(), Item: { ...userKey(user.id), type: 'User', ...user } } },
        ],
      }),
    );
    return user;
  } catch (error) {
    if (!failedConditions(error)?.length) throw error;
    const existing = await getUserByOpenid(user.openid);
    if (!existing) throw error;
    return existing;
  }
}

export async function getUser(uid: string): Promise<UserRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: userKey(uid) }));
  return Item ? stripKeys<UserRecord>(Item) : undefined;
}

/** A new community, listed under its district and street, with its creation in its audit log. */
export async function putCommunity(community: Community, actorId: string): Promise<void> {
  const { id, name, district, street, residents, households } = community;
  await send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: { ...communityKey(id), ...communityIndexes(community), type: 'Community', ...community, verifiedMembers: 0, verifiedHouseholds: 0 },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        auditEntry({ communityId: id, actorId, act: 'community.create', detail: { name, district, street, residents, households }, at: community.createdAt }),
      ],
    }),
  );
}

type CommunityFacts = Pick<Community, 'name' | 'district' | 'street' | 'residents' | 'households'>;

/**
 * Changes a community's facts and moves its place in the list with them, with the change in its
 * audit log. The write is conditional on the facts read, so two admins editing at once cannot
 * leave the list key out of step with the name. Undefined when the community does not exist.
 */
export async function updateCommunity(
  cid: string,
  patch: Partial<CommunityFacts>,
  act: { actorId: string; at: string },
): Promise<CommunityRecord | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getCommunity(cid);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    const fields = Object.keys(patch) as (keyof CommunityFacts)[];
    if (fields.every((f) => current[f] === patch[f])) return current;
    const names = Object.fromEntries(fields.map((f) => [`#${f}`, f]));
    try {
      await send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: communityKey(cid),
                UpdateExpression: `SET ${fields.map((f) => `#${f} = :${f}`).join(', ')}, gsi2pk = :g2pk, gsi2sk = :g2sk`,
                ConditionExpression: '#name = :oldName AND district = :oldDistrict AND street = :oldStreet',
                ExpressionAttributeNames: { ...names, '#name': 'name' },
                ExpressionAttributeValues: {
                  ...Object.fromEntries(fields.map((f) => [`:${f}`, next[f]])),
                  ':oldName': current.name, ':oldDistrict': current.district, ':oldStreet': current.street,
                  ...Object.fromEntries(Object.entries(communityIndexes(next)).map(([k, v]) => [`:${k.replace('gsi2', 'g2')}`, v])),
                },
              },
            },
            auditEntry({ communityId: cid, actorId: act.actorId, act: 'community.change', detail: patch, at: act.at }),
          ],
        }),
      );
      return next;
    } catch (error) {
      // Another admin changed the name, district or street meanwhile: read again.
      if (!failedConditions(error)?.includes(0)) throw error;
    }
  }
  throw new AppError('STATE_CONFLICT', '社区信息正在被修改，请稍后重试');
}

/**
 * Reads a filtered query page by page until `limit` items matched, the list ended, or
 * `FILTERED_ROUNDS` reads were made (then the page is short and `next` continues). Each read
 * evaluates at most the items still missing, so a page never exceeds `limit` and its cursor is
 * exact.
 */
const FILTERED_ROUNDS = 20;
export async function filteredPage(input: PageQuery & { Limit: number }, cursor: string | undefined): Promise<Page<Record<string, unknown>>> {
  const items: Record<string, unknown>[] = [];
  let next = cursor;
  for (let round = 0; round < FILTERED_ROUNDS; round++) {
    const page = await queryPage({ ...input, Limit: input.Limit - items.length }, next);
    items.push(...page.items);
    next = page.next;
    if (!next || items.length >= input.Limit || !input.FilterExpression) break;
  }
  return { items, next };
}

/** Communities by district and street, narrowed by the key; part of a name or street by a filter. */
export async function listCommunities(options: {
  q?: string; district?: string; street?: string; limit: number; cursor?: string;
}): Promise<Page<CommunityRecord>> {
  const q = communitiesQuery(options);
  const filters = [
    ...(options.q ? ['(contains(#name, :q) OR contains(street, :q))'] : []),
    ...(options.street && !options.district ? ['street = :street'] : []),
  ];
  const { items, next } = await filteredPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: q.gsi2skPrefix ? 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)' : 'gsi2pk = :pk',
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(options.q ? { ExpressionAttributeNames: { '#name': 'name' } } : {}),
      ExpressionAttributeValues: {
        ':pk': q.gsi2pk,
        ...(q.gsi2skPrefix ? { ':prefix': q.gsi2skPrefix } : {}),
        ...(options.q ? { ':q': options.q } : {}),
        ...(options.street && !options.district ? { ':street': options.street } : {}),
      },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<CommunityRecord>(item)), next };
}

export async function getCommunity(cid: string): Promise<CommunityRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: communityKey(cid) }));
  return Item ? stripKeys<CommunityRecord>(Item) : undefined;
}

export async function getMembership(cid: string, uid: string): Promise<MembershipRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(
    new GetCommand({ TableName: table(), Key: membershipKey(cid, uid), ConsistentRead: true }),
  );
  return Item ? stripKeys<MembershipRecord>(Item) : undefined;
}

/**
 * The caller is staff of the community when the act commits: a transaction part, so a staff act
 * needs no read of the membership first, and a removal between the request and its write
 * cancels the act.
 */
export const staffMembershipCheck = (cid: string, uid: string): TransactItem => ({
  ConditionCheck: {
    TableName: table(),
    Key: membershipKey(cid, uid),
    ConditionExpression: '#role = :staff',
    ExpressionAttributeNames: { '#role': 'role' },
    ExpressionAttributeValues: { ':staff': 'staff' },
  },
});

export async function listUserMemberships(uid: string): Promise<MembershipRecord[]> {
  const q = userMembershipsQuery(uid);
  const { Items = [] } = await send<{ Items?: Record<string, unknown>[] }>(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.gsi1pk, ':prefix': q.gsi1skPrefix },
    }),
  );
  return Items.map((item) => stripKeys<MembershipRecord>(item));
}

/**
 * A join request: refused if the user has asked already; a staff-only membership (no household
 * yet) may still add one, keeping its role (`previous`, read by the caller, gives the answer its
 * role). With a limit, the user's count of pending requests moves in the same transaction: under
 * `maxPending`, or nothing is written; without one (the demo seed) the request is not counted.
 */
export async function requestMembership(
  m: MembershipRecord & { household: string; communityName: string },
  limit?: { maxPending: number; previous: MembershipRecord | undefined },
): Promise<MembershipRecord> {
  const counted = limit !== undefined;
  const indexes = membershipIndexes(m.communityId, m.userId, { verified: false, household: m.household, requestedAt: m.requestedAt });
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: membershipKey(m.communityId, m.userId),
              UpdateExpression:
                'SET #type = :type, communityId = :cid, userId = :uid, #role = if_not_exists(#role, :resident), verified = :false, ' +
                'household = :household, communityName = :cname, requestedAt = :at, ' +
                'gsi1pk = :g1pk, gsi1sk = :g1sk, gsi2pk = :g2pk, gsi2sk = :g2sk' +
                (counted ? ', pendingCounted = :true' : '') +
                (m.realName ? ', realName = :realName' : '') +
                (m.phone ? ', phone = :phone' : ''),
              ConditionExpression: 'attribute_not_exists(household)',
              ExpressionAttributeNames: { '#type': 'type', '#role': 'role' },
              ExpressionAttributeValues: {
                ':type': 'Membership', ':cid': m.communityId, ':uid': m.userId, ':resident': 'resident', ':false': false,
                ...(counted ? { ':true': true } : {}),
                ':household': m.household, ':cname': m.communityName, ':at': m.requestedAt,
                ...(m.realName ? { ':realName': m.realName } : {}),
                ...(m.phone ? { ':phone': m.phone } : {}),
                ':g1pk': indexes.gsi1pk, ':g1sk': indexes.gsi1sk, ':g2pk': indexes.gsi2pk, ':g2sk': indexes.gsi2sk,
              },
            },
          },
          ...(limit ? [quotaTake(pendingJoinsKey(m.userId), 'PendingJoins', limit.maxPending)] : []),
        ],
      }),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw new AppError('ALREADY_MEMBER');
    if (limit && failed?.includes(1)) {
      throw new AppError('JOIN_LIMIT', `每人最多同时有 ${limit.maxPending} 个待核实的加入申请，请等待社区核实后再申请`, { details: { maxPending: limit.maxPending } });
    }
    throw error;
  }
  const previous = limit?.previous;
  const requested: MembershipRecord = { ...previous, ...m, role: previous?.role ?? m.role, verified: false, ...(counted ? { pendingCounted: true } : {}) };
  // Asking again replaces an earlier refusal or revocation. A separate write, not a transaction
  // with the request: transactions on the community's partition would contend with verifications;
  // readers ignore an ended record beside a live membership, so a failed delete shows nothing stale.
  await send(new DeleteCommand({ TableName: table(), Key: endedMembershipKey(m.communityId, m.userId) }));
  return requested;
}

/** Gives a pending request's place back in the user's count, if it took one. */
const releasePending = (uid: string, counted: boolean) => (counted ? [quotaRelease(pendingJoinsKey(uid))] : []);

/** Matches part of the household or of the real name. */
const memberFilter = (q: string | undefined) =>
  q ? { FilterExpression: 'contains(household, :q) OR contains(realName, :q)', ExpressionAttributeValues: { ':q': q } } : { ExpressionAttributeValues: {} };

export async function listMembers(
  cid: string,
  options: { verified?: boolean; q?: string; limit: number; cursor?: string },
): Promise<Page<MembershipRecord>> {
  const q = communityMembersQuery(cid, options.verified);
  const filter = memberFilter(options.q);
  const { items, next } = await filteredPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: q.gsi2skPrefix ? 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)' : 'gsi2pk = :pk',
      ...filter,
      ExpressionAttributeValues: { ':pk': q.gsi2pk, ...(q.gsi2skPrefix ? { ':prefix': q.gsi2skPrefix } : {}), ...filter.ExpressionAttributeValues },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<MembershipRecord>(item)), next };
}

/** Refused requests or revoked memberships of a community, the latest first. */
export async function listEndedMemberships(
  cid: string,
  status: EndedStatus,
  options: { q?: string; limit: number; cursor?: string },
): Promise<Page<EndedMembershipRecord>> {
  const q = communityEndedQuery(cid, status);
  const filter = memberFilter(options.q);
  const { items, next } = await filteredPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
      ...filter,
      ExpressionAttributeValues: { ':pk': q.gsi2pk, ':prefix': q.gsi2skPrefix, ...filter.ExpressionAttributeValues },
      ScanIndexForward: false,
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<EndedMembershipRecord>(item)), next };
}

/** The person's refused requests and revoked memberships (one per community at most). */
export async function listUserEndedMemberships(uid: string): Promise<EndedMembershipRecord[]> {
  const q = userEndedMembershipsQuery(uid);
  const { Items = [] } = await send<{ Items?: Record<string, unknown>[] }>(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.gsi1pk, ':prefix': q.gsi1skPrefix },
    }),
  );
  return Items.map((item) => stripKeys<EndedMembershipRecord>(item));
}

/**
 * Names of people as a community's staff know them: the real name given when joining, else the
 * nickname. One BatchGetItem per 50 people (their profile and their membership).
 */
export async function displayNames(cid: string, uids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const unique = [...new Set(uids)];
  // Three keys a person (BatchGet takes 100): a refused or revoked person keeps the name they gave.
  for (let i = 0; i < unique.length; i += 33) {
    const chunk = unique.slice(i, i + 33);
    const keys = chunk.flatMap((uid) => [userKey(uid), membershipKey(cid, uid), endedMembershipKey(cid, uid)]);
    const found: Record<string, unknown>[] = [];
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [table()]: { Keys: keys } };
    while (request && Object.keys(request).length) {
      const reply: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, { Keys: Record<string, unknown>[] }> } =
        await send(new BatchGetCommand({ RequestItems: request }));
      found.push(...(reply.Responses?.[table()] ?? []));
      request = reply.UnprocessedKeys;
    }
    const nickname = new Map(found.filter((it) => it.type === 'User').map((it) => [it.id as string, it.nickname as string | undefined]));
    const realName = new Map(found.filter((it) => it.type === 'Membership').map((it) => [it.userId as string, it.realName as string | undefined]));
    const endedName = new Map(found.filter((it) => it.type === 'EndedMembership').map((it) => [it.userId as string, it.realName as string | undefined]));
    for (const uid of chunk) {
      const name = realName.get(uid) ?? endedName.get(uid) ?? nickname.get(uid);
      if (name) names.set(uid, name);
    }
  }
  return names;
}

/**
 * Marks a member verified with a canonical household. The community's counters of verified
 * members and households (the denominators of turnout) move in the same transaction; a new
 * household is told apart from a known one by a conditional put, so the counts stay exact
 * under concurrency.
 */
export async function verifyMembership(
  cid: string,
  uid: string,
  household: string,
  at: string,
  actorId: string,
  pendingCounted = false,
): Promise<MembershipRecord> {
  const audit = auditEntry({ communityId: cid, actorId, act: 'member.verify', subjectId: uid, detail: { household }, at });
  const indexes = membershipIndexes(cid, uid, { verified: true, household, requestedAt: at });
  const markVerified = {
    Update: {
      TableName: table(),
      Key: membershipKey(cid, uid),
      UpdateExpression: 'SET verified = :true, household = :household, verifiedAt = :at, gsi2sk = :g2sk',
      // The request is the one the caller read: counted or not, so the pending count moves exactly.
      ConditionExpression: `attribute_exists(household) AND verified = :false AND ${pendingCounted ? 'pendingCounted = :true' : 'attribute_not_exists(pendingCounted)'}`,
      ExpressionAttributeValues: { ':true': true, ':false': false, ':household': household, ':at': at, ':g2sk': indexes.gsi2sk },
    },
  };
  const countCommunity = (newHousehold: boolean) => ({
    Update: {
      TableName: table(),
      Key: communityKey(cid),
      UpdateExpression: newHousehold ? 'ADD verifiedMembers :one, verifiedHouseholds :one' : 'ADD verifiedMembers :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1 },
    },
  });
  const newHousehold = {
    Put: {
      TableName: table(),
      Item: { ...householdKey(cid, household), type: 'Household', communityId: cid, household, members: 1, firstVerifiedAt: at },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  const knownHousehold = {
    Update: {
      TableName: table(),
      Key: householdKey(cid, household),
      UpdateExpression: 'ADD members :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1 },
    },
  };
  const attempt = (isNew: boolean) =>
    retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [markVerified, isNew ? newHousehold : knownHousehold, countCommunity(isNew), audit, ...releasePending(uid, pendingCounted)],
        }),
      ),
    );
  try {
    await attempt(true);
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed) throw error;
    if (failed.includes(0)) throw new AppError('STATE_CONFLICT', '该成员不存在或已核实');
    if (!failed.includes(1)) throw error;
    try {
      await attempt(false);
    } catch (second) {
      if (failedConditions(second)?.includes(0)) throw new AppError('STATE_CONFLICT', '该成员不存在或已核实');
      throw second;
    }
  }
  const verified = await getMembership(cid, uid);
  if (!verified) throw new AppError('NOT_FOUND');
  return verified;
}

/**
 * Makes the user staff of the community in the given role, keeping any resident membership they
 * have, and records the appointment in the audit log in the same transaction. Undefined when
 * they already held that role (nothing written, nothing logged).
 */
export async function setStaff(
  cid: string,
  communityName: string,
  uid: string,
  staffRole: StaffRole,
  act: { actorId: string; at: string },
): Promise<MembershipRecord | undefined> {
  const { at } = act;
  const userIndex = membershipUserIndex(cid, uid);
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: membershipKey(cid, uid),
              UpdateExpression:
                'SET #type = :type, communityId = :cid, communityName = :cname, userId = :uid, #role = :staff, staffRole = :staffRole, ' +
                'verified = if_not_exists(verified, :false), requestedAt = if_not_exists(requestedAt, :at), gsi1pk = :g1pk, gsi1sk = :g1sk',
              ConditionExpression: 'attribute_not_exists(#role) OR #role <> :staff OR attribute_not_exists(staffRole) OR staffRole <> :staffRole',
              ExpressionAttributeNames: { '#type': 'type', '#role': 'role' },
              ExpressionAttributeValues: {
                ':type': 'Membership', ':cid': cid, ':cname': communityName, ':uid': uid, ':staff': 'staff', ':staffRole': staffRole,
                ':false': false, ':at': at, ':g1pk': userIndex.gsi1pk, ':g1sk': userIndex.gsi1sk,
              },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...staffRollKey(cid, uid), type: 'StaffRoll', communityId: cid, userId: uid, staffRole, appointedAt: at },
            },
          },
          auditEntry({ communityId: cid, actorId: act.actorId, act: 'staff.appoint', subjectId: uid, detail: { role: staffRole }, at }),
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(0)) return undefined;
    throw error;
  }
  return getMembership(cid, uid);
}

/**
 * Ends the user's staff role, with its audit entry, in one transaction. A staff-only membership
 * (no join request) is deleted; one with a household stays as the resident membership it was.
 * False when the user is not staff of the community.
 */
export async function removeStaff(cid: string, uid: string, act: { actorId: string; at: string }): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const membership = await getMembership(cid, uid);
    if (membership?.role !== 'staff') return false;
    const staffOnly = membership.household === undefined;
    const end = staffOnly
      ? {
          Delete: {
            TableName: table(),
            Key: membershipKey(cid, uid),
            ConditionExpression: '#role = :staff AND attribute_not_exists(household)',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: { ':staff': 'staff' },
          },
        }
      : {
          Update: {
            TableName: table(),
            Key: membershipKey(cid, uid),
            UpdateExpression: 'SET #role = :resident REMOVE staffRole',
            ConditionExpression: '#role = :staff AND attribute_exists(household)',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: { ':staff': 'staff', ':resident': 'resident' },
          },
        };
    const audit = auditEntry({
      communityId: cid, actorId: act.actorId, act: 'staff.remove', subjectId: uid, detail: { role: membership.staffRole ?? 'worker' }, at: act.at,
    });
    try {
      const offRoll = { Delete: { TableName: table(), Key: staffRollKey(cid, uid) } };
      await send(new TransactWriteCommand({ TransactItems: [end, offRoll, audit] }));
      return true;
    } catch (error) {
      // Removed meanwhile, or a join request added a household: read again and decide again.
      if (!failedConditions(error)?.includes(0)) throw error;
    }
  }
  throw new AppError('STATE_CONFLICT', '该成员的身份正在变更，请稍后重试');
}

/**
 * Ends a resident's membership (a pending request, or a verified member), with its audit entry,
 * in one transaction. A verified member's household loses a member, and the community's
 * counters move with it: the household item is deleted with its last member (condition
 * `members = 1`), so the household count stays exact when its members leave at once.
 * 'absent' when the user has no membership, 'staff' for a staff member (removed as staff first).
 */
export async function revokeMembership(
  cid: string,
  uid: string,
  act: { actorId: string; reason: string; at: string },
): Promise<EndedStatus | 'absent' | 'staff'> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const membership = await getMembership(cid, uid);
    if (membership?.role === 'staff') return 'staff';
    if (!membership?.household) return 'absent';
    const { household, verified } = membership;
    const lastOfHousehold = verified && (await householdMembers(cid, household)) <= 1;
    const end = {
      Delete: {
        TableName: table(),
        Key: membershipKey(cid, uid),
        ConditionExpression: `#role = :resident AND verified = :verified AND household = :household AND ${
          membership.pendingCounted ? 'pendingCounted = :true' : 'attribute_not_exists(pendingCounted)'
        }`,
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':resident': 'resident', ':verified': verified, ':household': household, ...(membership.pendingCounted ? { ':true': true } : {}) },
      },
    };
    const leaveHousehold = lastOfHousehold
      ? {
          Delete: {
            TableName: table(),
            Key: householdKey(cid, household),
            ConditionExpression: 'members = :one',
            ExpressionAttributeValues: { ':one': 1 },
          },
        }
      : {
          Update: {
            TableName: table(),
            Key: householdKey(cid, household),
            UpdateExpression: 'ADD members :minus',
            ConditionExpression: 'members > :one',
            ExpressionAttributeValues: { ':one': 1, ':minus': -1 },
          },
        };
    const uncount = {
      Update: {
        TableName: table(),
        Key: communityKey(cid),
        UpdateExpression: lastOfHousehold ? 'ADD verifiedMembers :minus, verifiedHouseholds :minus' : 'ADD verifiedMembers :minus',
        ExpressionAttributeValues: { ':minus': -1 },
      },
    };
    const status: EndedStatus = verified ? 'revoked' : 'refused';
    const audit = auditEntry({
      communityId: cid, actorId: act.actorId, act: verified ? 'member.revoke' : 'member.refuse', subjectId: uid,
      detail: { household, verified, reason: act.reason }, at: act.at,
    });
    const { role: _role, staffRole: _staffRole, verified: _verified, ...facts } = membership;
    const ended: EndedMembershipRecord = { ...facts, household, status, reason: act.reason, endedAt: act.at, actorId: act.actorId };
    // What the person sees and staff list afterwards; it counts nowhere and grants nothing.
    const tombstone = {
      Put: {
        TableName: table(),
        Item: { ...endedMembershipKey(cid, uid), ...endedMembershipIndexes(cid, uid, status, act.at), type: 'EndedMembership', ...ended },
      },
    };
    try {
      await retryOnConflict(() =>
        send(
          new TransactWriteCommand({
            TransactItems: verified
              ? [end, leaveHousehold, uncount, tombstone, audit]
              : [end, tombstone, audit, ...releasePending(uid, membership.pendingCounted === true)],
          }),
        ),
      );
      return status;
    } catch (error) {
      // The membership or its household changed meanwhile (another revocation, a verification): read again.
      if (!failedConditions(error)?.length) throw error;
    }
  }
  throw new AppError('STATE_CONFLICT', '该成员的身份正在变更，请稍后重试');
}

/**
 * Moves a verified member to another household of the community, with its audit entry, in one
 * transaction. The households' member counts move with the membership: the old household item is
 * deleted with its last member (condition `members = 1`) and the new one is put by its first
 * (condition: absent), so the community's household count moves by exactly what changed, and
 * races with verifications, revocations and other moves re-read and decide again.
 * 'absent' when the user has no membership, 'pending' when it is not verified yet (the household
 * is corrected when verifying), 'same' when it is already that household (nothing written).
 */
export async function moveMembership(
  cid: string,
  uid: string,
  to: string,
  act: { actorId: string; reason: string; at: string },
): Promise<MembershipRecord | 'absent' | 'pending' | 'same'> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const membership = await getMembership(cid, uid);
    if (!membership?.household) return 'absent';
    if (!membership.verified) return 'pending';
    const from = membership.household;
    if (from === to) return 'same';
    const [leftBehind, alreadyThere] = await Promise.all([householdMembers(cid, from), householdMembers(cid, to)]);
    const lastOfOld = leftBehind <= 1;
    const firstOfNew = alreadyThere === 0;
    const move = {
      Update: {
        TableName: table(),
        Key: membershipKey(cid, uid),
        UpdateExpression: 'SET household = :to, gsi2sk = :g2sk',
        ConditionExpression: 'verified = :true AND household = :from',
        ExpressionAttributeValues: {
          ':true': true, ':from': from, ':to': to,
          ':g2sk': membershipIndexes(cid, uid, { verified: true, household: to, requestedAt: membership.requestedAt }).gsi2sk,
        },
      },
    };
    const leaveOld = lastOfOld
      ? { Delete: { TableName: table(), Key: householdKey(cid, from), ConditionExpression: 'members = :one', ExpressionAttributeValues: { ':one': 1 } } }
      : {
          Update: {
            TableName: table(),
            Key: householdKey(cid, from),
            UpdateExpression: 'ADD members :minus',
            ConditionExpression: 'members > :one',
            ExpressionAttributeValues: { ':one': 1, ':minus': -1 },
          },
        };
    const enterNew = firstOfNew
      ? {
          Put: {
            TableName: table(),
            Item: { ...householdKey(cid, to), type: 'Household', communityId: cid, household: to, members: 1, firstVerifiedAt: act.at },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }
      : {
          Update: {
            TableName: table(),
            Key: householdKey(cid, to),
            UpdateExpression: 'ADD members :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1 },
          },
        };
    const householdsDelta = (firstOfNew ? 1 : 0) - (lastOfOld ? 1 : 0);
    const recount = householdsDelta
      ? [{
          Update: {
            TableName: table(),
            Key: communityKey(cid),
            UpdateExpression: 'ADD verifiedHouseholds :delta',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':delta': householdsDelta },
          },
        }]
      : [];
    const audit = auditEntry({
      communityId: cid, actorId: act.actorId, act: 'member.move', subjectId: uid,
      detail: { previousHousehold: from, household: to, reason: act.reason }, at: act.at,
    });
    try {
      await retryOnConflict(() => send(new TransactWriteCommand({ TransactItems: [move, leaveOld, enterNew, ...recount, audit] })));
      return { ...membership, household: to };
    } catch (error) {
      // The membership or either household changed meanwhile (a verification, a revocation, another move): read again.
      if (!failedConditions(error)?.length) throw error;
    }
  }
  throw new AppError('STATE_CONFLICT', '该成员的身份正在变更，请稍后重试');
}

export interface StaffRollRecord {
  userId: string;
  staffRole: StaffRole;
  appointedAt: string;
}

/** The community's staff (a community has a handful: one query, no paging). */
export async function listStaff(cid: string): Promise<StaffRollRecord[]> {
  const q = staffRollQuery(cid);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> } = await send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.map((item) => stripKeys<StaffRollRecord>(item));
}

/** How many verified members a household has now. */
async function householdMembers(cid: string, household: string): Promise<number> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(
    new GetCommand({ TableName: table(), Key: householdKey(cid, household), ConsistentRead: true }),
  );
  return Number(Item?.members ?? 0);
}

/** How many join requests wait for verification (a COUNT query on the pending members). */
export async function countPendingMembers(cid: string): Promise<number> {
  const q = communityMembersQuery(cid, false);
  return countMatching({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.gsi2pk, ':prefix': q.gsi2skPrefix },
  });
}
