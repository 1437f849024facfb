/**
 * Topics, consultations, secret ballots and the discussion.
 *
 * A ballot is ONE TransactWriteItems of four items, all or nothing:
 *
 *   Put        VOTED#U#uid | VOTED#H#门牌   attribute_not_exists   ← "has voted": receipt + hash of the
 *                                                                     Idempotency-Key + the day, never a
 *                                                                     choice, never a finer time
 *   Check      COMMUNITY#cid MEMBER#uid     verified (and 门牌 = h) ← eligibility, at the moment of the vote
 *   Update     CONSULTATION#id COUNT#nn     opensAt ≤ now < closesAt ← ADD ballots 1, o_<choice> 1, …;
 *                                                                     a random shard of 16, no voter on it
 *
 * So `ballots` (summed over shards) always equals the number of markers, a ballot can never
 * land outside the window, and no item holds a voter next to a choice. Nor next to a time that
 * could be lined up with a shard's change (a live read, a point-in-time restore): the marker keeps
 * only the day it was cast, and the shards keep no time of any vote. The window lives on each
 * shard (copied at creation; a consultation's times never change) rather than on the META item,
 * so votes never contend on one item: at 10,000 households in the last hour, contention is
 * spread over 16 shards, and the META item stays free for reads, the close snapshot and publish.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AppError } from '@contract/errors';
import type { Page } from '@contract/common';
import type { Voter } from '../domain/consultation-eligibility';
import { optionAttribute, pickShard, SHARDS, type ShardCounts } from '../domain/consultation-tally';
import { bucketOf } from '../domain/reminders';
import { DEFAULT_TIMEZONE, instantOf, localDate } from '../domain/time';
import {
  ballotCounterKey,
  ballotCountersQuery,
  commentKey,
  commentRateKey,
  commentsQuery,
  communityConsultationsQuery,
  communityTopicsQuery,
  consultationCloseBucketQuery,
  consultationCloseKey,
  consultationIndexes,
  consultationKey,
  membershipKey,
  resultsNoticeKey,
  topicIndexes,
  topicKey,
  topicQuotaKey,
  topicSupportKey,
  voterMarkerKey,
  voterMarkersQuery,
} from './keys';
import { auditEntry } from './audit';
import { failedConditions, isConditionFailure, isTransactionConflict, retryOnConflict, send } from './client';
import type { TransactPut } from './outbox';
import { dailyQuotaExpiry, quotaTake } from './quota';
import { claimReminderAt, finishReminderAt, REMINDER_TTL_SECONDS, reminderPut, remindersInPartition, type ReminderOutcome } from './reminders';
import { countMatching, stripKeys, table, queryPage } from './table';

export type TopicStatus = 'open' | 'closed' | 'adopted';

export interface TopicRecord {
  id: string;
  communityId: string;
  title: string;
  body: string;
  support: number;
  status: TopicStatus;
  reply?: string;
  consultationId?: string;
  authorId: string;
  authorName?: string;
  timezone: string;
  createdAt: string;
  closedAt?: string;
}

export interface ConsultationRecord {
  id: string;
  communityId: string;
  title: string;
  body: string;
  options: { id: string; label: string }[];
  maxChoices: number;
  eligibility: 'resident' | 'household';
  /** ISO instants (UTC), and the same as epoch milliseconds, which the ballot condition compares. */
  opensAt: string;
  closesAt: string;
  opensAtEpoch: number;
  closesAtEpoch: number;
  quorumPercent?: number;
  topicId?: string;
  timezone: string;
  createdAt: string;
  createdBy: string;
  decision?: string;
  publishedAt?: string;
  updates?: { text: string; at: string }[];
  /** Verified members (or households) at the close: set once, at the first read after it. */
  eligibleAtClose?: number;
}

export interface MarkerRecord {
  voterId: string;
  receipt: string;
  /** sha256 of "<uid>#<Idempotency-Key>", when the request carried one. */
  keyHash?: string;
  /** The start of the day the ballot was cast (the consultation's time zone): the table keeps no finer time. */
  castAt: string;
}

