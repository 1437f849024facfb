/**
 * 志愿陪同 (volunteer escort) against DynamoDB Local and the WeChat stand-in: asked with a booking
 * (by the elder or a family proxy), taken by exactly one volunteer through the ordinary sign-up,
 * the elder's contact shown only to that volunteer and staff, hours through the ordinary
 * verification, thanks once, cancelled with the booking, and the 18:00 check on the test clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { flagUnclaimedEscorts } from '../../functions/services/escorts';
import { joined, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { accept, deliverOutbox, startWechatStub, subscribeSends, type SubscribeSend, type WechatStub } from '../support/wechat-stub';
import { ASK, ELDER, NOW, SLOT, bookWithEscort, completed, escortWorld, getEscort, resident, take, taken, volunteer, type EscortWorld } from './escorts-fixtures';
import { asProxy, linked } from './family-fixtures';

const TEMPLATES = { WX_TEMPLATE_ESCORT_MATCHED: 'tmpl-escort-matched', WX_TEMPLATE_ESCORT_UNCLAIMED: 'tmpl-escort-unclaimed', WX_TEMPLATE_ACTIVITY_CHANGED: 'tmpl-activity-changed' };
const MIN = 60_000;
const at = (iso: string) => new Date(iso);

let wechat: WechatStub;
beforeAll(async () => {
  wechat = await startWechatStub();
  wechat.behaviour = 'ok';
  process.env.WECHAT_API_BASE = wechat.base;
  Object.assign(process.env, TEMPLATES);
  resetConfig();
});
afterAll(async () => {
  for (const name of Object.keys(TEMPLATES)) delete process.env[name];
  delete process.env.WECHAT_API_BASE;
  resetConfig();
  await wechat.close();
});

/** What the stand-in was sent with a template, on a page naming `id`. */
const sent = (template: string, id: string): SubscribeSend[] =>
  subscribeSends(wechat).filter((b) => b.template_id === template && b.page.endsWith(`id=${id}`));
const text = (m: SubscribeSend) => Object.values(m.data).map((d) => d.value).join('');

