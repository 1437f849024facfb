import { describe, expect, it } from 'vitest';
import { joined, login, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { activity, approvedVolunteer, attended, futureStart, HOUR, myCode, scan, signUp, world, type VolunteerWorld } from './volunteers-fixtures';

describe('registration and approval', () => {
  it('registers a verified member as a pending volunteer', async () => {
    const w = await world();
    const person = await verifiedResident(w.cid);
    const reply = await call('POST', `/v1/communities/${w.cid}/volunteers`, { token: person.token, body: { skills: ['助老', '医疗'], availability: '周末上午' } });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ userId: person.id, status: 'pending', skills: ['助老', '医疗'], totalHours: 0 });
    expect(reply.calls.length).toBeLessThanOrEqual(3);
  });

  it('refuses a member whose household is not verified yet, and anyone who has not joined', async () => {
    const w = await world();
    const pending = await joined(w.cid);
    const stranger = await login();
    const body = { skills: ['文体'] };
    expect((await call('POST', `/v1/communities/${w.cid}/volunteers`, { token: pending.token, body })).status).toBe(403);
    expect((await call('POST', `/v1/communities/${w.cid}/volunteers`, { token: stranger.token, body })).status).toBe(403);
  });

  it('refuses unknown skills with the failing field named', async () => {
    const w = await world();
    const person = await verifiedResident(w.cid);
    const reply = await call('POST', `/v1/communities/${w.cid}/volunteers`, { token: person.token, body: { skills: ['飞行'] } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details[0].path).toMatch(/^body\.skills/);
  });

  it('answers a second registration with 409 ALREADY_REGISTERED, and lets a declined one register again', async () => {
    const w = await world();
    const person = await verifiedResident(w.cid);
    const url = `/v1/communities/${w.cid}/volunteers`;
    await call('POST', url, { token: person.token, body: { skills: ['教育'] } });
    const again = await call('POST', url, { token: person.token, body: { skills: ['教育'] } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_REGISTERED');
    const declined = await call('POST', `${url}/${person.id}/decline`, { token: w.staff.token, body: { reason: '请补充服务时间' } });
    expect(declined.body).toMatchObject({ status: 'declined', reason: '请补充服务时间' });
    const retry = await call('POST', url, { token: person.token, body: { skills: ['教育'], availability: '工作日晚上' } });
    expect(retry.status).toBe(201);
    expect(retry.body.status).toBe('pending');
    expect(retry.body.reason).toBeUndefined();
  });

  it('lists pending registrations for staff only, with real names', async () => {
    const w = await world();
    const person = await joined(w.cid, undefined, { realName: '陈晨' });
    await call('POST', `/v1/communities/${w.cid}/members/${person.id}/verify`, { token: w.staff.token, body: {} });
    await call('POST', `/v1/communities/${w.cid}/volunteers`, { token: person.token, body: { skills: ['助残'] } });
    const list = await call('GET', `/v1/communities/${w.cid}/volunteers?status=pending`, { token: w.staff.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ userId: person.id, name: '陈晨', status: 'pending' })]);
    const refused = await call('GET', `/v1/communities/${w.cid}/volunteers?status=pending`, { token: person.token });
    expect(refused.status).toBe(403);
  });

  it('approves once: staff approving together all see approved, and the count moves once', async () => {
    const w = await world();
    const person = await verifiedResident(w.cid);
    await call('POST', `/v1/communities/${w.cid}/volunteers`, { token: person.token, body: { skills: ['助老'] } });
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => call('POST', `/v1/communities/${w.cid}/volunteers/${person.id}/approve`, { token: w.staff.token })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    const stats = await call('GET', `/v1/communities/${w.cid}/stats`, { token: w.staff.token });
    expect(stats.body.volunteers).toMatchObject({ approved: 1, targetPercent: 15 });
  });

  it('refuses declining an approved volunteer, and approval by residents', async () => {
    const w = await world();
    const person = await approvedVolunteer(w);
    const decline = await call('POST', `/v1/communities/${w.cid}/volunteers/${person.id}/decline`, { token: w.staff.token, body: { reason: '无' } });
    expect(decline.status).toBe(409);
    const other = await verifiedResident(w.cid);
    const byResident = await call('POST', `/v1/communities/${w.cid}/volunteers/${person.id}/approve`, { token: other.token });
    expect(byResident.status).toBe(403);
    const unknown = await call('POST', `/v1/communities/${w.cid}/volunteers/nobody/approve`, { token: w.staff.token });
    expect(unknown.status).toBe(404);
  });
});

