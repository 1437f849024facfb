/**
 * Staff roles: the role is held by the membership item (`role: 'staff'`, `staffRole`), and the
 * community's staff roll lists them, one small item per staff member written with the role.
 * A failed condition names its part: `membership` (it changed since it was read).
 */
import type { StaffRole } from '@contract/identity';
import { auditEntry } from '../audit';
import { membershipKey, membershipUserIndex, staffRollKey, staffRollQuery } from '../keys';
import { queryPrefix, stripKeys, table } from '../table';
import { isConditionFailed, transact, type TransactItem } from '../transaction';
import { getMembership, whileStaff, withRetries, type MembershipRecord } from './memberships';

export interface StaffRollRecord {
  userId: string;
  staffRole: StaffRole;
  appointedAt: string;
}

type StaffPart = 'membership' | 'roll' | 'audit';

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
    await transact<StaffPart>({
      membership: {
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
      roll: { Put: { TableName: table(), Item: { ...staffRollKey(cid, uid), type: 'StaffRoll', communityId: cid, userId: uid, staffRole, appointedAt: at } } },
      audit: auditEntry({ communityId: cid, actorId: act.actorId, act: 'staff.appoint', subjectId: uid, detail: { role: staffRole }, at }),
    });
  } catch (error) {
    if (isConditionFailed<StaffPart>(error) && error.has('membership')) return undefined;
    throw error;
  }
  return getMembership(cid, uid);
}

const membershipRaced = (error: unknown) => isConditionFailed<StaffPart>(error) && error.has('membership');

/**
 * Ends the user's staff role, with its audit entry, in one transaction. A staff-only membership
 * (no join request) is deleted; one with a household stays as the resident membership it was.
 * False when the user is not staff of the community; `ConditionFailed<'membership'>` when it kept
 * changing (removed meanwhile, or a join request added a household) under two attempts.
 */
export function removeStaff(cid: string, uid: string, act: { actorId: string; at: string }): Promise<boolean> {
  return withRetries(2, async () => {
    const membership = await getMembership(cid, uid);
    if (membership?.role !== 'staff') return false;
    const staffOnly = whileStaff('attribute_not_exists(household)');
    const resident = whileStaff('attribute_exists(household)');
    const end: TransactItem =
      membership.household === undefined
        ? { Delete: { TableName: table(), Key: membershipKey(cid, uid), ...staffOnly } }
        : {
            Update: {
              TableName: table(),
              Key: membershipKey(cid, uid),
              UpdateExpression: 'SET #role = :resident REMOVE staffRole',
              ...resident,
              ExpressionAttributeValues: { ...resident.ExpressionAttributeValues, ':resident': 'resident' },
            },
          };
    await transact<StaffPart>({
      membership: end,
      roll: { Delete: { TableName: table(), Key: staffRollKey(cid, uid) } },
      audit: auditEntry({
        communityId: cid, actorId: act.actorId, act: 'staff.remove', subjectId: uid, detail: { role: membership.staffRole ?? 'worker' }, at: act.at,
      }),
    });
    return true;
  }, membershipRaced);
}

/** The community's staff (a community has a handful: every page of one query). */
export async function listStaff(cid: string): Promise<StaffRollRecord[]> {
  const items = await queryPrefix(staffRollQuery(cid));
  return items.map((item) => stripKeys<StaffRollRecord>(item));
}
