/** The family-proxy tests' world: a community with staff, a verified elder and a daughter with her own login. */
import { expect } from 'vitest';
import { login, newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';

/** Monday 16 November 2026, 09:00 in Shanghai: no holiday, no 调休. */
export const NOW = new Date('2026-11-16T09:00:00+08:00');
export const SLOT = '2026-11-17T10:00:00+08:00';
export const minutesAfter = (minutes: number, from: Date = NOW) => new Date(from.getTime() + minutes * 60_000);

const SERVICE = {
  name: '高龄津贴申领',
  category: 'A',
  durationMin: 20,
  materials: ['居民身份证原件'],
  schedule: {
    weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['08:00', '18:00']]])),
    slotMinutes: 30,
    capacityPerSlot: 100,
    bookAheadDays: 14,
  },
};

export interface Family {
  cid: string;
  staff: Actor;
  elder: Actor;
  daughter: Actor;
}

export const asProxy = (proxy: Actor, elder: { id: string }) => ({ token: proxy.token, headers: { 'x-on-behalf-of': elder.id }, now: NOW });

export async function codeFor(elder: Actor, cid: string, now = NOW): Promise<string> {
  const reply = await call('POST', '/v1/me/family/codes', { token: elder.token, body: { communityId: cid }, now });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.code;
}

/** The daughter claims the elder's code and the elder confirms: an active link. */
export async function linked(elder: Actor, cid: string, daughter: Actor): Promise<string> {
  const claim = await call('POST', '/v1/family/links', { token: daughter.token, body: { code: await codeFor(elder, cid) }, now: NOW });
  expect(claim.status, JSON.stringify(claim.body)).toBe(201);
  const confirm = await call('POST', `/v1/family/links/${claim.body.id}/confirm`, { token: elder.token, now: NOW });
  expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
  return claim.body.id;
}

export async function family(): Promise<Family> {
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  const elder = await verifiedResident(cid);
  const daughter = await login();
  return { cid, staff, elder, daughter };
}

export async function serviceOf(cid: string, staff: Actor): Promise<string> {
  const reply = await call('POST', `/v1/communities/${cid}/services`, { token: staff.token, body: SERVICE, now: NOW });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.id;
}

