/**
 * Regions (街道, 区), their staff and the communities under them (keys/regions.ts).
 * Every act is one transaction with its audit entry; a failed condition comes back by name:
 *  - creating a region: `name` (one of that name at that level and parent), `parent` (no such district);
 *  - appointing staff: `region` (no such region), `user` (no such person);
 *  - removing staff: `staff` (not staff of the region);
 *  - attaching a community: `communityRegion` (it belongs to another street).
 */
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Region, RegionCommunity } from '@contract/regions';
import { auditEntry } from './audit';
import { send } from './client';
import type { CommunityRecord } from './identity/communities';
import { userExists } from './identity/users';
import {
  communityKey,
  communityRegionKey,
  membershipKey,
  regionCommunitiesQuery,
  regionCommunityKey,
  regionKey,
  regionNameKey,
  regionStaffKey,
  regionStaffUserIndex,
  userRegionsQuery,
} from './keys';
import { queryPrefix, stripKeys, table, userItems } from './table';
import { transact } from './transaction';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/** Items by key in one BatchGetItem per 100 keys (strongly consistent unless told), unprocessed keys retried. */
export async function getItems(keys: readonly Key[], options: { consistent?: boolean } = {}): Promise<Item[]> {
  const consistent = options.consistent ?? true;
  const found: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> | undefined = {
      [table()]: { Keys: keys.slice(i, i + 100), ConsistentRead: consistent },
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

/** The record at `key` among items a BatchGet returned. */
export function itemAt<T>(items: readonly Item[], key: Key): T | undefined {
  const item = items.find((it) => it.pk === key.pk && it.sk === key.sk);
  return item ? stripKeys<T>(item) : undefined;
}

export interface CommunityRegionRecord {
  communityId: string;
  streetId: string;
  districtId?: string;
}

/** A community as a region lists it. */
export interface RegionCommunityRecord {
  communityId: string;
  name: string;
}

interface RegionStaffRecord {
  regionId: string;
  userId: string;
  appointedAt: string;
}

export type NewRegionPart = 'name' | 'region' | 'parent' | 'audit';
export type RegionStaffPart = 'region' | 'user' | 'staff' | 'audit';
export type AttachPart = 'communityRegion' | 'streetListing' | 'districtListing' | 'audit';

/** A region, with its name held unique per level and parent by a name item in the same transaction. */
export async function putRegion(region: Region, actorId: string): Promise<void> {
  await transact<NewRegionPart>({
    name: { Put: { TableName: table(), Item: { ...regionNameKey(region.level, region.parentId, region.name), type: 'RegionName', regionId: region.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
    region: { Put: { TableName: table(), Item: { ...regionKey(region.id), type: 'Region', ...region }, ConditionExpression: 'attribute_not_exists(pk)' } },
    parent: region.parentId
      ? { ConditionCheck: { TableName: table(), Key: regionKey(region.parentId), ConditionExpression: '#level = :district', ExpressionAttributeNames: { '#level': 'level' }, ExpressionAttributeValues: { ':district': 'district' } } }
      : undefined,
    audit: auditEntry({ communityId: region.id, actorId, act: 'region.create', subjectId: region.id, detail: { name: region.name, level: region.level }, at: region.createdAt }),
  });
}

export async function getRegion(rid: string): Promise<Region | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: regionKey(rid), ConsistentRead: true }));
  return Item ? stripKeys<Region>(Item) : undefined;
}

/** The user becomes staff of the region (an existing user of an existing region). */
export async function putRegionStaff(rid: string, uid: string, act: { actorId: string; at: string }): Promise<void> {
  const staff: RegionStaffRecord = { regionId: rid, userId: uid, appointedAt: act.at };
  await transact({
    region: { ConditionCheck: { TableName: table(), Key: regionKey(rid), ConditionExpression: 'attribute_exists(pk)' } },
    user: userExists(uid),
    staff: { Put: { TableName: table(), Item: { ...regionStaffKey(rid, uid), ...regionStaffUserIndex(rid, uid), type: 'RegionStaff', ...staff } } },
    audit: auditEntry({ communityId: rid, actorId: act.actorId, act: 'region.staff', subjectId: uid, at: act.at }),
  });
}

/** The user is no longer staff of the region, with the region's audit entry (`staff` fails when they were not). */
export async function deleteRegionStaff(rid: string, uid: string, act: { actorId: string; at: string }): Promise<void> {
  await transact({
    staff: { Delete: { TableName: table(), Key: regionStaffKey(rid, uid), ConditionExpression: 'attribute_exists(pk)' } },
    audit: auditEntry({ communityId: rid, actorId: act.actorId, act: 'region.unstaff', subjectId: uid, at: act.at }),
  });
}

/**
 * Attaches a community to a street (and so to the street's district): its region item and one
 * listing item under each region, with the community's audit entry. Moving it to another street
 * is refused (`communityRegion`): the requests already handed up there would lose their way.
 */
export async function attachCommunity(link: RegionCommunity, act: { actorId: string; at: string }): Promise<void> {
  const listing = (rid: string) => {
    const listed: RegionCommunityRecord = { communityId: link.communityId, name: link.name };
    return { Put: { TableName: table(), Item: { ...regionCommunityKey(rid, link.communityId), type: 'RegionCommunity', ...listed } } };
  };
  const region: CommunityRegionRecord = { communityId: link.communityId, streetId: link.streetId, districtId: link.districtId };
  await transact<AttachPart>({
    communityRegion: {
      Put: {
        TableName: table(),
        Item: { ...communityRegionKey(link.communityId), type: 'CommunityRegion', ...region },
        ConditionExpression: 'attribute_not_exists(pk) OR streetId = :street',
        ExpressionAttributeValues: { ':street': link.streetId },
      },
    },
    streetListing: listing(link.streetId),
    districtListing: link.districtId ? listing(link.districtId) : undefined,
    audit: auditEntry({ communityId: link.communityId, actorId: act.actorId, act: 'region.attach', subjectId: link.streetId, at: act.at }),
  });
}

/** The community (name, street text) and the street, read together to attach one to the other. */
export async function getCommunityAndRegion(cid: string, rid: string): Promise<{ community?: CommunityRecord; region?: Region }> {
  const items = await getItems([communityKey(cid), regionKey(rid)]);
  return { community: itemAt<CommunityRecord>(items, communityKey(cid)), region: itemAt<Region>(items, regionKey(rid)) };
}

export async function getCommunityRegion(cid: string): Promise<CommunityRegionRecord | undefined> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: communityRegionKey(cid), ConsistentRead: true }));
  return Item ? stripKeys<CommunityRegionRecord>(Item) : undefined;
}

/** Is the user staff of any of these regions, or of the community when one is named? One BatchGet. */
export async function staffOfAnyRegion(uid: string, rids: readonly string[], communityId?: string): Promise<boolean> {
  const keys = [...(communityId ? [membershipKey(communityId, uid)] : []), ...rids.map((rid) => regionStaffKey(rid, uid))];
  if (!keys.length) return false;
  const held = await getItems(keys);
  return held.some((it) => it.type === 'RegionStaff' || it.role === 'staff');
}

export async function userRegionIds(uid: string): Promise<string[]> {
  const items = await userItems<RegionStaffRecord>(userRegionsQuery(uid));
  return items.map((it) => it.regionId);
}

export async function regionCommunities(rid: string): Promise<RegionCommunityRecord[]> {
  const items = await queryPrefix(regionCommunitiesQuery(rid));
  return items.map((it) => {
    const { communityId, name } = stripKeys<RegionCommunityRecord>(it);
    return { communityId, name };
  });
}
