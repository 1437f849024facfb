/**
 * Topics (征): what residents propose and second. Access patterns:
 *  - a topic by id; a community's topics, open first and by support    → TOPIC#id / TOPIC; gsi2 COMMUNITY#cid#TOPICS
 *  - "this member seconded this topic" (once)                          → TOPIC#id / SUPPORT#uid
 *  - a member's topics proposed on one day (limit, TTL)               → USER#uid / TOPICS#date
 *
 * Named failures: `member` (not a verified member), `quota` (the day's topics are used up),
 * `support` (already seconded), `topic` (gone, or no longer open: its item, when it exists),
 * `contended` (its support kept moving under the act).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import { auditEntry } from '../audit';
import { isTransactionConflict, send } from '../client';
import { dailyQuotaExpiry, quotaTake } from '../quota';
import { countMatching, queryPage, stripKeys, table } from '../table';
import { ConditionFailed, isConditionFailed, transact, type TransactItem } from '../transaction';
import { pad, verifiedMemberPart } from './partition';

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

export type TopicFailure = 'member' | 'quota' | 'support' | 'topic' | 'contended';

const topicKey = (id: string) => ({ pk: `TOPIC#${id}`, sk: 'TOPIC' });
const topicsPartition = (cid: string) => `COMMUNITY#${cid}#TOPICS`;

/**
 * GSI2 of a topic: within a status, most support first when read backwards. The status leads,
 * and 'open' > 'closed' > 'adopted', so a backwards read of the whole partition shows open
 * topics first. The support in the key is rewritten by each support (optimistically, below).
 */
const topicSortKey = (t: Pick<TopicRecord, 'id' | 'status' | 'support' | 'createdAt'>) => `${t.status}#${pad(t.support, 8)}#${t.createdAt}#${t.id}`;

/** One item per member per community-local day, counting the topics they proposed; expires by TTL. */
const topicQuotaKey = (uid: string, date: string) => ({ pk: `USER#${uid}`, sk: `TOPICS#${date}` });
const topicSupportKey = (topicId: string, uid: string) => ({ pk: `TOPIC#${topicId}`, sk: `SUPPORT#${uid}` });

const supportPut = (topicId: string, uid: string, at: string): TransactItem => ({
  Put: { TableName: table(), Item: { ...topicSupportKey(topicId, uid), type: 'TopicSupport', at }, ConditionExpression: 'attribute_not_exists(pk)' },
});

/** The topic is gone, or no longer open (with the topic as it is). */
const notOpen = (topic: TopicRecord | undefined) => new ConditionFailed<TopicFailure>(['topic'], topic ? { topic: { ...topic } } : {});
const jitter = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));

/**
 * A new topic, seconded by its author in the same transaction (support starts at 1), with the
 * author's count of the (community-local) day: under `perDay`, or nothing is written.
 */
export async function createTopic(topic: TopicRecord, limit: { perDay: number; date: string }): Promise<TopicRecord> {
  await transact({
    member: verifiedMemberPart(topic.communityId, topic.authorId),
    quota: quotaTake(topicQuotaKey(topic.authorId, limit.date), 'TopicQuota', limit.perDay, dailyQuotaExpiry(topic.createdAt)),
    topic: {
      Put: {
        TableName: table(),
        Item: { ...topicKey(topic.id), gsi2pk: topicsPartition(topic.communityId), gsi2sk: topicSortKey(topic), type: 'Topic', ...topic },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    support: supportPut(topic.id, topic.authorId, topic.createdAt),
  });
  return topic;
}

export async function getTopic(id: string): Promise<TopicRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: topicKey(id), ConsistentRead: true }));
  return Item ? stripKeys<TopicRecord>(Item) : undefined;
}

export async function listTopics(cid: string, options: { status?: TopicStatus; limit: number; cursor?: string }): Promise<Page<TopicRecord>> {
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: options.status ? 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)' : 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': topicsPartition(cid), ...(options.status ? { ':prefix': `${options.status}#` } : {}) },
      ScanIndexForward: false,
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<TopicRecord>(item)), next };
}

