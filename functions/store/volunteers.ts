/**
 * Volunteers: registrations, activities, signups, the ledger (台帐) and certificates.
 *
 * Every invariant is held by one conditional write or one transaction, so it holds whatever
 * the concurrency:
 *   signup        ConditionCheck(volunteer approved) + Update(activity: signedUp < capacity, ADD 1)
 *                 + Put(signup: none yet, or a cancelled one)          → FORBIDDEN / ACTIVITY_FULL / ALREADY_SIGNED_UP
 *                 + Put(activity reminder, when one is planned: store/reminders.ts)
 *   cancel        Update(signup: signed_up, not checked in → cancelled) + Update(activity: ADD -1)
 *                 → the place is freed exactly once
 *   scan          Put(spent code: none yet) + Update(signup: not checked in / checked in, not out)
 *                 → CODE_USED / STATE_CONFLICT: one code records one act, once
 *   verify        Update(signup: attended, not verified → verified) + Put(ledger entry)
 *                 + Update(volunteer: ADD totalHours) + Update(month: ADD hours) → ALREADY_VERIFIED
 *   correction    Put(ledger entry) + Update(volunteer: ADD totalHours, never below zero)
 *   approve, decline, verify and correction also Put their audit entry (store/audit.ts)
 *
 * The ledger is append-only: entries are written only by `Put` inside those two transactions,
 * with `attribute_not_exists(pk)`; this module has no update or delete of an entry, so the
 * volunteer's total (moved in the same transactions) always equals the sum of the entries.
 */
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AppError } from '@contract/errors';
import type { Page } from '@contract/common';
import { bucketOf } from '../domain/reminders';
import { auditEntry } from './audit';
import { filteredPage } from './identity';
import {
  activityIndexes,
  activityReminderBucketQuery,
  activityReminderKey,
  activityKey,
  activitySignupsQuery,
  certificateKey,
  latestCertificateKey,
  communityActivitiesQuery,
  communityLedgerQuery,
  communityVolunteersQuery,
  ledgerEntryIndexes,
  ledgerEntryKey,
  signupKey,
  signupUserIndex,
  spentCodeKey,
  userSignupsQuery,
  userVolunteersQuery,
  volunteerIndexes,
  volunteerKey,
  volunteerLedgerQuery,
  volunteerMonthKey,
  volunteerStatsKey,
} from './keys';
import { failedConditions, isConditionFailure, retryOnConflict, send } from './client';
import { countMatching, stripKeys, table, queryPage } from './table';
import type { TransactPut } from './outbox';
import { claimReminderAt, finishReminderAt, reminderPut, remindersInPartition, type ReminderOutcome } from './reminders';

type Item = Record<string, unknown>;
type Status = 'pending' | 'approved' | 'declined';

export interface VolunteerRecord {
  communityId: string;
  userId: string;
  status: Status;
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
}

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

/** A volunteer's reminder before an activity (REMIND#ACTIVITY#<bucket>, see keys/reminders.ts). */
export interface ActivityReminderRecord {
  activityId: string;
  userId: string;
  /** The activity's start when the reminder was planned: a rescheduled activity's old reminder is skipped. */
  startsAt: string;
  dueAt: string;
  bucket: string;
  sentAt?: string;
  claimedUntil?: number;
}

export interface LedgerRecord {
  id: string;
  communityId: string;
  userId: string;
  kind: 'service' | 'correction';
  hours: number;
  activityId?: string;
  title?: string;
  date: string;
  reason?: string;
  by: string;
  at: string;
}

export interface CertificateRecord {
  code: string;
  userId: string;
  communityId: string;
  communityName: string;
  issuer: string;
  /** The full name as printed (records issued before this was stored held a masked name). */
  name: string;
  totalHours: number;
  services: number;
  periodFrom?: string;
  periodTo?: string;
  issueDate: string;
  issuedAt: string;
  /** Digest of what the certificate states (name and ledger entries): equal digests, same certificate. */
  fingerprint?: string;
  revokedAt?: string;
  /** Community-local date of the revocation, as the public check shows it. */
  revokedOn?: string;
  revokeReason?: string;
  revokedBy?: string;
}

/** A volunteer's latest certificate in a community (USER#uid / CERTIFICATE#cid). */
export interface LatestCertificate {
  code: string;
  fingerprint: string;
}

