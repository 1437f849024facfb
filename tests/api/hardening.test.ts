/**
 * Input the API refuses clearly (API.md "Hardening rules that apply to every route"): unknown
 * body fields at any depth, dates that are not on the calendar, and pagination cursors that were
 * not issued for the query they are sent to. Each is a 400 VALIDATION, never a silent drop or a 500.
 */
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '@contract/openapi';
import { routes } from '@contract/routes';
import { joined, newCommunity, staffOf } from '../support/actors';
import { call } from '../support/stack';

const COMMUNITY = { name: '测试社区', district: '鼓楼区', street: '西司门街道', residents: 10000, households: 3500 };
const HALL = { categories: [{ code: 'A', name: '社保医保' }], windows: [{ no: 1, categories: ['A'] }] };
const SCHEDULE = { weekly: { mon: [['09:00', '12:00']] }, slotMinutes: 30, capacityPerSlot: 5, bookAheadDays: 14 };
const SERVICE = { name: '社保卡办理', category: 'A', durationMin: 20, materials: ['居民身份证原件'], schedule: SCHEDULE };

interface Detail {
  path: string;
  message: string;
}

const details = (body: { error: { details?: Detail[] } }): Detail[] => body.error.details ?? [];

async function serviceWorld() {
  const { id: cid, admin } = await newCommunity();
  const staff = await staffOf(cid);
  return { cid, admin, staff };
}

describe('unknown body fields', () => {
  it('refuses a field the contract does not know, naming it, instead of dropping it', async () => {
    const { admin } = await newCommunity();
    const reply = await call('POST', '/v1/communities', { token: admin.token, body: { ...COMMUNITY, mayor: '张三' } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('VALIDATION');
    expect(details(reply.body)).toContainEqual({ path: 'body.mayor', message: expect.stringContaining('mayor') });
  });

  it('refuses an unknown field inside a hall layout category', async () => {
    const { cid, staff } = await serviceWorld();
    const body = { ...HALL, categories: [{ code: 'A', name: '社保医保', colour: 'red' }] };
    const reply = await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body });
    expect(reply.status).toBe(400);
    expect(details(reply.body)).toContainEqual({ path: 'body.categories.0.colour', message: expect.stringContaining('colour') });
  });

  it('refuses an unknown field inside a service schedule', async () => {
    const { cid, staff } = await serviceWorld();
    const body = { ...SERVICE, schedule: { ...SCHEDULE, lunchBreak: true } };
    const reply = await call('POST', `/v1/communities/${cid}/services`, { token: staff.token, body });
    expect(reply.status).toBe(400);
    expect(details(reply.body)).toContainEqual({ path: 'body.schedule.lunchBreak', message: expect.stringContaining('lunchBreak') });
  });

  it('declares every request body closed to unknown fields, at every depth, in the OpenAPI document', () => {
    const open: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (!node || typeof node !== 'object') return;
      const schema = node as { type?: string; properties?: object; additionalProperties?: unknown };
      if (schema.type === 'object' && schema.properties && schema.additionalProperties !== false) open.push(at);
      for (const [key, child] of Object.entries(node)) visit(child, `${at}.${key}`);
    };
    const paths = openApiDocument().paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
    let bodies = 0;
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation.requestBody) continue;
        bodies++;
        visit(operation.requestBody.content['application/json']?.schema, `${method.toUpperCase()} ${path}`);
      }
    }
    expect(bodies).toBeGreaterThan(30);
    expect(open).toEqual([]);
  });
});

describe('responses', () => {
  it('stay open to fields added later, at every depth, so an older mini-program still reads them', async () => {
    const { id: cid } = await newCommunity();
    const member = await joined(cid);
    const me = await call('GET', '/v1/me', { token: member.token });
    expect(me.status).toBe(200);
    expect(me.body.memberships).toHaveLength(1);
    const later = { ...me.body, addedLater: 1, memberships: [{ ...me.body.memberships[0], alsoLater: 'x' }] };
    expect(routes.me.response?.safeParse(later).success).toBe(true);
  });
});

