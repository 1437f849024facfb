/**
 * Users: one profile item per person, and one item per WeChat openid that makes "one user per
 * WeChat account" a conditional write (keys/identity.ts).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { send } from '../client';
import { openidKey, userKey } from '../keys';
import { stripKeys, table } from '../table';
import { isConditionFailed, transact, type TransactItem } from '../transaction';

export interface UserRecord {
  id: string;
  openid: string;
  nickname?: string;
  createdAt: string;
}

async function getUserAt(key: { pk: string; sk: string }): Promise<UserRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: key }));
  return Item ? stripKeys<UserRecord>(Item) : undefined;
}

export const getUserByOpenid = (openid: string): Promise<UserRecord | undefined> => getUserAt(openidKey(openid));

export const getUser = (uid: string): Promise<UserRecord | undefined> => getUserAt(userKey(uid));

/** Creates the user for an openid, or returns the one a concurrent login created first. */
export async function createUser(user: UserRecord): Promise<UserRecord> {
  try {
    await transact({
      openid: { Put: { TableName: table(), Item: { ...openidKey(user.openid), type: 'OpenId', ...user }, ConditionExpression: 'attribute_not_exists(pk)' } },
      user: { Put: { TableName: table(), Item: { ...userKey(user.id), type: 'User', ...user } } },
    });
    return user;
  } catch (error) {
    if (!(isConditionFailed<'openid'>(error) && error.has('openid'))) throw error;
    const existing = await getUserByOpenid(user.openid);
    if (!existing) throw error;
    return existing;
  }
}

/** The user exists when the act commits (a region's staff appointment names an existing person). */
export const userExists = (uid: string): TransactItem => ({
  ConditionCheck: { TableName: table(), Key: userKey(uid), ConditionExpression: 'attribute_exists(pk)' },
});