describe('asking for an escort with a booking', () => {
  it('writes a one-place volunteer activity with the booking, listed apart from the public activities', async () => {
    // prepare
    const w = await escortWorld();

    // act
    const { appointmentId, escortId } = await bookWithEscort(w);
    const [mine, asElder, activity, publicList] = await Promise.all([
      call('GET', `/v1/appointments/${appointmentId}`, { token: w.elder.token, now: NOW }),
      getEscort(escortId, { token: w.elder.token }),
      call('GET', `/v1/activities/${escortId}`, { now: NOW }),
      call('GET', `/v1/communities/${w.cid}/activities?from=2026-11-17&to=2026-11-17`, { now: NOW }),
    ]);

    // assess
    expect(mine.body.escortId).toBe(escortId);
    expect(asElder.body).toMatchObject({
      id: escortId, appointmentId, state: 'open', unclaimed: false, need: '助老', note: ASK.note, serviceName: '高龄津贴申领',
      startsAt: '2026-11-17T09:30:00+08:00', endsAt: '2026-11-17T11:00:00+08:00', appointmentStart: '2026-11-17T10:00:00+08:00', hours: 1.5,
    });
    expect(asElder.body.elder).toBeUndefined();
    expect(activity.body).toMatchObject({ capacity: 1, signedUp: 0, placesLeft: 1, skills: ['助老'], status: 'scheduled' });
    expect(publicList.body.items.map((a: { id: string }) => a.id)).not.toContain(escortId);
  });

  it('books with an escort through a family proxy: the escort is the elder’s, and both are told who is coming', async () => {
    // prepare
    const w = await escortWorld();
    await linked(w.elder, w.cid, w.daughter);
    const zhang = await volunteer(w, ['助老'], '张志远');
    await Promise.all([accept(w.elder, ['escortMatched']), accept(w.daughter, ['escortMatched'])]);

    // act
    const { appointmentId, escortId } = await bookWithEscort(w, { as: { token: w.daughter.token, headers: { 'x-on-behalf-of': w.elder.id } } });
    await taken(escortId, zhang);
    await deliverOutbox(new Date(NOW.getTime() + MIN));
    const [forElder, daughterAlone] = await Promise.all([getEscort(escortId, asProxy(w.daughter, w.elder)), getEscort(escortId, { token: w.daughter.token })]);

    // assess
    expect(forElder.body).toMatchObject({ appointmentId, state: 'matched', volunteerName: '张**志愿者' });
    expect(daughterAlone.status).toBe(404);
    const messages = sent(TEMPLATES.WX_TEMPLATE_ESCORT_MATCHED, appointmentId);
    expect(messages.map((m) => m.touser).sort()).toEqual([w.elder.openid, w.daughter.openid].sort());
    expect(messages[0]!.data.thing3!.value).toBe('张**志愿者');
    expect(messages[0]!.data.time2!.value).toBe('2026年11月17日 10:00');
    // no raw id or English word reaches a person
    for (const m of messages) expect(text(m)).not.toMatch(/[A-Za-z]/);
  });

  it('asks later for a booking already made, through the proxy too, once per booking and only while there is time', async () => {
    // prepare: two bookings without an escort, a third cancelled
    const w = await escortWorld();
    await linked(w.elder, w.cid, w.daughter);
    const plain = (start: string, now: Date = NOW) =>
      call('POST', `/v1/services/${w.sid}/appointments`, { token: w.elder.token, now, body: { start } }).then((r) => r.body.id as string);
    const [later, soon] = [await plain(SLOT), await plain('2026-11-16T09:30:00+08:00', at('2026-11-16T08:00:00+08:00'))];
    const cancelledOne = await bookWithEscort(w, { start: '2026-11-18T10:00:00+08:00' });
    await call('DELETE', `/v1/appointments/${cancelledOne.appointmentId}`, { token: w.elder.token, now: NOW });
    const ask = (id: string, as: { token: string; headers?: Record<string, string> }) =>
      call('POST', `/v1/appointments/${id}/escort`, { ...as, now: NOW, body: { need: '助残', note: '听力不好' } });

    // act
    const byProxy = await ask(later, asProxy(w.daughter, w.elder));
    const [again, bySomeoneElse, byStaff, tooLate, cancelled] = await Promise.all([
      ask(later, { token: w.elder.token }),
      ask(later, { token: (await verifiedResident(w.cid)).token }),
      ask(later, { token: w.staff.token }),
      ask(soon, { token: w.elder.token }),
      ask(cancelledOne.appointmentId, { token: w.elder.token }),
    ]);
    const booking = await call('GET', `/v1/appointments/${later}`, { token: w.elder.token, now: NOW });

    // assess
    expect(byProxy.status, JSON.stringify(byProxy.body)).toBe(201);
    expect(byProxy.body).toMatchObject({ appointmentId: later, state: 'open', need: '助残', note: '听力不好', startsAt: '2026-11-17T09:30:00+08:00' });
    expect(booking.body.escortId).toBe(byProxy.body.id);
    expect([again.status, bySomeoneElse.status, byStaff.status, tooLate.status, cancelled.status]).toEqual([409, 404, 403, 409, 409]);
    expect(tooLate.body.error.message).toBe('距预约开始已不足半小时，来不及安排志愿者陪同');
  });

  it('refuses an ask from a member whose household is not verified, and a bad ask in Chinese', async () => {
    const w = await escortWorld();
    const member = await joined(w.cid);

    const [unverified, badNeed, longNote, unknownField] = await Promise.all([
      call('POST', `/v1/services/${w.sid}/appointments`, { token: member.token, now: NOW, body: { start: SLOT, escort: ASK } }),
      call('POST', `/v1/services/${w.sid}/appointments`, { token: w.elder.token, now: NOW, body: { start: SLOT, escort: { need: '其他' } } }),
      call('POST', `/v1/services/${w.sid}/appointments`, { token: w.elder.token, now: NOW, body: { start: SLOT, escort: { note: '轮'.repeat(101) } } }),
      call('POST', `/v1/services/${w.sid}/appointments`, { token: w.elder.token, now: NOW, body: { start: SLOT, escort: { wheelchair: true } } }),
    ]);

    expect(unverified.status).toBe(403);
    for (const reply of [badNeed, longNote, unknownField]) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION');
      expect(reply.body.error.details[0].message).toMatch(/[\u4e00-\u9fa5]/);
    }
    // nothing was booked by the refused asks
    const mine = await call('GET', '/v1/me/appointments', { token: w.elder.token, now: NOW });
    expect(mine.body.items).toEqual([]);
  });
});