/** The marker as stored: `castOn` is the day (YYYY-MM-DD); the moment of the vote is never written. */
type StoredMarker = Omit<MarkerRecord, 'castAt'> & { castOn: string; castZone: string };

const storedMarker = (marker: MarkerRecord, timezone: string): StoredMarker => {
  const { castAt, ...rest } = marker;
  return { ...rest, castOn: localDate(new Date(castAt), timezone), castZone: timezone };
};

const markerOf = (item: Item): MarkerRecord => {
  // A marker written before markers kept only the day still holds `castAt`: read as its day.
  const { castOn, castZone = DEFAULT_TIMEZONE, castAt, ...rest } = stripKeys<StoredMarker & { castAt?: string }>(item);
  const day = castOn ?? localDate(new Date(castAt ?? 0), castZone);
  return { ...rest, castAt: instantOf(day, '00:00', castZone).toISOString() };
};

export interface CommentRecord {
  id: string;
  consultationId: string;
  communityId: string;
  authorId: string;
  authorName?: string;
  /** The author was the community's staff when writing it. */
  byStaff?: boolean;
  text: string;
  hidden: boolean;
  hiddenReason?: string;
  hiddenBy?: string;
  hiddenAt?: string;
  createdAt: string;
}

type Item = Record<string, unknown>;

/** The item of a failed condition, when the write asked for it (ReturnValuesOnConditionCheckFailure). */
function cancelledItem(error: unknown, index: number): Item | undefined {
  const reasons = (error as { CancellationReasons?: { Item?: Parameters<typeof unmarshall>[0] }[] }).CancellationReasons;
  const raw = reasons?.[index]?.Item;
  return raw ? unmarshall(raw) : undefined;
}

const verifiedMemberCheck = (cid: string, uid: string, household?: string) => ({
  ConditionCheck: {
    TableName: table(),
    Key: membershipKey(cid, uid),
    ConditionExpression: household ? 'verified = :true AND household = :household' : 'verified = :true',
    ExpressionAttributeValues: { ':true': true, ...(household ? { ':household': household } : {}) },
  },
});

/** Still the community's staff: a reply written as staff is refused once the role was taken away. */
const staffMemberCheck = (cid: string, uid: string) => ({
  ConditionCheck: {
    TableName: table(),
    Key: membershipKey(cid, uid),
    ConditionExpression: '#role = :staff',
    ExpressionAttributeNames: { '#role': 'role' },
    ExpressionAttributeValues: { ':staff': 'staff' },
  },
});

// ─── Topics ────────────────────────────────────────────────────────────────────────────────

export const topicLimit = (perDay: number) =>
  new AppError('TOPIC_LIMIT', `每人每天最多提出 ${perDay} 个议题，今天已达上限，明天 0 点后可再提出`, { details: { perDay } });

/**
 * A new topic, seconded by its author in the same transaction (support starts at 1), with the
 * author's count of the (community-local) day: under `perDay`, or nothing is written.
 */
export async function createTopic(topic: TopicRecord, limit: { perDay: number; date: string }): Promise<TopicRecord> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          verifiedMemberCheck(topic.communityId, topic.authorId),
          quotaTake(topicQuotaKey(topic.authorId, limit.date), 'TopicQuota', limit.perDay, dailyQuotaExpiry(topic.createdAt)),
          {
            Put: {
              TableName: table(),
              Item: { ...topicKey(topic.id), ...topicIndexes(topic.communityId, topic), type: 'Topic', ...topic },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...topicSupportKey(topic.id, topic.authorId), type: 'TopicSupport', at: topic.createdAt },
            },
          },
        ],
      }),
    );
    return topic;
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw new AppError('FORBIDDEN', '仅限本社区已核实的居民提出议题');
    if (failed?.includes(1)) throw topicLimit(limit.perDay);
    throw error;
  }
}

export async function getTopic(id: string): Promise<TopicRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: topicKey(id), ConsistentRead: true }));
  return Item ? stripKeys<TopicRecord>(Item) : undefined;
}

