/**
 * Family proxy (亲情代办) against DynamoDB Local: linking by one-time code, confirmation by the
 * elder or staff, ending by either side, the counter's held member, acting for the elder on
 * appointments (clearly as proxy, in the audit log), and the refusal on every consultation route.
 */
import { describe, expect, it } from 'vitest';
import { admin, login, newCommunity, staffOf } from '../support/actors';
import { call } from '../support/stack';
import { NOW, SLOT, asProxy, codeFor, family, linked, minutesAfter, serviceOf, type Family } from './family-fixtures';

const audit = async (f: Family) => (await call('GET', `/v1/communities/${f.cid}/audit?limit=100`, { token: f.staff.token, now: NOW })).body.items as {
  act: string; actorId: string; subjectId?: string; detail?: Record<string, string>;
}[];

describe('linking a family member', () => {
  it('links the daughter by the elder’s one-time code once the elder confirms', async () => {
    const f = await family();

    const code = await codeFor(f.elder, f.cid);
    const claim = await call('POST', '/v1/family/links', { token: f.daughter.token, body: { code }, now: minutesAfter(9) });
    const before = await call('GET', '/v1/me/family', { token: f.daughter.token, now: NOW });
    const confirm = await call('POST', `/v1/family/links/${claim.body.id}/confirm`, { token: f.elder.token, now: minutesAfter(10) });
    const elderSees = await call('GET', '/v1/me/family', { token: f.elder.token, now: NOW });
    const daughterSees = await call('GET', '/v1/me/family', { token: f.daughter.token, now: NOW });

    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
    expect(claim.body).toMatchObject({ status: 'pending', elderId: f.elder.id, proxyId: f.daughter.id, via: 'code' });
    expect(before.body.elders).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    expect(confirm.body.status).toBe('active');
    expect(elderSees.body.proxies).toEqual([expect.objectContaining({ id: claim.body.id, status: 'active' })]);
    expect(daughterSees.body.elders).toEqual([expect.objectContaining({ id: claim.body.id, status: 'active' })]);
    expect((await audit(f)).some((e) => e.act === 'family.link' && e.subjectId === f.elder.id && e.detail?.proxyId === f.daughter.id)).toBe(true);
  });

  it('refuses a code used a second time, or after its ten minutes', async () => {
    const f = await family();
    const used = await codeFor(f.elder, f.cid);
    const stale = await codeFor(f.elder, f.cid);

    const first = await call('POST', '/v1/family/links', { token: f.daughter.token, body: { code: used }, now: NOW });
    const again = await call('POST', '/v1/family/links', { token: (await login()).token, body: { code: used }, now: NOW });
    const late = await call('POST', '/v1/family/links', { token: (await login()).token, body: { code: stale }, now: minutesAfter(11) });

    expect(first.status).toBe(201);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('LINK_CODE_INVALID');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('LINK_CODE_INVALID');
  });

  it('lets only the elder or staff of the community confirm, never the family member who asked', async () => {
    const f = await family();
    const claim = await call('POST', '/v1/family/links', { token: f.daughter.token, body: { code: await codeFor(f.elder, f.cid) }, now: NOW });

    const bySelf = await call('POST', `/v1/family/links/${claim.body.id}/confirm`, { token: f.daughter.token, now: NOW });
    const byStranger = await call('POST', `/v1/family/links/${claim.body.id}/confirm`, { token: (await login()).token, now: NOW });
    const byStaff = await call('POST', `/v1/family/links/${claim.body.id}/confirm`, { token: f.staff.token, now: NOW });

    expect(bySelf.status).toBe(403);
    expect(bySelf.body.error.message).toContain('老人本人确认');
    expect(byStranger.status).toBe(404);
    expect(byStaff.status, JSON.stringify(byStaff.body)).toBe(200);
    expect(byStaff.body.status).toBe('active');
  });

  it('refuses a code from a resident whose household is not verified', async () => {
    const { id: cid } = await newCommunity();
    const stranger = await login();

    const reply = await call('POST', '/v1/me/family/codes', { token: stranger.token, body: { communityId: cid }, now: NOW });

    expect(reply.status).toBe(403);
  });

  it('holds at most three family members per elder', async () => {
    const f = await family();
    for (let i = 0; i < 3; i++) await linked(f.elder, f.cid, await login());
    const fourth = await call('POST', '/v1/family/links', { token: f.daughter.token, body: { code: await codeFor(f.elder, f.cid) }, now: NOW });

    const confirm = await call('POST', `/v1/family/links/${fourth.body.id}/confirm`, { token: f.elder.token, now: NOW });

    expect(confirm.status).toBe(409);
    expect(confirm.body.error.code).toBe('PROXY_LIMIT');
  });

  it('lets either side end the link, which frees its place', async () => {
    const f = await family();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await linked(f.elder, f.cid, await login()));

    const byElder = await call('DELETE', `/v1/family/links/${ids[1]}`, { token: f.elder.token, now: NOW });
    const again = await call('DELETE', `/v1/family/links/${ids[1]}`, { token: f.elder.token, now: NOW });
    const fourth = await linked(f.elder, f.cid, f.daughter);
    const byDaughter = await call('DELETE', `/v1/family/links/${fourth}`, { token: f.daughter.token, now: NOW });
    const elderSees = await call('GET', '/v1/me/family', { token: f.elder.token, now: NOW });

    expect(byElder.status).toBe(200);
    expect(byElder.body.status).toBe('ended');
    expect(again.status).toBe(409);
    expect(byDaughter.status).toBe(200);
    expect(elderSees.body.proxies.map((l: { id: string }) => l.id).sort()).toEqual([ids[0], ids[2]].sort());
    expect((await audit(f)).filter((e) => e.act === 'family.end')).toHaveLength(2);
  });
});

