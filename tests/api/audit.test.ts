/**
 * The audit log (issue 12): every privileged act is written in the same transaction as the act,
 * so an entry exists if and only if the act committed; staff of the community and admins read
 * it newest first, page by page; nobody can change it.
 */
import { describe, expect, it } from 'vitest';
import { directorOf, joined, login, newCommunity, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { activity, attended } from './volunteers-fixtures';

/** Acts are dated after the fixtures' own (made at the real now), so the order is known. */
const hoursFromNow = (hours: number): string => new Date(Date.now() + hours * 3600_000).toISOString();

const auditOf = async (cid: string, token: string, query = '') => {
  const reply = await call('GET', `/v1/communities/${cid}/audit${query}`, { token });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body as { items: { at: string; actorId: string; act: string; subjectId?: string; detail?: Record<string, unknown> }[]; next?: string; cursor?: string };
};

describe('what the log records', () => {
  it('records verifying a member, appointing and removing staff, with who, whom and when', async () => {
    // prepare
    const { id: cid } = await newCommunity();
    const director = await directorOf(cid);
    const applicant = await joined(cid, '9-1-901');
    const candidate = await login();
    // act
    const [t1, t2, t3] = [1, 2, 3].map(hoursFromNow);
    expect((await call('POST', `/v1/communities/${cid}/members/${applicant.id}/verify`, { token: director.token, body: {}, now: t1 })).status).toBe(200);
    expect((await call('PUT', `/v1/communities/${cid}/staff/${candidate.id}`, { token: director.token, body: { role: 'worker' }, now: t2 })).status).toBe(200);
    expect((await call('DELETE', `/v1/communities/${cid}/staff/${candidate.id}`, { token: director.token, now: t3 })).status).toBe(200);
    // assess: newest first; the director's own appointment (by the admin) follows the community's creation
    const { items } = await auditOf(cid, director.token);
    expect(items.slice(0, 3)).toEqual([
      { at: t3, actorId: director.id, act: 'staff.remove', subjectId: candidate.id, detail: { role: 'worker' } },
      { at: t2, actorId: director.id, act: 'staff.appoint', subjectId: candidate.id, detail: { role: 'worker' } },
      { at: t1, actorId: director.id, act: 'member.verify', subjectId: applicant.id, detail: { household: '9-1-901' } },
    ]);
    expect(items[3]).toMatchObject({ act: 'staff.appoint', subjectId: director.id, detail: { role: 'director' } });
    expect(items[4]).toMatchObject({ act: 'community.create' });
    expect(items).toHaveLength(5);
  });

  it('has no entry for an act that did not happen', async () => {
    // prepare
    const { id: cid, admin: root } = await newCommunity();
    const worker = await staffOf(cid);
    const resident = await verifiedResident(cid);
    const before = (await auditOf(cid, root.token)).items.length;
    // act: refused, conflicting and no-op acts
    const replies = await Promise.all([
      call('PUT', `/v1/communities/${cid}/staff/${resident.id}`, { token: worker.token, body: {} }),
      call('DELETE', `/v1/communities/${cid}/staff/${worker.id}`, { token: worker.token }),
      call('POST', `/v1/communities/${cid}/members/${resident.id}/verify`, { token: root.token, body: { household: '1-1-1' } }),
      call('DELETE', `/v1/communities/${cid}/staff/${resident.id}`, { token: root.token }),
      call('PUT', `/v1/communities/${cid}/staff/${worker.id}`, { token: root.token, body: { role: 'worker' } }),
    ]);
    // assess
    expect(replies.map((r) => r.status)).toEqual([403, 403, 409, 404, 200]);
    expect((await auditOf(cid, root.token)).items).toHaveLength(before);
  });

  it('records one entry when the same act is raced by many staff: only the act that committed', async () => {
    // prepare
    const { id: cid, admin: root } = await newCommunity();
    const [workers, directors] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => staffOf(cid))),
      Promise.all(Array.from({ length: 4 }, () => directorOf(cid))),
    ]);
    const [applicant, target] = await Promise.all([joined(cid), staffOf(cid)]);
    const before = (await auditOf(cid, root.token)).items.length;
    // act: 16 verifications of one member and 16 removals of one worker, at once
    const verifies = workers.flatMap((w) => Array.from({ length: 4 }, () =>
      call('POST', `/v1/communities/${cid}/members/${applicant.id}/verify`, { token: w.token, body: {} })));
    const removals = directors.flatMap((d) => Array.from({ length: 4 }, () => call('DELETE', `/v1/communities/${cid}/staff/${target.id}`, { token: d.token })));
    const [verified, removed] = await Promise.all([Promise.all(verifies), Promise.all(removals)]);
    // assess
    expect(verified.every((r) => r.status === 200)).toBe(true);
    expect(removed.filter((r) => r.status === 200)).toHaveLength(1);
    const entries = (await auditOf(cid, root.token, '?limit=100')).items;
    expect(entries).toHaveLength(before + 2);
    expect(entries.filter((e) => e.act === 'member.verify' && e.subjectId === applicant.id)).toHaveLength(1);
    expect(entries.filter((e) => e.act === 'staff.remove' && e.subjectId === target.id)).toHaveLength(1);
  });
});

