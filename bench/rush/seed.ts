/**
 * The rush's community, seeded through the public API (seeding time is not in the figures):
 * an admin-made community, 4 staff (one per window), the hall (3 categories, 4 windows, all
 * open), `residents` verified members in `residents / 2` households (two per flat), one service
 * whose morning slots hold fewer places than there are bookers, and one household-ballot
 * consultation open now and closing at `closesAt`.
 */
import { Client, Pool } from './http';

export const CATEGORIES = ['A', 'B', 'C'] as const;
export const WINDOWS = [
  { no: 1, categories: ['A'] },
  { no: 2, categories: ['A', 'B'] },
  { no: 3, categories: ['B', 'C'] },
  { no: 4, categories: ['C'] },
];

export interface Person {
  index: number;
  openid: string;
  id: string;
  household: string;
}

export interface World {
  cid: string;
  staff: { id: string; token: string }[];
  people: Person[];
  sid: string;
  /** The morning's slots as seeded: 09:00–12:00 in 30-minute slots. */
  slotCapacity: number;
  slotCount: number;
  consultationId: string;
  options: string[];
}

export interface SeedPlan {
  residents: number;
  /** Places per 30-minute slot (6 slots in the morning). */
  capacityPerSlot: number;
  date: string;
  now: Date;
  opensAt: Date;
  closesAt: Date;
}

/** Two residents per flat: resident 2k and 2k+1 live in household k. */
export const householdOf = (index: number): string => {
  const k = Math.floor(index / 2);
  return `${1 + Math.floor(k / 100)}-${1 + Math.floor((k % 100) / 25)}-${101 + (k % 25)}`;
};

function must<T>(reply: { status: number; body: T }, what: string, status = 200): T {
  if (reply.status !== status) throw new Error(`seeding: ${what} answered ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function seed(client: Client, plan: SeedPlan, log: (line: string) => void): Promise<World> {
  const now = plan.now;
  const pool = new Pool('seed', 48);
  const login = async (openid: string, nickname?: string) =>
    must(await client.request<{ token: string; user: { id: string } }>('POST /v1/auth/dev', 'POST', '/v1/auth/dev', { body: { openid, ...(nickname ? { nickname } : {}) }, now }), `login ${openid}`);

  const admin = await login('admin');
  const community = must(
    await client.request<{ id: string }>('POST /v1/communities', 'POST', '/v1/communities', {
      token: admin.token,
      now,
      body: { name: '早高峰压测社区', district: '鼓楼区', street: '西司门街道', residents: plan.residents, households: Math.ceil(plan.residents / 2) },
    }),
    'create community',
    201,
  );
  const cid = community.id;

  const staff: { id: string; token: string }[] = [];
  for (const w of WINDOWS) {
    const who = await login(`rush-staff-${w.no}`, `窗口${w.no}`);
    must(await client.request('PUT staff', 'PUT', `/v1/communities/${cid}/staff/${who.user.id}`, { token: admin.token, now }), 'appoint staff');
    staff.push({ id: who.user.id, token: who.token });
  }
  const lead = staff[0]!;
  must(
    await client.request('PUT hall', 'PUT', `/v1/communities/${cid}/hall`, {
      token: lead.token,
      now,
      body: { categories: [{ code: 'A', name: '社保' }, { code: 'B', name: '民政' }, { code: 'C', name: '计生/综合' }], windows: WINDOWS },
    }),
    'hall layout',
  );
  for (const w of WINDOWS) must(await client.request('open window', 'POST', `/v1/communities/${cid}/windows/${w.no}/open`, { token: lead.token, now }), 'open window');

  // Residents: log in, ask to join with the flat, verified by the staff (spread over the four).
  const people: Person[] = new Array(plan.residents);
  let done = 0;
  await Promise.all(
    Array.from({ length: plan.residents }, (_, index) =>
      pool.run(async () => {
        const openid = `rush-${String(index).padStart(5, '0')}`;
        const user = await login(openid);
        const household = householdOf(index);
        must(await client.request('POST members', 'POST', `/v1/communities/${cid}/members`, { token: user.token, now, body: { household } }), `join ${openid}`, 201);
        const verifier = staff[index % staff.length]!;
        must(await client.request('POST verify', 'POST', `/v1/communities/${cid}/members/${user.user.id}/verify`, { token: verifier.token, now, body: {} }), `verify ${openid}`);
        people[index] = { index, openid, id: user.user.id, household };
        if (++done % 500 === 0) log(`  seeded ${done}/${plan.residents} residents`);
      }),
    ),
  );

  const service = must(
    await client.request<{ id: string }>('POST services', 'POST', `/v1/communities/${cid}/services`, {
      token: lead.token,
      now,
      body: {
        name: '社保卡办理',
        category: 'A',
        durationMin: 20,
        materials: ['居民身份证原件'],
        schedule: {
          weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '12:00']]])),
          slotMinutes: 30,
          capacityPerSlot: plan.capacityPerSlot,
          bookAheadDays: 7,
          // The chosen date is a working day; naming it keeps the run independent of the calendar.
          openDays: [plan.date],
        },
      },
    }),
    'create service',
    201,
  );
  const slots = must(await client.request<{ items: { capacity: number }[] }>('GET slots', 'GET', `/v1/services/${service.id}/slots?date=${plan.date}`, { now }), 'slots');
  if (slots.items.length === 0) throw new Error(`seeding: no slots on ${plan.date}`);

  const consultation = must(
    await client.request<{ id: string; options: { id: string }[] }>('POST consultations', 'POST', `/v1/communities/${cid}/consultations`, {
      token: lead.token,
      now,
      body: {
        title: '是否在小区东门增设非机动车充电棚',
        body: '早高峰压测：一户一票，截止前最后一分钟集中投票。',
        options: [{ label: '同意' }, { label: '不同意' }, { label: '弃权' }],
        maxChoices: 1,
        eligibility: 'household',
        opensAt: plan.opensAt.toISOString(),
        closesAt: plan.closesAt.toISOString(),
      },
    }),
    'create consultation',
    201,
  );

  return {
    cid,
    staff,
    people,
    sid: service.id,
    slotCapacity: slots.items.reduce((sum, s) => sum + s.capacity, 0),
    slotCount: slots.items.length,
    consultationId: consultation.id,
    options: consultation.options.map((o) => o.id),
  };
}