describe('acting for the elder', () => {
  it('books for the elder: the booking is the elder’s, counted against the elder, and the act is audited', async () => {
    const f = await family();
    const sid = await serviceOf(f.cid, f.staff);
    await linked(f.elder, f.cid, f.daughter);

    const booked = await call('POST', `/v1/services/${sid}/appointments`, { ...asProxy(f.daughter, f.elder), body: { start: SLOT } });
    const elderSees = await call('GET', '/v1/me/appointments', { token: f.elder.token, now: NOW });
    const daughterOwn = await call('GET', '/v1/me/appointments', { token: f.daughter.token, now: NOW });
    const daughterForElder = await call('GET', '/v1/me/appointments', asProxy(f.daughter, f.elder));
    const elderAgain = await call('POST', `/v1/services/${sid}/appointments`, { token: f.elder.token, body: { start: SLOT }, now: NOW });

    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(elderSees.body.items.map((a: { id: string }) => a.id)).toEqual([booked.body.id]);
    expect(daughterOwn.body.items).toEqual([]);
    expect(daughterForElder.body.items.map((a: { id: string }) => a.id)).toEqual([booked.body.id]);
    // One active booking per resident, service and day: the elder's, made by the proxy.
    expect(elderAgain.status).toBe(409);
    expect(elderAgain.body.error.code).toBe('ALREADY_BOOKED');
    expect((await audit(f)).find((e) => e.act === 'proxy.act')).toMatchObject({
      actorId: f.daughter.id, subjectId: f.elder.id, detail: { act: 'appointment.book', on: booked.body.id },
    });
  });

  it('cancels and checks in the elder’s bookings', async () => {
    const f = await family();
    const sid = await serviceOf(f.cid, f.staff);
    const other = await serviceOf(f.cid, f.staff);
    await linked(f.elder, f.cid, f.daughter);
    const first = await call('POST', `/v1/services/${sid}/appointments`, { token: f.elder.token, body: { start: SLOT }, now: NOW });
    const second = await call('POST', `/v1/services/${other}/appointments`, { ...asProxy(f.daughter, f.elder), body: { start: SLOT } });
    const hall = await call('PUT', `/v1/communities/${f.cid}/hall`, {
      token: f.staff.token, now: NOW, body: { categories: [{ code: 'A', name: '社保' }], windows: [{ no: 1, categories: ['A'] }] },
    });
    expect(hall.status, JSON.stringify(hall.body)).toBeLessThan(300);

    const cancelled = await call('DELETE', `/v1/appointments/${first.body.id}`, asProxy(f.daughter, f.elder));
    const checkedIn = await call('POST', `/v1/appointments/${second.body.id}/check-in`, { ...asProxy(f.daughter, f.elder), now: minutesAfter(-10, new Date(SLOT)) });

    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(checkedIn.status, JSON.stringify(checkedIn.body)).toBe(200);
    expect(checkedIn.body.category).toBe('A');
    const acts = (await audit(f)).filter((e) => e.act === 'proxy.act').map((e) => e.detail?.act);
    expect(acts.sort()).toEqual(['appointment.book', 'appointment.cancel', 'appointment.checkIn']);
  });

  it('refuses to act for someone the caller is not linked to, or once the link has ended', async () => {
    const f = await family();
    const sid = await serviceOf(f.cid, f.staff);
    const id = await linked(f.elder, f.cid, f.daughter);
    const stranger = await login();

    const unlinked = await call('POST', `/v1/services/${sid}/appointments`, { ...asProxy(stranger, f.elder), body: { start: SLOT } });
    await call('DELETE', `/v1/family/links/${id}`, { token: f.elder.token, now: NOW });
    const ended = await call('POST', `/v1/services/${sid}/appointments`, { ...asProxy(f.daughter, f.elder), body: { start: SLOT } });
    const list = await call('GET', '/v1/me/appointments', asProxy(f.daughter, f.elder));

    expect(unlinked.status).toBe(403);
    expect(unlinked.body.error.code).toBe('PROXY_NOT_LINKED');
    expect(ended.status).toBe(403);
    expect(ended.body.error.message).toBe('您还不是这位居民的代办家人，或代办关系已结束');
    expect(list.status).toBe(403);
  });

  it('refuses a malformed or self-naming on-behalf-of header with a 400', async () => {
    const f = await family();

    const garbled = await call('GET', '/v1/me/appointments', { token: f.daughter.token, headers: { 'x-on-behalf-of': '../x' }, now: NOW });
    const self = await call('GET', '/v1/me/appointments', { token: f.daughter.token, headers: { 'x-on-behalf-of': f.daughter.id }, now: NOW });

    expect(garbled.status).toBe(400);
    expect(self.status).toBe(400);
    expect(garbled.body.error.code).toBe('VALIDATION');
  });
});