/** Open topics of a community, counted (COUNT query on the index). */
export async function countOpenTopics(cid: string): Promise<number> {
  return countMatching({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
    ExpressionAttributeValues: { ':pk': topicsPartition(cid), ':prefix': 'open#' },
  });
}

/**
 * Moves an open topic to `next` (its support or its status changed, so its sort key too), on the
 * condition that its support is still the one read: the part for a transaction that changes it.
 */
function topicChange(current: TopicRecord, next: TopicRecord, set: string, values: Record<string, unknown>): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: topicKey(current.id),
      UpdateExpression: `SET ${set}, gsi2sk = :sk`,
      ConditionExpression: 'support = :old AND #status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...values, ':old': current.support, ':open': 'open', ':sk': topicSortKey(next) },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/**
 * Changes an open topic optimistically (its support moves its sort key): when another support or
 * close won the race, the cancelled transaction hands back the current topic and we go again.
 * A failure of any other part, a topic gone or no longer open, and 25 lost races end it.
 */
async function changeOpenTopic(
  topic: TopicRecord,
  attempt: (current: TopicRecord) => { next: TopicRecord; parts: Record<string, TransactItem | undefined> },
): Promise<TopicRecord> {
  let current = topic;
  for (let round = 0; round < 25; round++) {
    if (current.status !== 'open') throw notOpen(current);
    const { next, parts } = attempt(current);
    try {
      await transact<string>(parts);
      return next;
    } catch (error) {
      if (isTransactionConflict(error)) {
        await jitter(round);
        continue;
      }
      if (!isConditionFailed<TopicFailure>(error) || error.failed.some((name) => name !== 'topic')) throw error;
      const latest = error.item('topic');
      if (!latest) throw notOpen(undefined);
      current = stripKeys<TopicRecord>(latest);
      await jitter(round);
    }
  }
  throw new ConditionFailed<TopicFailure>(['contended']);
}

/**
 * Seconds a topic: the member's support item (once: attribute_not_exists), the counter, and the
 * sort key that orders topics by support, in one transaction (optimistic on the count read).
 */
export function supportTopic(topic: TopicRecord, uid: string, at: string): Promise<TopicRecord> {
  return changeOpenTopic(topic, (current) => {
    const next = { ...current, support: current.support + 1 };
    return {
      next,
      parts: {
        member: verifiedMemberPart(topic.communityId, uid),
        support: supportPut(topic.id, uid, at),
        topic: topicChange(current, next, 'support = :support', { ':support': next.support }),
      },
    };
  });
}

/**
 * Closes an open topic with a reply (optimistic on support, which moves the sort key), with its
 * audit entry (topic.close) in the same transaction.
 */
export function closeTopic(topic: TopicRecord, reply: string, act: { actorId: string; at: string }): Promise<TopicRecord> {
  const { at } = act;
  return changeOpenTopic(topic, (current) => {
    const next: TopicRecord = { ...current, status: 'closed', reply, closedAt: at };
    return {
      next,
      parts: {
        topic: topicChange(current, next, '#status = :closed, reply = :reply, closedAt = :at', { ':closed': 'closed', ':reply': reply, ':at': at }),
        audit: auditEntry({ communityId: topic.communityId, actorId: act.actorId, act: 'topic.close', subjectId: topic.id, detail: { title: topic.title }, at }),
      },
    };
  });
}

/**
 * The part that marks an open topic of the community adopted by a consultation (its failure:
 * `topic`). The support in the sort key may be one behind a concurrent support; adopted topics are
 * not ranked.
 */
export function adoptTopicPart(topic: TopicRecord, consultation: { id: string; communityId: string }): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: topicKey(topic.id),
      UpdateExpression: 'SET #status = :adopted, consultationId = :cid, gsi2sk = :sk',
      ConditionExpression: '#status = :open AND communityId = :community',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':adopted': 'adopted', ':cid': consultation.id, ':open': 'open', ':community': consultation.communityId,
        ':sk': topicSortKey({ ...topic, status: 'adopted' }),
      },
    },
  };
}
