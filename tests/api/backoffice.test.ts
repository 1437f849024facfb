/**
 * The API behind the back office pages: finding and editing communities, members by state with
 * search, the reason a refused or revoked person sees, and audit entries with people's names.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { admin, directorOf, joined, login, newCommunity, staffOf, uniqueOpenid, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { approvedVolunteer, world } from './volunteers-fixtures';

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

describe('moving a member to another household', () => {
  const move = (cid: string, uid: string, token: string, household: string, reason = '搬到本社区另一套房') =>
    call('POST', `/v1/communities/${cid}/members/${uid}/move`, { token, body: { household, reason } });
  const counts = async (cid: string, token: string) => (await call('GET', `/v1/communities/${cid}/stats`, { token })).body.members;

  it('moves a verified member, drops the old household with its last member, counts the new one once, and logs the move', async () => {
    // prepare: two flats, the first with one member, the second with two
    const { id: cid, admin: root } = await newCommunity();
    const worker = await staffOf(cid);
    const [alone, first, second] = await Promise.all([verifiedResident(cid, '1-1-101'), verifiedResident(cid, '1-1-102'), verifiedResident(cid, '1-1-102')]);
    expect(await counts(cid, root.token)).toMatchObject({ verified: 3, households: 2 });
    // act: the lone member moves to a new flat (one household left, one new: 2); one of the pair joins them (2, 1-1-102 keeps one)
    const moved = await move(cid, alone.id, worker.token, '２-1-0201');
    const afterFirst = await counts(cid, root.token);
    const joinedThem = await move(cid, first.id, worker.token, '2-1-201');
    const afterSecond = await counts(cid, root.token);
    // assess
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ userId: alone.id, household: '2-1-201', status: 'verified' });
    expect(afterFirst).toMatchObject({ verified: 3, households: 2 });
    expect(joinedThem.status).toBe(200);
    expect(afterSecond).toMatchObject({ verified: 3, households: 2 });
    const inNewFlat = await call('GET', `/v1/communities/${cid}/members?status=verified&q=2-1-201`, { token: worker.token });
    expect(inNewFlat.body.items.map((m: { userId: string }) => m.userId).sort()).toEqual([alone.id, first.id].sort());
    expect((await call('GET', '/v1/me', { token: alone.token })).body.memberships[0]).toMatchObject({ household: '2-1-201', verified: true });
    const audit = await call('GET', `/v1/communities/${cid}/audit`, { token: worker.token });
    expect(audit.body.items[0]).toMatchObject({
      act: 'member.move', actorId: worker.id, subjectId: first.id, detail: { previousHousehold: '1-1-102', household: '2-1-201', reason: '搬到本社区另一套房' },
    });
    // the last one of 1-1-102 leaves: that household is gone
    expect((await move(cid, second.id, worker.token, '3-1-301')).status).toBe(200);
    expect(await counts(cid, root.token)).toMatchObject({ verified: 3, households: 2 });
  });

  it('moves a volunteer\'s registration with the member, so staff see the new flat in the volunteer list', async () => {
    // prepare: an approved volunteer
    const w = await world();
    const volunteer = await approvedVolunteer(w);
    // act
    const moved = await move(w.cid, volunteer.id, w.staff.token, '6-2-602');
    // assess
    expect(moved.status).toBe(200);
    const list = await call('GET', `/v1/communities/${w.cid}/volunteers?status=approved`, { token: w.staff.token });
    expect(list.body.items.find((v: { userId: string }) => v.userId === volunteer.id)).toMatchObject({ household: '6-2-602' });
  });

  it('answers a repeat of the same move as done, refuses a pending member and a resident, and 404s a stranger', async () => {
    const { id: cid } = await newCommunity();
    const [worker, member, waiting] = await Promise.all([staffOf(cid), verifiedResident(cid, '1-2-101'), joined(cid, '1-2-102')]);
    expect((await move(cid, member.id, worker.token, '1-2-103')).status).toBe(200);
    const again = await move(cid, member.id, worker.token, '1-2-103');
    expect(again.status).toBe(200);
    expect(again.body.household).toBe('1-2-103');
    const pending = await move(cid, waiting.id, worker.token, '1-2-104');
    expect(pending.status).toBe(409);
    expect(pending.body.error.message).toContain('尚未核实');
    expect((await move(cid, waiting.id, member.token, '1-2-104')).status).toBe(403);
    expect((await move(cid, 'nobody', worker.token, '1-2-104')).status).toBe(404);
    expect((await move(cid, member.id, worker.token, '1-2')).status).toBe(400);
    expect((await call('POST', `/v1/communities/${cid}/members/${member.id}/move`, { token: worker.token, body: { household: '1-2-105' } })).status).toBe(400);
  });

  it('keeps the counts equal to a recount when 20 moves and 10 verifications run at once', async () => {
    // prepare: 10 verified members in 5 flats (two each), 10 join requests
    const { id: cid, admin: root } = await newCommunity();
    const flat = (n: number) => `8-1-${101 + n}`;
    const residents = await Promise.all(Array.from({ length: 10 }, (_, i) => verifiedResident(cid, flat(Math.floor(i / 2)))));
    const applicants = await Promise.all(Array.from({ length: 10 }, (_, i) => joined(cid, flat(i % 8))));
    // act: each resident moved twice at once (two staff clicking), to flats that empty some and open others; verifications alongside
    const replies = await Promise.all([
      ...residents.flatMap((r, i) => [0, 1].map(() => move(cid, r.id, root.token, flat((i * 3) % 8)))),
      ...applicants.map((a) => call('POST', `/v1/communities/${cid}/members/${a.id}/verify`, { token: root.token, body: {} })),
    ]);
    // assess: every act answered, and the counters equal a recount of the verified members
    expect(replies.map((r) => r.status), JSON.stringify(replies.filter((r) => r.status !== 200).map((r) => r.body))).toEqual(replies.map(() => 200));
    const verified: { userId: string; household: string }[] = [];
    let next: string | undefined;
    do {
      const page = await call('GET', `/v1/communities/${cid}/members?status=verified&limit=100${next ? `&cursor=${next}` : ''}`, { token: root.token });
      verified.push(...page.body.items);
      next = page.body.next;
    } while (next);
    expect(verified).toHaveLength(20);
    expect(await counts(cid, root.token)).toMatchObject({ verified: 20, households: new Set(verified.map((m) => m.household)).size });
    residents.forEach((r, i) => expect(verified.find((m) => m.userId === r.id)?.household).toBe(flat((i * 3) % 8)));
  });

  it('keeps the counts equal to a recount when refusals race verifications and revocations race moves', async () => {
    // prepare: 10 join requests and 10 verified members, in 6 flats
    const { id: cid, admin: root } = await newCommunity();
    const flat = (n: number) => `9-1-${101 + n}`;
    const applicants = await Promise.all(Array.from({ length: 10 }, (_, i) => joined(cid, flat(i % 6))));
    const residents = await Promise.all(Array.from({ length: 10 }, (_, i) => verifiedResident(cid, flat(i % 6))));
    // act: two staff disagree about each person at the same instant
    await Promise.all([
      ...applicants.flatMap((a) => [
        call('POST', `/v1/communities/${cid}/members/${a.id}/verify`, { token: root.token, body: {} }),
        revoke(cid, a.id, root.token, '门牌与登记不符'),
      ]),
      ...residents.flatMap((r, i) => [move(cid, r.id, root.token, flat((i + 3) % 6)), revoke(cid, r.id, root.token, '已搬离本社区')]),
    ]);
    // assess: each person ended in exactly one state, and the counters equal a recount
    const byStatus = async (status: string) => {
      const items: { userId: string; household: string }[] = [];
      let next: string | undefined;
      do {
        const page = await call('GET', `/v1/communities/${cid}/members?status=${status}&limit=100${next ? `&cursor=${next}` : ''}`, { token: root.token });
        items.push(...page.body.items);
        next = page.body.next;
      } while (next);
      return items;
    };
    const [verified, pending, refused, revoked] = await Promise.all([byStatus('verified'), byStatus('pending'), byStatus('refused'), byStatus('revoked')]);
    const ids = [...verified, ...pending, ...refused, ...revoked].map((m) => m.userId).sort();
    expect(ids).toEqual([...applicants, ...residents].map((p) => p.id).sort());
    expect(await counts(cid, root.token)).toMatchObject({ verified: verified.length, households: new Set(verified.map((m) => m.household)).size });
  });
});

describe('the volunteers roster and the 台帐', () => {
  const correct = (cid: string, uid: string, token: string, hours: number, reason: string, now: string) =>
    call('POST', `/v1/communities/${cid}/volunteers/${uid}/corrections`, { token, body: { hours, reason }, now });

  /** Parses the export as Excel would: the BOM first, then comma-separated rows with quoted cells. */
  const parseCsv = (body: string): string[][] => {
    expect(body.charCodeAt(0)).toBe(0xfeff);
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    const text = body.slice(1);
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
    }
    return rows;
  };

  it('finds volunteers by part of the name or household within a status', async () => {
    const w = await world();
    const [li, wang] = await Promise.all([approvedVolunteer(w, ['助老'], '李秀英'), approvedVolunteer(w, ['文体'], '王建国')]);
    const list = async (query: string) =>
      (await call('GET', `/v1/communities/${w.cid}/volunteers?${query}`, { token: w.staff.token })).body.items.map((v: { userId: string }) => v.userId);
    expect(await list(`status=approved&q=${encodeURIComponent('秀英')}`)).toEqual([li.id]);
    expect(await list(`status=approved&q=${encodeURIComponent('王')}`)).toEqual([wang.id]);
    expect(await list(`status=pending&q=${encodeURIComponent('王')}`)).toEqual([]);
  });

  it("shows staff one volunteer's ledger with its corrections, newest first, and refuses residents", async () => {
    const w = await world();
    const volunteer = await approvedVolunteer(w, ['助老'], '赵志愿');
    expect((await correct(w.cid, volunteer.id, w.staff.token, 3, '补记十月敬老院服务', '2026-11-03T02:00:00Z')).status).toBe(201);
    expect((await correct(w.cid, volunteer.id, w.staff.token, -1, '多记一小时', '2026-11-04T02:00:00Z')).status).toBe(201);
    const ledger = await call('GET', `/v1/communities/${w.cid}/volunteers/${volunteer.id}/ledger`, { token: w.staff.token });
    expect(ledger.status, JSON.stringify(ledger.body)).toBe(200);
    expect(ledger.body).toMatchObject({ userId: volunteer.id, name: '赵志愿', totalHours: 2, status: 'approved' });
    expect(ledger.body.entries.map((e: { hours: number; reason: string }) => [e.hours, e.reason])).toEqual([[-1, '多记一小时'], [3, '补记十月敬老院服务']]);
    expect((await call('GET', `/v1/communities/${w.cid}/volunteers/${volunteer.id}/ledger`, { token: volunteer.token })).status).toBe(403);
    expect((await call('GET', `/v1/communities/${w.cid}/volunteers/nobody/ledger`, { token: w.staff.token })).status).toBe(404);
  });

  it("lists a community-local month of the 台帐 and exports it as a CSV that Excel opens, the month's rows only", async () => {
    // prepare: entries either side of Shanghai's midnight at the start of November, one with a comma and a formula-like reason
    const w = await world({ name: '幸福里社区' });
    const [zhao, qian] = await Promise.all([approvedVolunteer(w, ['助老'], '赵一'), approvedVolunteer(w, ['文体'], '钱二')]);
    expect((await correct(w.cid, zhao.id, w.staff.token, 2, '十月最后一晚', '2026-10-31T15:59:00Z')).status).toBe(201);
    expect((await correct(w.cid, zhao.id, w.staff.token, 1.5, '补记,敬老院', '2026-10-31T16:00:00Z')).status).toBe(201);
    expect((await correct(w.cid, qian.id, w.staff.token, 4, '=1+1 清扫楼道', '2026-11-20T08:00:00Z')).status).toBe(201);
    expect((await correct(w.cid, qian.id, w.staff.token, 1, '十二月', '2026-11-30T16:00:00Z')).status).toBe(201);
    // act
    const firstPage = await call('GET', `/v1/communities/${w.cid}/volunteers/ledger?month=2026-11&limit=1`, { token: w.staff.token });
    const secondPage = await call('GET', `/v1/communities/${w.cid}/volunteers/ledger?month=2026-11&limit=1&cursor=${firstPage.body.next}`, { token: w.staff.token });
    const exported = await call('GET', `/v1/communities/${w.cid}/volunteers/ledger?month=2026-11&format=csv`, { token: w.staff.token });
    // assess: the page
    expect(firstPage.status, JSON.stringify(firstPage.body)).toBe(200);
    expect(firstPage.body).toMatchObject({ month: '2026-11', totalHours: 5.5 });
    expect(firstPage.body.items).toEqual([expect.objectContaining({ userId: zhao.id, name: '赵一', hours: 1.5, kind: 'correction', date: '2026-11-01' })]);
    expect(secondPage.body.items).toEqual([expect.objectContaining({ userId: qian.id, name: '钱二', hours: 4 })]);
    // assess: the file
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    const disposition = exported.headers['content-disposition'] ?? '';
    expect(disposition).toContain('attachment; filename="ledger-2026-11.csv"');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? '')).toBe('幸福里社区志愿服务台帐2026年11月.csv');
    const rows = parseCsv(Buffer.from(exported.raw.body ?? '', 'base64').toString('utf8'));
    expect(rows[0]).toEqual(['日期', '姓名', '门牌', '类别', '活动', '时长（小时）', '更正原因', '记录时间']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3], r[5], r[6], r[7]])).toEqual([
      ['2026-11-01', '赵一', '更正', '1.5', '补记,敬老院', '2026-11-01 00:00'],
      ['2026-11-20', '钱二', '更正', '4', "'=1+1 清扫楼道", '2026-11-20 16:00'],
      ['合计', '', '', '5.5', '', ''],
    ]);
    expect(rows[1]?.[2]).toMatch(/^\d+-\d+-\d+$/);
  });

  it('refuses a month that is not one, and the ledger to a resident', async () => {
    const w = await world();
    const resident = await verifiedResident(w.cid);
    expect((await call('GET', `/v1/communities/${w.cid}/volunteers/ledger?month=2026-13`, { token: w.staff.token })).status).toBe(400);
    expect((await call('GET', `/v1/communities/${w.cid}/volunteers/ledger`, { token: w.staff.token })).status).toBe(400);
    expect((await call('GET', `/v1/communities/${w.cid}/volunteers/ledger?month=2026-11&format=csv`, { token: resident.token })).status).toBe(403);
  });
});
