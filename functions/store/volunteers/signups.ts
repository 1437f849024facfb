/**
 * Signups (报名): one item per activity and volunteer, in the activity's partition, listed by the
 * volunteer in order of start. Every move is one conditional write or one transaction:
 *
 *   sign up     registration approved + activity place taken + signup (none yet, or a cancelled one)
 *               [+ the activity reminder] [+ an escort's messages]     fails as SignUpPart
 *   cancel      signup (signed up, not checked in) → cancelled + place freed [+ escort check]
 *                                                                       fails as CancelPart
 *   scan        spent code (none yet) + signup (check-in: not checked in / check-out: checked in,
 *               not out, not verified)                                  fails as ScanPart
 *   attendance  the active signup's times (not verified), or a new signup counted among the
 *               places of an approved volunteer                         fails as AttendancePart
 */
import { BatchGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import { send } from '../client';
import { activityKey, activitySignupsQuery, signupKey, signupUserIndex, spentCodeKey, userSignupsQuery } from '../keys';
import type { Answer } from '../idempotency';
import type { TransactPut } from '../outbox';
import { queryAll, queryPage, stripKeys, table, userItemsPage } from '../table';
import { conditional, isConditionFailed, transact, type TransactItem } from '../transaction';
import { placeAdded, placeFreed, placeTaken, type ActivityRecord } from './activities';
import { approvedVolunteerCheck } from './registrations';
import { activityReminderPut } from './reminders';

export interface SignupRecord {
  activityId: string;
  communityId: string;
  userId: string;
  status: 'signed_up' | 'cancelled';
  signedUpAt: string;
  cancelledAt?: string;
  checkedInAt?: string;
  checkedOutAt?: string;
  attendanceBy?: 'scan' | 'staff';
  attendanceReason?: string;
  attendanceRecordedBy?: string;
  /** Staff who scanned the volunteer's code. */
  checkedInBy?: string;
  checkedOutBy?: string;
  verifiedAt?: string;
  verifiedHours?: number;
  verifiedBy?: string;
  ledgerEntryId?: string;
  /** Real name (or nickname) at signup, for staff's attendance sheet. */
  name?: string;
  title: string;
  startsAt: string;
  endsAt: string;
  place: string;
}

/** Part: a new signup, where there is none or only a cancelled one. */
const signupPut = (s: SignupRecord): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...signupKey(s.activityId, s.userId), ...signupUserIndex(s.userId, s.activityId, s.startsAt), type: 'Signup', ...s },
    ConditionExpression: 'attribute_not_exists(pk) OR #status = :cancelled',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':cancelled': 'cancelled' },
  },
});

/**
 * `volunteer`: the registration is not approved; `activity`: no place (its item as it was tells
 * cancelled, started or full); `signup`: already signed up.
 */
export type SignUpPart = 'volunteer' | 'activity' | 'signup' | 'reminder' | 'messages';

/**
 * Takes a place: one transaction that checks the registration is approved, takes a place only
 * while `signedUp < capacity`, and writes the signup only if there is none (or a cancelled one).
 * `answers`: the response the route gives, recorded with the act (store/idempotency.ts).
 */
export async function signUp(
  activity: ActivityRecord,
  signup: SignupRecord,
  options: { reminderDueAt?: Date; messages?: readonly TransactPut[]; answers?: Answer } = {},
): Promise<SignupRecord> {
  await transact<SignUpPart>(
    {
      volunteer: approvedVolunteerCheck(activity.communityId, signup.userId),
      activity: placeTaken(activity, { userId: signup.userId, at: signup.signedUpAt }),
      signup: signupPut(signup),
      reminder: options.reminderDueAt && { Put: activityReminderPut(activity, signup.userId, options.reminderDueAt) },
      // An escort tells the resident who took it, in the same transaction.
      messages: options.messages,
    },
    { answers: options.answers },
  );
  return signup;
}

/** `signup`: not an active signup, or already checked in (its item as it was tells which). */
export type CancelPart = 'signup' | 'activity' | 'escortCheck';