describe('taking an escort', () => {
  it('lists open escorts to approved volunteers, those needing their skill first, without anyone’s contact', async () => {
    // prepare: a 助老 escort at 10:00 and a 助残 one at 11:00
    const w = await escortWorld();
    const other = await resident(w.cid, w.staff, { realName: '李建国', phone: '13900002222' });
    const [elderly, disabled] = [await bookWithEscort(w), await bookWithEscort(w, { as: { token: other.token }, start: '2026-11-17T11:00:00+08:00', escort: { need: '助残' } })];
    const [helper, carer] = await Promise.all([volunteer(w, ['助老']), volunteer(w, ['助残', '文体'])]);

    // act
    const [forHelper, forCarer] = await Promise.all([
      call('GET', `/v1/communities/${w.cid}/escorts`, { token: helper.token, now: NOW }),
      call('GET', `/v1/communities/${w.cid}/escorts`, { token: carer.token, now: NOW }),
    ]);

    // assess
    expect(forHelper.body.items.map((e: { id: string }) => e.id)).toEqual([elderly.escortId, disabled.escortId]);
    expect(forCarer.body.items.map((e: { id: string }) => e.id)).toEqual([disabled.escortId, elderly.escortId]);
    expect(forCarer.body.items.map((e: { matchesMySkills: boolean }) => e.matchesMySkills)).toEqual([true, false]);
    const seen = JSON.stringify([forHelper.body, forCarer.body]);
    for (const secret of [ELDER.realName, ELDER.phone, w.elder.household, w.elder.id, elderly.appointmentId, '李建国', other.id]) expect(seen).not.toContain(secret);
  });

  it('gives the escort to exactly one of 20 volunteers taking it at once; the others are told in Chinese', async () => {
    // prepare
    const w = await escortWorld();
    const { escortId } = await bookWithEscort(w);
    const volunteers = await Promise.all(Array.from({ length: 20 }, () => volunteer(w)));

    // act
    const replies = await Promise.all(volunteers.map((v) => take(escortId, v)));

    // assess
    const won = replies.flatMap((r, i) => (r.status === 201 ? [volunteers[i]!] : []));
    expect(won).toHaveLength(1);
    const lost = replies.filter((r) => r.status !== 201);
    expect(lost.map((r) => r.status)).toEqual(Array(19).fill(409));
    for (const r of lost) expect(r.body.error).toMatchObject({ code: 'ACTIVITY_FULL', message: '已有志愿者认领了这次陪同，感谢您的热心' });
    const [escort, activity, signups] = await Promise.all([
      getEscort(escortId, { token: won[0]!.token }),
      call('GET', `/v1/activities/${escortId}`, { now: NOW }),
      call('GET', `/v1/activities/${escortId}/signups`, { token: w.staff.token, now: NOW }),
    ]);
    expect(escort.body).toMatchObject({ state: 'matched', mine: true });
    expect(activity.body).toMatchObject({ signedUp: 1, placesLeft: 0 });
    expect(signups.body.items.map((s: { userId: string }) => s.userId)).toEqual([won[0]!.id]);
  });

  it('shows the elder’s contact to the volunteer only once they took the escort, and to staff; nobody else', async () => {
    // prepare
    const w = await escortWorld();
    const { escortId } = await bookWithEscort(w);
    const [first, second, neighbour] = await Promise.all([volunteer(w), volunteer(w), verifiedResident(w.cid)]);
    const contact = { name: ELDER.realName, phone: ELDER.phone, household: w.elder.household };

    // act
    const before = await getEscort(escortId, { token: first.token });
    await taken(escortId, first);
    const [after, otherVolunteer, staff, elder, stranger] = await Promise.all([
      getEscort(escortId, { token: first.token }),
      getEscort(escortId, { token: second.token }),
      getEscort(escortId, { token: w.staff.token }),
      getEscort(escortId, { token: w.elder.token }),
      getEscort(escortId, { token: neighbour.token }),
    ]);

    // assess
    expect(before.status).toBe(200);
    expect(before.body.elder).toBeUndefined();
    expect(after.body.elder).toEqual(contact);
    expect(otherVolunteer.body).toMatchObject({ state: 'matched' });
    expect(JSON.stringify(otherVolunteer.body)).not.toMatch(new RegExp(`${ELDER.realName}|${ELDER.phone}|${w.elder.household}|${first.id}`));
    expect(staff.body.elder).toEqual(contact);
    expect(staff.body.volunteerName).toEqual(expect.any(String));
    expect(elder.body.elder).toBeUndefined();
    expect(stranger.status).toBe(404);
  });

  it('opens the escort again when the volunteer gives it back, and never lets the elder take their own', async () => {
    const w = await escortWorld();
    const { escortId } = await bookWithEscort(w);
    const [first, second] = await Promise.all([volunteer(w), volunteer(w)]);
    const elderVolunteers = await call('POST', `/v1/communities/${w.cid}/volunteers`, { token: w.elder.token, body: { skills: ['助老'] } });
    await call('POST', `/v1/communities/${w.cid}/volunteers/${w.elder.id}/approve`, { token: w.staff.token });

    await taken(escortId, first);
    const givenBack = await call('DELETE', `/v1/activities/${escortId}/signups/me`, { token: first.token, now: NOW });
    const reopened = await getEscort(escortId, { token: w.staff.token });
    const own = await take(escortId, w.elder);
    await taken(escortId, second);
    const retaken = await getEscort(escortId, { token: second.token });

    expect(elderVolunteers.status).toBe(201);
    expect(givenBack.status).toBe(200);
    expect(reopened.body).toMatchObject({ state: 'open' });
    expect(reopened.body.volunteerName).toBeUndefined();
    expect(own.status).toBe(403);
    expect(retaken.body).toMatchObject({ state: 'matched', mine: true });
  });
});

