/**
 * The demo service hall: A 社保, B 民政, C 计生/综合; windows 1–4 with their categories; a morning's
 * worth of tickets (one done and rated, one at a window, a few waiting, one priority).
 */
import { localDate, minutesIntoDay } from '../../functions/domain/time';
import { newId } from '../../functions/lib/ids';
import * as queue from '../../functions/services/queue';
import * as identity from '../../functions/store/identity';
import { DEMO_COMMUNITY } from './identity';

/** The hall's morning spans the 40 minutes before now; just after midnight it is squeezed into the minutes since, so every ticket is today's. */
const MORNING_MIN = 40;
function morning(now: Date): (delta: number) => Date {
  const scale = Math.min(1, minutesIntoDay(now, localDate(now)) / MORNING_MIN);
  return (delta) => new Date(now.getTime() + delta * scale * 60000);
}

export async function seedQueue(people: Record<string, string>, now: Date): Promise<void> {
  const staff = { id: people['staff-wang'] ?? 'staff', admin: true };
  await queue.putHall(
    staff,
    DEMO_COMMUNITY,
    {
      categories: [
        { code: 'A', name: '社保' },
        { code: 'B', name: '民政' },
        { code: 'C', name: '计生/综合' },
      ],
      windows: [
        { no: 1, categories: ['A', 'B'] },
        { no: 2, categories: ['A'] },
        { no: 3, categories: ['B', 'C'] },
        { no: 4, categories: ['C'] },
      ],
      priorityRatio: 2,
      maxWaitMin: 60,
      // The demo hall's 办理时间: weekdays all day, Saturday mornings.
      hours: [
        { days: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' },
        { days: [6], open: '09:00', close: '12:00' },
      ],
    },
    now,
  );
  for (const no of ['1', '2', '3']) await queue.setWindow(staff, DEMO_COMMUNITY, no, true);

  // Walk-ins need not be members: a few neighbours from outside the demo cast.
  const walkIns: string[] = [];
  for (const [i, nickname] of ['周大爷', '吴女士', '郑师傅', '孙阿姨'].entries()) {
    const user = await identity.createUser({ id: newId(now), openid: `walkin-${i + 1}`, nickname, createdAt: now.toISOString() });
    walkIns.push(user.id);
  }
  const li = people['resident-li'] ?? walkIns[0]!;
  const zhang = people['resident-zhang'] ?? walkIns[1]!;
  const chen = people['volunteer-chen'] ?? walkIns[2]!;

  // A001 was served earlier and rated; A002 is at window 2 now.
  const minutes = morning(now);
  const first = await queue.issueTicket({ communityId: DEMO_COMMUNITY, category: 'A', userId: walkIns[0]!, priority: false }, minutes(-40));
  await queue.callNext(staff, DEMO_COMMUNITY, '2', minutes(-35));
  await queue.complete(staff, first.id, minutes(-27));
  await queue.rate({ id: walkIns[0]!, admin: false }, first.id, { score: 5, comment: '王主任讲得很清楚，一次就办好了' }, minutes(-26));
  await queue.issueTicket({ communityId: DEMO_COMMUNITY, category: 'A', userId: walkIns[1]!, priority: false }, minutes(-25));
  await queue.callNext(staff, DEMO_COMMUNITY, '2', minutes(-5));

  // Waiting now.
  await queue.issueTicket({ communityId: DEMO_COMMUNITY, category: 'A', userId: zhang, priority: false }, minutes(-18));
  await queue.issueTicket({ communityId: DEMO_COMMUNITY, category: 'A', userId: walkIns[2]!, priority: false }, minutes(-12));
  const elder = await queue.issueTicket({ communityId: DEMO_COMMUNITY, category: 'A', userId: walkIns[3]!, priority: false }, minutes(-8));
  await queue.markPriority(staff, elder.id, '70 岁以上老人', minutes(-7));
  await queue.issueTicket({ communityId: DEMO_COMMUNITY, category: 'B', userId: li, priority: false }, minutes(-10));
  await queue.issueTicket({ communityId: DEMO_COMMUNITY, category: 'C', userId: chen, priority: false }, minutes(-3));
}