const oldItem = (error: unknown, index: number): Item | undefined => {
  const raw = (error as { CancellationReasons?: { Item?: Parameters<typeof unmarshall>[0] }[] }).CancellationReasons?.[index]?.Item;
  return raw ? unmarshall(raw) : undefined;
};

async function getItem<T>(key: { pk: string; sk: string }, consistent = true): Promise<T | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: key, ConsistentRead: consistent }));
  return Item ? stripKeys<T>(Item) : undefined;
}

interface QueryOut {
  Items?: Item[];
  LastEvaluatedKey?: Item;
  Count?: number;
}

// ——— registrations ————————————————————————————————————————————————

/** A registration, or a new one after a declined one; anything else is ALREADY_REGISTERED. */
export async function registerVolunteer(v: VolunteerRecord): Promise<VolunteerRecord> {
  const indexes = volunteerIndexes(v.communityId, v.userId, 'pending', v.registeredAt);
  try {
    const { Attributes } = await send<{ Attributes?: Item }>(
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
  } catch (error) {
    if (isConditionFailure(error)) throw new AppError('ALREADY_REGISTERED');
    throw error;
  }
}

export const getVolunteer = (cid: string, uid: string) => getItem<VolunteerRecord>(volunteerKey(cid, uid));

export async function listUserVolunteers(uid: string): Promise<VolunteerRecord[]> {
  const q = userVolunteersQuery(uid);
  const { Items = [] } = await send<QueryOut>(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.gsi1pk, ':prefix': q.gsi1skPrefix },
    }),
  );
  return Items.map((item) => stripKeys<VolunteerRecord>(item));
}

/** A community's volunteers by status; `q` matches part of the name or the household. */
export async function listVolunteers(cid: string, options: { status?: Status; q?: string; limit: number; cursor?: string }): Promise<Page<VolunteerRecord>> {
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

/**
 * Decides a pending registration. Approval moves the community's count of approved volunteers
 * (the numerator of the 15% indicator) in the same transaction, so the count stays exact.
 * A registration that is not pending answers STATE_CONFLICT.
 */
export async function decideVolunteer(
  cid: string,
  uid: string,
  decision: 'approved' | 'declined',
  act: { actorId: string; at: string },
  reason?: string,
): Promise<VolunteerRecord> {
  const { at } = act;
  const current = await getVolunteer(cid, uid);
  if (!current) throw new AppError('NOT_FOUND', '该用户未注册志愿者');
  const indexes = volunteerIndexes(cid, uid, decision, current.registeredAt);
  const mark = {
    Update: {
      TableName: table(),
      Key: volunteerKey(cid, uid),
      UpdateExpression: 'SET #status = :decision, decidedAt = :at, gsi2sk = :g2sk' + (reason ? ', reason = :reason' : ''),
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':decision': decision, ':at': at, ':g2sk': indexes.gsi2sk, ':pending': 'pending', ...(reason ? { ':reason': reason } : {}) },
    },
  };
  const count = {
    Update: {
      TableName: table(),
      Key: volunteerStatsKey(cid),
      UpdateExpression: 'SET #type = :type, communityId = :cid ADD approvedVolunteers :one',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': 'VolunteerStats', ':cid': cid, ':one': 1 },
    },
  };
  try {
    const audit = auditEntry({
      communityId: cid, actorId: act.actorId, act: decision === 'approved' ? 'volunteer.approve' : 'volunteer.decline', subjectId: uid,
      ...(reason ? { detail: { reason } } : {}), at,
    });
    await retryOnConflict(() => send(new TransactWriteCommand({ TransactItems: decision === 'approved' ? [mark, count, audit] : [mark, audit] })));
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw new AppError('STATE_CONFLICT', '该注册已处理过');
    throw error;
  }
  return { ...current, status: decision, decidedAt: at, ...(reason ? { reason } : {}) };
}

// ——— activities ——————————————————————————————————————————————————

