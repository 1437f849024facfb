/**
 * Family proxy invariants under simultaneous requests against DynamoDB Local: the elder's three
 * places, the one-time code, and a link ended while its proxy is booking.
 */
import { describe, expect, it } from 'vitest';
import { login } from '../support/actors';
import { call } from '../support/stack';
import { NOW, SLOT, asProxy, codeFor, family, linked, serviceOf } from './family-fixtures';

const statuses = (replies: { status: number }[]) => replies.map((r) => r.status).sort();

describe('family proxy under concurrency', () => {
  it('confirms at most three of ten links confirmed at once for one elder', async () => {
    const f = await family();
    const claims = [];
    for (let i = 0; i < 10; i++) {
      const claim = await call('POST', '/v1/family/links', { token: (await login()).token, body: { code: await codeFor(f.elder, f.cid) }, now: NOW });
      expect(claim.status, JSON.stringify(claim.body)).toBe(201);
      claims.push(claim.body.id as string);
    }

    const replies = await Promise.all(claims.map((id) => call('POST', `/v1/family/links/${id}/confirm`, { token: f.elder.token, now: NOW })));
    const family_ = await call('GET', '/v1/me/family', { token: f.elder.token, now: NOW });

    expect(statuses(replies)).toEqual([...Array(3).fill(200), ...Array(7).fill(409)]);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.error.code === 'PROXY_LIMIT')).toBe(true);
    expect(family_.body.proxies.filter((l: { status: string }) => l.status === 'active')).toHaveLength(3);
  });

  it('links one family member when ten claim the same code at once', async () => {
    const f = await family();
    const code = await codeFor(f.elder, f.cid);
    const claimers = await Promise.all(Array.from({ length: 10 }, () => login()));

    const replies = await Promise.all(claimers.map((c) => call('POST', '/v1/family/links', { token: c.token, body: { code }, now: NOW })));
    const elderSees = await call('GET', '/v1/me/family', { token: f.elder.token, now: NOW });

    expect(statuses(replies)).toEqual([201, ...Array(9).fill(409)]);
    expect(elderSees.body.proxies).toHaveLength(1);
  });

  it('leaves no booking made after its link ended: every booking is answered, audited and the elder’s', async () => {
    const f = await family();
    const services = await Promise.all(Array.from({ length: 5 }, () => serviceOf(f.cid, f.staff)));
    const id = await linked(f.elder, f.cid, f.daughter);

    // The elder ends the link while the daughter books five services for her.
    const [ended, ...bookings] = await Promise.all([
      call('DELETE', `/v1/family/links/${id}`, { token: f.elder.token, now: NOW }),
      ...services.map((sid) => call('POST', `/v1/services/${sid}/appointments`, { ...asProxy(f.daughter, f.elder), body: { start: SLOT } })),
    ]);
    const made = bookings.filter((b) => b.status === 201).map((b) => b.body.id as string).sort();
    const elderHas = await call('GET', '/v1/me/appointments', { token: f.elder.token, now: NOW });
    const audit = await call('GET', `/v1/communities/${f.cid}/audit?limit=100`, { token: f.staff.token, now: NOW });
    const after = await call('POST', `/v1/services/${services[0]}/appointments`, { ...asProxy(f.daughter, f.elder), body: { start: '2026-11-18T10:00:00+08:00' } });

    expect(ended.status).toBe(200);
    expect(bookings.every((b) => b.status === 201 || b.body.error?.code === 'PROXY_NOT_LINKED'), JSON.stringify(bookings.map((b) => b.body))).toBe(true);
    expect(elderHas.body.items.map((a: { id: string }) => a.id).sort()).toEqual(made);
    const audited = audit.body.items.filter((e: { act: string }) => e.act === 'proxy.act').map((e: { detail: { on: string } }) => e.detail.on).sort();
    expect(audited).toEqual(made);
    expect(after.status).toBe(403);
  });
});