export async function listTopics(cid: string, options: { status?: TopicStatus; limit: number; cursor?: string }): Promise<Page<TopicRecord>> {
  const q = communityTopicsQuery(cid, options.status);
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: q.gsi2skPrefix ? 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)' : 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': q.gsi2pk, ...(q.gsi2skPrefix ? { ':prefix': q.gsi2skPrefix } : {}) },
      ScanIndexForward: false,
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<TopicRecord>(item)), next };
}

/** Open topics of a community, counted (COUNT query on the index). */
export async function countOpenTopics(cid: string): Promise<number> {
  const q = communityTopicsQuery(cid, 'open');
  return countMatching({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.gsi2pk, ':prefix': q.gsi2skPrefix },
  });
}

/**
 * Seconds a topic: the member's support item (once: attribute_not_exists), the counter, and the
 * sort key that orders topics by support, in one transaction. The sort key needs the new count,
 * so the update is optimistic (support = the count we read); when another support won the race,
 * the cancelled transaction hands back the current topic and we go again.
 */
export async function supportTopic(topic: TopicRecord, uid: string, at: string): Promise<TopicRecord> {
  let current = topic;
  for (let attempt = 0; attempt < 25; attempt++) {
    if (current.status !== 'open') throw new AppError('STATE_CONFLICT', '该议题已关闭或已转为协商，不能再附议');
    const support = current.support + 1;
    const next = { ...current, support };
    try {
      await retryOnConflict(() =>
        send(
          new TransactWriteCommand({
            TransactItems: [
              verifiedMemberCheck(topic.communityId, uid),
              {
                Put: {
                  TableName: table(),
                  Item: { ...topicSupportKey(topic.id, uid), type: 'TopicSupport', at },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: table(),
                  Key: topicKey(topic.id),
                  UpdateExpression: 'SET support = :support, gsi2sk = :sk',
                  ConditionExpression: 'support = :old AND #status = :open',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':support': support, ':old': current.support, ':open': 'open', ':sk': topicIndexes(topic.communityId, next).gsi2sk,
                  },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
            ],
          }),
        ),
      );
      return next;
    } catch (error) {
      const failed = failedConditions(error);
      if (!failed?.length) throw error;
      if (failed.includes(0)) throw new AppError('FORBIDDEN', '仅限本社区已核实的居民附议');
      if (failed.includes(1)) throw new AppError('ALREADY_SUPPORTED');
      const latest = cancelledItem(error, 2);
      if (!latest) throw new AppError('NOT_FOUND', '议题不存在');
      current = stripKeys<TopicRecord>(latest);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
    }
  }
  throw new AppError('UNAVAILABLE', '附议的人太多，请稍后再试', { retryAfter: 1 });
}

/**
 * Closes an open topic with a reply (optimistic on support, which moves the sort key), with its
 * audit entry (topic.close) in the same transaction.
 */
export async function closeTopic(topic: TopicRecord, reply: string, act: { actorId: string; at: string }): Promise<TopicRecord> {
  const { at } = act;
  let current = topic;
  for (let attempt = 0; attempt < 25; attempt++) {
    if (current.status !== 'open') throw new AppError('STATE_CONFLICT', '该议题已关闭或已转为协商');
    const next: TopicRecord = { ...current, status: 'closed', reply, closedAt: at };
    try {
      await send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: topicKey(topic.id),
                UpdateExpression: 'SET #status = :closed, reply = :reply, closedAt = :at, gsi2sk = :sk',
                ConditionExpression: 'support = :old AND #status = :open',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':closed': 'closed', ':reply': reply, ':at': at, ':old': current.support, ':open': 'open', ':sk': topicIndexes(topic.communityId, next).gsi2sk,
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            auditEntry({ communityId: topic.communityId, actorId: act.actorId, act: 'topic.close', subjectId: topic.id, detail: { title: topic.title }, at }),
          ],
        }),
      );
      return next;
    } catch (error) {
      // A supporter (or another close) moved the topic meanwhile: read it from the refusal and try again.
      if (isTransactionConflict(error)) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
        continue;
      }
      if (!failedConditions(error)?.includes(0)) throw error;
      const latest = cancelledItem(error, 0);
      if (!latest) throw new AppError('NOT_FOUND', '议题不存在');
      current = stripKeys<TopicRecord>(latest);
    }
  }
  throw new AppError('UNAVAILABLE', undefined, { retryAfter: 1 });
}

