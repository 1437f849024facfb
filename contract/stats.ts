import { AppointmentStats } from './appointments';
import { LocalDate } from './common';
import { ConsultationStats } from './consultations';
import { EscortStats } from './escorts';
import { QueueStats } from './queue';
import { RequestStats } from './requests';
import { route } from './route';
import * as z from './schema';
import { VolunteerStats } from './volunteers';

export const MemberStats = z.object({
  /** Verified and pending members. */
  total: z.number(),
  verified: z.number(),
  pending: z.number(),
  /** Verified households (门牌): the electorate of one-vote-per-household consultations. */
  households: z.number(),
});
export type MemberStats = z.infer<typeof MemberStats>;

/** Today's queue figures, with the hall's categories so a page can name each code (A 社保). */
export const QueueIndicators = QueueStats.extend({
  categories: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type QueueIndicators = z.infer<typeof QueueIndicators>;

/**
 * Indicators for the committee (policy 003's table and REQUIREMENTS' list): volunteer ratio
 * against its target, waits and service times, no-show rate, satisfaction, turnout. Each
 * capability's section keeps the shape its own contract gives it; `queue` is absent until the
 * hall is laid out.
 */
export const Stats = z.object({
  communityId: z.string(),
  /** Today in the community's time zone. */
  date: LocalDate,
  members: MemberStats,
  appointments: AppointmentStats,
  queue: QueueIndicators.optional(),
  volunteers: VolunteerStats,
  /** 志愿陪同 this month. */
  escorts: EscortStats,
  consultations: ConsultationStats,
  /** 诉求反映: the month's three rates, in total and per grid (走访入户率 per grid). */
  requests: RequestStats,
});
export type Stats = z.infer<typeof Stats>;

export const statsRoutes = {
  stats: route({ method: 'GET', path: '/v1/communities/{cid}/stats', fn: 'stats', auth: 'user', summary: '社区指标（工作人员）', response: Stats }),
};