describe('activities', () => {
  it('lets staff post an activity that anyone lists with places left, in the community\'s time zone', async () => {
    const w = await world();
    const act = await activity(w, { capacity: 3 });
    expect(act.body).toMatchObject({ status: 'scheduled', signedUp: 0, placesLeft: 3 });
    expect(act.body.startsAt).toMatch(/\+08:00$/);
    const list = await call('GET', `/v1/communities/${w.cid}/activities`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([act.id]);
    expect(list.calls.length).toBe(2);
  });

  it('filters by skill and by date', async () => {
    const w = await world();
    const start = futureStart();
    const elder = await activity(w, { skills: ['助老'] }, start);
    const clinic = await activity(w, { title: '社区义诊', skills: ['医疗'] }, new Date(start.getTime() + 48 * HOUR));
    const bySkill = await call('GET', `/v1/communities/${w.cid}/activities?skill=医疗`);
    expect(bySkill.body.items.map((a: { id: string }) => a.id)).toEqual([clinic.id]);
    const day = elder.body.startsAt.slice(0, 10);
    const byDate = await call('GET', `/v1/communities/${w.cid}/activities?from=${day}&to=${day}`);
    expect(byDate.body.items.map((a: { id: string }) => a.id)).toEqual([elder.id]);
    const bad = await call('GET', `/v1/communities/${w.cid}/activities?from=tomorrow`);
    expect(bad.status).toBe(400);
  });

  it('lets residents not post activities, and refuses an end before the start or a start over 7 days back', async () => {
    const w = await world();
    const person = await verifiedResident(w.cid);
    const start = futureStart();
    const body = { title: '垃圾分类宣传', place: '东门', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + HOUR).toISOString(), capacity: 5, hours: 1 };
    expect((await call('POST', `/v1/communities/${w.cid}/activities`, { token: person.token, body })).status).toBe(403);
    const backwards = await call('POST', `/v1/communities/${w.cid}/activities`, { token: w.staff.token, body: { ...body, endsAt: body.startsAt, startsAt: body.endsAt } });
    expect(backwards.status).toBe(400);
    const old = new Date(Date.now() - 8 * 24 * HOUR);
    const tooOld = await call('POST', `/v1/communities/${w.cid}/activities`, {
      token: w.staff.token, body: { ...body, startsAt: old.toISOString(), endsAt: new Date(old.getTime() + HOUR).toISOString() },
    });
    expect(tooOld.status).toBe(400);
  });

  it('edits an activity but never below the places taken, and cancels it', async () => {
    const w = await world();
    const act = await activity(w, { capacity: 3 });
    const [a, b] = await Promise.all([approvedVolunteer(w), approvedVolunteer(w)]);
    await signUp(act.id, a!);
    await signUp(act.id, b!);
    const shrink = await call('PATCH', `/v1/activities/${act.id}`, { token: w.staff.token, body: { capacity: 1 } });
    expect(shrink.status).toBe(409);
    const moved = await call('PATCH', `/v1/activities/${act.id}`, { token: w.staff.token, body: { place: '社区活动室', capacity: 2 } });
    expect(moved.body).toMatchObject({ place: '社区活动室', capacity: 2, placesLeft: 0 });
    const cancelled = await call('DELETE', `/v1/activities/${act.id}`, { token: w.staff.token });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await call('DELETE', `/v1/activities/${act.id}`, { token: w.staff.token })).status).toBe(409);
    expect((await call('PATCH', `/v1/activities/${act.id}`, { token: w.staff.token, body: { title: '新标题' } })).status).toBe(409);
  });

  it('shows the caller\'s own signup on the detail, and 404 for an unknown activity', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await signUp(act.id, person);
    const detail = await call('GET', `/v1/activities/${act.id}`, { token: person.token });
    expect(detail.body.mySignup).toMatchObject({ status: 'signed_up' });
    expect(detail.calls.length).toBe(1);
    expect((await call('GET', `/v1/activities/${act.id}`)).body.mySignup).toBeUndefined();
    expect((await call('GET', '/v1/activities/nope')).status).toBe(404);
  });
});

