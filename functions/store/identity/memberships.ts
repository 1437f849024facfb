/**
 * Memberships: a person's place in a community (a join request, a verified member, staff), and
 * the record of one staff ended (refused or revoked), kept apart so it grants nothing and counts
 * nowhere. Keys in keys/identity.ts: the membership by community and user, a user's by GSI1, a
 * community's pending and verified members by GSI2.
 *
 * Acts that fail a condition throw `ConditionFailed` naming the part: `membership` (the
 * membership is not as it was read), `pendingJoins` (the user's count of pending requests is full),
 * `household` (the household item moved meanwhile); the service says what that means.
 */
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import type { EndedStatus, Role, StaffRole } from '@contract/identity';
import { auditEntry } from '../audit';
import { send } from '../client';
import {
  communityEndedQuery,
  communityMembersQuery,
  endedMembershipIndexes,
  endedMembershipKey,
  membershipIndexes,
  membershipKey,
  pendingJoinsKey,
  userEndedMembershipsQuery,
  userKey,
  userMembershipsQuery,
} from '../keys';
import { quotaRelease, quotaTake } from '../quota';
import { getItems, itemAt } from '../regions';
import { countMatching, filteredPage, stripKeys, table, userItems } from '../table';
import { isConditionFailed, transact, type TransactItem } from '../transaction';
import { countVerified } from './communities';
import { enterHousehold, householdMembers, leaveHousehold } from './households';
import type { UserRecord } from './users';

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

/** The part names of the membership acts, for the service's mapping of a failed condition. */
export type JoinPart = 'membership' | 'pendingJoins';
export type VerifyPart = 'membership' | 'household' | 'community' | 'audit' | 'pendingJoins';

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
  ConditionCheck: { TableName: table(), Key: membershipKey(cid, uid), ...whileStaff() },
});

/** The condition of an act on a membership that holds a staff role (and `also`, when given). */
export const whileStaff = (also?: string) => ({
  ConditionExpression: also ? `#role = :staff AND ${also}` : '#role = :staff',
  ExpressionAttributeNames: { '#role': 'role' },
  ExpressionAttributeValues: { ':staff': 'staff' },
});

export const listUserMemberships = (uid: string): Promise<MembershipRecord[]> => userItems<MembershipRecord>(userMembershipsQuery(uid));

/** The person's refused requests and revoked memberships (one per community at most). */
export const listUserEndedMemberships = (uid: string): Promise<EndedMembershipRecord[]> => userItems<EndedMembershipRecord>(userEndedMembershipsQuery(uid));

/**
 * A join request: refused (`membership`) if the user has asked already; a staff-only membership
 * (no household yet) may still add one, keeping its role (`previous`, read by the caller, gives
 * the answer its role). With a limit, the user's count of pending requests moves in the same
 * transaction: under `maxPending` (else `pendingJoins`), or nothing is written; without one (the
 * demo seed) the request is not counted.
 */
export async function requestMembership(
  m: MembershipRecord & { household: string; communityName: string },
  limit?: { maxPending: number; previous: MembershipRecord | undefined },
): Promise<MembershipRecord> {
  const counted = limit !== undefined;
  const indexes = membershipIndexes(m.communityId, m.userId, { verified: false, household: m.household, requestedAt: m.requestedAt });
  await transact<JoinPart>({
    membership: {
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
    pendingJoins: limit ? quotaTake(pendingJoinsKey(m.userId), 'PendingJoins', limit.maxPending) : undefined,
  });
  const previous = limit?.previous;
  const requested: MembershipRecord = { ...previous, ...m, role: previous?.role ?? m.role, verified: false, ...(counted ? { pendingCounted: true } : {}) };
  // Asking again replaces an earlier refusal or revocation. A separate write, not a transaction
  // with the request: transactions on the community's partition would contend with verifications;
  // readers ignore an ended record beside a live membership, so a failed delete shows nothing stale.
  await send(new DeleteCommand({ TableName: table(), Key: endedMembershipKey(m.communityId, m.userId) }));
  return requested;
}

/** Gives a pending request's place back in the user's count, if it took one. */
const releasePending = (uid: string, counted: boolean) => (counted ? quotaRelease(pendingJoinsKey(uid)) : undefined);

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

/**
 * Names of people as a community's staff know them: the real name given when joining (kept by a
 * refused or revoked person), else the nickname. Three keys a person, in BatchGetItems of 100.
 */
export async function displayNames(cid: string, uids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(uids)];
  const found = await getItems(unique.flatMap((uid) => [userKey(uid), membershipKey(cid, uid), endedMembershipKey(cid, uid)]), { consistent: false });
  const names = new Map<string, string>();
  for (const uid of unique) {
    const name =
      itemAt<MembershipRecord>(found, membershipKey(cid, uid))?.realName ??
      itemAt<EndedMembershipRecord>(found, endedMembershipKey(cid, uid))?.realName ??
      itemAt<UserRecord>(found, userKey(uid))?.nickname;
    if (name) names.set(uid, name);
  }
  return names;
}

