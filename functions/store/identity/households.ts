/**
 * Households: one item per verified household of a community, holding how many verified members
 * it has. Its existence makes the community's household count exact: the item is put by the
 * household's first member (condition: absent) and deleted with its last (condition: `members = 1`).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { send } from '../client';
import { householdKey } from '../keys';
import { table } from '../table';
import type { TransactItem } from '../transaction';

/** How many verified members a household has now. */
export async function householdMembers(cid: string, household: string): Promise<number> {
  const { Item } = await send<{ Item?: { members?: number } }>(new GetCommand({ TableName: table(), Key: householdKey(cid, household), ConsistentRead: true }));
  return Item?.members ?? 0;
}

/** A member enters the household: its first puts the item (absent until then), any other adds one. */
export const enterHousehold = (cid: string, household: string, first: boolean, at: string): TransactItem =>
  first
    ? {
        Put: {
          TableName: table(),
          Item: { ...householdKey(cid, household), type: 'Household', communityId: cid, household, members: 1, firstVerifiedAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }
    : {
        Update: {
          TableName: table(),
          Key: householdKey(cid, household),
          UpdateExpression: 'ADD members :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      };

/** A member leaves the household: its last deletes the item (while it is the last), any other takes one off. */
export const leaveHousehold = (cid: string, household: string, last: boolean): TransactItem =>
  last
    ? { Delete: { TableName: table(), Key: householdKey(cid, household), ConditionExpression: 'members = :one', ExpressionAttributeValues: { ':one': 1 } } }
    : {
        Update: {
          TableName: table(),
          Key: householdKey(cid, household),
          UpdateExpression: 'ADD members :minus',
          ConditionExpression: 'members > :one',
          ExpressionAttributeValues: { ':one': 1, ':minus': -1 },
        },
      };
