/**
 * Who may do what, and for how long (issue 12): staff roles (主任 director / 工作人员 worker),
 * removing staff and revoking memberships, the end of a privilege for tokens already issued,
 * and signing-key rotation.
 */
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { admin, directorOf, joined, login, newCommunity, staffOf, uniqueOpenid, verifiedResident } from '../support/actors';
import { restoreEnvAfterEach, setEnv } from '../support/env';
import { call } from '../support/stack';

restoreEnvAfterEach();

const appoint = (cid: string, uid: string, token: string, role?: 'director' | 'worker') =>
  call('PUT', `/v1/communities/${cid}/staff/${uid}`, { token, body: role ? { role } : {} });
const remove = (cid: string, uid: string, token: string) => call('DELETE', `/v1/communities/${cid}/staff/${uid}`, { token });
/** A staff-only act: listing the join requests. */
const staffAct = (cid: string, token: string) => call('GET', `/v1/communities/${cid}/members?verified=false`, { token });

describe('staff roles', () => {
  it('appoints a worker by default and shows the role in the memberships', async () => {
    const { id: cid, admin: root } = await newCommunity();
    const candidate = await login();
    const reply = await appoint(cid, candidate.id, root.token);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ role: 'staff', staffRole: 'worker' });
    const me = await call('GET', '/v1/me', { token: candidate.token });
    expect(me.body.memberships).toEqual([expect.objectContaining({ communityId: cid, role: 'staff', staffRole: 'worker' })]);
  });

  it('lets an admin appoint a director, and the director appoint and remove staff', async () => {
    const { id: cid, admin: root } = await newCommunity();
    const [director, candidate] = await Promise.all([login(), login()]);
    expect((await appoint(cid, director.id, root.token, 'director')).body).toMatchObject({ staffRole: 'director' });
    expect((await appoint(cid, candidate.id, director.token, 'director')).body).toMatchObject({ staffRole: 'director' });
    expect((await appoint(cid, candidate.id, director.token, 'worker')).body).toMatchObject({ staffRole: 'worker' });
    expect((await remove(cid, candidate.id, director.token)).status).toBe(200);
  });

  it('refuses a worker, a resident and another community\'s director with 403', async () => {
    const { id: cid } = await newCommunity();
    const [worker, resident, elsewhere, target] = await Promise.all([
      staffOf(cid), verifiedResident(cid), newCommunity().then((c) => directorOf(c.id)), staffOf(cid),
    ]);
    const refused = await Promise.all(
      [worker, resident, elsewhere].flatMap((who) => [appoint(cid, target.id, who.token, 'director'), remove(cid, target.id, who.token)]),
    );
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
    const me = await call('GET', '/v1/me', { token: target.token });
    expect(me.body.memberships).toEqual([expect.objectContaining({ communityId: cid, role: 'staff', staffRole: 'worker' })]);
  });

  it('answers 404 for removing someone who is not staff', async () => {
    const { id: cid, admin: root } = await newCommunity();
    const resident = await verifiedResident(cid);
    const reply = await remove(cid, resident.id, root.token);
    expect(reply.status).toBe(404);
    expect(reply.body.error).toMatchObject({ code: 'NOT_FOUND', message: '该用户不是本社区工作人员' });
  });
});

describe('removing staff', () => {
  it('takes the power from the token they already hold at their next request', async () => {
    // prepare: a worker whose token works
    const { id: cid } = await newCommunity();
    const director = await directorOf(cid);
    const worker = await staffOf(cid);
    expect((await staffAct(cid, worker.token)).status).toBe(200);
    // act
    expect((await remove(cid, worker.id, director.token)).status).toBe(200);
    // assess: the same token, the very next request
    expect((await staffAct(cid, worker.token)).status).toBe(403);
    expect((await call('GET', '/v1/me', { token: worker.token })).body.memberships).toEqual([]);
  });

  it('leaves a verified resident who was also staff a verified resident', async () => {
    const { id: cid, admin: root } = await newCommunity();
    const resident = await verifiedResident(cid);
    expect((await appoint(cid, resident.id, root.token)).status).toBe(200);
    expect((await remove(cid, resident.id, root.token)).status).toBe(200);
    const me = await call('GET', '/v1/me', { token: resident.token });
    expect(me.body.memberships).toEqual([expect.objectContaining({ communityId: cid, role: 'resident', verified: true, household: resident.household })]);
    expect(me.body.memberships[0].staffRole).toBeUndefined();
  });

  it('removes once when many directors remove the same worker at once', async () => {
    const { id: cid } = await newCommunity();
    const directors = await Promise.all(Array.from({ length: 6 }, () => directorOf(cid)));
    const worker = await staffOf(cid);
    const replies = await Promise.all(directors.flatMap((d) => [remove(cid, worker.id, d.token), remove(cid, worker.id, d.token)]));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(11).fill(404)]);
  });
});