export async function putActivity(a: ActivityRecord): Promise<void> {
  await send(
    new PutCommand({
      TableName: table(),
      Item: { ...activityKey(a.id), ...activityIndexes(a.communityId, a.id, a.startsAt), type: 'Activity', ...a },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export const getActivity = (id: string) => getItem<ActivityRecord>(activityKey(id));

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

/**
 * Changes a scheduled activity; the capacity never drops below the places already taken. With
 * messages, one transaction (without, one UpdateItem).
 */
export async function updateActivity(id: string, cid: string, change: ActivityChange, at: string, owed?: OwedMessages): Promise<ActivityRecord> {
  const values: Item = { ':scheduled': 'scheduled', ':at': at };
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
  const update = {
    TableName: table(),
    Key: activityKey(id),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: '#status = :scheduled' + (change.capacity !== undefined ? ' AND signedUp <= :capacity' : ''),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  const refused = (old: Item | undefined): AppError =>
    old?.status === 'scheduled'
      ? new AppError('STATE_CONFLICT', `已有 ${String(old.signedUp)} 人报名，名额不能少于报名人数`)
      : new AppError('STATE_CONFLICT', '活动已取消，不能修改');
  if (!owed?.messages.length) {
    try {
      const { Attributes } = await send<{ Attributes?: Item }>(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
      return stripKeys<ActivityRecord>(Attributes ?? {});
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const raw = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      throw refused(raw ? unmarshall(raw) : undefined);
    }
  }
  try {
    await send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...owed.messages] }));
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw refused(oldItem(error, 0));
    if (failed?.length) throw new AppError('STATE_CONFLICT', '该变更已通知报名者');
    throw error;
  }
  return { ...owed.current, ...(changed as ActivityChange), updatedAt: at };
}

/** Cancels a scheduled activity; with messages, one transaction (without, one UpdateItem). */
export async function cancelActivity(id: string, at: string, owed?: OwedMessages): Promise<ActivityRecord> {
  const update = {
    TableName: table(),
    Key: activityKey(id),
    UpdateExpression: 'SET #status = :cancelled, updatedAt = :at',
    ConditionExpression: '#status = :scheduled',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':cancelled': 'cancelled', ':scheduled': 'scheduled', ':at': at },
  };
  const refused = new AppError('STATE_CONFLICT', '活动已取消');
  if (!owed?.messages.length) {
    try {
      const { Attributes } = await send<{ Attributes?: Item }>(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
      return stripKeys<ActivityRecord>(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) throw refused;
      throw error;
    }
  }
  try {
    await send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...owed.messages] }));
  } catch (error) {
    // Its message is written once (cancelled-<id>): either failure means it was cancelled.
    if (failedConditions(error)?.length) throw refused;
    throw error;
  }
  return { ...owed.current, status: 'cancelled', updatedAt: at };
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

// ——— signups ————————————————————————————————————————————————————

const signupItem = (s: SignupRecord) => ({
  ...signupKey(s.activityId, s.userId),
  ...signupUserIndex(s.userId, s.activityId, s.startsAt),
  type: 'Signup',
  ...s,
});

/**
 * Takes a place: one transaction that checks the registration is approved, takes a place only
 * while `signedUp < capacity`, and writes the signup only if there is none (or a cancelled one).
 */
export async function signUp(activity: ActivityRecord, signup: SignupRecord, reminderDueAt?: Date, escortMessages?: readonly TransactPut[]): Promise<SignupRecord> {
  // Last in the transaction, so the indexes of the conditions read below do not move.
  const reminder = reminderDueAt ? [{ Put: activityReminderPut(activity, signup.userId, reminderDueAt) }] : [];
  // An escort records who took it on the activity itself, and tells the resident in the same transaction.
  const escort = activity.escort !== undefined;
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: table(),
                Key: volunteerKey(activity.communityId, signup.userId),
                ConditionExpression: '#status = :approved',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':approved': 'approved' },
              },
            },
            {
              Update: {
                TableName: table(),
                Key: activityKey(activity.id),
                UpdateExpression: escort ? 'SET matchedUserId = :uid, matchedAt = :at ADD signedUp :one' : 'ADD signedUp :one',
                ConditionExpression: '#status = :scheduled AND signedUp < #capacity AND startMs > :now',
                ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' },
                ExpressionAttributeValues: {
                  ':one': 1, ':scheduled': 'scheduled', ':now': Date.parse(signup.signedUpAt),
                  ...(escort ? { ':uid': signup.userId, ':at': signup.signedUpAt } : {}),
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName: table(),
                Item: signupItem(signup),
                ConditionExpression: 'attribute_not_exists(pk) OR #status = :cancelled',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':cancelled': 'cancelled' },
              },
            },
            ...reminder,
            ...(escortMessages ?? []),
          ],
        }),
      ),
    );
    return signup;
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed?.length) throw error;
    if (failed.includes(2)) throw new AppError('ALREADY_SIGNED_UP');
    if (failed.includes(0)) throw new AppError('FORBIDDEN', '仅已通过审核的志愿者可以报名');
    const old = oldItem(error, 1);
    if (old?.status === 'cancelled') throw new AppError('STATE_CONFLICT', '活动已取消');
    if (typeof old?.startMs === 'number' && old.startMs <= Date.parse(signup.signedUpAt)) throw new AppError('STATE_CONFLICT', '活动已开始，报名已截止');
    throw new AppError('ACTIVITY_FULL');
  }
}

