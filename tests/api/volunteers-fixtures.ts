/** People and activities for the volunteer tests, all made through the public API. */
import { expect } from 'vitest';
import { joined, newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';

export const HOUR = 3600_000;
/** An activity two days ahead, two hours long, credited 2 hours (times relative to the real clock: tokens live 7 days). */
export const futureStart = (): Date => new Date(Math.floor((Date.now() + 48 * HOUR) / 60_000) * 60_000);

export interface VolunteerWorld {
  cid: string;
  staff: Actor;
}

export async function world(overrides: Record<string, unknown> = {}): Promise<VolunteerWorld> {
  const { id: cid } = await newCommunity(overrides);
  return { cid, staff: await staffOf(cid) };
}

/** A verified resident (with `realName`, if given) registered as a volunteer and approved by staff. */
export async function approvedVolunteer(w: VolunteerWorld, skills: string[] = ['助老'], realName?: string): Promise<Actor> {
  const person = realName ? await joined(w.cid, undefined, { realName }) : await verifiedResident(w.cid);
  if (realName) {
    const verified = await call('POST', `/v1/communities/${w.cid}/members/${person.id}/verify`, { token: w.staff.token, body: {} });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  }
  const registered = await call('POST', `/v1/communities/${w.cid}/volunteers`, { token: person.token, body: { skills } });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const approved = await call('POST', `/v1/communities/${w.cid}/volunteers/${person.id}/approve`, { token: w.staff.token });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return person;
}

export async function activity(
  w: VolunteerWorld,
  overrides: Record<string, unknown> = {},
  start: Date = futureStart(),
): Promise<{ id: string; start: Date; end: Date; body: any }> {
  const end = new Date(start.getTime() + 2 * HOUR);
  const reply = await call('POST', `/v1/communities/${w.cid}/activities`, {
    token: w.staff.token,
    body: { title: '敬老院探访', place: '幸福里敬老院', startsAt: start.toISOString(), endsAt: end.toISOString(), capacity: 5, hours: 2, skills: ['助老'], ...overrides },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { id: reply.body.id, start, end, body: reply.body };
}

export async function signUp(activityId: string, person: Actor): Promise<void> {
  const reply = await call('POST', `/v1/activities/${activityId}/signups`, { token: person.token });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
}

/** The personal code the volunteer's page shows at `now` (check-in until checked in, then check-out). */
export async function myCode(person: Actor, activityId: string, now: Date): Promise<string> {
  const reply = await call('GET', `/v1/activities/${activityId}/checkin-code`, { token: person.token, now });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.code;
}

/** Staff scan a volunteer's code on site: 'check-in' or 'check-out'. */
export const scan = (w: VolunteerWorld, activityId: string, act: 'check-in' | 'check-out', code: string, now: Date) =>
  call('POST', `/v1/activities/${activityId}/${act}`, { token: w.staff.token, now, body: { code } });

/** Signed up, checked in by staff scanning the volunteer's code at start+5 min and out at start+95 min. */
export async function attended(w: VolunteerWorld, act: { id: string; start: Date }, person: Actor): Promise<void> {
  await signUp(act.id, person);
  const inAt = new Date(act.start.getTime() + 5 * 60_000);
  const checkIn = await scan(w, act.id, 'check-in', await myCode(person, act.id, inAt), inAt);
  expect(checkIn.status, JSON.stringify(checkIn.body)).toBe(200);
  const outAt = new Date(act.start.getTime() + 95 * 60_000);
  const checkOut = await scan(w, act.id, 'check-out', await myCode(person, act.id, outAt), outAt);
  expect(checkOut.status, JSON.stringify(checkOut.body)).toBe(200);
}
