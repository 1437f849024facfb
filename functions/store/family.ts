/**
 * Family proxy links. Every invariant is a condition of the write that could break it:
 *  - a link code is used once: the claim deletes it under `attribute_exists`, in the same
 *    transaction that writes the pending link;
 *  - at most MAX_PROXIES active links per elder: the counter USER#elder / PROXIES is taken by the
 *    confirmation's transaction and given back by the end of an active link;
 *  - an act as proxy commits only while the link is active: `actingGuard` is a ConditionCheck on
 *    the link plus the act's audit entry, appended to the act's own transaction.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@contract/errors';
import { MAX_PROXIES, type LinkStatus } from '@contract/family';
import { auditEntry, type TransactItem } from './audit';
import { failedConditions, retryOnConflict, send } from './client';
import { eldersProxiesQuery, familyLinkIndexes, familyLinkKey, linkCodeKey, membershipKey, proxyCountKey, proxysEldersQuery } from './keys';
import { quotaRelease, quotaTake } from './quota';
import { stripKeys, table } from './table';

export interface LinkCodeRecord {
  code: string;
  elderId: string;
  communityId: string;
  expiresAt: string;
  /** The staff member who made it at the counter: claiming it links at once. */
  issuedBy?: string;
}

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

type QueryOut = { Items?: Record<string, unknown>[] };

const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export async function putLinkCode(record: LinkCodeRecord): Promise<void> {
  await send(
    new PutCommand({
      TableName: table(),
      // TTL tidies the table; the claim's own condition is what refuses an expired code.
      Item: {
        ...linkCodeKey(record.code), type: 'FamilyLinkCode', code: record.code, elderId: record.elderId, communityId: record.communityId,
        expiresAtIso: record.expiresAt, expiresAt: epochSeconds(record.expiresAt), ...(record.issuedBy ? { issuedBy: record.issuedBy } : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getLinkCode(code: string): Promise<LinkCodeRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: linkCodeKey(code), ConsistentRead: true }));
  if (!Item) return undefined;
  const { code: c, elderId, communityId, expiresAtIso, issuedBy } = Item as Record<string, string>;
  return { code: c as string, elderId: elderId as string, communityId: communityId as string, expiresAt: expiresAtIso as string, ...(issuedBy ? { issuedBy } : {}) };
}

/** A link item may be written afresh when none exists or the last one between the two has ended. */
const FRESH_LINK = 'attribute_not_exists(pk) OR #status = :ended';

const linkPut = (link: FamilyLinkRecord): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...familyLinkKey(link.elderId, link.proxyId), ...familyLinkIndexes(link.elderId, link.proxyId), type: 'FamilyLink', ...link },
    ConditionExpression: FRESH_LINK,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':ended': 'ended' },
  },
});

const takeProxyPlace = (elderId: string): TransactItem => quotaTake(proxyCountKey(elderId), 'ProxyCount', MAX_PROXIES);

/**
 * The code is spent and the link written together: two claims of one code leave one link. A code
 * staff made at the counter writes the link active, taking one of the elder's three places, with
 * the audit entry in the staff member's name.
 */
export async function claimLinkCode(code: LinkCodeRecord, link: FamilyLinkRecord, now: Date): Promise<void> {
  const parts = {
    spendCode: {
      Delete: {
        TableName: table(),
        Key: linkCodeKey(code.code),
        ConditionExpression: 'attribute_exists(pk) AND expiresAtIso > :now',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      },
    },
    link: linkPut(link),
    place: takeProxyPlace(link.elderId),
    audit: auditEntry({ communityId: link.communityId, actorId: code.issuedBy ?? link.proxyId, act: 'family.link', subjectId: link.elderId, detail: { proxyId: link.proxyId, via: link.via }, at: now.toISOString() }),
    // A counter code stands for its issuer's check of both people: it dies with their staff role.
    issuerStillStaff: {
      ConditionCheck: {
        TableName: table(),
        Key: membershipKey(link.communityId, code.issuedBy ?? ''),
        ConditionExpression: '#role = :staff',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':staff': 'staff' },
      },
    },
  };
  const items = link.status === 'active' ? [parts.spendCode, parts.link, parts.place, parts.audit, parts.issuerStillStaff] : [parts.spendCode, parts.link];
  await transact(items, (failed) => {
    if (failed.includes(0)) return new AppError('LINK_CODE_INVALID');
    if (failed.includes(1)) return new AppError('ALREADY_LINKED');
    if (failed.includes(2)) return new AppError('PROXY_LIMIT');
    if (failed.includes(4)) return new AppError('LINK_CODE_INVALID');
    return undefined;
  });
}

