/**
 * Communities: the community item (its facts and its counters of verified members and
 * households, the denominators of turnout), listed by district, street and name (GSI2).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import type { Community } from '@contract/identity';
import { auditEntry } from '../audit';
import { send } from '../client';
import { communitiesQuery, communityIndexes, communityKey } from '../keys';
import { filteredPage, stripKeys, table } from '../table';
import { isConditionFailed, transact, type TransactItem } from '../transaction';

export interface CommunityRecord extends Community {
  verifiedMembers: number;
  verifiedHouseholds: number;
}

/** A new community, listed under its district and street, with its creation in its audit log. */
export async function putCommunity(community: Community, actorId: string): Promise<void> {
  const { id, name, district, street, residents, households } = community;
  await transact({
    community: {
      Put: {
        TableName: table(),
        Item: { ...communityKey(id), ...communityIndexes(community), type: 'Community', ...community, verifiedMembers: 0, verifiedHouseholds: 0 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    audit: auditEntry({ communityId: id, actorId, act: 'community.create', detail: { name, district, street, residents, households }, at: community.createdAt }),
  });
}

type CommunityFacts = Pick<Community, 'name' | 'district' | 'street' | 'residents' | 'households'>;

/**
 * Changes a community's facts and moves its place in the list with them, with the change in its
 * audit log. The write is conditional on the facts read, so two admins editing at once cannot
 * leave the list key out of step with the name. Undefined when the community does not exist;
 * `ConditionFailed<'community'>` when it kept changing under five attempts.
 */
export async function updateCommunity(
  cid: string,
  patch: Partial<CommunityFacts>,
  act: { actorId: string; at: string },
): Promise<CommunityRecord | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await getCommunity(cid);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    const fields = Object.keys(patch) as (keyof CommunityFacts)[];
    if (fields.every((f) => current[f] === patch[f])) return current;
    const names = Object.fromEntries(fields.map((f) => [`#${f}`, f]));
    try {
      await transact({
        community: {
          Update: {
            TableName: table(),
            Key: communityKey(cid),
            UpdateExpression: `SET ${fields.map((f) => `#${f} = :${f}`).join(', ')}, gsi2pk = :g2pk, gsi2sk = :g2sk`,
            ConditionExpression: '#name = :oldName AND district = :oldDistrict AND street = :oldStreet',
            ExpressionAttributeNames: { ...names, '#name': 'name' },
            ExpressionAttributeValues: {
              ...Object.fromEntries(fields.map((f) => [`:${f}`, next[f]])),
              ':oldName': current.name, ':oldDistrict': current.district, ':oldStreet': current.street,
              ...Object.fromEntries(Object.entries(communityIndexes(next)).map(([k, v]) => [`:${k.replace('gsi2', 'g2')}`, v])),
            },
          },
        },
        audit: auditEntry({ communityId: cid, actorId: act.actorId, act: 'community.change', detail: patch, at: act.at }),
      });
      return next;
    } catch (error) {
      // Another admin changed the name, district or street meanwhile: read again.
      if (attempt >= 5 || !(isConditionFailed<'community'>(error) && error.has('community'))) throw error;
    }
  }
}

/** Communities by district and street, narrowed by the key; part of a name or street by a filter. */
export async function listCommunities(options: {
  q?: string; district?: string; street?: string; limit: number; cursor?: string;
}): Promise<Page<CommunityRecord>> {
  const q = communitiesQuery(options);
  const filters = [
    ...(options.q ? ['(contains(#name, :q) OR contains(street, :q))'] : []),
    ...(options.street && !options.district ? ['street = :street'] : []),
  ];
  const { items, next } = await filteredPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: q.gsi2skPrefix ? 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)' : 'gsi2pk = :pk',
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(options.q ? { ExpressionAttributeNames: { '#name': 'name' } } : {}),
      ExpressionAttributeValues: {
        ':pk': q.gsi2pk,
        ...(q.gsi2skPrefix ? { ':prefix': q.gsi2skPrefix } : {}),
        ...(options.q ? { ':q': options.q } : {}),
        ...(options.street && !options.district ? { ':street': options.street } : {}),
      },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<CommunityRecord>(item)), next };
}

export async function getCommunity(cid: string): Promise<CommunityRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: communityKey(cid) }));
  return Item ? stripKeys<CommunityRecord>(Item) : undefined;
}

/**
 * The community's counters move with a verification, a revocation or a move: by `members` and
 * `households` (either may be 0). `mustExist` makes the part fail on a deleted community.
 */
export function countVerified(cid: string, delta: { members: number; households: number }, options: { mustExist: boolean }): TransactItem | undefined {
  const moves = [...(delta.members ? ['verifiedMembers :members'] : []), ...(delta.households ? ['verifiedHouseholds :households'] : [])];
  if (!moves.length) return undefined;
  return {
    Update: {
      TableName: table(),
      Key: communityKey(cid),
      UpdateExpression: `ADD ${moves.join(', ')}`,
      ...(options.mustExist ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
      ExpressionAttributeValues: { ...(delta.members ? { ':members': delta.members } : {}), ...(delta.households ? { ':households': delta.households } : {}) },
    },
  };
}