describe('signups', () => {
  it('signs an approved volunteer up in two round trips and lists it under my signups', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    const reply = await call('POST', `/v1/activities/${act.id}/signups`, { token: person.token });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ activityId: act.id, userId: person.id, status: 'signed_up', title: '敬老院探访' });
    expect(reply.calls.map((c) => c.command)).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    const mine = await call('GET', '/v1/me/signups', { token: person.token });
    expect(mine.body.items).toEqual([expect.objectContaining({ activityId: act.id, status: 'signed_up' })]);
  });

  it('refuses a resident who is not an approved volunteer', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await verifiedResident(w.cid);
    await call('POST', `/v1/communities/${w.cid}/volunteers`, { token: person.token, body: { skills: ['助老'] } });
    const reply = await call('POST', `/v1/activities/${act.id}/signups`, { token: person.token });
    expect(reply.status).toBe(403);
    expect(reply.body.error.message).toMatch(/审核/);
  });

  it('answers a second signup with 409 ALREADY_SIGNED_UP', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await signUp(act.id, person);
    const again = await call('POST', `/v1/activities/${act.id}/signups`, { token: person.token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_SIGNED_UP');
  });

  it('closes signup and cancellation once the activity has started', async () => {
    const w = await world();
    const act = await activity(w);
    const [early, late] = await Promise.all([approvedVolunteer(w), approvedVolunteer(w)]);
    await signUp(act.id, early);
    const after = new Date(act.start.getTime() + 60_000);
    expect((await call('POST', `/v1/activities/${act.id}/signups`, { token: late.token, now: after })).status).toBe(409);
    expect((await call('DELETE', `/v1/activities/${act.id}/signups/me`, { token: early.token, now: after })).status).toBe(409);
  });

  it('refuses signup to a cancelled activity', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await call('DELETE', `/v1/activities/${act.id}`, { token: w.staff.token });
    const reply = await call('POST', `/v1/activities/${act.id}/signups`, { token: person.token });
    expect(reply.status).toBe(409);
    expect(reply.body.error.message).toMatch(/取消/);
  });

  it('shows staff who signed up, with real names, and nobody else', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await signUp(act.id, person);
    const sheet = await call('GET', `/v1/activities/${act.id}/signups`, { token: w.staff.token });
    expect(sheet.body.items).toEqual([expect.objectContaining({ userId: person.id, status: 'signed_up' })]);
    expect((await call('GET', `/v1/activities/${act.id}/signups`, { token: person.token })).status).toBe(403);
  });
});

