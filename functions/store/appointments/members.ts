/**
 * What appointments ask of a membership (the item is identity's, MEMBER#uid in COMMUNITY#cid):
 * that the resident is a verified member when the act commits, and the members' names on a
 * service's day list.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { send } from '../client';
import type { MembershipRecord } from '../identity';
import { membershipKey } from '../keys';
import { stripKeys, table } from '../table';
import type { TransactItem } from '../transaction';

/**
 * The resident is a verified member of the community: a ConditionCheck that hands back the
 * membership as it was when it fails (its household says whether they asked to join at all).
 */
export const verifiedMember = (cid: string, uid: string): TransactItem => ({
  ConditionCheck: {
    TableName: table(),
    Key: membershipKey(cid, uid),
    ConditionExpression: 'verified = :true',
    ExpressionAttributeValues: { ':true': true },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

type Item = Record<string, unknown>;

/** Memberships of several users of one community, in one BatchGetItem per 100. */
export async function getMemberships(cid: string, uids: string[]): Promise<Map<string, MembershipRecord>> {
  const out = new Map<string, MembershipRecord>();
  const unique = [...new Set(uids)];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Item[] | undefined = unique.slice(i, i + 100).map((uid) => membershipKey(cid, uid));
    for (let attempt = 0; keys?.length && attempt < 5; attempt++) {
      const reply: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Item[] }> } = await send(
        new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys } } }),
      );
      for (const item of reply.Responses?.[table()] ?? []) {
        const m = stripKeys<MembershipRecord>(item);
        out.set(m.userId, m);
      }
      keys = reply.UnprocessedKeys?.[table()]?.Keys;
    }
  }
  return out;
}