// ——— activity reminders (the bucket mechanism is store/reminders.ts) ————————————————

function activityReminderPut(activity: Pick<ActivityRecord, 'id' | 'startsAt'>, uid: string, dueAt: Date) {
  const bucket = bucketOf(dueAt);
  return reminderPut(activityReminderKey(bucket, activity.id, uid), dueAt, { activityId: activity.id, userId: uid, startsAt: activity.startsAt, bucket });
}

/** Plans reminders outside a signup (after a reschedule); a re-planned one is simply overwritten. */
export async function planActivityReminders(activity: Pick<ActivityRecord, 'id' | 'startsAt'>, uids: string[], dueAt: Date): Promise<void> {
  for (let i = 0; i < uids.length; i += 25) {
    await Promise.all(uids.slice(i, i + 25).map((uid) => send(new PutCommand(activityReminderPut(activity, uid, dueAt)))));
  }
}

export const activityRemindersIn = (bucket: string): Promise<ActivityReminderRecord[]> =>
  remindersInPartition<ActivityReminderRecord>(activityReminderBucketQuery(bucket).pk);

/** Claims a reminder for sending: only one run gets it (see store/reminders.ts). */
export const claimActivityReminder = (r: ActivityReminderRecord, now: Date): Promise<boolean> =>
  claimReminderAt(activityReminderKey(r.bucket, r.activityId, r.userId), now);

export const finishActivityReminder = (r: ActivityReminderRecord, outcome: ReminderOutcome, now: Date): Promise<void> =>
  finishReminderAt(activityReminderKey(r.bucket, r.activityId, r.userId), outcome, now);

/**
 * Gives the place back: the signup's status condition makes it happen exactly once. An escort
 * (`escortCheck`: its unclaimed check, filed again) is open again for someone else.
 */
export async function cancelSignup(activityId: string, uid: string, at: string, escortCheck?: { Put: { TableName: string; Item: Item } }): Promise<void> {
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
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
            {
              Update: {
                TableName: table(),
                Key: activityKey(activityId),
                UpdateExpression: escortCheck ? 'ADD signedUp :minus REMOVE matchedUserId, matchedAt' : 'ADD signedUp :minus',
                ConditionExpression: 'signedUp > :zero',
                ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
              },
            },
            ...(escortCheck ? [escortCheck] : []),
          ],
        }),
      ),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed?.length) throw error;
    const old = oldItem(error, 0);
    if (failed.includes(0) && old?.status === 'signed_up' && old.checkedInAt) throw new AppError('STATE_CONFLICT', '已签到，不能取消报名');
    if (failed.includes(0) && old?.status === 'cancelled') throw new AppError('STATE_CONFLICT', '报名已取消');
    throw new AppError('NOT_FOUND', '您未报名该活动');
  }
}

/** The activity and one signup in one round trip (strongly consistent). */
export async function getActivityAndSignup(activityId: string, uid: string): Promise<{ activity?: ActivityRecord; signup?: SignupRecord }> {
  const { Responses } = await send<{ Responses?: Record<string, Item[]> }>(
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

export async function listSignups(activityId: string, options: { limit: number; cursor?: string }): Promise<Page<SignupRecord>> {
  const q = activitySignupsQuery(activityId);
  const { items, next } = await queryPage(
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<SignupRecord>(item)), next };
}

/** A user's signups, latest activity first. */
export async function listUserSignups(uid: string, options: { limit: number; cursor?: string }): Promise<Page<SignupRecord>> {
  const q = userSignupsQuery(uid);
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.gsi1pk, ':prefix': q.gsi1skPrefix },
      ScanIndexForward: false,
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<SignupRecord>(item)), next };
}