describe('presence proved on site: staff scan the volunteer\'s personal code', () => {
  async function ready() {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await signUp(act.id, person);
    return { w, act, person, onSite: new Date(act.start.getTime() + 5 * 60_000) };
  }
  const signupOf = async (w: VolunteerWorld, activityId: string, uid: string) =>
    (await call('GET', `/v1/activities/${activityId}/signups`, { token: w.staff.token })).body.items.find((s: { userId: string }) => s.userId === uid);

  it('shows a signed-up volunteer a personal check-in code, valid a minute, in one round trip', async () => {
    const { act, person, onSite } = await ready();
    const reply = await call('GET', `/v1/activities/${act.id}/checkin-code`, { token: person.token, now: onSite });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ purpose: 'check_in', refreshSeconds: 20 });
    expect(reply.body.code).toContain(person.id);
    expect(reply.body.qr).toBe(`linli:presence:${act.id}:${reply.body.code}`);
    const left = Date.parse(reply.body.expiresAt) - onSite.getTime();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60_000);
    expect(reply.calls.map((c) => c.command)).toEqual(['BatchGetItemCommand']);
  });

  it('records the check-in when staff scan the code on site, and answers with the volunteer\'s name', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w, ['助老'], '陈晨');
    await signUp(act.id, person);
    const onSite = new Date(act.start.getTime() + 5 * 60_000);
    const { body } = await call('GET', `/v1/activities/${act.id}/checkin-code`, { token: person.token, now: onSite });
    const reply = await scan(w, act.id, 'check-in', body.qr, onSite);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ userId: person.id, name: '陈晨', attendanceBy: 'scan' });
    expect(Date.parse(reply.body.checkedInAt)).toBe(onSite.getTime());
    expect(reply.calls.map((c) => c.command).filter((c) => c.startsWith('Transact'))).toEqual(['TransactWriteItemsCommand']);
  });

  it('does not check in a volunteer who posts a code from home: only staff scanning on site record attendance', async () => {
    const { w, act, person, onSite } = await ready();
    const code = await myCode(person, act.id, onSite);
    const fromHome = await call('POST', `/v1/activities/${act.id}/check-in`, { token: person.token, now: onSite, body: { code } });
    expect(fromHome.status).toBe(403);
    const friend = await approvedVolunteer(w);
    await signUp(act.id, friend);
    const byFriend = await call('POST', `/v1/activities/${act.id}/check-in`, { token: friend.token, now: onSite, body: { code } });
    expect(byFriend.status).toBe(403);
    expect((await signupOf(w, act.id, person.id)).checkedInAt).toBeUndefined();
  });

  it('spends a code on its first scan: scanned again, it is refused with CODE_USED', async () => {
    const { w, act, person, onSite } = await ready();
    const code = await myCode(person, act.id, onSite);
    expect((await scan(w, act.id, 'check-in', code, onSite)).status).toBe(200);
    const again = await scan(w, act.id, 'check-in', code, new Date(onSite.getTime() + 10_000));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CODE_USED');
  });

  it('never checks out with the check-in code: check-out is its own act, with its own code', async () => {
    const { w, act, person, onSite } = await ready();
    const checkInCode = await myCode(person, act.id, onSite);
    const early = await scan(w, act.id, 'check-out', checkInCode, onSite);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/不能混用/);
    expect((await scan(w, act.id, 'check-in', checkInCode, onSite)).status).toBe(200);
    const reused = await scan(w, act.id, 'check-out', checkInCode, new Date(onSite.getTime() + 20_000));
    expect(reused.status).toBe(409);
    expect((await signupOf(w, act.id, person.id)).checkedOutAt).toBeUndefined();

    const leaving = new Date(act.start.getTime() + 65 * 60_000);
    const next = await call('GET', `/v1/activities/${act.id}/checkin-code`, { token: person.token, now: leaving });
    expect(next.body.purpose).toBe('check_out');
    const out = await scan(w, act.id, 'check-out', next.body.code, leaving);
    expect(out.status).toBe(200);
    expect(Date.parse(out.body.checkedOutAt)).toBe(leaving.getTime());
    const done = await call('GET', `/v1/activities/${act.id}/checkin-code`, { token: person.token, now: leaving });
    expect(done.status).toBe(409);
  });

  it('refuses an expired code, another activity\'s code, a forged one and a made-up one, each with its own message', async () => {
    const { w, act, person, onSite } = await ready();
    const other = await activity(w, { title: '社区义诊' }, act.start);
    await signUp(other.id, person);
    const code = await myCode(person, act.id, onSite);
    const expired = await scan(w, act.id, 'check-in', code, new Date(onSite.getTime() + 61_000));
    const foreign = await scan(w, act.id, 'check-in', await myCode(person, other.id, onSite), onSite);
    const forged = await scan(w, act.id, 'check-in', code.replace(person.id, w.staff.id), onSite);
    const madeUp = await scan(w, act.id, 'check-in', '12345678', onSite);
    for (const reply of [expired, foreign, forged, madeUp]) expect(reply.body.error.code).toBe('CODE_INVALID');
    expect(expired.body.error.message).toMatch(/过期/);
    expect(foreign.body.error.message).toMatch(/不是本活动/);
    expect(forged.body.error.message).toMatch(/不是本活动/);
    expect(madeUp.body.error.message).toMatch(/不是志愿者的签到码/);
  });

  it('lets only staff of the community scan, gives codes only to signed-up volunteers, and only from 30 minutes before the start', async () => {
    const { w, act, person, onSite } = await ready();
    const code = await myCode(person, act.id, onSite);
    const elsewhere = await staffOf((await world()).cid);
    expect((await call('POST', `/v1/activities/${act.id}/check-in`, { token: elsewhere.token, now: onSite, body: { code } })).status).toBe(403);
    // Refused before the code is judged: a wrong code tells an outsider nothing either.
    expect((await call('POST', `/v1/activities/${act.id}/check-out`, { token: elsewhere.token, now: onSite, body: { code } })).status).toBe(403);
    const outsider = await approvedVolunteer(w);
    expect((await call('GET', `/v1/activities/${act.id}/checkin-code`, { token: outsider.token, now: onSite })).status).toBe(403);
    const tooEarly = new Date(act.start.getTime() - 31 * 60_000);
    const early = await call('GET', `/v1/activities/${act.id}/checkin-code`, { token: person.token, now: tooEarly });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('NOT_CHECKABLE');
  });
});

