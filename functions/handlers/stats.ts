import { statsRoutes } from '@contract/stats';
import { createHandler } from '../http/handler';
import { communityStats } from '../services/stats';

export const handler = createHandler('stats', statsRoutes, {
  stats: async ({ user, params, now }) => communityStats(user, params.cid, now),
});
