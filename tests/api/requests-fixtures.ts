/**
 * A small world for the 诉求反映 tests: a community under a fresh district and its street, with
 * a grid worker, another staff member, street and district staff, and a resident in the grid.
 */
import { expect } from 'vitest';
import { admin, joined, login, newCommunity, staffOf, type Actor } from '../support/actors';
import { call, type Reply } from '../support/stack';

/** The world's resident, as they gave their name when joining. */
export const RESIDENT_NAME = '欧阳晓明';

let names = 0;
/** District names are unique: each world takes one nobody has. */
const uniqueDistrict = () => `${Date.now().toString(36)}${names++}区`;
let buildings = 0;
/** A building number no earlier world of the run used (grids hold buildings per community, but keep them apart). */
export const freshBuilding = (): string => String(1 + (buildings++ % 999));

export async function ok<T = any>(method: string, url: string, options: Parameters<typeof call>[2], status = 200): Promise<T> {
  const reply = await call(method, url, options);
  expect(reply.status, `${method} ${url}: ${JSON.stringify(reply.body)}`).toBe(status);
  return reply.body as T;
}

export interface RequestWorld {
  cid: string;
  root: Actor;
  district: string;
  street: string;
  /** The grid worker (网格员) of `building`. */
  worker: Actor;
  /** Other staff of the community. */
  colleague: Actor;
  streetStaff: Actor;
  districtStaff: Actor;
  /** A verified resident of `building`. */
  resident: Actor & { household: string };
  building: string;
  gridId: string;
}

export async function regionStaff(rid: string, root: Actor): Promise<Actor> {
  const person = await login();
  await ok('PUT', `/v1/regions/${rid}/staff/${person.id}`, { token: root.token, body: {} });
  return person;
}

export async function requestWorld(now: Date): Promise<RequestWorld> {
  const [{ id: cid }, root] = await Promise.all([newCommunity({ name: '幸福里社区' }), admin()]);
  const district = (await ok('POST', '/v1/regions', { token: root.token, body: { name: uniqueDistrict(), level: 'district' }, now }, 201)).id as string;
  const street = (await ok('POST', '/v1/regions', { token: root.token, body: { name: '西司门街道', level: 'street', parentId: district }, now }, 201)).id as string;
  await ok('PUT', `/v1/regions/${street}/communities/${cid}`, { token: root.token, body: {}, now });
  const [worker, colleague, streetStaff, districtStaff] = await Promise.all([staffOf(cid), staffOf(cid), regionStaff(street, root), regionStaff(district, root)]);
  const building = freshBuilding();
  const grid = await ok('POST', `/v1/communities/${cid}/grids`, { token: colleague.token, body: { name: '第一网格', buildings: [building], workerId: worker.id }, now }, 201);
  const joinedResident = await joined(cid, `${building}-1-${100 + buildings}`, { realName: RESIDENT_NAME, phone: '13700001111' });
  await ok('POST', `/v1/communities/${cid}/members/${joinedResident.id}/verify`, { token: root.token, body: {} });
  const resident = joinedResident;
  return { cid, root, district, street, worker, colleague, streetStaff, districtStaff, resident, building, gridId: grid.id };
}

export const file = (w: RequestWorld, now: Date, who: Actor = w.resident, body: Record<string, unknown> = { category: 'repair', text: '3 楼楼道灯不亮，晚上看不见台阶' }): Promise<Reply> =>
  call('POST', `/v1/communities/${w.cid}/requests`, { token: who.token, body, now });

export const act = (id: string, what: string, who: Actor, now: Date, body?: unknown): Promise<Reply> =>
  call('POST', `/v1/requests/${id}/${what}`, { token: who.token, now, ...(body === undefined ? {} : { body }) });
