/**
 * Regions above the community: a street (街道) and a district (区), each with staff of its own.
 * A community belongs to one street (attached by the street name it already carries), a street
 * to one district. Requests handed up from a community are accepted and owned by the staff there.
 */
import { Id, IsoDateTime, Month, Ok, page } from './common';
import { route } from './route';
import { RequestRates, RequestsQuery, ServiceRequest } from './requests';
import * as z from './schema';

export const RegionLevel = z.enum(['street', 'district']);
export type RegionLevel = z.infer<typeof RegionLevel>;

export const RegionInput = z.object({
  /** As the communities write it in their `street` or `district` (幸福街道, 朝阳区). */
  name: z.string().trim().min(1, '不能为空').max(30, '不能超过 30 个字'),
  level: RegionLevel,
  /** A street's district; a district has none. */
  parentId: Id.optional(),
});
export const Region = z.object({
  id: Id,
  name: z.string(),
  level: RegionLevel,
  parentId: Id.optional(),
  createdAt: IsoDateTime,
});
export type Region = z.infer<typeof Region>;

export const RegionStaff = z.object({ regionId: Id, userId: Id, appointedAt: IsoDateTime });
export const RegionCommunity = z.object({ regionId: Id, communityId: Id, name: z.string(), streetId: Id, districtId: Id.optional() });
export type RegionCommunity = z.infer<typeof RegionCommunity>;

/** A region the caller works for, with the communities under it. */
export const MyRegion = Region.extend({ communities: z.array(z.object({ id: Id, name: z.string() })) });

export const RegionStatsQuery = z.object({ month: Month.optional() });
export const RegionStats = z.object({
  regionId: Id,
  level: RegionLevel,
  /** Month in the region's communities' time zone (Asia/Shanghai), YYYY-MM. */
  month: z.string(),
  total: RequestRates,
  communities: z.array(RequestRates.extend({ communityId: Id, name: z.string() })),
});
export type RegionStats = z.infer<typeof RegionStats>;

export const regionRoutes = {
  createRegion: route({
    method: 'POST', path: '/v1/regions', fn: 'regions', auth: 'user', summary: '创建街道或区（平台管理员）',
    body: RegionInput, response: Region, status: 201,
  }),
  getRegion: route({ method: 'GET', path: '/v1/regions/{rid}', fn: 'regions', auth: 'user', summary: '街道或区', response: MyRegion }),
  myRegions: route({ method: 'GET', path: '/v1/me/regions', fn: 'regions', auth: 'user', summary: '我任职的街道或区', response: z.object({ items: z.array(MyRegion) }) }),
  appointRegionStaff: route({
    method: 'PUT', path: '/v1/regions/{rid}/staff/{uid}', fn: 'regions', auth: 'user', summary: '任命街道或区工作人员（平台管理员）',
    body: z.object({}), response: RegionStaff,
  }),
  removeRegionStaff: route({
    method: 'DELETE', path: '/v1/regions/{rid}/staff/{uid}', fn: 'regions', auth: 'user', summary: '免去街道或区工作人员（平台管理员）',
    response: Ok,
  }),
  attachCommunity: route({
    method: 'PUT', path: '/v1/regions/{rid}/communities/{cid}', fn: 'regions', auth: 'user',
    summary: '把社区归入街道（平台管理员；社区登记的街道名须与之相同）',
    body: z.object({}), response: RegionCommunity,
  }),
  regionRequests: route({
    method: 'GET', path: '/v1/regions/{rid}/requests', fn: 'regions', auth: 'user', summary: '上报到本街道或区的诉求',
    query: RequestsQuery, response: page(ServiceRequest),
  }),
  regionStats: route({
    method: 'GET', path: '/v1/regions/{rid}/stats', fn: 'regions', auth: 'user', summary: '响应率、解决率、满意率（按社区）',
    query: RegionStatsQuery, response: RegionStats,
  }),
};
