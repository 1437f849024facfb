/**
 * Regions (街道, 区), their staff and the communities under them (keys/regions.ts).
 * Every act is one transaction with its audit entry; a failed condition comes back by name.
 */
import { BatchGetCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@contract/errors';
import type { Region, RegionCommunity } from '@contract/regions';
import { auditEntry } from './audit';
import { failedConditions, send } from './client';
import {
  communityKey,
  communityRegionKey,
  regionCommunitiesQuery,
  regionCommunityKey,
  regionKey,
  regionNameKey,
  regionStaffKey,
  regionStaffUserIndex,
  userKey,
  userRegionsQuery,
} from './keys';
import { queryAll, stripKeys, table } from './table';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/** Items by key in one BatchGetItem per 100 keys (strongly consistent), unprocessed keys retried. */
export async function getItems(keys: readonly Key[]): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> | undefined = {
      [table()]: { Keys: keys.slice(i, i + 100), ConsistentRead: true },
    };
    while (request && Object.keys(request).length) {
      const reply: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys: Item[]; ConsistentRead: boolean }> } = await send(
        new BatchGetCommand({ RequestItems: request }),
      );
      found.push(...(reply.Responses?.[table()] ?? []));
      request = reply.UnprocessedKeys;
    }
  }
  return found;
}

/** The item of `key` among items a BatchGet returned. */
export const itemAt = (items: readonly Item[], key: Key): Item | undefined => items.find((it) => it.pk === key.pk && it.sk === key.sk);

export interface CommunityRegionRecord {
  communityId: string;
  streetId: string;
  districtId?: string;
}

/** A region, with its name held unique per level and parent by a name item in the same transaction. */
export async function putRegion(region: Region, actorId: string): Promise<void> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table(), Item: { ...regionNameKey(region.level, region.parentId, region.name), type: 'RegionName', regionId: region.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: table(), Item: { ...regionKey(region.id), type: 'Region', ...region }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ...(region.parentId
            ? [{ ConditionCheck: { TableName: table(), Key: regionKey(region.parentId), ConditionExpression: '#level = :district', ExpressionAttributeNames: { '#level': 'level' }, ExpressionAttributeValues: { ':district': 'district' } } }]
            : []),
          auditEntry({ communityId: region.id, actorId, act: 'region.create', subjectId: region.id, detail: { name: region.name, level: region.level }, at: region.createdAt }),
        ],
      }),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw new AppError('REGION_CONFLICT', `已有同名的${region.level === 'street' ? '街道' : '区'}`);
    if (failed?.includes(2)) throw new AppError('REGION_CONFLICT', '上级区不存在');
    throw error;
  }
}

export async function getRegion(rid: string): Promise<Region | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: regionKey(rid), ConsistentRead: true }));
  return Item ? stripKeys<Region>(Item) : undefined;
}

/** The user becomes staff of the region (an existing user of an existing region). */
export async function putRegionStaff(rid: string, uid: string, act: { actorId: string; at: string }): Promise<void> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: table(), Key: regionKey(rid), ConditionExpression: 'attribute_exists(pk)' } },
          { ConditionCheck: { TableName: table(), Key: userKey(uid), ConditionExpression: 'attribute_exists(pk)' } },
          { Put: { TableName: table(), Item: { ...regionStaffKey(rid, uid), ...regionStaffUserIndex(rid, uid), type: 'RegionStaff', regionId: rid, userId: uid, appointedAt: act.at } } },
          auditEntry({ communityId: rid, actorId: act.actorId, act: 'region.staff', subjectId: uid, at: act.at }),
        ],
      }),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw new AppError('NOT_FOUND', '街道或区不存在');
    if (failed?.includes(1)) throw new AppError('NOT_FOUND', '该用户不存在');
    throw error;
  }
}

/** The user is no longer staff of the region, with the region's audit entry; NOT_FOUND when they were not. */
export async function deleteRegionStaff(rid: string, uid: string, act: { actorId: string; at: string }): Promise<void> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: table(), Key: regionStaffKey(rid, uid), ConditionExpression: 'attribute_exists(pk)' } },
          auditEntry({ communityId: rid, actorId: act.actorId, act: 'region.unstaff', subjectId: uid, at: act.at }),
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw new AppError('NOT_FOUND', '此人不是该街道或区的工作人员');
    throw error;
  }
}

/**
 * Attaches a community to a street (and so to the street's district): its region item and one
 * listing item under each region, with the community's audit entry. Moving it to another street
 * is refused: the requests already handed up there would lose their way.
 */
export async function attachCommunity(link: RegionCommunity, act: { actorId: string; at: string }): Promise<void> {
  const listing = { type: 'RegionCommunity', communityId: link.communityId, name: link.name };
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: { ...communityRegionKey(link.communityId), type: 'CommunityRegion', communityId: link.communityId, streetId: link.streetId, districtId: link.districtId },
              ConditionExpression: 'attribute_not_exists(pk) OR streetId = :street',
              ExpressionAttributeValues: { ':street': link.streetId },
            },
          },
          { Put: { TableName: table(), Item: { ...regionCommunityKey(link.streetId, link.communityId), ...listing } } },
          ...(link.districtId ? [{ Put: { TableName: table(), Item: { ...regionCommunityKey(link.districtId, link.communityId), ...listing } } }] : []),
          auditEntry({ communityId: link.communityId, actorId: act.actorId, act: 'region.attach', subjectId: link.streetId, at: act.at }),
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw new AppError('REGION_CONFLICT', '该社区已归入其他街道');
    throw error;
  }
}

/** The community (name, street text) and the street, read together to attach one to the other. */
export async function getCommunityAndRegion(cid: string, rid: string): Promise<{ community?: Item; region?: Region }> {
  const items = await getItems([communityKey(cid), regionKey(rid)]);
  const region = itemAt(items, regionKey(rid));
  return { community: itemAt(items, communityKey(cid)), region: region ? stripKeys<Region>(region) : undefined };
}

export async function getCommunityRegion(cid: string): Promise<CommunityRegionRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: communityRegionKey(cid), ConsistentRead: true }));
  return Item ? stripKeys<CommunityRegionRecord>(Item) : undefined;
}

/** Is the user staff of any of these regions? One BatchGet. */
export async function staffOfAnyRegion(uid: string, rids: readonly string[]): Promise<boolean> {
  if (!rids.length) return false;
  return (await getItems(rids.map((rid) => regionStaffKey(rid, uid)))).length > 0;
}

export async function userRegionIds(uid: string): Promise<string[]> {
  const q = userRegionsQuery(uid);
  const items = await queryAll({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.gsi1pk, ':prefix': q.gsi1skPrefix },
  });
  return items.map((it) => it.regionId as string);
}

export async function regionCommunities(rid: string): Promise<{ communityId: string; name: string }[]> {
  const q = regionCommunitiesQuery(rid);
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
    ConsistentRead: true,
  });
  return items.map((it) => ({ communityId: it.communityId as string, name: it.name as string }));
}