describe('revoking a membership', () => {
  const revoke = (cid: string, uid: string, token: string, reason = '已搬离本社区') =>
    call('DELETE', `/v1/communities/${cid}/members/${uid}`, { token, body: { reason } });

  it('takes a verified member\'s rights from the token they already hold at their next request', async () => {
    // prepare
    const { id: cid } = await newCommunity();
    const worker = await staffOf(cid);
    const resident = await verifiedResident(cid);
    // act
    expect((await revoke(cid, resident.id, worker.token)).status).toBe(200);
    // assess: a verified member's act is refused, and the membership is gone
    const register = await call('POST', `/v1/communities/${cid}/volunteers`, { token: resident.token, body: { skills: ['助老'] } });
    expect(register.status).toBe(403);
    expect((await call('GET', '/v1/me', { token: resident.token })).body.memberships).toEqual([]);
  });

  it('declines a pending request, after which the person may ask again', async () => {
    const { id: cid, admin: root } = await newCommunity();
    const applicant = await joined(cid);
    expect((await revoke(cid, applicant.id, root.token, '门牌不存在')).status).toBe(200);
    const again = await call('POST', `/v1/communities/${cid}/members`, { token: applicant.token, body: { household: '2-1-201' } });
    expect(again.status).toBe(201);
  });

  it('refuses a staff member (409), a non-member (404) and a missing reason (400)', async () => {
    const { id: cid, admin: root } = await newCommunity();
    const [worker, outsider, resident] = await Promise.all([staffOf(cid), login(), verifiedResident(cid)]);
    expect((await revoke(cid, worker.id, root.token)).body.error.code).toBe('STATE_CONFLICT');
    expect((await revoke(cid, outsider.id, root.token)).status).toBe(404);
    expect((await call('DELETE', `/v1/communities/${cid}/members/${resident.id}`, { token: root.token, body: {} })).status).toBe(400);
  });

  it('keeps the verified member and household counts exact when whole households leave at once', async () => {
    // prepare: 10 flats of two verified members, and one flat that stays
    const { id: cid, admin: root } = await newCommunity();
    const leaving = await Promise.all(Array.from({ length: 20 }, (_, i) => verifiedResident(cid, `8-1-${300 + Math.floor(i / 2)}`)));
    await verifiedResident(cid, '8-1-999');
    const staff = await Promise.all([staffOf(cid), staffOf(cid)]);
    // act: every member revoked by two staff at once
    const replies = await Promise.all(leaving.flatMap((r) => staff.map((s) => revoke(cid, r.id, s.token))));
    // assess: one revocation each, and the counters match what is left
    for (let i = 0; i < leaving.length; i++) {
      expect([replies[2 * i]?.status, replies[2 * i + 1]?.status].sort()).toEqual([200, 404]);
    }
    const stats = await call('GET', `/v1/communities/${cid}/stats`, { token: root.token });
    expect(stats.body.members).toMatchObject({ verified: 1, households: 1 });
    const audit = await call('GET', `/v1/communities/${cid}/audit?limit=100`, { token: root.token });
    expect(audit.body.items.filter((e: { act: string }) => e.act === 'member.revoke')).toHaveLength(20);
  });
});

describe('removing an admin', () => {
  it('ends the admin power of a token already issued once the openid leaves ADMIN_OPENIDS', async () => {
    // prepare: an admin by ADMIN_OPENIDS, with a token
    const openid = uniqueOpenid('root');
    setEnv({ ADMIN_OPENIDS: `someone-else,${openid}` });
    const root = await login(openid);
    const create = () =>
      call('POST', '/v1/communities', { token: root.token, body: { name: '测试社区', district: '鼓楼区', street: '西司门街道', residents: 100, households: 40 } });
    expect((await create()).status).toBe(201);
    // act: the deploy that removes the openid (new configuration)
    setEnv({ ADMIN_OPENIDS: 'someone-else' });
    // assess: the same token, the very next request
    expect((await create()).status).toBe(403);
    expect((await call('GET', '/v1/me', { token: root.token })).body.admin).toBe(false);
  });
});

describe('signing keys', () => {
  const OLD = 'the-old-signing-key-of-at-least-32-characters';
  const NEW = 'the-new-signing-key-of-at-least-32-characters';

  it('puts a key id in every token', async () => {
    const user = await login();
    expect(decodeProtectedHeader(user.token)).toMatchObject({ alg: 'HS256', kid: expect.stringMatching(/^[\w-]{16}$/) });
  });

  it('accepts tokens of the previous key during a rotation, and refuses them after it', async () => {
    // prepare: a token signed with the old key
    setEnv({ TOKEN_KEY: OLD, TOKEN_KEY_PREVIOUS: undefined });
    const user = await login();
    const oldKid = decodeProtectedHeader(user.token).kid;
    // act 1: rotate, keeping the old key as the previous one
    setEnv({ TOKEN_KEY: NEW, TOKEN_KEY_PREVIOUS: OLD });
    const fresh = await login();
    // assess: both tokens work; new tokens name the new key
    expect((await call('GET', '/v1/me', { token: user.token })).status).toBe(200);
    expect((await call('GET', '/v1/me', { token: fresh.token })).status).toBe(200);
    expect(decodeProtectedHeader(fresh.token).kid).not.toBe(oldKid);
    // act 2: the overlap ends
    setEnv({ TOKEN_KEY_PREVIOUS: undefined });
    expect((await call('GET', '/v1/me', { token: user.token })).status).toBe(401);
    expect((await call('GET', '/v1/me', { token: fresh.token })).status).toBe(200);
  });

  it('refuses a token whose key id names neither key, even if the signature matches the current key', async () => {
    setEnv({ TOKEN_KEY: NEW, TOKEN_KEY_PREVIOUS: undefined });
    const user = await login();
    const [header, payload, signature] = user.token.split('.');
    const relabelled = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(header!, 'base64url').toString()), kid: 'someone-elses-key' })).toString('base64url');
    expect((await call('GET', '/v1/me', { token: `${relabelled}.${payload}.${signature}` })).status).toBe(401);
    expect((await admin()).token).toEqual(expect.any(String));
  });
});