describe('queue tickets and volunteer hours for the elder', () => {
  it('takes a ticket for the elder and follows it; the board never shows the proxy', async () => {
    const f = await family();
    const hall = await call('PUT', `/v1/communities/${f.cid}/hall`, {
      token: f.staff.token, now: NOW, body: { categories: [{ code: 'A', name: '社保' }], windows: [{ no: 1, categories: ['A'] }] },
    });
    expect(hall.status, JSON.stringify(hall.body)).toBeLessThan(300);
    await linked(f.elder, f.cid, f.daughter);

    const taken = await call('POST', `/v1/communities/${f.cid}/tickets`, { ...asProxy(f.daughter, f.elder), body: { category: 'A' } });
    const followed = await call('GET', `/v1/tickets/${taken.body.id}`, asProxy(f.daughter, f.elder));
    const withoutHeader = await call('GET', `/v1/tickets/${taken.body.id}`, { token: f.daughter.token, now: NOW });
    const elderToday = await call('GET', '/v1/me/tickets', { token: f.elder.token, now: NOW });
    const daughterToday = await call('GET', '/v1/me/tickets', { token: f.daughter.token, now: NOW });
    const board = await call('GET', `/v1/communities/${f.cid}/hall/board`, { now: NOW });

    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect(followed.status).toBe(200);
    expect(followed.body).toMatchObject({ id: taken.body.id, status: 'waiting', position: 1 });
    expect(withoutHeader.status).toBe(404);
    expect(elderToday.body.items.map((t: { id: string }) => t.id)).toEqual([taken.body.id]);
    expect(daughterToday.body.items).toEqual([]);
    expect(JSON.stringify(board.body)).not.toContain(f.daughter.id);
    expect((await audit(f)).find((e) => e.act === 'proxy.act')?.detail).toEqual({ act: 'ticket.take', on: taken.body.id });
  });

  it('shows the elder’s volunteer hours to the proxy', async () => {
    const f = await family();
    const registered = await call('POST', `/v1/communities/${f.cid}/volunteers`, { token: f.elder.token, body: { skills: ['助老'] }, now: NOW });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const approved = await call('POST', `/v1/communities/${f.cid}/volunteers/${f.elder.id}/approve`, { token: f.staff.token, now: NOW });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const hours = await call('POST', `/v1/communities/${f.cid}/volunteers/${f.elder.id}/corrections`, {
      token: f.staff.token, body: { hours: 3, reason: '补记上月服务' }, now: NOW,
    });
    expect(hours.status, JSON.stringify(hours.body)).toBeLessThan(300);
    await linked(f.elder, f.cid, f.daughter);

    const forElder = await call('GET', `/v1/me/volunteer?communityId=${f.cid}`, asProxy(f.daughter, f.elder));
    const own = await call('GET', `/v1/me/volunteer?communityId=${f.cid}`, { token: f.daughter.token, now: NOW });
    const certificate = await call('GET', `/v1/me/volunteer/certificate?communityId=${f.cid}`, asProxy(f.daughter, f.elder));

    expect(forElder.status, JSON.stringify(forElder.body)).toBe(200);
    expect(forElder.body).toMatchObject({ status: 'approved', totalHours: 3 });
    expect(own.status).toBe(404);
    expect(certificate.status).toBe(200);
    expect(certificate.headers['content-type']).toContain('application/pdf');
  });
});