// ─── Consultations ─────────────────────────────────────────────────────────────────────────

/**
 * A consultation, its SHARDS counter items (each carrying the open window), when it comes from a
 * topic the topic marked adopted, and its closing item (the results notice's to-do, in the
 * close's 10-minute bucket): one transaction (1 + 16 + 1 + 1 items, under the 100 limit).
 */
export async function createConsultation(c: ConsultationRecord, topic?: TopicRecord): Promise<ConsultationRecord> {
  const shards = Array.from({ length: SHARDS }, (_, shard) => ({
    Put: {
      TableName: table(),
      Item: {
        ...ballotCounterKey(c.id, shard),
        type: 'BallotCounter',
        ballots: 0,
        opensAt: c.opensAtEpoch,
        closesAt: c.closesAtEpoch,
      },
    },
  }));
  const adopt = topic
    ? [
        {
          Update: {
            TableName: table(),
            Key: topicKey(topic.id),
            UpdateExpression: 'SET #status = :adopted, consultationId = :cid, gsi2sk = :sk',
            ConditionExpression: '#status = :open AND communityId = :community',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':adopted': 'adopted', ':cid': c.id, ':open': 'open', ':community': c.communityId,
              // The support in the key may be one behind a concurrent support; adopted topics are not ranked.
              ':sk': topicIndexes(c.communityId, { ...topic, status: 'adopted' }).gsi2sk,
            },
          },
        },
      ]
    : [];
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: { ...consultationKey(c.id), ...consultationIndexes(c.communityId, c), type: 'Consultation', ...c },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...shards,
          ...adopt,
          { Put: closingPut(c) },
        ],
      }),
    );
    return c;
  } catch (error) {
    if (failedConditions(error)?.includes(SHARDS + 1)) throw new AppError('STATE_CONFLICT', '该议题已关闭或已转为协商');
    throw error;
  }
}

/** The closing item of a consultation: due at the close, expiring (TTL) a week after it. */
function closingPut(c: ConsultationRecord) {
  const closesAt = new Date(c.closesAtEpoch);
  const bucket = bucketOf(closesAt);
  return reminderPut(consultationCloseKey(bucket, c.id), closesAt, { type: 'ConsultationClose', consultationId: c.id, bucket });
}

export async function getConsultation(id: string): Promise<ConsultationRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: consultationKey(id), ConsistentRead: true }));
  return Item ? stripKeys<ConsultationRecord>(Item) : undefined;
}

export type StateFilter = 'upcoming' | 'open' | 'closed' | 'published';

export async function listConsultations(
  cid: string,
  options: { state?: StateFilter; nowEpoch: number; limit: number; cursor?: string },
): Promise<Page<ConsultationRecord>> {
  const filters: Record<StateFilter, string> = {
    upcoming: 'opensAtEpoch > :now AND attribute_not_exists(publishedAt)',
    open: 'opensAtEpoch <= :now AND closesAtEpoch > :now AND attribute_not_exists(publishedAt)',
    closed: 'closesAtEpoch <= :now AND attribute_not_exists(publishedAt)',
    published: 'attribute_exists(publishedAt)',
  };
  const filter = options.state ? filters[options.state] : undefined;
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: {
        ':pk': communityConsultationsQuery(cid).gsi2pk,
        ...(filter && filter.includes(':now') ? { ':now': options.nowEpoch } : {}),
      },
      ...(filter ? { FilterExpression: filter } : {}),
      ScanIndexForward: false,
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<ConsultationRecord>(item)), next };
}

/**
 * Casts a ballot (see the diagram at the top). A retry with the same Idempotency-Key finds its
 * own marker in the cancelled transaction (ReturnValuesOnConditionCheckFailure) and gets the
 * same receipt back without a second read; any other second ballot is ALREADY_VOTED.
 */
