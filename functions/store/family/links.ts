/**
 * Family proxy links (亲情代办) and the elder's count of active ones.
 *
 * | item        | pk         | sk            | gsi1 (by user)           |
 * |-------------|------------|---------------|--------------------------|
 * | FamilyLink  | USER#elder | PROXY#proxy   | USER#proxy / ELDER#elder |
 * | ProxyCount  | USER#elder | PROXIES       |                          |
 *
 * The elder's family is a Query of the elder's partition (begins_with PROXY#), the proxy's elders
 * a Query of gsi1. Every invariant is a condition of the write that could break it:
 *  - a link code is used once: the claim spends it (codes.ts) in the transaction that writes the link;
 *  - at most MAX_PROXIES active links per elder: the count is taken by the transaction that makes a
 *    link active and given back by the end of an active link;
 *  - an act as proxy commits only while the link is active: `actingGuard` is a ConditionCheck on
 *    the link plus the act's audit entry, a part (`proxy`) of the act's own transaction.
 *
 * The acts fail by part name: `code` (spent or expired), `link` (a live link exists already, or the
 * link is no longer in the status it was read in), `place` (the elder has MAX_PROXIES), `issuer`
 * (the counter code's issuer is no longer staff).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_PROXIES, type LinkStatus } from '@contract/family';
import { auditEntry } from '../audit';
import { send } from '../client';
import { staffMembershipCheck } from '../identity';
import { quotaRelease, quotaTake } from '../quota';
import { queryAll, stripKeys, table, userItems } from '../table';
import { transact, type TransactItem } from '../transaction';
import { codeSpent, type LinkCodeRecord } from './codes';

export interface FamilyLinkRecord {
  elderId: string;
  proxyId: string;
  communityId: string;
  status: LinkStatus;
  via: 'code' | 'counter';
  createdAt: string;
  confirmedAt?: string;
  confirmedBy?: string;
  endedAt?: string;
  endedBy?: string;
}

export type LinkPart = 'code' | 'link' | 'place' | 'audit' | 'issuer';

type Sides = Pick<FamilyLinkRecord, 'elderId' | 'proxyId'>;
const userPartition = (uid: string) => `USER#${uid}`;
const linkKey = (link: Sides) => ({ pk: userPartition(link.elderId), sk: `PROXY#${link.proxyId}` });
const proxyCountKey = (elderId: string) => ({ pk: userPartition(elderId), sk: 'PROXIES' });

// ── parts ───────────────────────────────────────────────────────────────────

/** A link item may be written afresh when none exists or the last one between the two has ended. */
const linkPut = (link: FamilyLinkRecord): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...linkKey(link), gsi1pk: userPartition(link.proxyId), gsi1sk: `ELDER#${link.elderId}`, type: 'FamilyLink', ...link },
    ConditionExpression: 'attribute_not_exists(pk) OR #status = :ended',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':ended': 'ended' },
  },
});

/** The link moved on from the status it was read in (`from`), with the fields the move sets. */
function linkMoved(link: FamilyLinkRecord, from: LinkStatus, to: LinkStatus, set: { at: string; by: string; atName: string; byName: string }): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: linkKey(link),
      UpdateExpression: `SET #status = :to, ${set.atName} = :at, ${set.byName} = :by`,
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':to': to, ':from': from, ':at': set.at, ':by': set.by },
    },
  };
}

const placeTaken = (elderId: string): TransactItem => quotaTake(proxyCountKey(elderId), 'ProxyCount', MAX_PROXIES);

const linkAudit = (link: FamilyLinkRecord, actorId: string, at: string): TransactItem =>
  auditEntry({ communityId: link.communityId, actorId, act: 'family.link', subjectId: link.elderId, detail: { proxyId: link.proxyId, via: link.via }, at });

// ── acts ────────────────────────────────────────────────────────────────────

/**
 * The code is spent and the link written together: two claims of one code leave one link. A code
 * staff made at the counter writes the link active, taking one of the elder's three places, with
 * the audit entry in the staff member's name; such a code stands for its issuer's check of both
 * people, so it dies with their staff role (`issuer`).
 */
