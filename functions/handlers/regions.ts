import { regionRoutes } from '@contract/regions';
import { createHandler } from '../http/handler';
import * as regions from '../services/regions';

export const handler = createHandler('regions', regionRoutes, {
  createRegion: async ({ user, body, now }) => regions.createRegion(user, body, now),
  getRegion: async ({ user, params }) => regions.getRegion(user, params.rid),
  myRegions: async ({ user }) => regions.myRegions(user),
  appointRegionStaff: async ({ user, params, now }) => regions.appointRegionStaff(user, params.rid, params.uid, now),
  removeRegionStaff: async ({ user, params, now }) => regions.removeRegionStaff(user, params.rid, params.uid, now),
  attachCommunity: async ({ user, params, now }) => regions.attachCommunity(user, params.rid, params.cid, now),
  regionRequests: async ({ user, params, query, now }) => regions.regionRequests(user, params.rid, query, now),
  regionStats: async ({ user, params, query, now }) => regions.regionStats(user, params.rid, query.month, now),
});
