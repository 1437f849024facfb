import { route } from './route';
import * as z from './schema';

/**
 * Indicators for the committee (policy 003's table). Each capability contributes its own
 * section; a section is absent until its capability exists.
 */
export const Stats = z.object({
  communityId: z.string(),
  date: z.string(),
  members: z.object({ total: z.number(), verified: z.number(), pending: z.number(), households: z.number() }),
  appointments: z.record(z.string(), z.unknown()).optional(),
  queue: z.record(z.string(), z.unknown()).optional(),
  volunteers: z.record(z.string(), z.unknown()).optional(),
  consultations: z.record(z.string(), z.unknown()).optional(),
});
export type Stats = z.infer<typeof Stats>;

export const statsRoutes = {
  stats: route({ method: 'GET', path: '/v1/communities/{cid}/stats', fn: 'stats', auth: 'user', summary: '社区指标（工作人员）', response: Stats }),
};