export async function castBallot(input: {
  consultation: Pick<ConsultationRecord, 'id' | 'communityId' | 'timezone'>;
  voter: Voter;
  userId: string;
  /** Required to match the membership under `household` (the 门牌 the marker is keyed by). */
  household?: string;
  choices: readonly string[];
  marker: MarkerRecord;
  nowEpoch: number;
}): Promise<{ receipt: string; castAt: string; replayed: boolean }> {
  const { consultation, voter } = input;
  const stored = storedMarker(input.marker, consultation.timezone);
  const marker = markerOf(stored);
  const names: Record<string, string> = {};
  const adds = input.choices.map((choice, i) => {
    names[`#o${i}`] = optionAttribute(choice);
    return `#o${i} :one`;
  });
  const shard = pickShard();
  try {
    await retryOnConflict(
      () =>
        send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table(),
                  Item: { ...voterMarkerKey(consultation.id, voter), type: 'VoterMarker', ...stored },
                  ConditionExpression: 'attribute_not_exists(pk)',
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
              verifiedMemberCheck(consultation.communityId, input.userId, input.household),
              {
                Update: {
                  TableName: table(),
                  Key: ballotCounterKey(consultation.id, shard),
                  UpdateExpression: `ADD ballots :one, ${adds.join(', ')}`,
                  ConditionExpression: 'opensAt <= :now AND closesAt > :now',
                  ExpressionAttributeNames: names,
                  ExpressionAttributeValues: { ':one': 1, ':now': input.nowEpoch },
                },
              },
            ],
          }),
        ),
      12,
    );
    return { receipt: marker.receipt, castAt: marker.castAt, replayed: false };
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed?.length) throw error;
    if (failed.includes(0)) {
      const old = cancelledItem(error, 0);
      const existing = old ? markerOf(old) : undefined;
      if (existing && marker.keyHash && existing.keyHash === marker.keyHash && existing.voterId === input.userId) {
        return { receipt: existing.receipt, castAt: existing.castAt, replayed: true };
      }
      throw new AppError('ALREADY_VOTED', voter.kind === 'household' && existing?.voterId !== input.userId ? '本次为一户一票，您家已有成员投票' : undefined);
    }
    if (failed.includes(1)) throw new AppError('NOT_ELIGIBLE', '仅限本社区已核实的居民投票');
    throw new AppError('NOT_OPEN');
  }
}

export async function getMarker(consultationId: string, voter: Voter): Promise<MarkerRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(
    new GetCommand({ TableName: table(), Key: voterMarkerKey(consultationId, voter), ConsistentRead: true }),
  );
  return Item ? markerOf(Item) : undefined;
}

/** The whole tally: every counter shard of the consultation, in one Query (16 small items). */
export async function readCounters(consultationId: string): Promise<ShardCounts[]> {
  const q = ballotCountersQuery(consultationId);
  const { Items = [] } = await send<{ Items?: Item[] }>(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
      ConsistentRead: true,
    }),
  );
  return Items as ShardCounts[];
}

/**
 * The eligible count at the close, set once (if_not_exists) at the first read after the close:
 * concurrent first readers agree on whichever value landed first.
 */
