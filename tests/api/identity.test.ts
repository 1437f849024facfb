import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { admin, directorOf, joined, login, newCommunity, staffOf, uniqueOpenid, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { startWechatStub, type WechatStub } from '../support/wechat-stub';

let wechat: WechatStub;

beforeAll(async () => {
  wechat = await startWechatStub();
  process.env.WECHAT_API_BASE = wechat.base;
  resetConfig();
});
afterAll(async () => {
  await wechat.close();
});

describe('WeChat login', () => {
  it('exchanges a wx.login code for a session and never returns the session_key', async () => {
    // prepare
    wechat.behaviour = 'ok';
    const code = uniqueOpenid('code');
    // act
    const reply = await call('POST', '/v1/auth/wechat', { body: { code } });
    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.token).toEqual(expect.any(String));
    expect(reply.body.user).toMatchObject({ admin: false, memberships: [] });
    expect(JSON.stringify(reply.body)).not.toContain('session_key');
    expect(JSON.stringify(reply.body)).not.toContain('secret-session-key');
    expect(wechat.requests.at(-1)?.query).toMatchObject({ js_code: code, grant_type: 'authorization_code' });
  });

  it('gives the same user to the same WeChat account on every login', async () => {
    wechat.behaviour = 'ok';
    const code = uniqueOpenid('code');
    const first = await call('POST', '/v1/auth/wechat', { body: { code } });
    const second = await call('POST', '/v1/auth/wechat', { body: { code } });
    expect(second.body.user.id).toBe(first.body.user.id);
  });

  it('answers an invalid code with 401 and a Chinese message', async () => {
    wechat.behaviour = 'invalid-code';
    const reply = await call('POST', '/v1/auth/wechat', { body: { code: 'expired' } });
    expect(reply.status).toBe(401);
    expect(reply.body.error).toMatchObject({ code: 'WECHAT_LOGIN_FAILED', message: expect.stringMatching(/微信/) });
  });

  it('answers 429 with Retry-After when WeChat rate-limits the user', async () => {
    wechat.behaviour = 'rate-limited';
    const reply = await call('POST', '/v1/auth/wechat', { body: { code: 'x' } });
    expect(reply.status).toBe(429);
    expect(reply.headers['retry-after']).toBeDefined();
  });

  it('answers 503 with Retry-After when WeChat is down', async () => {
    wechat.behaviour = 'http-error';
    const reply = await call('POST', '/v1/auth/wechat', { body: { code: 'x' } });
    expect(reply.status).toBe(503);
    expect(reply.body.error.code).toBe('UNAVAILABLE');
    expect(reply.headers['retry-after']).toBeDefined();
  });

  it('creates exactly one user when the same account logs in many times at once', async () => {
    wechat.behaviour = 'ok';
    const code = uniqueOpenid('code');
    const replies = await Promise.all(Array.from({ length: 20 }, () => call('POST', '/v1/auth/wechat', { body: { code } })));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(replies.map((r) => r.body.user.id)).size).toBe(1);
  });
});

