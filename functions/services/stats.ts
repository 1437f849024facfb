/**
 * Indicators for the committee (policy 003). Each capability contributes its own section.
 */
import { AppError } from '@contract/errors';
import type { QueueIndicators, Stats } from '@contract/stats';
import { localDate } from '../domain/time';
import type { AuthUser } from '../lib/tokens';
import { countPendingMembers, getCommunity } from '../store/identity';
import { getHall } from '../store/queue';
import { requireStaff } from './access';
import { appointmentStats } from './appointments';
import { consultationStats } from './consultations';
import { escortStats } from './escorts';
import { requestStats } from './grids';
import { queueStats } from './queue';
import { volunteerStats } from './volunteers';

/** The queue's figures with the category names the hall gives its codes; absent without a hall. */
async function queueIndicators(cid: string, now: Date): Promise<QueueIndicators | undefined> {
  const [figures, hall] = await Promise.all([queueStats(cid, now), getHall(cid)]);
  if (!figures || !hall) return undefined;
  return { ...figures, categories: hall.categories.map(({ code, name }) => ({ code, name })) };
}

export async function communityStats(actor: AuthUser, cid: string, now: Date): Promise<Stats> {
  await requireStaff(actor, cid);
  const [community, pending] = await Promise.all([getCommunity(cid), countPendingMembers(cid)]);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  const month = localDate(now, community.timezone).slice(0, 7);
  const [appointments, queue, consultations, volunteers, escorts, requests] = await Promise.all([
    appointmentStats(cid, now, community.timezone),
    queueIndicators(cid, now),
    consultationStats(cid, now),
    volunteerStats(cid, now),
    escortStats(cid, month, community.timezone),
    requestStats(cid, month, now),
  ]);
  return {
    communityId: cid,
    date: localDate(now, community.timezone),
    members: {
      total: community.verifiedMembers + pending,
      verified: community.verifiedMembers,
      pending,
      households: community.verifiedHouseholds,
    },
    appointments,
    queue,
    consultations,
    volunteers,
    escorts,
    requests,
  };
}
