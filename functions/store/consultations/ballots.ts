/**
 * Secret ballots: the counter shards and the "has voted" markers. Access patterns:
 *  - the tally: every counter shard of a consultation in ONE Query     → CONSULTATION#id / COUNT#00..15
 *  - "this voter (or household) has voted": the ballot's idempotency record, no choice
 *                                                                      → CONSULTATION#id / VOTED#U#uid | VOTED#H#household
 *
 * A ballot is ONE TransactWriteItems of three parts, all or nothing:
 *
 *   marker   Put    VOTED#U#uid | VOTED#H#门牌   attribute_not_exists   ← "has voted": receipt + hash of the
 *                                                                        Idempotency-Key + the day, never a
 *                                                                        choice, never a finer time
 *   member   Check  COMMUNITY#cid MEMBER#uid     verified (and 门牌 = h) ← eligibility, at the moment of the vote
 *   counter  Update CONSULTATION#id COUNT#nn     opensAt ≤ now < closesAt ← ADD ballots 1, o_<choice> 1, …;
 *                                                                        a random shard of 16, no voter on it
 *
 * So `ballots` (summed over shards) always equals the number of markers, a ballot can never
 * land outside the window, and no item holds a voter next to a choice. Nor next to a time that
 * could be lined up with a shard's change (a live read, a point-in-time restore): the marker keeps
 * only the day it was cast, and the shards keep no time of any vote. The window lives on each
 * shard (copied at creation; a consultation's times never change) rather than on the META item,
 * so votes never contend on one item: at 10,000 households in the last hour, contention is
 * spread over 16 shards, and the META item stays free for reads, the close snapshot and publish.
 */
import { randomInt } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Voter } from '../../domain/consultation-eligibility';
import { optionAttribute, SHARDS, type ShardCounts } from '../../domain/consultation-tally';
import { DEFAULT_TIMEZONE, instantOf, localDate } from '../../domain/time';
import { retryOnConflict, send } from '../client';
import { queryPage, stripKeys, table } from '../table';
import { ConditionFailed, isConditionFailed, transact, type TransactItem } from '../transaction';
import type { ConsultationRecord } from './consultations';
import { consultationPartition, pad, verifiedMemberPart } from './partition';

export interface MarkerRecord {
  voterId: string;
  receipt: string;
  /** sha256 of "<uid>#<Idempotency-Key>", when the request carried one. */
  keyHash?: string;
  /** The start of the day the ballot was cast (the consultation's time zone): the table keeps no finer time. */
  castAt: string;
}

/**
 * A ballot's named failures: `marker` (this voter or household has voted: the marker, as a
 * MarkerRecord, comes with it), `member` (not a verified member, or not of that household),
 * `counter` (outside the voting window).
 */
export type BallotFailure = 'marker' | 'member' | 'counter';

/** The marker as stored: `castOn` is the day (YYYY-MM-DD); the moment of the vote is never written. */
type StoredMarker = Omit<MarkerRecord, 'castAt'> & { castOn: string; castZone: string };

const storedMarker = (marker: MarkerRecord, timezone: string): StoredMarker => {
  const { castAt, ...rest } = marker;
  return { ...rest, castOn: localDate(new Date(castAt), timezone), castZone: timezone };
};

const markerOf = (item: Record<string, unknown>): MarkerRecord => {
  // A marker written before markers kept only the day still holds `castAt`: read as its day.
  const { castOn, castZone = DEFAULT_TIMEZONE, castAt, ...rest } = stripKeys<StoredMarker & { castAt?: string }>(item);
  const day = castOn ?? localDate(new Date(castAt ?? 0), castZone);
  return { ...rest, castAt: instantOf(day, '00:00', castZone).toISOString() };
};

/** Counter shards live under the consultation's pk, so one Query reads the whole tally. */
const counterKey = (consultationId: string, shard: number) => ({ pk: consultationPartition(consultationId), sk: `COUNT#${pad(shard, 2)}` });

const markerKey = (consultationId: string, voter: Voter) => ({
  pk: consultationPartition(consultationId),
  sk: voter.kind === 'household' ? `VOTED#H#${voter.household}` : `VOTED#U#${voter.userId}`,
});

/** A consultation's SHARDS counter items, each carrying the open window: for the transaction that creates it. */
export const counterPuts = (c: Pick<ConsultationRecord, 'id' | 'opensAtEpoch' | 'closesAtEpoch'>): TransactItem[] =>
  Array.from({ length: SHARDS }, (_, shard) => ({
    Put: {
      TableName: table(),
      Item: { ...counterKey(c.id, shard), type: 'BallotCounter', ballots: 0, opensAt: c.opensAtEpoch, closesAt: c.closesAtEpoch },
    },
  }));

/**
 * Casts a ballot (see the diagram at the top). A refused ballot throws `ConditionFailed<BallotFailure>`;
 * under `marker`, the voter's (or household's) marker as it stands, read from the cancelled
 * transaction (ReturnValuesOnConditionCheckFailure) without a second read.
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
}): Promise<{ receipt: string; castAt: string }> {
  const { consultation, voter } = input;
  const stored = storedMarker(input.marker, consultation.timezone);
  const names: Record<string, string> = {};
  const adds = input.choices.map((choice, i) => {
    names[`#o${i}`] = optionAttribute(choice);
    return `#o${i} :one`;
  });
  // A random shard: the hot spot of a closing vote is spread over SHARDS items.
  const shard = randomInt(SHARDS);
  try {
    // Two rounds of the transaction's own retries on conflict: the shards are contended at the close.
    await retryOnConflict(
      () =>
        transact<BallotFailure>({
          marker: {
            Put: {
              TableName: table(),
              Item: { ...markerKey(consultation.id, voter), type: 'VoterMarker', ...stored },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          member: verifiedMemberPart(consultation.communityId, input.userId, input.household),
          counter: {
            Update: {
              TableName: table(),
              Key: counterKey(consultation.id, shard),
              UpdateExpression: `ADD ballots :one, ${adds.join(', ')}`,
              ConditionExpression: 'opensAt <= :now AND closesAt > :now',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ':one': 1, ':now': input.nowEpoch },
            },
          },
        }),
      2,
    );
  } catch (error) {
    if (!isConditionFailed<BallotFailure>(error)) throw error;
    const old = error.item('marker');
    throw old ? new ConditionFailed<BallotFailure>(error.failed, { marker: { ...markerOf(old) } }) : error;
  }
  return markerOf(stored);
}

export async function getMarker(consultationId: string, voter: Voter): Promise<MarkerRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: markerKey(consultationId, voter), ConsistentRead: true }));
  return Item ? markerOf(Item) : undefined;
}

/** The whole tally: every counter shard of the consultation, in one Query (16 small items). */
export async function readCounters(consultationId: string): Promise<ShardCounts[]> {
  const { Items = [] } = await send<{ Items?: ShardCounts[] }>(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': consultationPartition(consultationId), ':prefix': 'COUNT#' },
      ConsistentRead: true,
    }),
  );
  return Items;
}

/** The voters of a consultation, a page at a time (to notify them): their ids only, no choice is near them. */
export async function listMarkers(consultationId: string, cursor?: string): Promise<{ items: Pick<MarkerRecord, 'voterId'>[]; next?: string }> {
  const { items, next } = await queryPage(
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': consultationPartition(consultationId), ':prefix': 'VOTED#' },
      ProjectionExpression: 'voterId',
    },
    cursor,
  );
  return { items: items.map((item) => ({ voterId: String(item.voterId) })), next };
}