describe('after the appointment', () => {
  const ATTENDED = { checkedInAt: '2026-11-17T09:35:00+08:00', checkedOutAt: '2026-11-17T10:55:00+08:00', reason: '陪同老人办事，工作人员补录' };
  const EVENING = at('2026-11-17T17:00:00+08:00');

  it('credits the hours through the ordinary verification once the appointment is completed', async () => {
    // prepare
    const w = await escortWorld();
    const { appointmentId, escortId } = await bookWithEscort(w);
    const [helper, stranger] = await Promise.all([volunteer(w), volunteer(w)]);
    await taken(escortId, helper);

    // act
    const notHim = await call('POST', `/v1/activities/${escortId}/signups/${stranger.id}/attendance`, { token: w.staff.token, body: ATTENDED, now: EVENING });
    const recorded = await call('POST', `/v1/activities/${escortId}/signups/${helper.id}/attendance`, { token: w.staff.token, body: ATTENDED, now: EVENING });
    const early = await call('POST', `/v1/activities/${escortId}/signups/${helper.id}/verify`, { token: w.staff.token, body: {}, now: EVENING });
    await completed(w, appointmentId, EVENING);
    const verified = await call('POST', `/v1/activities/${escortId}/signups/${helper.id}/verify`, { token: w.staff.token, body: {}, now: EVENING });
    const again = await call('POST', `/v1/activities/${escortId}/signups/${helper.id}/verify`, { token: w.staff.token, body: {}, now: EVENING });
    const mine = await call('GET', `/v1/me/volunteer?communityId=${w.cid}`, { token: helper.token, now: EVENING });

    // assess
    expect(notHim.status).toBe(409);
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe('预约办结或标记爽约后才能认定陪同时长');
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body).toMatchObject({ kind: 'service', activityId: escortId, title: '陪同办事：高龄津贴申领' });
    expect(again.body.error.code).toBe('ALREADY_VERIFIED');
    expect(mine.body.totalHours).toBe(verified.body.hours);
    expect(mine.body.entries.map((e: { id: string }) => e.id)).toEqual([verified.body.id]);
  });

  it('credits the volunteer who came when the resident did not (爽约), from the attendance staff recorded', async () => {
    // prepare
    const w = await escortWorld();
    const { appointmentId, escortId } = await bookWithEscort(w);
    const helper = await volunteer(w);
    await taken(escortId, helper);
    const recorded = await call('POST', `/v1/activities/${escortId}/signups/${helper.id}/attendance`, { token: w.staff.token, body: ATTENDED, now: EVENING });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    const missed = await call('POST', `/v1/appointments/${appointmentId}/no-show`, { token: w.staff.token, now: EVENING });
    expect(missed.status, JSON.stringify(missed.body)).toBe(200);

    // act
    const verified = await call('POST', `/v1/activities/${escortId}/signups/${helper.id}/verify`, { token: w.staff.token, body: {}, now: EVENING });

    // assess
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body).toMatchObject({ kind: 'service', activityId: escortId });
  });

  it('tells the volunteer, staff and the elder how the appointment ended, 爽约 or 办结, from the act that ended it', async () => {
    // prepare: two escorts taken by one volunteer
    const w = await escortWorld();
    const [missedOne, doneOne] = [await bookWithEscort(w), await bookWithEscort(w, { start: '2026-11-18T10:00:00+08:00' })];
    const helper = await volunteer(w);
    await taken(missedOne.escortId, helper);
    await taken(doneOne.escortId, helper);
    const before = await call('GET', `/v1/escorts/${missedOne.escortId}`, { token: helper.token, now: EVENING });

    // act
    await call('POST', `/v1/appointments/${missedOne.appointmentId}/no-show`, { token: w.staff.token, now: EVENING });
    await completed(w, doneOne.appointmentId, EVENING);

    // assess
    expect(before.body.outcome).toBeUndefined();
    for (const token of [helper.token, w.staff.token, w.elder.token]) {
      expect((await call('GET', `/v1/escorts/${missedOne.escortId}`, { token, now: EVENING })).body).toMatchObject({ state: 'matched', outcome: 'no_show' });
      expect((await call('GET', `/v1/escorts/${doneOne.escortId}`, { token, now: EVENING })).body).toMatchObject({ state: 'matched', outcome: 'completed' });
    }
  });

  it('takes the elder’s thanks once, after completion, counted in the volunteer’s record for the volunteer and staff only', async () => {
    // prepare
    const w = await escortWorld();
    await linked(w.elder, w.cid, w.daughter);
    const { appointmentId, escortId } = await bookWithEscort(w);
    const helper = await volunteer(w);
    await taken(escortId, helper);
    const thank = (as: { token: string; headers?: Record<string, string> }, body: unknown = { score: 5, text: '谢谢小伙子，很耐心' }) =>
      call('POST', `/v1/escorts/${escortId}/thanks`, { ...as, body, now: EVENING });

    // act
    const tooEarly = await thank({ token: w.elder.token });
    await completed(w, appointmentId, EVENING);
    const [byStaff, byVolunteer, badScore] = await Promise.all([
      thank({ token: w.staff.token }),
      thank({ token: helper.token }),
      thank({ token: w.elder.token }, { score: 6 }),
    ]);
    const thanked = await thank({ token: w.elder.token });
    const [twice, byProxy] = await Promise.all([thank({ token: w.elder.token }), thank(asProxy(w.daughter, w.elder))]);
    const [own, roster, publicActivity, staffView] = await Promise.all([
      call('GET', `/v1/me/volunteer?communityId=${w.cid}`, { token: helper.token, now: EVENING }),
      call('GET', `/v1/communities/${w.cid}/volunteers/${helper.id}/ledger`, { token: w.staff.token, now: EVENING }),
      call('GET', `/v1/activities/${escortId}`, { now: EVENING }),
      getEscort(escortId, { token: w.staff.token }, EVENING),
    ]);

    // assess
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.message).toBe('预约办结后才能感谢志愿者');
    expect([byStaff.status, byVolunteer.status, badScore.status]).toEqual([403, 403, 400]);
    expect(thanked.status, JSON.stringify(thanked.body)).toBe(201);
    expect(thanked.body.thanks).toMatchObject({ score: 5, text: '谢谢小伙子，很耐心' });
    for (const reply of [twice, byProxy]) expect(reply.body.error).toMatchObject({ code: 'ALREADY_THANKED', message: '您已感谢过这位志愿者' });
    expect(own.body.thanks).toEqual({ count: 1, average: 5 });
    expect(roster.body.thanks).toEqual({ count: 1, average: 5 });
    expect(JSON.stringify(publicActivity.body)).not.toMatch(/thanks|谢谢/);
    expect(staffView.body.thanks).toMatchObject({ score: 5 });
  });
});

