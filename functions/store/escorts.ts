/**
 * 志愿陪同 (volunteer escort): an escort is a one-place volunteer activity carrying `escort`
 * (store/volunteers/activities.ts ActivityRecord), so signing up, attendance, verification and the ledger
 * are the activities' own transactions. What is the escort's own:
 *
 *   ask       (the part `escort` of the booking's transaction, store/appointments/booking.ts), or later
 *             with the appointment marked (askForBooking)
 *             Put(escort activity: new) + Put(unclaimed check in the bucket of 18:00 the evening before)
 *   match     (in the signup's transaction, store/volunteers/signups.ts signUp)
 *             activity: signedUp < 1 → SET matchedUserId; outbox Puts telling the elder (and proxy)
 *   cancel    (the part `escort` of the appointment cancel's transaction) activity → cancelled; outbox fan-out to
 *             the signed-up volunteer
 *   outcome   (the part `escort` of the appointment's no-show or completion) activity: SET escort.outcome
 *   unclaimed Update(activity: no unclaimedAt, nobody signed up, scheduled → unclaimedAt)
 *             + outbox Puts to the community's staff: at most once per escort
 *   thanks    Update(activity: no thanks yet, matched → thanks) + Update(volunteer: ADD thanksCount, thanksScore)
 *
 * | item                     | pk                             | sk            | gsi2                                        |
 * |--------------------------|--------------------------------|---------------|---------------------------------------------|
 * | escort activity          | ACTIVITY#<id>                  | META          | COMMUNITY#<cid>#ESCORTS / <startUtc>#<id>   |
 * | unclaimed check (TTL)    | REMIND#ESCORT#<10-min bucket>  | <activity id> |                                             |
 *
 * An escort is listed apart from the community's public activities, so no anonymous list ever
 * shows it. The unclaimed check is filed at booking in the bucket of 18:00 (community time) the
 * evening before; the `escortUnclaimed` schedule reads the recent buckets (never a Scan).
 */
import type { Page } from '@contract/common';
import type { EscortOutcome } from '@contract/escorts';
import { bucketOf } from '../domain/reminders';
import { escortNoted, verifiedMember, type AppointmentRecord } from './appointments';
import { activityKey, volunteerKey } from './keys';
import type { TransactPut } from './outbox';
import { claimReminderAt, finishReminderAt, reminderPut, remindersInPartition, type ReminderOutcome } from './reminders';
import { filteredPage, queryAll, stripKeys, table } from './table';
import { isConditionFailed, transact, type TransactItem } from './transaction';
import type { ActivityRecord } from './volunteers';

/** An escort activity (one that carries `escort`). */
export type EscortActivity = ActivityRecord & { escort: NonNullable<ActivityRecord['escort']> };

/** A check that an escort was taken, due at 18:00 the evening before. */
interface EscortCheckRecord {
  activityId: string;
  communityId: string;
  dueAt: string;
  bucket: string;
  sentAt?: string;
}

const communityEscorts = (cid: string) => `COMMUNITY#${cid}#ESCORTS`;
const checkPartition = (bucket: string) => `REMIND#ESCORT#${bucket}`;
const checkKey = (r: Pick<EscortCheckRecord, 'bucket' | 'activityId'>) => ({ pk: checkPartition(r.bucket), sk: r.activityId });

/** The Put of an escort's unclaimed check (the booking's transaction, or a volunteer giving it back). */
export function escortCheckPut(activity: Pick<ActivityRecord, 'id' | 'communityId'>, dueAt: Date): { Put: { TableName: string; Item: Record<string, unknown> } } {
  const bucket = bucketOf(dueAt);
  return { Put: reminderPut(checkKey({ bucket, activityId: activity.id }), dueAt, { activityId: activity.id, communityId: activity.communityId, bucket }) };
}

/** The escort's activity and its unclaimed check: the part `escort` of the booking's own transaction. */
export function escortAskItems(activity: EscortActivity, checkDueAt: Date): TransactItem[] {
  return [
    {
      Put: {
        TableName: table(),
        Item: { ...activityKey(activity.id), gsi2pk: communityEscorts(activity.communityId), gsi2sk: `${activity.startsAt}#${activity.id}`, type: 'Activity', ...activity },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    escortCheckPut(activity, checkDueAt),
  ];
}

/** The parts of asking an escort for a booking already made; `appointment` fails when it is no longer booked or has one. */
export type EscortAskPart = 'appointment' | 'membership' | 'escort' | 'proxy';

/**
 * An escort asked for a booking already made: the booking marked (condition: still booked, no
 * escort yet), the resident still a verified member, and the escort's items, in one transaction.
 */
export async function askForBooking(a: AppointmentRecord, activity: EscortActivity, checkDueAt: Date, proxy?: readonly TransactItem[]): Promise<void> {
  await transact<EscortAskPart>({
    appointment: escortNoted(a, activity.id),
    membership: verifiedMember(a.communityId, a.userId),
    escort: escortAskItems(activity, checkDueAt),
    proxy,
  });
}

/** The escort cancelled with its appointment (a part of the cancel's transaction), with what the volunteer is owed. */
export function escortCancelItems(activityId: string, at: string, messages: readonly TransactPut[]): TransactItem[] {
  return [
    {
      Update: {
        TableName: table(),
        Key: activityKey(activityId),
        UpdateExpression: 'SET #status = :cancelled, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled', ':at': at },
      },
    },
    ...messages,
  ];
}

/** How the escort's appointment ended: a part of the no-show's or the completion's transaction. */
export function escortOutcomeItem(activityId: string, outcome: EscortOutcome, at: string): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: activityKey(activityId),
      UpdateExpression: 'SET #escort.outcome = :outcome, updatedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#escort': 'escort' },
      ExpressionAttributeValues: { ':outcome': outcome, ':at': at },
    },
  };
}