export async function claimLinkCode(code: LinkCodeRecord, link: FamilyLinkRecord, now: Date): Promise<void> {
  const active = link.status === 'active';
  await transact<LinkPart>({
    code: codeSpent(code.code, now),
    link: linkPut(link),
    place: active ? placeTaken(link.elderId) : undefined,
    audit: active ? linkAudit(link, code.issuedBy ?? link.proxyId, now.toISOString()) : undefined,
    issuer: active ? staffMembershipCheck(link.communityId, code.issuedBy ?? '') : undefined,
  });
}

/** pending → active, a place of the elder's three taken, the audit entry: one transaction. */
export async function confirmLink(link: FamilyLinkRecord, actorId: string, at: string): Promise<FamilyLinkRecord> {
  await transact({
    link: linkMoved(link, 'pending', 'active', { at, by: actorId, atName: 'confirmedAt', byName: 'confirmedBy' }),
    place: placeTaken(link.elderId),
    audit: linkAudit(link, actorId, at),
  });
  return { ...link, status: 'active', confirmedAt: at, confirmedBy: actorId };
}

/** Staff linked the two after seeing both at the counter: the link is active at once. */
export async function counterLink(link: FamilyLinkRecord, actorId: string): Promise<void> {
  await transact({ link: linkPut(link), place: placeTaken(link.elderId), audit: linkAudit(link, actorId, link.createdAt) });
}

/** Ends the link from the status it was read in; an active one gives its place back. */
export async function endLink(link: FamilyLinkRecord, actorId: string, at: string): Promise<FamilyLinkRecord> {
  await transact({
    link: linkMoved(link, link.status, 'ended', { at, by: actorId, atName: 'endedAt', byName: 'endedBy' }),
    audit: auditEntry({ communityId: link.communityId, actorId, act: 'family.end', subjectId: link.elderId, detail: { proxyId: link.proxyId }, at }),
    place: link.status === 'active' ? quotaRelease(proxyCountKey(link.elderId)) : undefined,
  });
  return { ...link, status: 'ended', endedAt: at, endedBy: actorId };
}

// ── reads ───────────────────────────────────────────────────────────────────

export async function getLink(elderId: string, proxyId: string): Promise<FamilyLinkRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: linkKey({ elderId, proxyId }), ConsistentRead: true }));
  return Item ? stripKeys<FamilyLinkRecord>(Item) : undefined;
}

/** Family members of an elder (each link, any status): one partition. */
export async function listProxies(elderId: string): Promise<FamilyLinkRecord[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': userPartition(elderId), ':prefix': 'PROXY#' },
    ConsistentRead: true,
  });
  return items.map((item) => stripKeys<FamilyLinkRecord>(item));
}

/** Elders a family member acts for (or asked to). */
export async function listElders(proxyId: string): Promise<FamilyLinkRecord[]> {
  return userItems<FamilyLinkRecord>({ gsi1pk: userPartition(proxyId), gsi1skPrefix: 'ELDER#' });
}

// ── acting as proxy ─────────────────────────────────────────────────────────

/**
 * What an act done as proxy adds to its own transaction, as its part `proxy`: the link must
 * still be active when the act commits (ended mid-booking → the booking is cancelled with it, no
 * orphan), and the act is in the elder's community's audit log. The service answers that part's
 * failure with `proxyRefusal()` (services/access.ts).
 */
export interface ActingGuard {
  items: TransactItem[];
}

export function actingGuard(link: Pick<FamilyLinkRecord, 'elderId' | 'proxyId' | 'communityId'>, act: string, subjectId: string, at: string): ActingGuard {
  return {
    items: [
      {
        ConditionCheck: {
          TableName: table(),
          Key: linkKey(link),
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active' },
        },
      },
      auditEntry({ communityId: link.communityId, actorId: link.proxyId, act: 'proxy.act', subjectId: link.elderId, detail: { act, on: subjectId }, at }),
    ],
  };
}