export interface ScannedCode {
  /** The code's own id (its MAC): spent once. */
  id: string;
  /** When the code stops being accepted: the spent-code item outlives it, then expires (TTL). */
  expiresAt: Date;
}

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
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
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
            {
              Update: {
                TableName: table(),
                Key: signupKey(signup.activityId, signup.userId),
                UpdateExpression: checkIn
                  ? 'SET checkedInAt = :at, checkedInBy = :by, attendanceBy = :scan'
                  : 'SET checkedOutAt = :at, checkedOutBy = :by',
                ConditionExpression: checkIn
                  ? '#status = :signed AND attribute_not_exists(checkedInAt)'
                  : '#status = :signed AND attribute_exists(checkedInAt) AND attribute_not_exists(checkedOutAt) AND attribute_not_exists(verifiedAt)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':at': scan.at, ':by': scan.by, ':signed': 'signed_up', ...(checkIn ? { ':scan': 'scan' } : {}) },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      ),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed?.length) throw error;
    if (failed.includes(0)) throw new AppError('CODE_USED');
    const old = oldItem(error, 1);
    if (old?.status !== 'signed_up') throw new AppError('FORBIDDEN', '该志愿者未报名本活动');
    if (old.verifiedAt) throw new AppError('ALREADY_VERIFIED', '服务时长已认定，不能再签退');
    if (checkIn) throw new AppError('STATE_CONFLICT', '该志愿者已签到');
    throw new AppError('STATE_CONFLICT', old.checkedInAt ? '该志愿者已签退' : '该志愿者尚未签到');
  }
  return checkIn
    ? { ...signup, checkedInAt: scan.at, attendanceBy: 'scan' }
    : { ...signup, checkedOutAt: scan.at };
}

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
    const { Attributes } = await send<{ Attributes?: Item }>(
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
    if (!isConditionFailure(error)) throw error;
    const raw = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
    const old = raw ? unmarshall(raw) : undefined;
    if (old?.verifiedAt) throw new AppError('ALREADY_VERIFIED');
  }
  // No active signup: create one with the attendance.
  const created: SignupRecord = { ...signup, status: 'signed_up', ...fields };
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: table(),
                Key: volunteerKey(activity.communityId, signup.userId),
                ConditionExpression: '#status = :approved',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':approved': 'approved' },
              },
            },
            {
              Put: {
                TableName: table(),
                Item: signupItem(created),
                ConditionExpression: 'attribute_not_exists(pk) OR #status = :cancelled',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':cancelled': 'cancelled' },
              },
            },
            {
              Update: {
                TableName: table(),
                Key: activityKey(activity.id),
                UpdateExpression: 'ADD signedUp :one',
                ConditionExpression: '#status = :scheduled',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled' },
              },
            },
          ],
        }),
      ),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed?.length) throw error;
    if (failed.includes(0)) throw new AppError('FORBIDDEN', '该用户不是本社区已通过审核的志愿者');
    if (failed.includes(1)) throw new AppError('STATE_CONFLICT', '考勤正被同时修改，请刷新后重试');
    throw new AppError('STATE_CONFLICT', '活动已取消');
  }
  return created;
}

// ——— the ledger (台帐) ——————————————————————————————————————————————