describe('calendar dates', () => {
  it('refuses a day that is not in the month, in a body', async () => {
    const { cid, staff } = await serviceWorld();
    const body = { ...SERVICE, schedule: { ...SCHEDULE, closures: ['2026-02-30'] } };
    const reply = await call('POST', `/v1/communities/${cid}/services`, { token: staff.token, body });
    expect(reply.status).toBe(400);
    expect(details(reply.body).map((d) => d.path)).toContain('body.schedule.closures.0');
  });

  it.each(['2026-02-30', '2026-13-01', '2026-04-31', '2026-00-10'])('refuses %s in a query', async (date) => {
    const { cid, staff } = await serviceWorld();
    const created = await call('POST', `/v1/communities/${cid}/services`, { token: staff.token, body: SERVICE });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const slots = await call('GET', `/v1/services/${created.body.id}/slots?date=${date}`);
    expect(slots.status).toBe(400);
    expect(details(slots.body)).toContainEqual({ path: 'query.date', message: expect.stringMatching(/日期/) });
    const activities = await call('GET', `/v1/communities/${cid}/activities?from=${date}`);
    expect(activities.status).toBe(400);
  });

  it('accepts the 29th of February in a leap year only, in a query and in a date-time', async () => {
    const { cid, staff } = await serviceWorld();
    const leap = await call('GET', `/v1/communities/${cid}/activities?from=2028-02-29`);
    expect(leap.status).toBe(200);
    const plain = await call('GET', `/v1/communities/${cid}/activities?from=2027-02-29`);
    expect(plain.status).toBe(400);
    const body = {
      title: '是否在3号楼加装电梯',
      body: '3号楼居民提出加装电梯，请各位业主表达意见。',
      options: [{ label: '同意' }, { label: '不同意' }],
      maxChoices: 1,
      eligibility: 'resident',
      opensAt: '2026-02-30T09:00:00+08:00',
      closesAt: '2026-03-05T09:00:00+08:00',
    };
    const consultation = await call('POST', `/v1/communities/${cid}/consultations`, { token: staff.token, body });
    expect(consultation.status).toBe(400);
    expect(details(consultation.body).map((d) => d.path)).toEqual(['body.opensAt']);
  });
});

describe('pagination cursors', () => {
  /** A community with three residents, so a page of one has a next. */
  async function threeMembers() {
    const { id: cid, admin } = await newCommunity();
    for (let i = 0; i < 3; i++) await joined(cid);
    const first = await call('GET', `/v1/communities/${cid}/members?limit=1`, { token: admin.token });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.next).toEqual(expect.any(String));
    return { cid, admin, next: first.body.next as string };
  }

  const refusedAsCursor = (reply: { status: number; body: { error: { code: string; details?: Detail[] } } }) => {
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('VALIDATION');
    expect(details(reply.body).map((d) => d.path)).toContain('cursor');
  };

  it('follows a cursor it issued to the next page', async () => {
    const { cid, admin, next } = await threeMembers();
    const second = await call('GET', `/v1/communities/${cid}/members?limit=1&cursor=${next}`, { token: admin.token });
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
  });

  it.each([
    ['a key of the wrong shape', Buffer.from(JSON.stringify({ pk: 1, sk: ['x'] })).toString('base64url')],
    ['a key with a made-up checksum', `${Buffer.from(JSON.stringify({ gsi2pk: 'x', gsi2sk: 'y', pk: 'p', sk: 's' })).toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`],
    ['random text', 'not-a-cursor'],
  ])('refuses a garbled cursor (%s) with 400, not 500', async (_what, cursor) => {
    const { cid, admin } = await threeMembers();
    refusedAsCursor(await call('GET', `/v1/communities/${cid}/members?limit=1&cursor=${cursor}`, { token: admin.token }));
  });

  it("refuses a cursor from another community's list", async () => {
    const { next } = await threeMembers();
    const other = await threeMembers();
    refusedAsCursor(await call('GET', `/v1/communities/${other.cid}/members?limit=1&cursor=${next}`, { token: other.admin.token }));
  });

  it('refuses a cursor from the same list filtered differently', async () => {
    const { cid, admin, next } = await threeMembers();
    refusedAsCursor(await call('GET', `/v1/communities/${cid}/members?verified=false&limit=1&cursor=${next}`, { token: admin.token }));
  });

  it('refuses a cursor from another route', async () => {
    const { cid, admin, next } = await threeMembers();
    refusedAsCursor(await call('GET', `/v1/communities/${cid}/services?limit=1&cursor=${next}`));
    refusedAsCursor(await call('GET', `/v1/communities/${cid}/volunteers?limit=1&cursor=${next}`, { token: admin.token }));
    refusedAsCursor(await call('GET', `/v1/me/appointments?limit=1&cursor=${next}`, { token: admin.token }));
  });
});