describe('at the counter', () => {
  it('creates a held member for an elder without a phone and links a family member who then books for them', async () => {
    const f = await family();
    const sid = await serviceOf(f.cid, f.staff);

    const held = await call('POST', `/v1/communities/${f.cid}/held-members`, { token: f.staff.token, body: { realName: '李秀兰', household: '9-1-101' }, now: NOW });
    const link = await call('POST', `/v1/communities/${f.cid}/family/links`, { token: f.staff.token, body: { elderId: held.body.userId, proxyId: f.daughter.id }, now: NOW });
    const booked = await call('POST', `/v1/services/${sid}/appointments`, { ...asProxy(f.daughter, { id: held.body.userId }), body: { start: SLOT } });
    const daughterSees = await call('GET', '/v1/me/family', { token: f.daughter.token, now: NOW });

    expect(held.status, JSON.stringify(held.body)).toBe(201);
    expect(held.body).toMatchObject({ realName: '李秀兰', household: '9-1-101' });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    expect(link.body).toMatchObject({ status: 'active', via: 'counter', elderName: '李秀兰' });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(daughterSees.body.elders).toEqual([expect.objectContaining({ elderName: '李**', proxyName: '居民', status: 'active' })]);
  });

  it('links the family member who scans the code staff made for the elder at the counter, at once and in the staff member’s name', async () => {
    // prepare: an elder without a phone, made a 户内成员 at the counter
    const f = await family();
    const held = await call('POST', `/v1/communities/${f.cid}/held-members`, { token: f.staff.token, body: { realName: '王桂英', household: '9-1-102' }, now: NOW });

    // act: staff make the code for her; the daughter, standing there, claims it on her phone
    const code = await call('POST', '/v1/me/family/codes', { token: f.staff.token, body: { communityId: f.cid, elderId: held.body.userId }, now: NOW });
    const claimed = await call('POST', '/v1/family/links', { token: f.daughter.token, body: { code: code.body.code }, now: minutesAfter(2) });
    const again = await call('POST', '/v1/family/links', { token: (await login()).token, body: { code: code.body.code }, now: minutesAfter(3) });

    // assess: active without a confirmation, one place taken, the staff member's act in the log
    expect(code.status, JSON.stringify(code.body)).toBe(201);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
    expect(claimed.body).toMatchObject({ status: 'active', via: 'counter', elderName: '王**' });
    expect(again.body.error.code).toBe('LINK_CODE_INVALID');
    expect((await audit(f)).find((e) => e.act === 'family.link' && e.subjectId === held.body.userId)).toMatchObject({ actorId: f.staff.id, detail: { proxyId: f.daughter.id, via: 'counter' } });
    const booked = await call('POST', `/v1/services/${await serviceOf(f.cid, f.staff)}/appointments`, { ...asProxy(f.daughter, { id: held.body.userId }), body: { start: SLOT } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  });

  it('refuses a counter code once the staff member who made it is no longer staff', async () => {
    // prepare: a worker makes a code for the elder, then is removed from the staff
    const f = await family();
    const code = await call('POST', '/v1/me/family/codes', { token: f.staff.token, body: { communityId: f.cid, elderId: f.elder.id }, now: NOW });
    expect(code.status, JSON.stringify(code.body)).toBe(201);
    expect((await call('DELETE', `/v1/communities/${f.cid}/staff/${f.staff.id}`, { token: (await admin()).token, now: NOW })).status).toBe(200);

    // act
    const claimed = await call('POST', '/v1/family/links', { token: f.daughter.token, body: { code: code.body.code }, now: minutesAfter(1) });

    // assess: refused, and no link was made
    expect(claimed.body.error?.code).toBe('LINK_CODE_INVALID');
    expect((await call('GET', '/v1/me/family', { token: f.daughter.token, now: NOW })).body.elders).toEqual([]);
  });

  it('lets only staff of the community make a code for someone else, and only for a verified resident there', async () => {
    const f = await family();
    const otherStaff = await staffOf((await newCommunity()).id);
    const unverified = await login();
    const ask = (token: string, elderId: string) => call('POST', '/v1/me/family/codes', { token, body: { communityId: f.cid, elderId }, now: NOW });

    expect((await ask(f.daughter.token, f.elder.id)).status).toBe(403);
    expect((await ask(otherStaff.token, f.elder.id)).status).toBe(403);
    expect((await ask(f.staff.token, unverified.id)).status).toBe(400);
  });

  it('refuses counter linking by anyone but staff of the community, and to an elder who is not verified there', async () => {
    const f = await family();
    const otherStaff = await staffOf((await newCommunity()).id);
    const unverified = await login();

    const byResident = await call('POST', `/v1/communities/${f.cid}/family/links`, { token: f.elder.token, body: { elderId: f.elder.id, proxyId: f.daughter.id }, now: NOW });
    const byOther = await call('POST', `/v1/communities/${f.cid}/family/links`, { token: otherStaff.token, body: { elderId: f.elder.id, proxyId: f.daughter.id }, now: NOW });
    const notVerified = await call('POST', `/v1/communities/${f.cid}/family/links`, { token: f.staff.token, body: { elderId: unverified.id, proxyId: f.daughter.id }, now: NOW });

    expect(byResident.status).toBe(403);
    expect(byOther.status).toBe(403);
    expect(notVerified.status).toBe(400);
  });
});

describe('consultations are personal', () => {
  /** Every consultation route that reads or acts for a signed-in person, called by a linked proxy. */
  const ROUTES: [string, string, unknown?][] = [
    ['POST', '/v1/communities/{cid}/topics', { title: '加装电梯', body: '三号楼老人上下楼困难' }],
    ['POST', '/v1/topics/x1/support'],
    ['POST', '/v1/topics/x1/close', { reply: '已答复' }],
    ['POST', '/v1/communities/{cid}/consultations', {
      title: '议题', body: '内容', options: [{ label: '同意' }, { label: '不同意' }], maxChoices: 1, eligibility: 'resident',
      opensAt: '2026-11-16T10:00:00+08:00', closesAt: '2026-11-19T10:00:00+08:00',
    }],
    ['GET', '/v1/consultations/x1/eligibility'],
    ['POST', '/v1/consultations/x1/comments', { text: '我同意' }],
    ['GET', '/v1/consultations/x1/comments'],
    ['POST', '/v1/comments/x1/hide', { reason: '不当言论' }],
    ['POST', '/v1/consultations/x1/ballots', { choices: ['a'] }],
    ['POST', '/v1/consultations/x1/publish', { decision: '通过' }],
    ['POST', '/v1/consultations/x1/updates', { text: '已开工' }],
  ];

  it.each(ROUTES)('refuses a proxy on %s %s', async (method, path, body) => {
    const f = await family();
    await linked(f.elder, f.cid, f.daughter);

    const reply = await call(method, path.replace('{cid}', f.cid), { ...asProxy(f.daughter, f.elder), body });

    expect(reply.status, JSON.stringify(reply.body)).toBe(403);
    expect(reply.body.error).toMatchObject({ code: 'PROXY_NOT_ALLOWED', message: '协商议事须由本人参与，家人不能代为投票、发言或提议' });
  });
});