/**
 * Marks a member verified with a canonical household. The community's counters of verified
 * members and households (the denominators of turnout) move in the same transaction; a new
 * household is told apart from a known one by a conditional put, so the counts stay exact
 * under concurrency. `ConditionFailed` names `membership` when it is not (or no longer) the
 * pending request the caller read; undefined when it is gone right after.
 */
export async function verifyMembership(
  cid: string,
  uid: string,
  household: string,
  at: string,
  actorId: string,
  pendingCounted = false,
): Promise<MembershipRecord | undefined> {
  const indexes = membershipIndexes(cid, uid, { verified: true, household, requestedAt: at });
  const attempt = (newHousehold: boolean) =>
    transact<VerifyPart>({
      membership: {
        Update: {
          TableName: table(),
          Key: membershipKey(cid, uid),
          UpdateExpression: 'SET verified = :true, household = :household, verifiedAt = :at, gsi2sk = :g2sk',
          // The request is the one the caller read: counted or not, so the pending count moves exactly.
          ConditionExpression: `attribute_exists(household) AND verified = :false AND ${pendingCounted ? 'pendingCounted = :true' : 'attribute_not_exists(pendingCounted)'}`,
          ExpressionAttributeValues: { ':true': true, ':false': false, ':household': household, ':at': at, ':g2sk': indexes.gsi2sk },
        },
      },
      household: enterHousehold(cid, household, newHousehold, at),
      community: countVerified(cid, { members: 1, households: newHousehold ? 1 : 0 }, { mustExist: true }),
      audit: auditEntry({ communityId: cid, actorId, act: 'member.verify', subjectId: uid, detail: { household }, at }),
      pendingJoins: releasePending(uid, pendingCounted),
    });
  try {
    await attempt(true);
  } catch (error) {
    // A household already known (its item exists): the member joins it.
    if (!isConditionFailed<VerifyPart>(error) || error.has('membership') || !error.has('household')) throw error;
    await attempt(false);
  }
  return getMembership(cid, uid);
}

/** An act on a membership that re-reads and decides again while its parts keep failing (a race), up to `attempts`. */
export async function withRetries<T>(attempts: number, act: () => Promise<T>, retry: (error: unknown) => boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await act();
    } catch (error) {
      if (attempt >= attempts || !retry(error)) throw error;
    }
  }
}

/** Any failed part: the membership or a household changed meanwhile, so the act is decided again. */
const raced = (error: unknown): boolean => isConditionFailed(error);

/**
 * Ends a resident's membership (a pending request, or a verified member), with its audit entry,
 * in one transaction. A verified member's household loses a member, and the community's
 * counters move with it: the household item is deleted with its last member (condition
 * `members = 1`), so the household count stays exact when its members leave at once.
 * 'absent' when the user has no membership, 'staff' for a staff member (removed as staff first).
 * `ConditionFailed` when it kept changing under ten attempts.
 */