describe('cancelling the appointment', () => {
  it('cancels the escort with it and tells the volunteer who took it', async () => {
    // prepare
    const w = await escortWorld();
    const { appointmentId, escortId } = await bookWithEscort(w);
    const [helper, late] = await Promise.all([volunteer(w), volunteer(w)]);
    await taken(escortId, helper);
    await accept(helper, ['activityChanged']);

    // act
    const directly = await call('DELETE', `/v1/activities/${escortId}`, { token: w.staff.token, now: NOW });
    const cancelled = await call('DELETE', `/v1/appointments/${appointmentId}`, { token: w.elder.token, now: NOW });
    await deliverOutbox(new Date(NOW.getTime() + MIN));
    const [escort, signUpAfter] = await Promise.all([getEscort(escortId, { token: w.staff.token }), take(escortId, late)]);

    // assess
    expect(directly.status).toBe(409);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', escortId });
    expect(escort.body.state).toBe('cancelled');
    expect(signUpAfter.status).toBe(409);
    expect(signUpAfter.body.error.message).toBe('预约已取消，无需陪同');
    const told = sent(TEMPLATES.WX_TEMPLATE_ACTIVITY_CHANGED, escortId);
    expect(told.map((m) => m.touser)).toEqual([helper.openid]);
    expect(told[0]!.data.thing3!.value).toBe('预约已取消，无需陪同');
    expect(text(told[0]!)).not.toMatch(/[A-Za-z]/);
  });
});