describe('reading the log', () => {
  it('pages newest first, with next and cursor naming the same page', async () => {
    // prepare: five appointments an hour apart (plus the director's own and the community's creation)
    const { id: cid } = await newCommunity();
    const director = await directorOf(cid);
    const people = await Promise.all(Array.from({ length: 5 }, () => login()));
    for (const [i, person] of people.entries()) {
      const now = hoursFromNow(1 + i);
      expect((await call('PUT', `/v1/communities/${cid}/staff/${person.id}`, { token: director.token, body: {}, now })).status).toBe(200);
    }
    // act
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await auditOf(cid, director.token, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.cursor).toBe(page.next);
      pages.push(page.items);
      cursor = page.next;
    } while (cursor);
    // assess
    const all = pages.flat();
    expect(all).toHaveLength(7);
    expect(all.slice(0, 5).map((e) => e.subjectId)).toEqual(people.map((p) => p.id).reverse());
    const times = all.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(pages[0]).toHaveLength(2);
  });

  it('refuses a cursor issued for another community\'s log', async () => {
    const [a, b] = await Promise.all([newCommunity(), newCommunity()]);
    await Promise.all([staffOf(a.id), staffOf(a.id)]);
    const first = await auditOf(a.id, a.admin.token, '?limit=1');
    expect(first.next).toEqual(expect.any(String));
    const reply = await call('GET', `/v1/communities/${b.id}/audit?cursor=${first.next}`, { token: b.admin.token });
    expect(reply.status).toBe(400);
  });

  it('is read by the community\'s workers, directors and admins, and by nobody else', async () => {
    const { id: cid, admin: root } = await newCommunity();
    const other = await newCommunity();
    const [worker, director, resident, otherStaff, outsider] = await Promise.all([
      staffOf(cid), directorOf(cid), verifiedResident(cid), directorOf(other.id), login(),
    ]);
    const read = (token?: string) => call('GET', `/v1/communities/${cid}/audit`, { token }).then((r) => r.status);
    expect(await Promise.all([worker, director, root].map((a) => read(a.token)))).toEqual([200, 200, 200]);
    expect(await Promise.all([resident, otherStaff, outsider].map((a) => read(a.token)))).toEqual([403, 403, 403]);
    expect(await read()).toBe(401);
  });

  it('has no route that changes or deletes an entry', async () => {
    const { id: cid, admin: root } = await newCommunity();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const reply = await call(method, `/v1/communities/${cid}/audit`, { token: root.token, body: {} });
      expect(reply.status, method).toBe(404);
    }
  });
});

