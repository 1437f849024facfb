/**
 * Regions (街道, 区): admins create them, appoint their staff and attach communities by the street
 * name the community carries. Region staff read what was handed up to them and the three rates
 * of every community under them.
 */
import type { Page } from '@contract/common';
import { AppError } from '@contract/errors';
import type { Region, RegionCommunity, RegionStats } from '@contract/regions';
import type { RequestStatus, ServiceRequest } from '@contract/requests';
import { requestRates } from '../domain/request-rates';
import { localDate } from '../domain/time';
import { newId } from '../lib/ids';
import type { AuthUser } from '../lib/tokens';
import * as store from '../store/regions';
import { getRequests, listRegionRequests, monthRequests, type RequestRecord } from '../store/requests';
import { refuse } from './refusal';
import { requestView } from './requests';

const requireAdmin = (actor: AuthUser, what: string) => {
  if (!actor.admin) throw new AppError('FORBIDDEN', `仅平台管理员可${what}`);
};

/** Staff of the region, or an admin; the region itself is returned. */
export async function requireRegionStaff(actor: AuthUser, rid: string): Promise<Region> {
  const [region, staff] = await Promise.all([store.getRegion(rid), actor.admin ? Promise.resolve(true) : store.staffOfAnyRegion(actor.id, [rid])]);
  if (!region) throw new AppError('NOT_FOUND', '街道或区不存在');
  if (!staff) throw new AppError('FORBIDDEN', '仅限本街道或区的工作人员');
  return region;
}

export async function createRegion(actor: AuthUser, input: { name: string; level: 'street' | 'district'; parentId?: string }, now: Date): Promise<Region> {
  requireAdmin(actor, '创建街道或区');
  if (input.level === 'district' && input.parentId) throw new AppError('VALIDATION', '区没有上级', { details: [{ path: 'parentId', message: '区没有上级' }] });
  const region: Region = { id: newId(now), name: input.name, level: input.level, ...(input.parentId ? { parentId: input.parentId } : {}), createdAt: now.toISOString() };
  await store.putRegion(region, actor.id).catch(refuse<store.NewRegionPart>((failed) =>
    failed.has('name')
      ? new AppError('REGION_CONFLICT', `已有同名的${region.level === 'street' ? '街道' : '区'}`)
      : failed.has('parent')
        ? new AppError('REGION_CONFLICT', '上级区不存在')
        : undefined,
  ));
  return region;
}

async function withCommunities(region: Region) {
  const communities = await store.regionCommunities(region.id);
  return { ...region, communities: communities.map((c) => ({ id: c.communityId, name: c.name })) };
}

export async function getRegion(actor: AuthUser, rid: string) {
  return withCommunities(await requireRegionStaff(actor, rid));
}

export async function myRegions(actor: AuthUser) {
  const ids = await store.userRegionIds(actor.id);
  const regions = await Promise.all(ids.map((rid) => store.getRegion(rid)));
  return { items: await Promise.all(regions.filter((r): r is Region => !!r).map(withCommunities)) };
}

export async function appointRegionStaff(actor: AuthUser, rid: string, uid: string, now: Date) {
  requireAdmin(actor, '任命街道或区工作人员');
  const at = now.toISOString();
  await store.putRegionStaff(rid, uid, { actorId: actor.id, at }).catch(refuse<store.RegionStaffPart>((failed) =>
    failed.has('region') ? new AppError('NOT_FOUND', '街道或区不存在') : failed.has('user') ? new AppError('NOT_FOUND', '该用户不存在') : undefined,
  ));
  return { regionId: rid, userId: uid, appointedAt: at };
}

/** The person stops being the region's staff: their next request as such is refused (the staff item is read on every use). */
export async function removeRegionStaff(actor: AuthUser, rid: string, uid: string, now: Date): Promise<{ ok: true }> {
  requireAdmin(actor, '免去街道或区工作人员');
  await store.deleteRegionStaff(rid, uid, { actorId: actor.id, at: now.toISOString() }).catch(refuse<store.RegionStaffPart>((failed) =>
    failed.has('staff') ? new AppError('NOT_FOUND', '此人不是该街道或区的工作人员') : undefined,
  ));
  return { ok: true };
}

/** A community joins the street whose name it carries (and the street's district). */
export async function attachCommunity(actor: AuthUser, rid: string, cid: string, now: Date): Promise<RegionCommunity> {
  requireAdmin(actor, '把社区归入街道');
  const { community, region } = await store.getCommunityAndRegion(cid, rid);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  if (!region) throw new AppError('NOT_FOUND', '街道不存在');
  if (region.level !== 'street') throw new AppError('REGION_CONFLICT', '社区只能归入街道');
  if (community.street !== region.name) throw new AppError('REGION_CONFLICT', `该社区登记的街道是“${community.street}”，与“${region.name}”不一致`);
  const link: RegionCommunity = { regionId: rid, communityId: cid, name: community.name, streetId: rid, ...(region.parentId ? { districtId: region.parentId } : {}) };
  await store.attachCommunity(link, { actorId: actor.id, at: now.toISOString() }).catch(refuse<store.AttachPart>((failed) =>
    failed.has('communityRegion') ? new AppError('REGION_CONFLICT', '该社区已归入其他街道') : undefined,
  ));
  return link;
}

/** Requests handed up to the region, newest first, as its staff may see them. */
export async function regionRequests(actor: AuthUser, rid: string, query: { limit: number; cursor?: string; status?: RequestStatus }, now: Date): Promise<Page<ServiceRequest>> {
  await requireRegionStaff(actor, rid);
  const { ids, next } = await listRegionRequests(rid, query);
  const found = new Map((await getRequests(ids)).map((r) => [r.id, r]));
  const items = ids
    .map((id) => found.get(id))
    .filter((r): r is RequestRecord => !!r && (!query.status || r.status === query.status))
    .map((r) => requestView(r, actor, r.ownerId === actor.id ? 'owner' : 'staff', now));
  return { items, ...(next ? { next } : {}) };
}

export async function regionStats(actor: AuthUser, rid: string, month: string | undefined, now: Date): Promise<RegionStats> {
  const region = await requireRegionStaff(actor, rid);
  const period = month ?? localDate(now).slice(0, 7);
  const communities = await store.regionCommunities(rid);
  const perCommunity = await Promise.all(communities.map(async (c) => ({ c, records: await monthRequests(c.communityId, period) })));
  return {
    regionId: rid,
    level: region.level,
    month: period,
    total: requestRates(perCommunity.flatMap((p) => p.records), now),
    communities: perCommunity.map(({ c, records }) => ({ communityId: c.communityId, name: c.name, ...requestRates(records, now) })),
  };
}