describe('the 18:00 check the evening before', () => {
  // Its own days, so no other test's escort is due in the buckets these runs read.
  const DAY_BEFORE = at('2026-11-18T09:00:00+08:00');
  const SLOT_THU = '2026-11-19T10:00:00+08:00';

  it('flags an escort nobody took and tells staff once, however often the schedule runs', async () => {
    // prepare: one escort nobody takes, one taken; one staff member accepted the message, one did not
    const w = await escortWorld();
    const other = await resident(w.cid, w.staff);
    const [untaken, takenOne] = [
      await bookWithEscort(w, { start: SLOT_THU, now: DAY_BEFORE }),
      await bookWithEscort(w, { as: { token: other.token }, start: SLOT_THU, now: DAY_BEFORE }),
    ];
    await taken(takenOne.escortId, await volunteer(w), DAY_BEFORE);
    const silent = await staffOf(w.cid);
    await accept(w.staff, ['escortUnclaimed'], 3);

    // act
    await flagUnclaimedEscorts(at('2026-11-18T17:55:00+08:00'));
    const beforeSix = await getEscort(untaken.escortId, { token: w.staff.token }, DAY_BEFORE);
    const sixOThree = at('2026-11-18T18:03:00+08:00');
    await Promise.all([flagUnclaimedEscorts(sixOThree), flagUnclaimedEscorts(sixOThree)]);
    await flagUnclaimedEscorts(at('2026-11-18T18:13:00+08:00'));
    await deliverOutbox(at('2026-11-18T18:14:00+08:00'));
    const list = await call('GET', `/v1/communities/${w.cid}/escorts?from=2026-11-19`, { token: w.staff.token, now: at('2026-11-18T18:20:00+08:00') });

    // assess
    expect(beforeSix.body.unclaimed).toBe(false);
    const flags = Object.fromEntries(list.body.items.map((e: { id: string; unclaimed: boolean }) => [e.id, e.unclaimed]));
    expect(flags).toEqual({ [untaken.escortId]: true, [takenOne.escortId]: false });
    const told = sent(TEMPLATES.WX_TEMPLATE_ESCORT_UNCLAIMED, untaken.escortId);
    expect(told.map((m) => m.touser)).toEqual([w.staff.openid]);
    expect(told[0]!.data.thing3!.value).toBe('助老陪同无人认领');
    expect(text(told[0]!)).not.toMatch(/[A-Za-z]/);
    expect(sent(TEMPLATES.WX_TEMPLATE_ESCORT_UNCLAIMED, takenOne.escortId)).toEqual([]);
    // staff who never accepted the message are not sent it
    expect(told.map((m) => m.touser)).not.toContain(silent.openid);
  });

  it('checks at once an escort asked after 18:00 the evening before', async () => {
    const w = await escortWorld();
    const evening = at('2026-11-18T19:00:00+08:00');
    const { escortId } = await bookWithEscort(w, { start: SLOT_THU, now: evening });

    await flagUnclaimedEscorts(new Date(evening.getTime() + 5 * MIN));
    const escort = await getEscort(escortId, { token: w.staff.token }, evening);

    expect(escort.body.unclaimed).toBe(true);
  });
});