/**
 * Gives the place back: the signup's status condition makes it happen exactly once. An escort
 * (`escortCheck`: its unclaimed check, filed again) is open again for someone else.
 */
export async function cancelSignup(activityId: string, uid: string, at: string, escortCheck?: TransactItem): Promise<void> {
  await transact<CancelPart>({
    signup: {
      Update: {
        TableName: table(),
        Key: signupKey(activityId, uid),
        UpdateExpression: 'SET #status = :cancelled, cancelledAt = :at',
        ConditionExpression: '#status = :signed AND attribute_not_exists(checkedInAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled', ':signed': 'signed_up', ':at': at },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    activity: placeFreed(activityId, { escort: escortCheck !== undefined }),
    escortCheck,
  });
}

/** The activity and one signup in one round trip (strongly consistent). */
export async function getActivityAndSignup(activityId: string, uid: string): Promise<{ activity?: ActivityRecord; signup?: SignupRecord }> {
  const { Responses } = await send<{ Responses?: Record<string, Record<string, unknown>[]> }>(
    new BatchGetCommand({ RequestItems: { [table()]: { Keys: [activityKey(activityId), signupKey(activityId, uid)], ConsistentRead: true } } }),
  );
  const items = Responses?.[table()] ?? [];
  const activity = items.find((i) => i.sk === 'META');
  const signup = items.find((i) => i.sk !== 'META');
  return {
    activity: activity ? stripKeys<ActivityRecord>(activity) : undefined,
    signup: signup ? stripKeys<SignupRecord>(signup) : undefined,
  };
}

const activitySignups = (activityId: string) => {
  const q = activitySignupsQuery(activityId);
  return { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix } };
};

export async function listSignups(activityId: string, options: { limit: number; cursor?: string }): Promise<Page<SignupRecord>> {
  const { items, next } = await queryPage({ ...activitySignups(activityId), Limit: options.limit }, options.cursor);
  return { items: items.map((item) => stripKeys<SignupRecord>(item)), next };
}

/** Who is signed up for an activity now (every page). */
export async function signedUpUserIds(activityId: string): Promise<string[]> {
  const items = (await queryAll(activitySignups(activityId))).map((item) => stripKeys<SignupRecord>(item));
  return items.filter((s) => s.status === 'signed_up').map((s) => s.userId);
}

/** A user's signups, latest activity first. */
export async function listUserSignups(uid: string, options: { limit: number; cursor?: string }): Promise<Page<SignupRecord>> {
  return userItemsPage<SignupRecord>(userSignupsQuery(uid), options);
}

export interface ScannedCode {
  /** The code's own id (its MAC): spent once. */
  id: string;
  /** When the code stops being accepted: the spent-code item outlives it, then expires (TTL). */
  expiresAt: Date;
}

/** `code`: the code was already spent; `signup`: the signup is not in the state the act needs (its item as it was tells which). */
export type ScanPart = 'code' | 'signup';

/**
 * Records a check-in or check-out that staff scanned from the volunteer's personal code, in one
 * transaction: the code is spent (a put that fails if it already was) and the signup moves
 * (check-in: signed up, not checked in; check-out: checked in, not checked out, not verified).
 * So a code used twice at once records once, and each act happens once.
 */