describe('communities', () => {
  it('lets only a platform admin create a community', async () => {
    const resident = await login();
    const body = { name: '幸福里社区', district: '鼓楼区', street: '西司门街道', residents: 9000, households: 3000 };
    const refused = await call('POST', '/v1/communities', { token: resident.token, body });
    const created = await call('POST', '/v1/communities', { token: (await admin()).token, body });
    expect(refused.status).toBe(403);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, timezone: 'Asia/Shanghai', id: expect.any(String) });
  });

  it('shows a community to anyone and 404 for an unknown one', async () => {
    const { id } = await newCommunity();
    expect((await call('GET', `/v1/communities/${id}`)).status).toBe(200);
    const missing = await call('GET', '/v1/communities/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});

describe('membership', () => {
  it('records a join request as unverified, with the household in canonical form', async () => {
    const { id: cid } = await newCommunity();
    const user = await login();
    const reply = await call('POST', `/v1/communities/${cid}/members`, {
      token: user.token,
      body: { household: '０3－2－0501', realName: '李明', phone: '13812341234' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ household: '3-2-501', verified: false, role: 'resident' });
    const me = await call('GET', '/v1/me', { token: user.token });
    expect(me.body.memberships).toEqual([
      expect.objectContaining({ communityId: cid, role: 'resident', verified: false, household: '3-2-501' }),
    ]);
  });

  it('refuses a second join request from the same user', async () => {
    const { id: cid } = await newCommunity();
    const user = await joined(cid);
    const again = await call('POST', `/v1/communities/${cid}/members`, { token: user.token, body: { household: '1-1-101' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_MEMBER');
  });

  it('shows staff the pending members with real names and phones, and lets them verify', async () => {
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const user = await login();
    await call('POST', `/v1/communities/${cid}/members`, {
      token: user.token,
      body: { household: '5-1-302', realName: '王芳', phone: '13900001111' },
    });
    const pending = await call('GET', `/v1/communities/${cid}/members?verified=false`, { token: staff.token });
    expect(pending.status).toBe(200);
    expect(pending.body.items).toEqual([expect.objectContaining({ userId: user.id, realName: '王芳', phone: '13900001111' })]);

    const verified = await call('POST', `/v1/communities/${cid}/members/${user.id}/verify`, {
      token: staff.token,
      body: { household: '5-1-0302' },
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ verified: true, household: '5-1-302' });
    const stillPending = await call('GET', `/v1/communities/${cid}/members?verified=false`, { token: staff.token });
    expect(stillPending.body.items).toEqual([]);
  });

  it('forbids residents and staff of another community from listing or verifying members', async () => {
    const { id: cid } = await newCommunity();
    const { id: other } = await newCommunity();
    const outsider = await staffOf(other);
    const resident = await verifiedResident(cid);
    const target = await joined(cid);
    for (const actor of [outsider, resident]) {
      expect((await call('GET', `/v1/communities/${cid}/members`, { token: actor.token })).status).toBe(403);
      const verify = await call('POST', `/v1/communities/${cid}/members/${target.id}/verify`, { token: actor.token, body: {} });
      expect(verify.status).toBe(403);
    }
  });

  it('lets a director appoint staff, and refuses residents and workers', async () => {
    const { id: cid } = await newCommunity();
    const director = await directorOf(cid);
    const worker = await staffOf(cid);
    const resident = await verifiedResident(cid);
    const candidate = await login();
    expect((await call('PUT', `/v1/communities/${cid}/staff/${candidate.id}`, { token: resident.token })).status).toBe(403);
    expect((await call('PUT', `/v1/communities/${cid}/staff/${candidate.id}`, { token: worker.token })).status).toBe(403);
    const appointed = await call('PUT', `/v1/communities/${cid}/staff/${candidate.id}`, { token: director.token });
    expect(appointed.status).toBe(200);
    const me = await call('GET', '/v1/me', { token: candidate.token });
    expect(me.body.memberships).toEqual([expect.objectContaining({ communityId: cid, role: 'staff', staffRole: 'worker' })]);
  });

  it('keeps exactly one membership each when 50 residents join and are verified at once', async () => {
    // prepare
    const { id: cid, admin: root } = await newCommunity();
    const users = await Promise.all(Array.from({ length: 50 }, () => login()));
    // act: each joins, then is verified twice concurrently (two staff clicking at once)
    await Promise.all(
      users.map(async (user, i) => {
        const household = `7-1-${100 + Math.floor(i / 2)}`; // 25 flats, two residents each
        const join = await call('POST', `/v1/communities/${cid}/members`, { token: user.token, body: { household } });
        expect(join.status).toBe(201);
        const verifies = await Promise.all([0, 1].map(() =>
          call('POST', `/v1/communities/${cid}/members/${user.id}/verify`, { token: root.token, body: {} }),
        ));
        expect(verifies.map((v) => v.status), JSON.stringify(verifies.map((v) => v.body))).toEqual([200, 200]);
      }),
    );
    // assess
    const all = [];
    let next: string | undefined;
    do {
      const page = await call('GET', `/v1/communities/${cid}/members?verified=true&limit=100${next ? `&cursor=${next}` : ''}`, { token: root.token });
      all.push(...page.body.items);
      next = page.body.next;
    } while (next);
    expect(all).toHaveLength(50);
    expect(new Set(all.map((m) => m.userId)).size).toBe(50);
    const stats = await call('GET', `/v1/communities/${cid}/stats`, { token: root.token });
    expect(stats.body.members).toMatchObject({ verified: 50, households: 25 });
  });
});