export function revokeMembership(
  cid: string,
  uid: string,
  act: { actorId: string; reason: string; at: string },
): Promise<EndedStatus | 'absent' | 'staff'> {
  return withRetries(10, async () => {
    const membership = await getMembership(cid, uid);
    if (membership?.role === 'staff') return 'staff';
    if (!membership?.household) return 'absent';
    const { household, verified } = membership;
    const lastOfHousehold = verified && (await householdMembers(cid, household)) <= 1;
    const status: EndedStatus = verified ? 'revoked' : 'refused';
    const { role: _role, staffRole: _staffRole, verified: _verified, ...facts } = membership;
    const ended: EndedMembershipRecord = { ...facts, household, status, reason: act.reason, endedAt: act.at, actorId: act.actorId };
    await transact({
      membership: {
        Delete: {
          TableName: table(),
          Key: membershipKey(cid, uid),
          ConditionExpression: `#role = :resident AND verified = :verified AND household = :household AND ${
            membership.pendingCounted ? 'pendingCounted = :true' : 'attribute_not_exists(pendingCounted)'
          }`,
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':resident': 'resident', ':verified': verified, ':household': household, ...(membership.pendingCounted ? { ':true': true } : {}) },
        },
      },
      household: verified ? leaveHousehold(cid, household, lastOfHousehold) : undefined,
      community: verified ? countVerified(cid, { members: -1, households: lastOfHousehold ? -1 : 0 }, { mustExist: false }) : undefined,
      // What the person sees and staff list afterwards; it counts nowhere and grants nothing.
      ended: { Put: { TableName: table(), Item: { ...endedMembershipKey(cid, uid), ...endedMembershipIndexes(cid, uid, status, act.at), type: 'EndedMembership', ...ended } } },
      audit: auditEntry({
        communityId: cid, actorId: act.actorId, act: verified ? 'member.revoke' : 'member.refuse', subjectId: uid,
        detail: { household, verified, reason: act.reason }, at: act.at,
      }),
      pendingJoins: verified ? undefined : releasePending(uid, membership.pendingCounted === true),
    });
    return status;
  }, raced);
}

/**
 * Moves a verified member to another household of the community, with its audit entry, in one
 * transaction. The households' member counts move with the membership: the old household item is
 * deleted with its last member (condition `members = 1`) and the new one is put by its first
 * (condition: absent), so the community's household count moves by exactly what changed, and
 * races with verifications, revocations and other moves re-read and decide again.
 * 'absent' when the user has no membership, 'pending' when it is not verified yet (the household
 * is corrected when verifying), 'same' when it is already that household (nothing written).
 * `movesWith`: what else records the member's flat and moves in the same transaction (their
 * volunteer registration), so no record is left at the old address.
 * `ConditionFailed` when it kept changing under ten attempts.
 */
export function moveMembership(
  cid: string,
  uid: string,
  to: string,
  act: { actorId: string; reason: string; at: string },
  movesWith?: readonly TransactItem[],
): Promise<MembershipRecord | 'absent' | 'pending' | 'same'> {
  return withRetries(10, async () => {
    const membership = await getMembership(cid, uid);
    if (!membership?.household) return 'absent';
    if (!membership.verified) return 'pending';
    const from = membership.household;
    if (from === to) return 'same';
    const [leftBehind, alreadyThere] = await Promise.all([householdMembers(cid, from), householdMembers(cid, to)]);
    const lastOfOld = leftBehind <= 1;
    const firstOfNew = alreadyThere === 0;
    await transact({
      membership: {
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
      },
      oldHousehold: leaveHousehold(cid, from, lastOfOld),
      newHousehold: enterHousehold(cid, to, firstOfNew, act.at),
      community: countVerified(cid, { members: 0, households: (firstOfNew ? 1 : 0) - (lastOfOld ? 1 : 0) }, { mustExist: true }),
      audit: auditEntry({
        communityId: cid, actorId: act.actorId, act: 'member.move', subjectId: uid,
        detail: { previousHousehold: from, household: to, reason: act.reason }, at: act.at,
      }),
      movesWith,
    });
    return { ...membership, household: to };
  }, raced);
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
