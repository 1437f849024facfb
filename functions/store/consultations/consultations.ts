/**
 * Consultations (决, 两公开): the META item. Access patterns:
 *  - a consultation by id; a community's consultations, newest first   → CONSULTATION#id / META; gsi2 COMMUNITY#cid#CONSULTATIONS
 *
 * Named failures: `topic` (the topic it adopts is no longer open), `consultation` (gone, not yet
 * closed, already published, or not yet published for an update: its item, when the part asked
 * for it), `messages` (a message or notice it owes exists already: the act was done).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import { auditEntry } from '../audit';
import { send } from '../client';
import type { TransactPut } from '../outbox';
import { queryPage, stripKeys, table } from '../table';
import { conditional, transact } from '../transaction';
import { counterPuts } from './ballots';
import { consultationPartition } from './partition';
import { closingPut } from './results-notices';
import { adoptTopicPart, type TopicRecord } from './topics';

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

export type ConsultationFailure = 'topic' | 'consultation' | 'messages';

const consultationKey = (id: string) => ({ pk: consultationPartition(id), sk: 'META' });
const consultationsPartition = (cid: string) => `COMMUNITY#${cid}#CONSULTATIONS`;

/**
 * A consultation, its SHARDS counter items (each carrying the open window), when it comes from a
 * topic the topic marked adopted, and its closing item (the results notice's to-do, in the
 * close's 10-minute bucket): one transaction (1 + 16 + 1 + 1 items, under the 100 limit).
 */
export async function createConsultation(c: ConsultationRecord, topic?: TopicRecord): Promise<ConsultationRecord> {
  await transact({
    consultation: {
      Put: {
        TableName: table(),
        // GSI2: the community's consultations by opening time (read backwards: newest first).
        Item: { ...consultationKey(c.id), gsi2pk: consultationsPartition(c.communityId), gsi2sk: `${c.opensAt}#${c.id}`, type: 'Consultation', ...c },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    counters: counterPuts(c),
    topic: topic ? adoptTopicPart(topic, c) : undefined,
    closing: closingPut(c),
  });
  return c;
}

export async function getConsultation(id: string): Promise<ConsultationRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: consultationKey(id), ConsistentRead: true }));
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
        ':pk': consultationsPartition(cid),
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
 * The eligible count at the close, set once (if_not_exists) at the first read after the close:
 * concurrent first readers agree on whichever value landed first.
 */
export async function snapshotEligible(consultationId: string, eligible: number): Promise<number> {
  const { Attributes } = await send<{ Attributes?: Partial<ConsultationRecord> }>(
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
 * The messages a change owes (outbox Puts, and the notice that tells it), written in the change's
 * own transaction so both commit or neither, and the consultation as read before the change (a
 * transaction returns no item: the result is built from it).
 */
export interface OwedMessages {
  messages: readonly TransactPut[];
  current: ConsultationRecord;
}

/**
 * Publishes the decision, once, and only after the close: one transaction with its audit entry
 * (decision.publish) and its messages. Under `consultation`, the consultation as it was (none:
 * it does not exist).
 */
export async function publish(
  consultationId: string,
  decision: string,
  act: { actorId: string; at: string },
  nowEpoch: number,
  owed: OwedMessages,
): Promise<ConsultationRecord> {
  const { at } = act;
  await transact({
    consultation: {
      Update: {
        TableName: table(),
        Key: consultationKey(consultationId),
        UpdateExpression: 'SET decision = :decision, publishedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(publishedAt) AND closesAtEpoch <= :now',
        ExpressionAttributeValues: { ':decision': decision, ':at': at, ':now': nowEpoch },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    audit: auditEntry({
      communityId: owed.current.communityId, actorId: act.actorId, act: 'decision.publish', subjectId: consultationId,
      detail: { title: owed.current.title }, at,
    }),
    messages: owed.messages,
  });
  // The condition held: it was unpublished, and the decision is all that changed.
  return { ...owed.current, decision, publishedAt: at };
}

/**
 * Adds an implementation update to a published decision (`consultation` fails before); with its
 * messages, one transaction (without, one UpdateItem). With messages, an update another staff
 * member adds at the same moment is missing from the result (it shows at the next read).
 */
export async function addUpdate(consultationId: string, update: { text: string; at: string }, owed?: OwedMessages): Promise<ConsultationRecord> {
  const change = {
    TableName: table(),
    Key: consultationKey(consultationId),
    UpdateExpression: 'SET updates = list_append(if_not_exists(updates, :empty), :update)',
    ConditionExpression: 'attribute_exists(publishedAt)',
    ExpressionAttributeValues: { ':empty': [], ':update': [update] },
  };
  if (!owed?.messages.length) {
    const { Attributes } = await conditional<ConsultationFailure, { Attributes?: Record<string, unknown> }>(
      'consultation',
      new UpdateCommand({ ...change, ReturnValues: 'ALL_NEW' }),
    );
    return stripKeys<ConsultationRecord>(Attributes ?? {});
  }
  await transact({ consultation: { Update: change }, messages: owed.messages });
  return { ...owed.current, updates: [...(owed.current.updates ?? []), update] };
}
