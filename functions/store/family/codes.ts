/**
 * Link codes: the one-time code an elder shows a family member (or staff make at the counter).
 *
 * | item           | pk           | sk      |
 * |----------------|--------------|---------|
 * | FamilyLinkCode | FAMCODE#code | FAMCODE |  (TTL; deleted by its claim, so it is used once)
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { send } from '../client';
import { stripKeys, table } from '../table';
import type { TransactItem } from '../transaction';

export interface LinkCodeRecord {
  code: string;
  elderId: string;
  communityId: string;
  expiresAt: string;
  /** The staff member who made it at the counter: claiming it links at once. */
  issuedBy?: string;
}

/** As stored: `expiresAt` is the TTL (epoch seconds), the instant is `expiresAtIso`. */
interface StoredLinkCode {
  code: string;
  elderId: string;
  communityId: string;
  expiresAtIso: string;
  issuedBy?: string;
}

const linkCodeKey = (code: string) => ({ pk: `FAMCODE#${code}`, sk: 'FAMCODE' });

const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export async function putLinkCode(record: LinkCodeRecord): Promise<void> {
  const stored: StoredLinkCode = {
    code: record.code, elderId: record.elderId, communityId: record.communityId, expiresAtIso: record.expiresAt,
    ...(record.issuedBy ? { issuedBy: record.issuedBy } : {}),
  };
  await send(
    new PutCommand({
      TableName: table(),
      // TTL tidies the table; the claim's own condition is what refuses an expired code.
      Item: { ...linkCodeKey(record.code), type: 'FamilyLinkCode', ...stored, expiresAt: epochSeconds(record.expiresAt) },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getLinkCode(value: string): Promise<LinkCodeRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: linkCodeKey(value), ConsistentRead: true }));
  if (!Item) return undefined;
  const { expiresAtIso, ...code } = stripKeys<StoredLinkCode>(Item);
  return { ...code, expiresAt: expiresAtIso };
}

/** The code spent by its claim: fails when it was spent already or has expired. */
export const codeSpent = (code: string, now: Date): TransactItem => ({
  Delete: {
    TableName: table(),
    Key: linkCodeKey(code),
    ConditionExpression: 'attribute_exists(pk) AND expiresAtIso > :now',
    ExpressionAttributeValues: { ':now': now.toISOString() },
  },
});