const ledgerPut = (entry: LedgerRecord) => ({
  Put: {
    TableName: table(),
    Item: {
      ...ledgerEntryKey(entry.communityId, entry.userId, entry.at, entry.id),
      ...ledgerEntryIndexes(entry.communityId, entry.at, entry.id),
      type: 'LedgerEntry',
      ...entry,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

const monthAdd = (cid: string, month: string, hours: number) => ({
  Update: {
    TableName: table(),
    Key: volunteerMonthKey(cid, month),
    UpdateExpression: 'SET #type = :type, communityId = :cid, #month = :month ADD #hours :hours, #entries :one',
    ExpressionAttributeNames: { '#type': 'type', '#month': 'month', '#hours': 'hours', '#entries': 'entries' },
    ExpressionAttributeValues: { ':type': 'VolunteerMonth', ':cid': cid, ':month': month, ':hours': hours, ':one': 1 },
  },
});

/**
 * Credits one attendance: the signup turns verified, the entry is appended and the totals move,
 * all or nothing. A second verification fails on the signup's condition: ALREADY_VERIFIED.
 */
export async function verifyAttendance(entry: LedgerRecord & { activityId: string }, month: string): Promise<LedgerRecord> {
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: signupKey(entry.activityId, entry.userId),
                UpdateExpression: 'SET verifiedAt = :at, verifiedHours = :hours, verifiedBy = :by, ledgerEntryId = :id',
                ConditionExpression: '#status = :signed AND attribute_exists(checkedInAt) AND attribute_not_exists(verifiedAt)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':at': entry.at, ':hours': entry.hours, ':by': entry.by, ':id': entry.id, ':signed': 'signed_up' },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            ledgerPut(entry),
            {
              Update: {
                TableName: table(),
                Key: volunteerKey(entry.communityId, entry.userId),
                UpdateExpression: 'ADD totalHours :hours',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':hours': entry.hours },
              },
            },
            monthAdd(entry.communityId, month, entry.hours),
            auditEntry({
              communityId: entry.communityId, actorId: entry.by, act: 'hours.verify', subjectId: entry.userId,
              detail: { hours: entry.hours, activity: entry.title ?? entry.activityId }, at: entry.at,
            }),
          ],
        }),
      ),
    );
    return entry;
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed?.length) throw error;
    if (failed.includes(0)) {
      const old = oldItem(error, 0);
      if (old?.verifiedAt) throw new AppError('ALREADY_VERIFIED');
      if (old?.status === 'signed_up') throw new AppError('STATE_CONFLICT', '尚未记录考勤，请先签到或由工作人员补录');
      throw new AppError('NOT_FOUND', '该志愿者未报名本活动');
    }
    if (failed.includes(2)) throw new AppError('STATE_CONFLICT', '该用户不是本社区的注册志愿者');
    throw error;
  }
}

/** A correcting entry; the total may not fall below zero. */
export async function appendCorrection(entry: LedgerRecord, month: string): Promise<LedgerRecord> {
  const negative = entry.hours < 0;
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            ledgerPut(entry),
            {
              Update: {
                TableName: table(),
                Key: volunteerKey(entry.communityId, entry.userId),
                UpdateExpression: 'ADD totalHours :hours',
                ConditionExpression: negative ? 'attribute_exists(pk) AND totalHours >= :min' : 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':hours': entry.hours, ...(negative ? { ':min': -entry.hours } : {}) },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            monthAdd(entry.communityId, month, entry.hours),
            auditEntry({
              communityId: entry.communityId, actorId: entry.by, act: 'hours.correct', subjectId: entry.userId,
              detail: { hours: entry.hours, ...(entry.reason ? { reason: entry.reason } : {}) }, at: entry.at,
            }),
          ],
        }),
      ),
    );
    return entry;
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed?.includes(1)) throw error;
    if (!oldItem(error, 1)) throw new AppError('NOT_FOUND', '该用户未注册志愿者');
    throw new AppError('STATE_CONFLICT', '更正后的总时长不能为负数');
  }
}

