/**
 * Seeds the demo community once: a second start finds it and leaves the data alone.
 * Each capability adds its own section (a file beside this one) to the list below.
 */
import { getCommunity } from '../../functions/store/identity';
import { seedAppointments } from './appointments';
import { seedConsultations } from './consultations';
import { seedNotices } from './notices';
import { seedQueue } from './queue';
import { seedRequests } from './requests';
import { DEMO_COMMUNITY, DEMO_PEOPLE, seedIdentity } from './identity';
import { seedVolunteers } from './volunteers';

export { DEMO_COMMUNITY, DEMO_PEOPLE };

export async function seedDemo(now = new Date()): Promise<'seeded' | 'kept'> {
  if (await getCommunity(DEMO_COMMUNITY)) return 'kept';
  const people = await seedIdentity(now);
  const sections: ((people: Record<string, string>, now: Date) => Promise<void>)[] = [
    // capability sections go here, e.g. seedAppointments
    seedAppointments,
    seedConsultations,
    seedQueue,
    seedVolunteers,
    seedNotices,
    seedRequests,
  ];
  for (const section of sections) await section(people, now);
  return 'seeded';
}