describe('the committee\'s figures', () => {
  it('counts the month\'s escorts for staff: asked, taken, flagged unclaimed and thanked, a cancelled one not at all', async () => {
    // prepare: on days of its own (the 18:00 check reads every community's escorts due in its buckets)
    const dayBefore = at('2026-11-25T09:00:00+08:00');
    const slot = '2026-11-26T10:00:00+08:00';
    const evening = at('2026-11-26T17:00:00+08:00');
    const w = await escortWorld();
    const [second, third] = await Promise.all([resident(w.cid, w.staff), resident(w.cid, w.staff)]);
    const thankedOne = await bookWithEscort(w, { start: slot, now: dayBefore });
    await bookWithEscort(w, { as: { token: second.token }, start: slot, now: dayBefore }); // nobody takes it
    const cancelled = await bookWithEscort(w, { as: { token: third.token }, start: slot, now: dayBefore });
    await taken(thankedOne.escortId, await volunteer(w), dayBefore);
    await call('DELETE', `/v1/appointments/${cancelled.appointmentId}`, { token: third.token, now: dayBefore });
    await flagUnclaimedEscorts(at('2026-11-25T18:03:00+08:00'));
    await completed(w, thankedOne.appointmentId, evening);
    const thanks = await call('POST', `/v1/escorts/${thankedOne.escortId}/thanks`, { token: w.elder.token, body: { score: 4 }, now: evening });
    expect(thanks.status, JSON.stringify(thanks.body)).toBe(201);

    // act
    const [stats, nextMonth] = await Promise.all([
      call('GET', `/v1/communities/${w.cid}/stats`, { token: w.staff.token, now: evening }),
      call('GET', `/v1/communities/${w.cid}/stats`, { token: w.staff.token, now: at('2026-12-01T09:00:00+08:00') }),
    ]);

    // assess
    expect(stats.status, JSON.stringify(stats.body)).toBe(200);
    expect(stats.body.escorts).toEqual({ month: '2026-11', asked: 2, taken: 1, unclaimed: 1, thanked: 1, meanThanksScore: 4 });
    expect(nextMonth.body.escorts).toEqual({ month: '2026-12', asked: 0, taken: 0, unclaimed: 0, thanked: 0, meanThanksScore: null });
  });
});