export async function snapshotEligible(consultationId: string, eligible: number): Promise<number> {
  const { Attributes } = await send<{ Attributes?: Item }>(
    new UpdateCommand({
      TableName: table(),
      Key: consultationKey(consultationId),
      UpdateExpression: 'SET eligibleAtClose = if_not_exists(eligibleAtClose, :n)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':n': eligible },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.eligibleAtClose ?? eligible);
}

/**
 * The messages a change owes (outbox Puts), written in the change's own transaction so both
 * commit or neither, and the consultation as read before the change (a transaction returns no
 * item: the result is built from it).
 */
export interface OwedMessages {
  messages: readonly TransactPut[];
  current: ConsultationRecord;
}

/**
 * Publishes the decision, once, and only after the close: one transaction with its audit entry
 * (decision.publish) and its messages.
 */
export async function publish(
  consultationId: string,
  decision: string,
  act: { actorId: string; at: string },
  nowEpoch: number,
  owed: OwedMessages,
): Promise<ConsultationRecord> {
  const { at } = act;
  const update = {
    TableName: table(),
    Key: consultationKey(consultationId),
    UpdateExpression: 'SET decision = :decision, publishedAt = :at',
    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(publishedAt) AND closesAtEpoch <= :now',
    ExpressionAttributeValues: { ':decision': decision, ':at': at, ':now': nowEpoch },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  const refused = (raw: Item | undefined): AppError => {
    const old = raw ? stripKeys<ConsultationRecord>(raw) : undefined;
    if (!old) return new AppError('NOT_FOUND', '协商不存在');
    if (old.publishedAt) return new AppError('STATE_CONFLICT', '该协商的决定已公开');
    return new AppError('NOT_CLOSED');
  };
  const audit = auditEntry({
    communityId: owed.current.communityId, actorId: act.actorId, act: 'decision.publish', subjectId: consultationId,
    detail: { title: owed.current.title }, at,
  });
  try {
    await retryOnConflict(() => send(new TransactWriteCommand({ TransactItems: [{ Update: update }, audit, ...owed.messages] })));
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw refused(cancelledItem(error, 0));
    if (failed?.length) throw new AppError('STATE_CONFLICT', '该协商的决定已公开');
    throw error;
  }
  // The condition held: it was unpublished, and the decision is all that changed.
  return { ...owed.current, decision, publishedAt: at };
}

/**
 * Adds an implementation update to a published decision; with its messages, one transaction
 * (without, one UpdateItem). With messages, an update another staff member adds at the same
 * moment is missing from the result (it shows at the next read).
 */
export async function addUpdate(consultationId: string, update: { text: string; at: string }, owed?: OwedMessages): Promise<ConsultationRecord> {
  const change = {
    TableName: table(),
    Key: consultationKey(consultationId),
    UpdateExpression: 'SET updates = list_append(if_not_exists(updates, :empty), :update)',
    ConditionExpression: 'attribute_exists(publishedAt)',
    ExpressionAttributeValues: { ':empty': [], ':update': [update] },
  };
  const refused = new AppError('STATE_CONFLICT', '决定公开后才能发布落实情况');
  if (!owed?.messages.length) {
    try {
      const { Attributes } = await send<{ Attributes?: Item }>(new UpdateCommand({ ...change, ReturnValues: 'ALL_NEW' }));
      return stripKeys<ConsultationRecord>(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) throw refused;
      throw error;
    }
  }
  try {
    await send(new TransactWriteCommand({ TransactItems: [{ Update: change }, ...owed.messages] }));
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw refused;
    if (failed?.length) throw new AppError('STATE_CONFLICT', '该落实情况已发布');
    throw error;
  }
  return { ...owed.current, updates: [...(owed.current.updates ?? []), update] };
}

/** Voter markers of a consultation, a page at a time (to notify participants; no choice in them). */
export async function listMarkers(consultationId: string, cursor?: Item): Promise<{ items: MarkerRecord[]; next?: Item }> {
  const q = voterMarkersQuery(consultationId);
  const { Items = [], LastEvaluatedKey } = await send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
      ProjectionExpression: 'voterId',
      ExclusiveStartKey: cursor,
    }),
  );
  return { items: Items as unknown as MarkerRecord[], next: LastEvaluatedKey };
}

// ─── Results notices (scheduled, at the close) ─────────────────────────────────────────────

export interface ClosingRecord {
  consultationId: string;
  bucket: string;
  dueAt: string;
  sentAt?: string;
}

export const closingsIn = (bucket: string): Promise<ClosingRecord[]> => remindersInPartition<ClosingRecord>(consultationCloseBucketQuery(bucket).pk);

/** Claims a consultation's results notice for one run (a conditional update; the claim lapses after a minute). */
export const claimClosing = (c: ClosingRecord, now: Date): Promise<boolean> => claimReminderAt(consultationCloseKey(c.bucket, c.consultationId), now);

/** 'sent' when every voter was handled; 'retry' releases the claim for a later run. */
export const finishClosing = (c: ClosingRecord, outcome: ReminderOutcome, now: Date): Promise<void> =>
  finishReminderAt(consultationCloseKey(c.bucket, c.consultationId), outcome, now);

/**
 * Claims the results notice of one voter (their user id only): true when this run may send it.
 * Once sent (or refused) it is never claimed again; a failed send's claim is released, and a
 * crashed run's lapses after a minute.
 */
export async function claimResultsNotice(consultationId: string, uid: string, now: Date): Promise<boolean> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await send(
      new PutCommand({
        TableName: table(),
        Item: { ...resultsNoticeKey(consultationId, uid), type: 'ResultsNotice', claimedUntil: nowSeconds + 60, expiresAt: nowSeconds + REMINDER_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(sentAt) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now))',
        ExpressionAttributeValues: { ':now': nowSeconds },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** A voter's notice ends as any claimed reminder does (its claim differs: the item is created by it). */
export const finishResultsNotice = (consultationId: string, uid: string, outcome: ReminderOutcome, now: Date): Promise<void> =>
  finishReminderAt(resultsNoticeKey(consultationId, uid), outcome, now);

// ─── Discussion ────────────────────────────────────────────────────────────────────────────

/**
 * A comment: the author's verified membership, the per-minute counter (at most `perMinute`,
 * expiring by TTL) and the comment, in one transaction.
 */
export async function createComment(comment: CommentRecord, limit: { minute: number; perMinute: number; nowEpoch: number }): Promise<CommentRecord> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          comment.byStaff ? staffMemberCheck(comment.communityId, comment.authorId) : verifiedMemberCheck(comment.communityId, comment.authorId),
          {
            Update: {
              TableName: table(),
              Key: commentRateKey(comment.authorId, limit.minute),
              UpdateExpression: 'SET #type = :type, expiresAt = :expires ADD n :one',
              ConditionExpression: 'attribute_not_exists(n) OR n < :max',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: { ':type': 'CommentRate', ':expires': (limit.minute + 2) * 60, ':one': 1, ':max': limit.perMinute },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...commentKey(comment.consultationId, comment.id), type: 'Comment', ...comment },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return comment;
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw new AppError('FORBIDDEN', '仅限本社区已核实的居民和工作人员发表意见');
    if (failed?.includes(1)) throw new AppError('RATE_LIMITED', '发言太频繁，请稍后再试', { retryAfter: Math.max(1, (limit.minute + 1) * 60 - limit.nowEpoch) });
    throw error;
  }
}

export async function listComments(consultationId: string, options: { limit: number; cursor?: string }): Promise<Page<CommentRecord>> {
  const q = commentsQuery(consultationId);
  const { items, next } = await queryPage(
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<CommentRecord>(item)), next };
}

export async function getComment(consultationId: string, commentId: string): Promise<CommentRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: commentKey(consultationId, commentId), ConsistentRead: true }));
  return Item ? stripKeys<CommentRecord>(Item) : undefined;
}

/** Hides a comment (read by the caller) with its audit entry (comment.hide), one transaction. */
export async function hideComment(comment: CommentRecord, reason: string, by: string, at: string): Promise<CommentRecord> {
  try {
    await retryOnConflict(() =>
      send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: commentKey(comment.consultationId, comment.id),
                UpdateExpression: 'SET #hidden = :true, hiddenReason = :reason, hiddenBy = :by, hiddenAt = :at',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: { '#hidden': 'hidden' },
                ExpressionAttributeValues: { ':true': true, ':reason': reason, ':by': by, ':at': at },
              },
            },
            auditEntry({ communityId: comment.communityId, actorId: by, act: 'comment.hide', subjectId: comment.id, detail: { reason }, at }),
          ],
        }),
      ),
    );
    // Comments never change but for hiding, so the read one plus this change is the stored one.
    return { ...comment, hidden: true, hiddenReason: reason, hiddenBy: by, hiddenAt: at };
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw new AppError('NOT_FOUND', '意见不存在');
    throw error;
  }
}
