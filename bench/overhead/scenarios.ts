/**
 * The hot endpoints and the worlds they run in. A world is a community with a hall (windows
 * open, a few tickets waiting), a bookable service, a verified resident who is an approved
 * volunteer, and an activity; each iteration adds a walk-in and a consultation. Everything is
 * made through the public API (in-process), so the data is what the product writes.
 */
import { randomUUID } from 'node:crypto';

export interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Reply {
  status: number;
  body: any;
}

/** Sends a request in-process (setup: untimed). */
export type Send = (request: Request) => Promise<Reply>;

export function request(method: string, url: string, options: { token?: string; body?: unknown; key?: boolean } = {}): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  // The mini-program sends an Idempotency-Key with every write (hooks/use-submit.ts).
  if (options.key) headers['idempotency-key'] = randomUUID();
  return { method, url, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) };
}

async function ok(send: Send, req: Request, what: string): Promise<any> {
  const reply = await send(req);
  if (reply.status >= 300) throw new Error(`setup: ${what} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

let counter = 0;
const openid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 12)}`;

async function login(send: Send, id = openid('bench')): Promise<{ id: string; token: string }> {
  const body = await ok(send, request('POST', '/v1/auth/dev', { body: { openid: id } }), 'login');
  return { id: body.user.id, token: body.token };
}

const EVERY_DAY = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['08:00', '20:00']]]));

export interface World {
  cid: string;
  staff: { id: string; token: string };
  resident: { id: string; token: string };
  sid: string;
  date: string;
  slotStart: string;
  activity: string;
  /** The day's hall QR token: walk-ins prove they are in the hall with it. */
  hallToken: string;
  /** Filled by the iteration: the walk-in, their ticket, the appointment, the consultation. */
  walkIn?: { id: string; token: string };
  ticket?: string;
  appointment?: string;
  consultation?: { id: string; option: string };
}

export async function makeWorld(send: Send): Promise<World> {
  const admin = await login(send, 'admin');
  const community = await ok(send, request('POST', '/v1/communities', {
    token: admin.token,
    body: { name: `基准社区${++counter}`, district: '鼓楼区', street: '西司门街道', residents: 10000, households: 3500 },
  }), 'community');
  const cid: string = community.id;
  const staff = await login(send, openid('staff'));
  await ok(send, request('PUT', `/v1/communities/${cid}/staff/${staff.id}`, { token: admin.token }), 'staff');
  await ok(send, request('PUT', `/v1/communities/${cid}/hall`, {
    token: staff.token,
    body: { categories: [{ code: 'A', name: '社保' }, { code: 'B', name: '民政' }], windows: [{ no: 1, categories: ['A', 'B'] }, { no: 2, categories: ['A'] }] },
  }), 'hall');
  for (const no of [1, 2]) await ok(send, request('POST', `/v1/communities/${cid}/windows/${no}/open`, { token: staff.token }), 'open window');
  const { token: hallToken } = await ok(send, request('GET', `/v1/communities/${cid}/hall/qr`, { token: staff.token }), 'hall qr');
  // A few people already waiting, so every call-next finds a ticket and the hall is never empty.
  for (let i = 0; i < 5; i++) {
    const person = await login(send);
    await ok(send, request('POST', `/v1/communities/${cid}/tickets`, { token: person.token, body: { category: 'A', hallToken } }), 'prefill ticket');
  }
  const resident = await login(send);
  await ok(send, request('POST', `/v1/communities/${cid}/members`, { token: resident.token, body: { household: `3-2-${100 + counter}` } }), 'join');
  await ok(send, request('POST', `/v1/communities/${cid}/members/${resident.id}/verify`, { token: admin.token, body: {} }), 'verify');
  const service = await ok(send, request('POST', `/v1/communities/${cid}/services`, {
    token: staff.token,
    body: { name: '社保卡办理', category: 'A', durationMin: 20, materials: ['居民身份证原件'], schedule: { weekly: EVERY_DAY, slotMinutes: 30, capacityPerSlot: 5, bookAheadDays: 14 } },
  }), 'service');
  const sid: string = service.id;
  const dates = await ok(send, request('GET', `/v1/services/${sid}/dates`), 'dates');
  const today = new Date().toISOString().slice(0, 10);
  const day = (dates.items as { date: string; open: boolean; available: number }[]).find((d) => d.open && d.available > 0 && d.date > today);
  if (!day) throw new Error('setup: no bookable date in the next two weeks');
  const slots = await ok(send, request('GET', `/v1/services/${sid}/slots?date=${day.date}`), 'slots');
  const slot = (slots.items as { start: string; available: number }[]).find((s) => s.available > 0);
  if (!slot) throw new Error('setup: no free slot');
  await ok(send, request('POST', `/v1/communities/${cid}/volunteers`, { token: resident.token, body: { skills: ['助老'] } }), 'volunteer');
  await ok(send, request('POST', `/v1/communities/${cid}/volunteers/${resident.id}/approve`, { token: staff.token }), 'approve');
  const start = new Date(Math.floor((Date.now() + 48 * 3600_000) / 60_000) * 60_000);
  const activity = await ok(send, request('POST', `/v1/communities/${cid}/activities`, {
    token: staff.token,
    body: { title: '敬老院探访', place: '幸福里敬老院', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 2 * 3600_000).toISOString(), capacity: 1000, hours: 2, skills: ['助老'] },
  }), 'activity');
  return { cid, staff, resident, hallToken, sid, date: day.date, slotStart: slot.start, activity: activity.id };
}

