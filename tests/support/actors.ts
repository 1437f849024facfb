/**
 * The people of a test, each made fresh so tests never share state: an admin, a community,
 * its staff and verified residents. Everything goes through the public API.
 */
import { expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { call } from './stack';

export interface Actor {
  id: string;
  token: string;
  openid: string;
}

export const uniqueOpenid = (prefix = 'u'): string => `${prefix}-${randomUUID().slice(0, 12)}`;

export async function login(openid = uniqueOpenid(), nickname?: string): Promise<Actor> {
  const reply = await call('POST', '/v1/auth/dev', { body: { openid, ...(nickname ? { nickname } : {}) } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return { id: reply.body.user.id, token: reply.body.token, openid };
}

export const admin = (): Promise<Actor> => login('admin');

export async function newCommunity(overrides: Record<string, unknown> = {}): Promise<{ id: string; admin: Actor }> {
  const root = await admin();
  const reply = await call('POST', '/v1/communities', {
    token: root.token,
    body: { name: '测试社区', district: '鼓楼区', street: '西司门街道', residents: 10000, households: 3500, ...overrides },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { id: reply.body.id, admin: root };
}

let flat = 100;
/** A fresh household number, unique within a test run. */
export const nextHousehold = (): string => `${1 + (flat % 30)}-${1 + (flat % 4)}-${flat++ + 1000}`;

export async function joined(cid: string, household = nextHousehold(), extra: Record<string, unknown> = {}): Promise<Actor & { household: string }> {
  const user = await login();
  const reply = await call('POST', `/v1/communities/${cid}/members`, { token: user.token, body: { household, ...extra } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { ...user, household: reply.body.household };
}

/** A new staff member of cid, appointed by an admin: a worker (工作人员) unless said otherwise. */
export async function staffOf(cid: string, role: 'worker' | 'director' = 'worker'): Promise<Actor> {
  const user = await login(uniqueOpenid('staff'));
  const root = await admin();
  const reply = await call('PUT', `/v1/communities/${cid}/staff/${user.id}`, { token: root.token, body: { role } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return user;
}

/** A new director (主任) of cid: appoints and removes staff. */
export const directorOf = (cid: string): Promise<Actor> => staffOf(cid, 'director');

export async function verifiedResident(cid: string, household?: string): Promise<Actor & { household: string }> {
  const resident = await joined(cid, household);
  const root = await admin();
  const reply = await call('POST', `/v1/communities/${cid}/members/${resident.id}/verify`, { token: root.token, body: {} });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return resident;
}