/** pending → active, a place of the elder's three taken, the audit entry: one transaction. */
export async function confirmLink(link: FamilyLinkRecord, actorId: string, at: string): Promise<FamilyLinkRecord> {
  const confirmed: FamilyLinkRecord = { ...link, status: 'active', confirmedAt: at, confirmedBy: actorId };
  const parts = {
    activate: {
      Update: {
        TableName: table(),
        Key: familyLinkKey(link.elderId, link.proxyId),
        UpdateExpression: 'SET #status = :active, confirmedAt = :at, confirmedBy = :by',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': 'active', ':pending': 'pending', ':at': at, ':by': actorId },
      },
    },
    place: takeProxyPlace(link.elderId),
    audit: auditEntry({ communityId: link.communityId, actorId, act: 'family.link', subjectId: link.elderId, detail: { proxyId: link.proxyId, via: link.via }, at }),
  };
  await transact([parts.activate, parts.place, parts.audit], (failed) => {
    if (failed.includes(0)) return new AppError('STATE_CONFLICT', '该代办申请已处理或已结束');
    if (failed.includes(1)) return new AppError('PROXY_LIMIT');
    return undefined;
  });
  return confirmed;
}

/** Staff linked the two after seeing both at the counter: the link is active at once. */
export async function counterLink(link: FamilyLinkRecord, actorId: string): Promise<void> {
  const at = link.createdAt;
  const parts = {
    activeLink: linkPut(link),
    place: takeProxyPlace(link.elderId),
    audit: auditEntry({ communityId: link.communityId, actorId, act: 'family.link', subjectId: link.elderId, detail: { proxyId: link.proxyId, via: 'counter' }, at }),
  };
  await transact([parts.activeLink, parts.place, parts.audit], (failed) => {
    if (failed.includes(0)) return new AppError('ALREADY_LINKED');
    if (failed.includes(1)) return new AppError('PROXY_LIMIT');
    return undefined;
  });
}

/** Ends the link from the status it was read in; an active one gives its place back. */
export async function endLink(link: FamilyLinkRecord, actorId: string, at: string): Promise<FamilyLinkRecord> {
  const parts = {
    end: {
      Update: {
        TableName: table(),
        Key: familyLinkKey(link.elderId, link.proxyId),
        UpdateExpression: 'SET #status = :ended, endedAt = :at, endedBy = :by',
        ConditionExpression: '#status = :was',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':ended': 'ended', ':was': link.status, ':at': at, ':by': actorId },
      },
    },
    audit: auditEntry({ communityId: link.communityId, actorId, act: 'family.end', subjectId: link.elderId, detail: { proxyId: link.proxyId }, at }),
    place: quotaRelease(proxyCountKey(link.elderId)),
  };
  await transact(link.status === 'active' ? [parts.end, parts.audit, parts.place] : [parts.end, parts.audit], (failed) =>
    failed.includes(0) ? new AppError('STATE_CONFLICT', '代办关系已发生变化，请刷新后重试') : undefined,
  );
  return { ...link, status: 'ended', endedAt: at, endedBy: actorId };
}

export async function getLink(elderId: string, proxyId: string): Promise<FamilyLinkRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(
    new GetCommand({ TableName: table(), Key: familyLinkKey(elderId, proxyId), ConsistentRead: true }),
  );
  return Item ? stripKeys<FamilyLinkRecord>(Item) : undefined;
}

/** Family members of an elder (each link, any status): one partition. */
export async function listProxies(elderId: string): Promise<FamilyLinkRecord[]> {
  const q = eldersProxiesQuery(elderId);
  const { Items = [] } = await send<QueryOut>(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => stripKeys<FamilyLinkRecord>(item));
}

/** Elders a family member acts for (or asked to). */
export async function listElders(proxyId: string): Promise<FamilyLinkRecord[]> {
  const q = proxysEldersQuery(proxyId);
  const { Items = [] } = await send<QueryOut>(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.gsi1pk, ':prefix': q.gsi1skPrefix },
    }),
  );
  return Items.map((item) => stripKeys<FamilyLinkRecord>(item));
}

/**
 * What an act done as proxy adds to its own transaction: the link must still be active when the
 * act commits (ended mid-booking → the booking is cancelled with it, no orphan), and the act is in
 * the elder's community's audit log. Appended last, so the act's own item positions stay put;
 * `refusal` is what the act answers when the check fails.
 */
export interface ActingGuard {
  items: TransactItem[];
  refusal: AppError;
}

export function actingGuard(link: Pick<FamilyLinkRecord, 'elderId' | 'proxyId' | 'communityId'>, act: string, subjectId: string, at: string): ActingGuard {
  return {
    items: [
      {
        ConditionCheck: {
          TableName: table(),
          Key: familyLinkKey(link.elderId, link.proxyId),
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active' },
        },
      },
      auditEntry({ communityId: link.communityId, actorId: link.proxyId, act: 'proxy.act', subjectId: link.elderId, detail: { act, on: subjectId }, at }),
    ],
    refusal: new AppError('PROXY_NOT_LINKED'),
  };
}

/** Whether a cancelled transaction failed on one of the guard's items (appended from `from`). */
export const guardFailed = (failed: number[], from: number): boolean => failed.some((index) => index >= from);

async function transact(items: TransactItem[], refusal: (failed: number[]) => AppError | undefined): Promise<void> {
  try {
    await retryOnConflict(() => send(new TransactWriteCommand({ TransactItems: items })));
  } catch (error) {
    const failed = failedConditions(error);
    const mapped = failed?.length ? refusal(failed) : undefined;
    throw mapped ?? error;
  }
}
