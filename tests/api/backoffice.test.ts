/**
 * The API behind the back office pages: finding and editing communities, members by state with
 * search, the reason a refused or revoked person sees, and audit entries with people's names.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { admin, directorOf, joined, login, newCommunity, staffOf, uniqueOpenid, verifiedResident } from '../support/actors';
import { call } from '../support/stack';

/** A word no other test's community has, so searches see only this test's communities. */
const unique = (): string => `测${randomUUID().replace(/-/g, '').slice(0, 8)}`;

const revoke = (cid: string, uid: string, token: string, reason: string) =>
  call('DELETE', `/v1/communities/${cid}/members/${uid}`, { token, body: { reason } });

describe('finding communities', () => {
  it('finds communities by part of the name or the street, and narrows by district and street, without counts', async () => {
    // prepare: three communities in two districts
    const tag = unique();
    const [a, b, c] = await Promise.all([
      newCommunity({ name: `${tag}幸福里社区`, district: `${tag}鼓楼区`, street: '西司门街道' }),
      newCommunity({ name: `${tag}南门社区`, district: `${tag}鼓楼区`, street: `${tag}华林街道` }),
      newCommunity({ name: '东湖社区', district: `${tag}台江区`, street: `${tag}华林街道` }),
    ]);
    const ids = (reply: { body: { items: { id: string }[] } }) => reply.body.items.map((x) => x.id).sort();
    // act: anonymous searches, as a resident about to join
    const byName = await call('GET', `/v1/communities?q=${encodeURIComponent(`${tag}幸福`)}`);
    const byStreet = await call('GET', `/v1/communities?q=${encodeURIComponent(`${tag}华林`)}`);
    const byDistrict = await call('GET', `/v1/communities?district=${encodeURIComponent(`${tag}鼓楼区`)}`);
    const byBoth = await call('GET', `/v1/communities?district=${encodeURIComponent(`${tag}鼓楼区`)}&street=${encodeURIComponent(`${tag}华林街道`)}`);
    const byStreetOnly = await call('GET', `/v1/communities?street=${encodeURIComponent(`${tag}华林街道`)}`);
    // assess
    expect(byName.status).toBe(200);
    expect(ids(byName)).toEqual([a.id]);
    expect(ids(byStreet)).toEqual([b.id, c.id].sort());
    expect(ids(byDistrict)).toEqual([a.id, b.id].sort());
    expect(ids(byBoth)).toEqual([b.id]);
    expect(ids(byStreetOnly)).toEqual([b.id, c.id].sort());
    expect(byName.body.items[0]).toMatchObject({ name: `${tag}幸福里社区`, residents: 10000, households: 3500 });
    expect(byName.body.items[0]).not.toHaveProperty('verifiedMembers');
  });

  it('pages through a district by its cursor, never more than the limit per page', async () => {
    const tag = unique();
    const made = await Promise.all(Array.from({ length: 5 }, (_, i) => newCommunity({ name: `${tag}第${i}社区`, district: `${tag}区` })));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const reply = await call('GET', `/v1/communities?district=${encodeURIComponent(`${tag}区`)}&q=${encodeURIComponent(tag)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(reply.status).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...reply.body.items.map((x: { id: string }) => x.id));
      cursor = reply.body.next;
    } while (cursor);
    expect(seen.sort()).toEqual(made.map((m) => m.id).sort());
  });
});

describe('editing a community', () => {
  it('lets only an admin change a community, moves it in the list, renames it for its members and logs the change', async () => {
    // prepare
    const tag = unique();
    const { id: cid, admin: root } = await newCommunity({ name: `${tag}旧名社区`, district: `${tag}鼓楼区` });
    const [director, resident] = await Promise.all([directorOf(cid), verifiedResident(cid)]);
    const change = { name: `${tag}新名社区`, district: `${tag}晋安区`, households: 4000 };
    // act
    const refused = await call('PATCH', `/v1/communities/${cid}`, { token: director.token, body: change });
    const changed = await call('PATCH', `/v1/communities/${cid}`, { token: root.token, body: change });
    // assess
    expect(refused.status).toBe(403);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ ...change, street: '西司门街道', residents: 10000 });
    expect((await call('GET', `/v1/communities?district=${encodeURIComponent(`${tag}鼓楼区`)}`)).body.items).toEqual([]);
    expect((await call('GET', `/v1/communities?district=${encodeURIComponent(`${tag}晋安区`)}`)).body.items.map((c: { id: string }) => c.id)).toEqual([cid]);
    expect((await call('GET', '/v1/me', { token: resident.token })).body.memberships[0].communityName).toBe(`${tag}新名社区`);
    const audit = await call('GET', `/v1/communities/${cid}/audit`, { token: director.token });
    expect(audit.body.items.map((e: { act: string }) => e.act)).toContain('community.change');
    expect(audit.body.items.at(-1)).toMatchObject({ act: 'community.create', actorId: root.id });
  });

  it('answers 404 for an unknown community and 400 for an unknown field', async () => {
    const root = await admin();
    expect((await call('PATCH', '/v1/communities/nowhere', { token: root.token, body: { name: '某社区' } })).status).toBe(404);
    const { id: cid } = await newCommunity();
    expect((await call('PATCH', `/v1/communities/${cid}`, { token: root.token, body: { timezone: 'UTC' } })).status).toBe(400);
  });
});

describe('members by state', () => {
  it('lists verified, pending, refused and revoked members, each with its reason, searchable by household and name', async () => {
    // prepare: one member in each state
    const { id: cid } = await newCommunity();
    const worker = await staffOf(cid);
    const [kept, left, waiting, refused] = await Promise.all([
      verifiedResident(cid, '3-2-501'),
      verifiedResident(cid, '4-1-101'),
      joined(cid, '5-1-102', { realName: '钱待核' }),
      joined(cid, '6-1-103', { realName: '孙错门' }),
    ]);
    expect((await revoke(cid, left.id, worker.token, '已搬离本社区')).status).toBe(200);
    expect((await revoke(cid, refused.id, worker.token, '门牌不存在')).status).toBe(200);
    const list = async (query: string) => {
      const reply = await call('GET', `/v1/communities/${cid}/members?${query}`, { token: worker.token });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body.items as { userId: string; status: string; reason?: string }[];
    };
    // act + assess
    expect((await list('status=verified')).map((m) => m.userId)).toEqual([kept.id]);
    expect((await list('status=pending')).map((m) => m.userId)).toEqual([waiting.id]);
    expect(await list('status=revoked')).toEqual([expect.objectContaining({ userId: left.id, status: 'revoked', reason: '已搬离本社区', household: '4-1-101' })]);
    expect(await list('status=refused')).toEqual([expect.objectContaining({ userId: refused.id, status: 'refused', reason: '门牌不存在', realName: '孙错门' })]);
    expect((await list('status=pending&q=5-1')).map((m) => m.userId)).toEqual([waiting.id]);
    expect((await list('status=pending&q=9-9')).map((m) => m.userId)).toEqual([]);
    expect((await list(`status=refused&q=${encodeURIComponent('孙')}`)).map((m) => m.userId)).toEqual([refused.id]);
    expect((await list(`status=verified&q=${encodeURIComponent('3-2')}`)).map((m) => m.status)).toEqual(['verified']);
  });

  it('shows a refused person why, stops showing it once they ask again, and logs a refusal as such', async () => {
    // prepare
    const { id: cid } = await newCommunity({ name: '拒绝测试社区' });
    const worker = await staffOf(cid);
    const applicant = await joined(cid, '7-1-701');
    // act
    expect((await revoke(cid, applicant.id, worker.token, '本社区没有 7 号楼')).status).toBe(200);
    const seen = await call('GET', '/v1/me', { token: applicant.token });
    // assess: the reason, and no membership that grants anything
    expect(seen.body.memberships).toEqual([]);
    expect(seen.body.endedMemberships).toEqual([
      { communityId: cid, communityName: '拒绝测试社区', status: 'refused', reason: '本社区没有 7 号楼', at: expect.any(String) },
    ]);
    const audit = await call('GET', `/v1/communities/${cid}/audit`, { token: worker.token });
    expect(audit.body.items[0]).toMatchObject({ act: 'member.refuse', subjectId: applicant.id, detail: { reason: '本社区没有 7 号楼' } });
    // act: asks again with the right flat
    expect((await call('POST', `/v1/communities/${cid}/members`, { token: applicant.token, body: { household: '2-1-201' } })).status).toBe(201);
    const after = await call('GET', '/v1/me', { token: applicant.token });
    expect(after.body.endedMemberships).toEqual([]);
    expect(after.body.memberships).toEqual([expect.objectContaining({ communityId: cid, verified: false, household: '2-1-201' })]);
    const lists = await call('GET', `/v1/communities/${cid}/members?status=refused`, { token: worker.token });
    expect(lists.body.items).toEqual([]);
  });

  it('shows a revoked member why, and their revocation counts nowhere', async () => {
    const { id: cid, admin: root } = await newCommunity();
    const [worker, stays, leaves] = await Promise.all([staffOf(cid), verifiedResident(cid, '1-1-101'), verifiedResident(cid, '1-1-102')]);
    expect((await revoke(cid, leaves.id, worker.token, '已搬离本社区')).status).toBe(200);
    expect((await call('GET', '/v1/me', { token: leaves.token })).body.endedMemberships).toEqual([
      expect.objectContaining({ communityId: cid, status: 'revoked', reason: '已搬离本社区' }),
    ]);
    const stats = await call('GET', `/v1/communities/${cid}/stats`, { token: root.token });
    expect(stats.body.members).toMatchObject({ verified: 1, households: 1 });
    expect(stays.id).toBeDefined();
  });
});

describe('audit entries for people', () => {
  it('names the actor and the subject as staff know them', async () => {
    // prepare: a director with a nickname appoints a worker who joined with a real name
    const { id: cid } = await newCommunity();
    const director = await login(uniqueOpenid('dir'), '周主任');
    const root = await admin();
    expect((await call('PUT', `/v1/communities/${cid}/staff/${director.id}`, { token: root.token, body: { role: 'director' } })).status).toBe(200);
    const candidate = await joined(cid, '2-2-202', { realName: '吴晓明' });
    // act
    expect((await call('PUT', `/v1/communities/${cid}/staff/${candidate.id}`, { token: director.token, body: { role: 'worker' } })).status).toBe(200);
    const audit = await call('GET', `/v1/communities/${cid}/audit`, { token: director.token });
    // assess
    expect(audit.body.items[0]).toMatchObject({ act: 'staff.appoint', actorName: '周主任', subjectId: candidate.id, subjectName: '吴晓明' });
  });
});

describe('the staff roll', () => {
  it('lists the staff with their roles and names, directors first, to staff only, and drops the removed', async () => {
    // prepare: a director, two workers (one of them a resident with a real name), a resident
    const { id: cid } = await newCommunity();
    const director = await login(uniqueOpenid('dir'), '郑主任');
    const root = await admin();
    expect((await call('PUT', `/v1/communities/${cid}/staff/${director.id}`, { token: root.token, body: { role: 'director' } })).status).toBe(200);
    const [neighbour, worker, resident] = await Promise.all([joined(cid, '3-1-301', { realName: '冯晓红' }), staffOf(cid), verifiedResident(cid)]);
    expect((await call('PUT', `/v1/communities/${cid}/staff/${neighbour.id}`, { token: director.token, body: { role: 'worker' } })).status).toBe(200);
    expect((await call('DELETE', `/v1/communities/${cid}/staff/${worker.id}`, { token: director.token })).status).toBe(200);
    // act
    const roll = await call('GET', `/v1/communities/${cid}/staff`, { token: director.token });
    const refused = await call('GET', `/v1/communities/${cid}/staff`, { token: resident.token });
    // assess
    expect(roll.status).toBe(200);
    expect(roll.body.items).toEqual([
      { userId: director.id, staffRole: 'director', name: '郑主任', appointedAt: expect.any(String) },
      { userId: neighbour.id, staffRole: 'worker', name: '冯晓红', household: '3-1-301', appointedAt: expect.any(String) },
    ]);
    expect(refused.status).toBe(403);
  });
});