/** A volunteer's whole ledger, oldest first. */
export async function listLedger(cid: string, uid: string): Promise<LedgerRecord[]> {
  const q = volunteerLedgerQuery(cid, uid);
  const entries: LedgerRecord[] = [];
  let start: Item | undefined;
  do {
    const page = await send<QueryOut>(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    entries.push(...(page.Items ?? []).map((item) => stripKeys<LedgerRecord>(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return entries;
}

/** One page of the community's entries recorded in [fromUtc, toUtc), oldest first. */
export async function listCommunityLedger(
  cid: string,
  range: { fromUtc: string; toUtc: string },
  options: { limit: number; cursor?: string },
): Promise<Page<LedgerRecord>> {
  const q = communityLedgerQuery(cid, range.fromUtc, range.toUtc);
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi2',
      // BETWEEN is inclusive, but no sort key equals toUtc itself (each ends in #<id>): the range is half-open.
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': q.gsi2pk, ':from': q.gsi2skFrom, ':to': q.gsi2skBelow },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<LedgerRecord>(item)), next };
}

/** Registrations of several volunteers of a community, by user id (BatchGetItem, 100 keys a call). */
export async function getVolunteers(cid: string, uids: string[]): Promise<Map<string, VolunteerRecord>> {
  const found = new Map<string, VolunteerRecord>();
  const unique = [...new Set(uids)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, { Keys: Item[] }> | undefined = { [table()]: { Keys: unique.slice(i, i + 100).map((uid) => volunteerKey(cid, uid)) } };
    while (request && Object.keys(request).length) {
      const reply: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys: Item[] }> } = await send(new BatchGetCommand({ RequestItems: request }));
      for (const item of reply.Responses?.[table()] ?? []) {
        const record = stripKeys<VolunteerRecord>(item);
        found.set(record.userId, record);
      }
      request = reply.UnprocessedKeys;
    }
  }
  return found;
}

// ——— counters and certificates ————————————————————————————————————————

export async function getVolunteerCounters(cid: string, month: string): Promise<{ approved: number; hoursThisMonth: number }> {
  const { Responses } = await send<{ Responses?: Record<string, Item[]> }>(
    new BatchGetCommand({ RequestItems: { [table()]: { Keys: [volunteerStatsKey(cid), volunteerMonthKey(cid, month)] } } }),
  );
  const items = Responses?.[table()] ?? [];
  const stats = items.find((i) => i.sk === volunteerStatsKey(cid).sk);
  const monthItem = items.find((i) => i.sk === volunteerMonthKey(cid, month).sk);
  return { approved: Number(stats?.approvedVolunteers ?? 0), hoursThisMonth: Number(monthItem?.hours ?? 0) };
}

export async function countPendingVolunteers(cid: string): Promise<number> {
  const q = communityVolunteersQuery(cid, 'pending');
  return countMatching({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.gsi2pk, ':prefix': q.gsi2skPrefix },
  });
}

export const getLatestCertificate = (cid: string, uid: string) => getItem<LatestCertificate>(latestCertificateKey(cid, uid));

/**
 * Stores a new certificate and makes it the volunteer's latest, in one transaction: the code must
 * be new, and the latest must still be `previousCode` (none when undefined). So of two
 * simultaneous issues of the same content one is stored; the other answers 'raced' and reuses it.
 */
export async function putCertificate(c: CertificateRecord & { fingerprint: string }, previousCode: string | undefined): Promise<'stored' | 'code_taken' | 'raced'> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table(), Item: { ...certificateKey(c.code), type: 'Certificate', ...c }, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: table(),
              Item: { ...latestCertificateKey(c.communityId, c.userId), type: 'LatestCertificate', code: c.code, fingerprint: c.fingerprint },
              ConditionExpression: previousCode ? 'code = :previous' : 'attribute_not_exists(pk)',
              ...(previousCode ? { ExpressionAttributeValues: { ':previous': previousCode } } : {}),
            },
          },
        ],
      }),
    );
    return 'stored';
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) return 'code_taken';
    // A failed condition on the latest, or a transaction conflict with a concurrent issue.
    if (failed) return 'raced';
    throw error;
  }
}

export const getCertificate = (code: string) => getItem<CertificateRecord>(certificateKey(code));

/**
 * Revokes a certificate once, with its audit entry in the same transaction; revoking a revoked
 * one returns it as it is and records nothing.
 */
export async function revokeCertificate(
  certificate: CertificateRecord,
  revocation: { at: string; on: string; reason: string; by: string },
): Promise<CertificateRecord> {
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: certificateKey(certificate.code),
                UpdateExpression: 'SET revokedAt = :at, revokedOn = :on, revokeReason = :reason, revokedBy = :by',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
                ExpressionAttributeValues: { ':at': revocation.at, ':on': revocation.on, ':reason': revocation.reason, ':by': revocation.by },
              },
            },
            auditEntry({
              communityId: certificate.communityId, actorId: revocation.by, act: 'certificate.revoke', subjectId: certificate.userId,
              detail: { code: certificate.code, reason: revocation.reason }, at: revocation.at,
            }),
          ],
        }),
      ),
    );
    return { ...certificate, revokedAt: revocation.at, revokedOn: revocation.on, revokeReason: revocation.reason, revokedBy: revocation.by };
  } catch (error) {
    if (!failedConditions(error)?.includes(0)) throw error;
    const current = await getCertificate(certificate.code);
    if (!current) throw new AppError('NOT_FOUND', '未找到该证明，请核对证明编号');
    return current;
  }
}