describe('the acts of each capability', () => {
  const SERVICE = {
    name: '社保卡办理', category: 'A', durationMin: 20, materials: ['居民身份证原件'],
    schedule: { weekly: { mon: [['09:00', '12:00']] }, slotMinutes: 30, capacityPerSlot: 5, bookAheadDays: 14 },
  };

  it('records creating and changing a service (service.change), with the fields changed', async () => {
    // prepare
    const { id: cid } = await newCommunity();
    const worker = await staffOf(cid);
    const [t1, t2] = [1, 2].map(hoursFromNow);
    // act
    const created = await call('POST', `/v1/communities/${cid}/services`, { token: worker.token, body: SERVICE, now: t1 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sid = created.body.id as string;
    expect((await call('PATCH', `/v1/services/${sid}`, { token: worker.token, body: { name: '社保卡补办', durationMin: 15 }, now: t2 })).status).toBe(200);
    // assess
    const { items } = await auditOf(cid, worker.token);
    expect(items.slice(0, 2)).toEqual([
      { at: t2, actorId: worker.id, act: 'service.change', subjectId: sid, detail: { name: '社保卡补办', fields: 'name,durationMin' } },
      { at: t1, actorId: worker.id, act: 'service.change', subjectId: sid, detail: { name: '社保卡办理', created: true } },
    ]);
  });

  it('has no service entry for a refused change, and one per change that committed in a race', async () => {
    // prepare
    const { id: cid, admin: root } = await newCommunity();
    const [worker, resident, otherStaff] = await Promise.all([staffOf(cid), verifiedResident(cid), staffOf((await newCommunity()).id)]);
    const sid = (await call('POST', `/v1/communities/${cid}/services`, { token: worker.token, body: SERVICE })).body.id as string;
    const before = (await auditOf(cid, root.token, '?limit=100')).items.length;
    // act: refused attempts, then 12 changes of the same service at once
    const refused = await Promise.all([
      call('POST', `/v1/communities/${cid}/services`, { token: resident.token, body: SERVICE }),
      call('PATCH', `/v1/services/${sid}`, { token: resident.token, body: { name: '改名' } }),
      call('PATCH', `/v1/services/${sid}`, { token: otherStaff.token, body: { name: '改名' } }),
    ]);
    const raced = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      call('PATCH', `/v1/services/${sid}`, { token: worker.token, body: { durationMin: 10 + i } })));
    // assess
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(raced.every((r) => r.status === 200 || r.status === 409), JSON.stringify(raced.map((r) => r.status))).toBe(true);
    const committed = raced.filter((r) => r.status === 200).length;
    expect(committed).toBeGreaterThan(0);
    const entries = (await auditOf(cid, root.token, '?limit=100')).items;
    expect(entries).toHaveLength(before + committed);
  });
  it('records approving and declining a volunteer, verifying hours and correcting them', async () => {
    // prepare
    const { id: cid } = await newCommunity();
    const worker = await staffOf(cid);
    const w = { cid, staff: worker };
    const [approvee, declinee] = await Promise.all([verifiedResident(cid), verifiedResident(cid)]);
    for (const person of [approvee, declinee]) {
      expect((await call('POST', `/v1/communities/${cid}/volunteers`, { token: person.token, body: { skills: ['助老'] } })).status).toBe(201);
    }
    const [t1, t2, t3, t4] = [1, 2, 51, 52].map(hoursFromNow);
    const volunteers = `/v1/communities/${cid}/volunteers`;
    // act
    expect((await call('POST', `${volunteers}/${approvee.id}/approve`, { token: worker.token, now: t1 })).status).toBe(200);
    expect((await call('POST', `${volunteers}/${declinee.id}/decline`, { token: worker.token, body: { reason: '请补充服务时间' }, now: t2 })).status).toBe(200);
    const act = await activity(w);
    await attended(w, act, approvee);
    expect((await call('POST', `/v1/activities/${act.id}/signups/${approvee.id}/verify`, { token: worker.token, body: {}, now: t3 })).status).toBe(200);
    expect((await call('POST', `${volunteers}/${approvee.id}/corrections`, { token: worker.token, body: { hours: -0.5, reason: '签退时间登记有误' }, now: t4 })).status).toBe(201);
    // assess
    const { items } = await auditOf(cid, worker.token);
    expect(items.slice(0, 4)).toEqual([
      { at: t4, actorId: worker.id, act: 'hours.correct', subjectId: approvee.id, detail: { hours: -0.5, reason: '签退时间登记有误' } },
      { at: t3, actorId: worker.id, act: 'hours.verify', subjectId: approvee.id, detail: { hours: 1.5, activity: '敬老院探访' } },
      { at: t2, actorId: worker.id, act: 'volunteer.decline', subjectId: declinee.id, detail: { reason: '请补充服务时间' } },
      { at: t1, actorId: worker.id, act: 'volunteer.approve', subjectId: approvee.id },
    ]);
  });

  it('has no volunteer entry for a refused act, and one for an approval or verification raced by many staff', async () => {
    // prepare
    const { id: cid, admin: root } = await newCommunity();
    const workers = await Promise.all([staffOf(cid), staffOf(cid), staffOf(cid), staffOf(cid)]);
    const w = { cid, staff: workers[0]! };
    const [volunteer, applicant, resident] = await Promise.all([verifiedResident(cid), verifiedResident(cid), verifiedResident(cid)]);
    const volunteers = `/v1/communities/${cid}/volunteers`;
    for (const person of [volunteer, applicant]) {
      expect((await call('POST', volunteers, { token: person.token, body: { skills: ['助老'] } })).status).toBe(201);
    }
    expect((await call('POST', `${volunteers}/${volunteer.id}/approve`, { token: w.staff.token })).status).toBe(200);
    const act = await activity(w);
    await attended(w, act, volunteer);
    const before = (await auditOf(cid, root.token, '?limit=100')).items.length;
    // act: refused acts, then 12 approvals of one applicant and 12 verifications of one attendance at once
    const refused = await Promise.all([
      call('POST', `${volunteers}/${applicant.id}/approve`, { token: resident.token }),
      call('POST', `${volunteers}/${volunteer.id}/decline`, { token: w.staff.token, body: { reason: '无' } }),
      call('POST', `${volunteers}/${volunteer.id}/corrections`, { token: resident.token, body: { hours: 1, reason: '补录' } }),
      call('POST', `${volunteers}/${volunteer.id}/corrections`, { token: w.staff.token, body: { hours: -5, reason: '多记' } }),
      call('POST', `/v1/activities/${act.id}/signups/${volunteer.id}/verify`, { token: resident.token, body: {} }),
    ]);
    const approvals = workers.flatMap((x) => Array.from({ length: 3 }, () => call('POST', `${volunteers}/${applicant.id}/approve`, { token: x.token })));
    const verifications = workers.flatMap((x) => Array.from({ length: 3 }, () =>
      call('POST', `/v1/activities/${act.id}/signups/${volunteer.id}/verify`, { token: x.token, body: {} })));
    const [approved, verified] = await Promise.all([Promise.all(approvals), Promise.all(verifications)]);
    // assess
    expect(refused.map((r) => r.status)).toEqual([403, 409, 403, 409, 403]);
    expect(approved.every((r) => r.status === 200)).toBe(true);
    expect(verified.filter((r) => r.status === 200)).toHaveLength(1);
    const entries = (await auditOf(cid, root.token, '?limit=100')).items;
    expect(entries).toHaveLength(before + 2);
    expect(entries.filter((e) => e.act === 'volunteer.approve' && e.subjectId === applicant.id)).toHaveLength(1);
    expect(entries.filter((e) => e.act === 'hours.verify' && e.subjectId === volunteer.id)).toHaveLength(1);
  });
  const CONSULTATION = {
    title: '是否在3号楼加装电梯', body: '请各位业主表达意见。', options: [{ label: '同意' }, { label: '不同意' }], maxChoices: 1, eligibility: 'resident',
  };
  const consultationBy = async (cid: string, staff: { token: string }) => {
    const reply = await call('POST', `/v1/communities/${cid}/consultations`, { token: staff.token, body: { ...CONSULTATION, opensAt: hoursFromNow(1), closesAt: hoursFromNow(2) } });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body.id as string;
  };
  const topicBy = async (cid: string, resident: { token: string }) =>
    (await call('POST', `/v1/communities/${cid}/topics`, { token: resident.token, body: { title: '垃圾分类', body: '分类亭太远' } })).body.id as string;

  it('records closing a topic, hiding a comment and publishing a decision', async () => {
    // prepare
    const { id: cid } = await newCommunity();
    const [worker, resident] = await Promise.all([staffOf(cid), verifiedResident(cid)]);
    const [topicId, consultationId] = await Promise.all([topicBy(cid, resident), consultationBy(cid, worker)]);
    const comment = await call('POST', `/v1/consultations/${consultationId}/comments`, { token: resident.token, body: { text: '某某家违建（含个人信息）' } });
    expect(comment.status, JSON.stringify(comment.body)).toBe(201);
    const [t1, t2, t3] = [1, 2, 3].map(hoursFromNow);
    // act
    expect((await call('POST', `/v1/topics/${topicId}/close`, { token: worker.token, body: { reply: '已协调物业增设分类亭' }, now: t1 })).status).toBe(200);
    expect((await call('POST', `/v1/comments/${comment.body.id}/hide`, { token: worker.token, body: { reason: '含他人个人信息' }, now: t2 })).status).toBe(200);
    expect((await call('POST', `/v1/consultations/${consultationId}/publish`, { token: worker.token, body: { decision: '同意加装' }, now: t3 })).status).toBe(200);
    // assess
    const { items } = await auditOf(cid, worker.token);
    expect(items.slice(0, 3)).toEqual([
      { at: t3, actorId: worker.id, act: 'decision.publish', subjectId: consultationId, detail: { title: '是否在3号楼加装电梯' } },
      { at: t2, actorId: worker.id, act: 'comment.hide', subjectId: comment.body.id, detail: { reason: '含他人个人信息' } },
      { at: t1, actorId: worker.id, act: 'topic.close', subjectId: topicId, detail: { title: '垃圾分类' } },
    ]);
  });

  it('has no consultation entry for a refused act, and one for a close or publish raced by many staff', async () => {
    // prepare
    const { id: cid, admin: root } = await newCommunity();
    const [workers, residents] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => staffOf(cid))),
      Promise.all(Array.from({ length: 4 }, () => verifiedResident(cid))),
    ]);
    const [topicId, consultationId] = await Promise.all([topicBy(cid, residents[0]!), consultationBy(cid, workers[0]!)]);
    const comment = (await call('POST', `/v1/consultations/${consultationId}/comments`, { token: residents[0]!.token, body: { text: '意见' } })).body;
    const before = (await auditOf(cid, root.token, '?limit=100')).items.length;
    // act: refused acts, then 12 closes of one topic while residents second it, and 12 publishes at once
    const refused = await Promise.all([
      call('POST', `/v1/topics/${topicId}/close`, { token: residents[1]!.token, body: { reply: '好' } }),
      call('POST', `/v1/comments/${comment.id}/hide`, { token: residents[1]!.token, body: { reason: 'x' } }),
      call('POST', `/v1/comments/${consultationId}_nope/hide`, { token: workers[0]!.token, body: { reason: 'x' } }),
      call('POST', `/v1/consultations/${consultationId}/publish`, { token: workers[0]!.token, body: { decision: '同意' } }),
      call('POST', `/v1/consultations/${consultationId}/publish`, { token: residents[1]!.token, body: { decision: '同意' }, now: hoursFromNow(3) }),
    ]);
    const closes = workers.flatMap((w) => Array.from({ length: 3 }, () => call('POST', `/v1/topics/${topicId}/close`, { token: w.token, body: { reply: '已办' } })));
    const seconds = residents.slice(1).map((r) => call('POST', `/v1/topics/${topicId}/support`, { token: r.token }));
    const publishes = workers.flatMap((w) => Array.from({ length: 3 }, () =>
      call('POST', `/v1/consultations/${consultationId}/publish`, { token: w.token, body: { decision: '同意' }, now: hoursFromNow(3) })));
    const [closed, , published] = await Promise.all([Promise.all(closes), Promise.all(seconds), Promise.all(publishes)]);
    // assess
    expect(refused.map((r) => r.status)).toEqual([403, 403, 404, 409, 403]);
    expect(closed.filter((r) => r.status === 200), JSON.stringify(closed.map((r) => r.status))).toHaveLength(1);
    expect(published.filter((r) => r.status === 200), JSON.stringify(published.map((r) => r.status))).toHaveLength(1);
    expect([...closed, ...published].every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const entries = (await auditOf(cid, root.token, '?limit=100')).items;
    expect(entries).toHaveLength(before + 2);
    expect(entries.filter((e) => e.act === 'topic.close' && e.subjectId === topicId)).toHaveLength(1);
    expect(entries.filter((e) => e.act === 'decision.publish' && e.subjectId === consultationId)).toHaveLength(1);
  });
  const HALL = {
    categories: [{ code: 'A', name: '社保医保' }, { code: 'B', name: '民政优抚' }],
    windows: [{ no: 2, categories: ['B'] }, { no: 1, categories: ['A', 'B'] }],
  };

  it('records changing the hall layout (hall.change), with its categories and windows', async () => {
    // prepare
    const { id: cid } = await newCommunity();
    const worker = await staffOf(cid);
    const t1 = hoursFromNow(1);
    // act
    const reply = await call('PUT', `/v1/communities/${cid}/hall`, { token: worker.token, body: HALL, now: t1 });
    // assess
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const { items } = await auditOf(cid, worker.token);
    expect(items[0]).toEqual({ at: t1, actorId: worker.id, act: 'hall.change', detail: { categories: 'A,B', windows: '2,1' } });
  });

  it('has no hall entry for a refused change, and one per change when staff change it at once', async () => {
    // prepare
    const { id: cid, admin: root } = await newCommunity();
    const [workers, resident] = await Promise.all([Promise.all(Array.from({ length: 4 }, () => staffOf(cid))), verifiedResident(cid)]);
    const before = (await auditOf(cid, root.token, '?limit=100')).items.length;
    // act
    const refused = await Promise.all([
      call('PUT', `/v1/communities/${cid}/hall`, { token: resident.token, body: HALL }),
      call('PUT', `/v1/communities/${cid}/hall`, { token: workers[0]!.token, body: { ...HALL, windows: [{ no: 1, categories: ['Z'] }] } }),
    ]);
    const changes = await Promise.all(workers.flatMap((w) => Array.from({ length: 3 }, () => call('PUT', `/v1/communities/${cid}/hall`, { token: w.token, body: HALL }))));
    // assess
    expect(refused.map((r) => r.status)).toEqual([403, 400]);
    expect(changes.map((r) => r.status)).toEqual(changes.map(() => 200));
    const entries = (await auditOf(cid, root.token, '?limit=100')).items;
    expect(entries).toHaveLength(before + 12);
    expect(entries.filter((e) => e.act === 'hall.change')).toHaveLength(12);
  });
});