export async function recordScan(
  signup: SignupRecord,
  act: 'check_in' | 'check_out',
  code: ScannedCode,
  scan: { at: string; by: string },
): Promise<SignupRecord> {
  const checkIn = act === 'check_in';
  await transact<ScanPart>({
    code: {
      Put: {
        TableName: table(),
        Item: {
          ...spentCodeKey(signup.activityId, code.id),
          type: 'SpentAttendanceCode',
          userId: signup.userId,
          act,
          spentAt: scan.at,
          expiresAt: Math.ceil(code.expiresAt.getTime() / 1000) + 3600,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    signup: {
      Update: {
        TableName: table(),
        Key: signupKey(signup.activityId, signup.userId),
        UpdateExpression: checkIn ? 'SET checkedInAt = :at, checkedInBy = :by, attendanceBy = :scan' : 'SET checkedOutAt = :at, checkedOutBy = :by',
        ConditionExpression: checkIn
          ? '#status = :signed AND attribute_not_exists(checkedInAt)'
          : '#status = :signed AND attribute_exists(checkedInAt) AND attribute_not_exists(checkedOutAt) AND attribute_not_exists(verifiedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': scan.at, ':by': scan.by, ':signed': 'signed_up', ...(checkIn ? { ':scan': 'scan' } : {}) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  });
  return checkIn ? { ...signup, checkedInAt: scan.at, attendanceBy: 'scan' } : { ...signup, checkedOutAt: scan.at };
}

/**
 * `verified`: the active signup's hours are already verified; `volunteer`: a new signup's
 * registration is not approved; `signup`: a signup appeared meanwhile; `activity`: cancelled.
 */
export type AttendancePart = 'verified' | 'volunteer' | 'signup' | 'activity';

/**
 * Attendance recorded by staff. An active signup gets the times; a volunteer who was not signed
 * up (an activity recorded after the fact) gets a signup, counted among the places, provided
 * the registration is approved. Verified attendance is never changed.
 */
export async function recordAttendance(
  activity: ActivityRecord,
  signup: SignupRecord,
  attendance: { checkedInAt: string; checkedOutAt?: string; reason: string; by: string },
): Promise<SignupRecord> {
  const fields = {
    checkedInAt: attendance.checkedInAt,
    ...(attendance.checkedOutAt ? { checkedOutAt: attendance.checkedOutAt } : {}),
    attendanceBy: 'staff' as const,
    attendanceReason: attendance.reason,
    attendanceRecordedBy: attendance.by,
  };
  try {
    const { Attributes } = await conditional<'verified', { Attributes?: Record<string, unknown> }>(
      'verified',
      new UpdateCommand({
        TableName: table(),
        Key: signupKey(activity.id, signup.userId),
        UpdateExpression:
          'SET checkedInAt = :in, attendanceBy = :staff, attendanceReason = :reason, attendanceRecordedBy = :by' +
          (attendance.checkedOutAt ? ', checkedOutAt = :out' : ' REMOVE checkedOutAt'),
        ConditionExpression: '#status = :signed AND attribute_not_exists(verifiedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':in': fields.checkedInAt, ':staff': 'staff', ':reason': fields.attendanceReason, ':by': fields.attendanceRecordedBy, ':signed': 'signed_up',
          ...(attendance.checkedOutAt ? { ':out': attendance.checkedOutAt } : {}),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return stripKeys<SignupRecord>(Attributes ?? {});
  } catch (error) {
    // Only a verified signup stops here; no active signup (none, or a cancelled one) gets one below.
    if (!isConditionFailed<'verified'>(error) || error.item<SignupRecord>('verified')?.verifiedAt) throw error;
  }
  const created: SignupRecord = { ...signup, status: 'signed_up', ...fields };
  await transact({
    volunteer: approvedVolunteerCheck(activity.communityId, signup.userId),
    signup: signupPut(created),
    activity: placeAdded(activity.id),
  });
  return created;
}

/** Part: the signup's hours are verified once, after attendance was recorded (its item as it was comes back with a failure). */
export const signupVerified = (entry: { activityId: string; userId: string; at: string; hours: number; by: string; id: string }): TransactItem => ({
  Update: {
    TableName: table(),
    Key: signupKey(entry.activityId, entry.userId),
    UpdateExpression: 'SET verifiedAt = :at, verifiedHours = :hours, verifiedBy = :by, ledgerEntryId = :id',
    ConditionExpression: '#status = :signed AND attribute_exists(checkedInAt) AND attribute_not_exists(verifiedAt)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':at': entry.at, ':hours': entry.hours, ':by': entry.by, ':id': entry.id, ':signed': 'signed_up' },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});