/** Untimed, before each iteration: a new walk-in (one active ticket per person) and a new consultation (one ballot per voter). */
export async function prepareIteration(send: Send, w: World): Promise<void> {
  w.walkIn = await login(send);
  const now = Date.now();
  const c = await ok(send, request('POST', `/v1/communities/${w.cid}/consultations`, {
    token: w.staff.token,
    body: {
      title: '是否在3号楼加装电梯', body: '请各位居民表达意见。', options: [{ label: '同意' }, { label: '不同意' }], maxChoices: 1,
      eligibility: 'resident', opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 6 * 3600_000).toISOString(),
    },
  }), 'consultation');
  w.consultation = { id: c.id, option: c.options[0].id };
}

/** Untimed, after each iteration: the signup is cancelled so the resident can sign up again. */
export async function finishIteration(send: Send, w: World): Promise<void> {
  await ok(send, request('DELETE', `/v1/activities/${w.activity}/signups/me`, { token: w.resident.token, key: true }), 'cancel signup');
}

export interface Endpoint {
  name: string;
  route: string;
  request(w: World): Request;
  /** Keeps what later endpoints of the iteration need (the ticket, the appointment). */
  after?(w: World, body: any): void;
}

export const ENDPOINTS: Endpoint[] = [
  {
    name: 'take ticket',
    route: 'POST /v1/communities/{cid}/tickets',
    request: (w) => request('POST', `/v1/communities/${w.cid}/tickets`, { token: w.walkIn!.token, body: { category: 'A', hallToken: w.hallToken }, key: true }),
    after: (w, body) => {
      w.ticket = body.id;
    },
  },
  {
    name: 'my ticket (position)',
    route: 'GET /v1/tickets/{id}',
    request: (w) => request('GET', `/v1/tickets/${w.ticket}`, { token: w.walkIn!.token }),
  },
  { name: 'board', route: 'GET /v1/communities/{cid}/hall/board', request: (w) => request('GET', `/v1/communities/${w.cid}/hall/board`) },
  {
    name: 'call next',
    route: 'POST /v1/communities/{cid}/windows/{no}/call-next',
    request: (w) => request('POST', `/v1/communities/${w.cid}/windows/1/call-next`, { token: w.staff.token, key: true }),
  },
  { name: 'list slots', route: 'GET /v1/services/{sid}/slots', request: (w) => request('GET', `/v1/services/${w.sid}/slots?date=${w.date}`) },
  {
    name: 'book appointment',
    route: 'POST /v1/services/{sid}/appointments',
    request: (w) => request('POST', `/v1/services/${w.sid}/appointments`, { token: w.resident.token, body: { start: w.slotStart }, key: true }),
    after: (w, body) => {
      w.appointment = body.id;
    },
  },
  {
    name: 'cancel appointment',
    route: 'DELETE /v1/appointments/{id}',
    request: (w) => request('DELETE', `/v1/appointments/${w.appointment}`, { token: w.resident.token, key: true }),
  },
  {
    name: 'vote',
    route: 'POST /v1/consultations/{id}/ballots',
    request: (w) => request('POST', `/v1/consultations/${w.consultation!.id}/ballots`, { token: w.resident.token, body: { choices: [w.consultation!.option] }, key: true }),
  },
  {
    name: 'sign up for an activity',
    route: 'POST /v1/activities/{id}/signups',
    request: (w) => request('POST', `/v1/activities/${w.activity}/signups`, { token: w.resident.token, key: true }),
  },
];
