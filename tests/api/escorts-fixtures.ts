/**
 * The 志愿陪同 tests' world: a community with staff, a service, an elder who gave a real name and a
 * phone, a daughter with her own login, and volunteers; everything made through the public API
 * on the family tests' clock (Monday 16 November 2026, 09:00; the booking is Tuesday 10:00).
 */
import { expect } from 'vitest';
import { joined, login, newCommunity, staffOf, type Actor } from '../support/actors';
import { call, type Reply } from '../support/stack';
import { NOW, SLOT, serviceOf } from './family-fixtures';
import { approvedVolunteer } from './volunteers-fixtures';

export { NOW, SLOT };
export const ELDER = { realName: '王秀英', phone: '13800001111' };
export const ASK = { need: '助老', note: '坐轮椅，请到小区门口接' };

export interface EscortWorld {
  cid: string;
  staff: Actor;
  sid: string;
  elder: Actor & { household: string };
  daughter: Actor;
}

/** A verified resident who gave a real name and phone (verified by staff). */
export async function resident(cid: string, staff: Actor, person: { realName?: string; phone?: string } = {}): Promise<Actor & { household: string }> {
  const who = await joined(cid, undefined, person);
  const verified = await call('POST', `/v1/communities/${cid}/members/${who.id}/verify`, { token: staff.token, body: {} });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  return who;
}

export async function escortWorld(): Promise<EscortWorld> {
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  const [sid, elder, daughter] = await Promise.all([serviceOf(cid, staff), resident(cid, staff, ELDER), login()]);
  return { cid, staff, sid, elder, daughter };
}

/** An approved volunteer of the world's community, with these skills (and a real name, if given). */
export const volunteer = (w: EscortWorld, skills: string[] = ['助老'], realName?: string): Promise<Actor> =>
  approvedVolunteer({ cid: w.cid, staff: w.staff }, skills, realName);

/** Books the world's service at `start` with an escort, as `as` (the elder's token, or a proxy's with the header); answers the booking. */
export async function bookWithEscort(
  w: EscortWorld,
  options: { as?: { token: string; headers?: Record<string, string> }; escort?: Record<string, unknown>; start?: string; now?: Date } = {},
): Promise<{ appointmentId: string; escortId: string }> {
  const as = options.as ?? { token: w.elder.token };
  const reply = await call('POST', `/v1/services/${w.sid}/appointments`, {
    ...as, now: options.now ?? NOW, body: { start: options.start ?? SLOT, escort: options.escort ?? ASK },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  expect(reply.body.escortId).toEqual(expect.any(String));
  return { appointmentId: reply.body.id, escortId: reply.body.escortId };
}

export const getEscort = (id: string, as: { token: string; headers?: Record<string, string> }, now: Date = NOW): Promise<Reply> =>
  call('GET', `/v1/escorts/${id}`, { ...as, now });

export const take = (id: string, who: Actor, now: Date = NOW): Promise<Reply> => call('POST', `/v1/activities/${id}/signups`, { token: who.token, now });

export async function taken(id: string, who: Actor, now: Date = NOW): Promise<void> {
  const reply = await take(id, who, now);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
}

/** Staff mark the booking 办结. */
export async function completed(w: EscortWorld, appointmentId: string, now: Date = NOW): Promise<void> {
  const reply = await call('POST', `/v1/appointments/${appointmentId}/complete`, { token: w.staff.token, now });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}