describe('verified hours and the ledger', () => {
  it('credits the attended time rounded to the half hour and capped, in one transaction', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await attended(w, act, person); // 90 minutes on site
    const reply = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: {} });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ kind: 'service', hours: 1.5, activityId: act.id, title: '敬老院探访' });
    expect(reply.calls.map((c) => c.command).filter((c) => c.startsWith('Transact'))).toEqual(['TransactWriteItemsCommand']);
    const me = await call('GET', '/v1/me/volunteer', { token: person.token });
    expect(me.body).toMatchObject({ status: 'approved', totalHours: 1.5, entries: [expect.objectContaining({ hours: 1.5 })] });
    expect(me.body.years).toEqual([expect.objectContaining({ hours: 1.5, services: 1 })]);
  });

  it('credits the hours staff give', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await attended(w, act, person);
    const reply = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: { hours: 3 } });
    expect(reply.body.hours).toBe(3);
  });

  it('answers a second verification with 409 ALREADY_VERIFIED', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await attended(w, act, person);
    const url = `/v1/activities/${act.id}/signups/${person.id}/verify`;
    await call('POST', url, { token: w.staff.token, body: {} });
    const again = await call('POST', url, { token: w.staff.token, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_VERIFIED');
  });

  it('refuses to verify before attendance is recorded', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await signUp(act.id, person);
    const reply = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: {} });
    expect(reply.status).toBe(409);
    expect(reply.body.error.message).toMatch(/考勤/);
  });

  it('lets staff record attendance for someone who could not scan; the recorded check-out sets the hours', async () => {
    const w = await world();
    const act = await activity(w, { hours: 2.5 });
    const person = await approvedVolunteer(w);
    await signUp(act.id, person);
    const after = new Date(act.end.getTime() + HOUR);
    const recorded = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/attendance`, {
      token: w.staff.token, now: after, body: { checkedInAt: act.start.toISOString(), checkedOutAt: act.end.toISOString(), reason: '手机没电，现场登记' },
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ attendanceBy: 'staff', attendanceReason: '手机没电，现场登记' });
    const verified = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, now: after, body: {} });
    expect(verified.body.hours).toBe(2);
  });

  it('earns no hours for a check-in without a check-out, until staff record the check-out or give the hours', async () => {
    const w = await world();
    const act = await activity(w, { hours: 2.5 });
    const [scanned, recorded] = await Promise.all([approvedVolunteer(w), approvedVolunteer(w)]);
    await Promise.all([signUp(act.id, scanned), signUp(act.id, recorded)]);
    const onSite = new Date(act.start.getTime() + 5 * 60_000);
    expect((await scan(w, act.id, 'check-in', await myCode(scanned, act.id, onSite), onSite)).status).toBe(200);
    const after = new Date(act.end.getTime() + 2 * HOUR);
    await call('POST', `/v1/activities/${act.id}/signups/${recorded.id}/attendance`, {
      token: w.staff.token, now: after, body: { checkedInAt: act.start.toISOString(), reason: '纸质签到表补录' },
    });
    for (const person of [scanned, recorded]) {
      const refused = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, now: after, body: {} });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/签退/);
      expect((await call('GET', '/v1/me/volunteer', { token: person.token })).body.totalHours).toBe(0);
    }
    const out = await call('POST', `/v1/activities/${act.id}/signups/${scanned.id}/attendance`, {
      token: w.staff.token, now: after, body: { checkedInAt: onSite.toISOString(), checkedOutAt: new Date(onSite.getTime() + 60 * 60_000).toISOString(), reason: '忘记签退，按现场记录补录' },
    });
    expect(out.status).toBe(200);
    expect((await call('POST', `/v1/activities/${act.id}/signups/${scanned.id}/verify`, { token: w.staff.token, now: after, body: {} })).body.hours).toBe(1);
    expect((await call('POST', `/v1/activities/${act.id}/signups/${recorded.id}/verify`, { token: w.staff.token, now: after, body: { hours: 1.5 } })).body.hours).toBe(1.5);
  });

  it('records an activity after the fact for an approved volunteer who had not signed up', async () => {
    const w = await world();
    const start = new Date(Math.floor((Date.now() - 3 * 24 * HOUR) / 60_000) * 60_000);
    const act = await activity(w, { title: '社区义诊' }, start);
    const person = await approvedVolunteer(w);
    const recorded = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/attendance`, {
      token: w.staff.token,
      body: { checkedInAt: start.toISOString(), checkedOutAt: new Date(start.getTime() + 2 * HOUR).toISOString(), reason: '纸质签到表补录' },
    });
    expect(recorded.status).toBe(200);
    const verified = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: {} });
    expect(verified.body.hours).toBe(2);
    const stranger = await verifiedResident(w.cid);
    const refused = await call('POST', `/v1/activities/${act.id}/signups/${stranger.id}/attendance`, {
      token: w.staff.token, body: { checkedInAt: start.toISOString(), reason: '补录' },
    });
    expect(refused.status).toBe(403);
  });

  it('corrects with a new entry, never below zero, and the total always equals the sum of entries', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await attended(w, act, person);
    await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: { hours: 2 } });
    const url = `/v1/communities/${w.cid}/volunteers/${person.id}/corrections`;
    const minus = await call('POST', url, { token: w.staff.token, body: { hours: -0.5, reason: '签退时间登记有误' } });
    expect(minus.status).toBe(201);
    expect(minus.body).toMatchObject({ kind: 'correction', hours: -0.5, reason: '签退时间登记有误' });
    const tooMuch = await call('POST', url, { token: w.staff.token, body: { hours: -5, reason: '错误' } });
    expect(tooMuch.status).toBe(409);
    const me = await call('GET', '/v1/me/volunteer', { token: person.token });
    expect(me.body.entries).toHaveLength(2);
    expect(me.body.totalHours).toBe(1.5);
    expect(me.body.totalHours).toBe(me.body.entries.reduce((s: number, e: { hours: number }) => s + e.hours, 0));
    expect((await call('POST', url, { token: person.token, body: { hours: 5, reason: '自己加' } })).status).toBe(403);
  });

  it('answers 404 to someone who is not a volunteer', async () => {
    const person = await login();
    expect((await call('GET', '/v1/me/volunteer', { token: person.token })).status).toBe(404);
  });
});

describe('indicators', () => {
  it('reports the volunteer ratio against 15%, hours verified this month and activities held', async () => {
    const w = await world({ residents: 200 });
    const start = new Date(Math.floor((Date.now() - 2 * HOUR) / 60_000) * 60_000);
    const act = await activity(w, {}, start);
    const person = await approvedVolunteer(w);
    await call('POST', `/v1/activities/${act.id}/signups/${person.id}/attendance`, {
      token: w.staff.token, body: { checkedInAt: start.toISOString(), reason: '补录' },
    });
    await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: { hours: 2 } });
    const stats = await call('GET', `/v1/communities/${w.cid}/stats`, { token: w.staff.token });
    expect(stats.status).toBe(200);
    expect(stats.body.volunteers).toMatchObject({ approved: 1, residents: 200, ratioPercent: 0.5, targetPercent: 15, meetsTarget: false, hoursThisMonth: 2 });
    expect(stats.body.volunteers.activitiesHeldThisMonth).toBeGreaterThanOrEqual(act.start.getUTCDate() === new Date().getUTCDate() ? 1 : 0);
  });
});
