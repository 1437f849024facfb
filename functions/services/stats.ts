/**
 * Indicators for the committee (policy 003). Each capability contributes its own section.
 */
import { AppError } from '@contract/errors';
import type { Stats } from '@contract/stats';
import { localDate } from '../domain/time';
import type { AuthUser } from '../lib/tokens';
import { countPendingMembers, getCommunity } from '../store/identity';
import { requireStaff } from './access';
import { appointmentStats } from './appointments';
import { consultationStats } from './consultations';
import { queueStats } from './queue';
import { volunteerStats } from './volunteers';

export async function communityStats(actor: AuthUser, cid: string, now: Date): Promise<Stats> {
  await requireStaff(actor, cid);
  const [community, pending] = await Promise.all([getCommunity(cid), countPendingMembers(cid)]);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  return {
    communityId: cid,
    date: localDate(now, community.timezone),
    members: {
      total: community.verifiedMembers + pending,
      verified: community.verifiedMembers,
      pending,
      households: community.verifiedHouseholds,
    },
    appointments: await appointmentStats(cid, now, community.timezone),
    queue: await queueStats(cid, now),
    consultations: await consultationStats(cid, now),
    volunteers: await volunteerStats(cid, now),
  };
}