/** A community's escorts starting from an instant, by start (staff's list), a page at a time. */
export async function listEscorts(cid: string, fromUtc: string, options: { limit: number; cursor?: string; openOnly?: boolean }): Promise<Page<EscortActivity>> {
  const { items, next } = await filteredPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
      ...(options.openOnly ? { FilterExpression: '#status = :scheduled AND signedUp < #capacity', ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' } } : {}),
      // '~' sorts after every instant and id.
      ExpressionAttributeValues: { ':pk': communityEscorts(cid), ':from': fromUtc, ':to': '9999~', ...(options.openOnly ? { ':scheduled': 'scheduled' } : {}) },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<EscortActivity>(item)), next };
}

/** What the committee's figures read of an escort. */
export type EscortFigures = Pick<ActivityRecord, 'status' | 'matchedUserId' | 'unclaimedAt' | 'thanks'>;

/** Every escort of a community starting in [fromUtc, toUtc), only what the figures read (a month's are few). */
export async function escortsStartingIn(cid: string, range: { fromUtc: string; toUtc: string }): Promise<EscortFigures[]> {
  const items = await queryAll({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
    ProjectionExpression: '#status, matchedUserId, unclaimedAt, thanks',
    ExpressionAttributeNames: { '#status': 'status' },
    // Keys start with the instant: every key of the range sorts before the end instant itself.
    ExpressionAttributeValues: { ':pk': communityEscorts(cid), ':from': range.fromUtc, ':to': range.toUtc },
  });
  return items as EscortFigures[];
}

// ——— unclaimed checks (the bucket mechanism is store/reminders.ts) ————————————————

export const escortChecksIn = (bucket: string): Promise<EscortCheckRecord[]> => remindersInPartition<EscortCheckRecord>(checkPartition(bucket));
export const claimEscortCheck = (r: EscortCheckRecord, now: Date): Promise<boolean> => claimReminderAt(checkKey(r), now);
export const finishEscortCheck = (r: EscortCheckRecord, outcome: ReminderOutcome, now: Date): Promise<void> => finishReminderAt(checkKey(r), outcome, now);

/**
 * Flags an escort nobody took (无人认领) and writes the staff's messages, in one transaction,
 * only while nobody has signed up and it was never flagged: 'flagged', or 'not-due' when
 * someone took it, it was cancelled or it was flagged before.
 */
export async function flagUnclaimed(activityId: string, at: string, messages: readonly TransactPut[]): Promise<'flagged' | 'not-due'> {
  try {
    await transact({
      flag: {
        Update: {
          TableName: table(),
          Key: activityKey(activityId),
          UpdateExpression: 'SET unclaimedAt = :at',
          ConditionExpression: 'attribute_not_exists(unclaimedAt) AND #status = :scheduled AND signedUp = :zero',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':scheduled': 'scheduled', ':zero': 0 },
        },
      },
      messages,
    });
    return 'flagged';
  } catch (error) {
    if (isConditionFailed(error)) return 'not-due';
    throw error;
  }
}

/** The parts of a thanks: `thanks` fails when the escort was thanked already, `volunteer` when they left the roll. */
export type ThanksPart = 'thanks' | 'volunteer' | 'proxy';

/** The resident's thanks, once, counted in the volunteer's registration in the same transaction. */
export async function thank(
  activity: EscortActivity & { matchedUserId: string },
  thanks: { score: number; text?: string; at: string; by: string },
  proxy?: readonly TransactItem[],
): Promise<void> {
  await transact<ThanksPart>({
    thanks: {
      Update: {
        TableName: table(),
        Key: activityKey(activity.id),
        UpdateExpression: 'SET thanks = :thanks',
        ConditionExpression: 'attribute_not_exists(thanks) AND matchedUserId = :volunteer',
        ExpressionAttributeValues: { ':thanks': thanks, ':volunteer': activity.matchedUserId },
      },
    },
    volunteer: {
      Update: {
        TableName: table(),
        Key: volunteerKey(activity.communityId, activity.matchedUserId),
        UpdateExpression: 'ADD thanksCount :one, thanksScore :score',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1, ':score': thanks.score },
      },
    },
    proxy,
  });
}