describe('who may call the escort routes', () => {
  let w: EscortWorld;
  let escortId: string;
  let appointmentId: string;
  let people: Record<string, { token: string; headers?: Record<string, string> } | undefined>;

  beforeAll(async () => {
    w = await escortWorld();
    await linked(w.elder, w.cid, w.daughter);
    ({ escortId, appointmentId } = await bookWithEscort(w));
    const elsewhere = await escortWorld();
    const [otherResident, pending, outsideVolunteer, otherStaff, onlooker, matched] = await Promise.all([
      verifiedResident(w.cid),
      verifiedResident(w.cid).then(async (p) => {
        await call('POST', `/v1/communities/${w.cid}/volunteers`, { token: p.token, body: { skills: ['助老'] } });
        return p;
      }),
      volunteer(elsewhere),
      staffOf(elsewhere.cid),
      volunteer(w),
      volunteer(w),
    ]);
    await taken(escortId, matched);
    people = {
      anonymous: undefined,
      elder: { token: w.elder.token },
      proxy: asProxy(w.daughter, w.elder),
      otherResident, pending, outsideVolunteer, otherStaff, onlooker, matched,
      staff: w.staff,
    };
  }, 120_000);

  const POLICY: Record<string, Record<string, number>> = {
    // asking again (the booking has its escort: 409 for the elder's side), the list, the escort,
    // signing up, thanking (before completion: 409 for the elder's side)
    anonymous: { ask: 401, list: 401, get: 401, signUp: 401, thank: 401 },
    elder: { ask: 409, list: 403, get: 200, signUp: 403, thank: 409 },
    proxy: { ask: 409, list: 403, get: 200, signUp: 403, thank: 409 },
    otherResident: { ask: 404, list: 403, get: 404, signUp: 403, thank: 404 },
    pending: { ask: 404, list: 403, get: 404, signUp: 403, thank: 404 },
    outsideVolunteer: { ask: 404, list: 403, get: 404, signUp: 403, thank: 404 },
    otherStaff: { ask: 404, list: 403, get: 404, signUp: 403, thank: 404 },
    onlooker: { ask: 404, list: 200, get: 200, signUp: 409, thank: 403 },
    matched: { ask: 404, list: 200, get: 200, signUp: 409, thank: 403 },
    staff: { ask: 403, list: 200, get: 200, signUp: 403, thank: 403 },
  };

  it('answers each caller as the policy says, and shows the elder’s contact only to the matched volunteer and staff', async () => {
    const got: Record<string, Record<string, number>> = {};
    const contactSeenBy: string[] = [];
    await Promise.all(Object.entries(people).map(async ([who, as]) => {
      const opts = { ...(as ?? {}), now: NOW };
      const [ask, list, get, signUp, thank] = await Promise.all([
        call('POST', `/v1/appointments/${appointmentId}/escort`, { ...opts, body: {} }),
        call('GET', `/v1/communities/${w.cid}/escorts`, opts),
        call('GET', `/v1/escorts/${escortId}`, opts),
        call('POST', `/v1/activities/${escortId}/signups`, opts),
        call('POST', `/v1/escorts/${escortId}/thanks`, { ...opts, body: { score: 4 } }),
      ]);
      got[who] = { ask: ask.status, list: list.status, get: get.status, signUp: signUp.status, thank: thank.status };
      if (JSON.stringify([ask.body, list.body, get.body, signUp.body, thank.body]).includes(ELDER.phone)) contactSeenBy.push(who);
    }));

    expect(got).toEqual(POLICY);
    expect(contactSeenBy.sort()).toEqual(['matched', 'staff']);
  });
});
