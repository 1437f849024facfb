/**
 * Volunteers' activity reminders (WeChat subscription messages, 2 hours before the start),
 * against DynamoDB Local and the WeChat stand-in: sent once whatever the schedule does, never
 * for a cancelled signup or activity, retried without duplicates when WeChat fails.
 */
import { describe, expect, it } from 'vitest';
import { sendDueActivityReminders } from '../../functions/services/volunteers';
import { getOutbox, outboxPut, putOutbox } from '../../functions/store/outbox';
import { call } from '../support/stack';
import { accept, deliverOutbox, subscribeSends, type SubscribeSend, type WechatStub } from '../support/wechat-stub';
import { useWechatStub } from '../support/use-wechat-stub';
import { activity, approvedVolunteer, futureStart, HOUR, signUp as signUpOnly, world } from './volunteers-fixtures';
import type { Actor } from '../support/actors';

/** Signing up, the volunteer accepts the reminder template in the page's dialog. */
async function signUp(activityId: string, person: Actor): Promise<void> {
  await signUpOnly(activityId, person);
  await accept(person, ['activityReminder']);
}

const TEMPLATE = 'tmpl-activity-reminder';
const MINUTE = 60_000;

let wechat: WechatStub;
useWechatStub({ WX_TEMPLATE_ACTIVITY_REMINDER: TEMPLATE }, (stub) => {
  wechat = stub;
});

/** The reminders the stand-in received for one activity (whatever WeChat answered). */
const sentFor = (activityId: string): SubscribeSend[] =>
  subscribeSends(wechat).filter((b) => b.template_id === TEMPLATE && b.page === `volunteers/activity/index?id=${activityId}`);

/** Each test has its own start time, so its reminders sit in their own buckets. */
const startIn = (hoursAhead: number): Date => new Date(futureStart().getTime() + hoursAhead * HOUR);

describe('activity reminders', () => {
  it('sends one reminder per signed-up volunteer two hours before the start, even when the schedule fires twice at once', async () => {
    wechat.behaviour = 'ok';
    const w = await world();
    const act = await activity(w, {}, startIn(1));
    const [a, b] = await Promise.all([approvedVolunteer(w), approvedVolunteer(w)]);
    await signUp(act.id, a);
    await signUp(act.id, b);
    const due = new Date(act.start.getTime() - 2 * HOUR);

    // not yet due
    await sendDueActivityReminders(new Date(due.getTime() - 5 * MINUTE));
    expect(sentFor(act.id)).toHaveLength(0);

    const at = new Date(due.getTime() + 3 * MINUTE);
    const runs = await Promise.all([sendDueActivityReminders(at), sendDueActivityReminders(at)]);
    await sendDueActivityReminders(new Date(due.getTime() + 13 * MINUTE));
    expect(runs.reduce((s, r) => s + r.sent, 0)).toBe(2);
    const sent = sentFor(act.id);
    expect(sent).toHaveLength(2);
    expect(new Set(sent.map((m) => m.touser)).size).toBe(2);
    expect(sent[0]!.data.thing1!.value).toBe('敬老院探访');
    expect(sent[0]!.data.thing3!.value).toBe('幸福里敬老院');
  });

  it('does not remind a volunteer who cancelled the signup, nor anyone when the activity is cancelled', async () => {
    wechat.behaviour = 'ok';
    const w = await world();
    const act = await activity(w, {}, startIn(2));
    const [stays, leaves] = await Promise.all([approvedVolunteer(w), approvedVolunteer(w)]);
    await signUp(act.id, stays);
    await signUp(act.id, leaves);
    const cancelled = await call('DELETE', `/v1/activities/${act.id}/signups/me`, { token: leaves.token });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);

    const other = await activity(w, {}, startIn(2));
    await signUp(other.id, stays);
    const gone = await call('DELETE', `/v1/activities/${other.id}`, { token: w.staff.token });
    expect(gone.status, JSON.stringify(gone.body)).toBe(200);

    const at = new Date(act.start.getTime() - 2 * HOUR + 2 * MINUTE);
    const run = await sendDueActivityReminders(at);
    expect(run.skipped).toBeGreaterThanOrEqual(2);
    const sent = sentFor(act.id);
    expect(sent).toHaveLength(1);
    expect(sentFor(other.id)).toHaveLength(0);
    // a later run does not pick the skipped ones up again
    await sendDueActivityReminders(new Date(at.getTime() + 10 * MINUTE));
    expect(sentFor(act.id)).toHaveLength(1);
    expect(sentFor(other.id)).toHaveLength(0);
  });

  it('retries after WeChat errors, without ever sending twice', async () => {
    const w = await world();
    const act = await activity(w, {}, startIn(3));
    const person = await approvedVolunteer(w);
    await signUp(act.id, person);
    const due = new Date(act.start.getTime() - 2 * HOUR);

    wechat.behaviour = 'http-error';
    const first = await sendDueActivityReminders(new Date(due.getTime() + 1 * MINUTE));
    expect(first.failed).toBeGreaterThanOrEqual(1);
    wechat.behaviour = 'rate-limited';
    const second = await sendDueActivityReminders(new Date(due.getTime() + 11 * MINUTE));
    expect(second.failed).toBeGreaterThanOrEqual(1);
    const failedAttempts = sentFor(act.id).length;

    wechat.behaviour = 'ok';
    const at = new Date(due.getTime() + 21 * MINUTE);
    const runs = await Promise.all([sendDueActivityReminders(at), sendDueActivityReminders(at)]);
    expect(runs.reduce((s, r) => s + r.sent, 0)).toBe(1);
    await sendDueActivityReminders(new Date(due.getTime() + 31 * MINUTE));
    // one accepted message: every request after the failed ones is the single successful send
    expect(sentFor(act.id)).toHaveLength(failedAttempts + 1);
  });

  it('reminds at the new time after a reschedule, and not at the old one', async () => {
    wechat.behaviour = 'ok';
    const w = await world();
    const act = await activity(w, {}, startIn(4));
    const person = await approvedVolunteer(w);
    await signUp(act.id, person);
    const later = new Date(act.start.getTime() + 5 * HOUR);
    const moved = await call('PATCH', `/v1/activities/${act.id}`, {
      token: w.staff.token,
      body: { startsAt: later.toISOString(), endsAt: new Date(later.getTime() + 2 * HOUR).toISOString() },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    await sendDueActivityReminders(new Date(act.start.getTime() - 2 * HOUR + 2 * MINUTE));
    expect(sentFor(act.id)).toHaveLength(0);
    await sendDueActivityReminders(new Date(later.getTime() - 2 * HOUR + 2 * MINUTE));
    expect(sentFor(act.id)).toHaveLength(1);
  });

  it('plans nothing when the reminder time has already passed at signup', async () => {
    wechat.behaviour = 'ok';
    const w = await world();
    const act = await activity(w, {}, startIn(6));
    const person = await approvedVolunteer(w);
    const late = new Date(act.start.getTime() - HOUR);
    const reply = await call('POST', `/v1/activities/${act.id}/signups`, { token: person.token, now: late });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await sendDueActivityReminders(new Date(act.start.getTime() - 2 * HOUR + 2 * MINUTE));
    await sendDueActivityReminders(new Date(late.getTime() + 2 * MINUTE));
    expect(sentFor(act.id)).toHaveLength(0);
  });

  it('tells the signed-up volunteers once that the activity moved, and the change never waits on WeChat', async () => {
    process.env.WX_TEMPLATE_ACTIVITY_CHANGED = 'tmpl-activity-changed';
    wechat.behaviour = 'ok';
    wechat.sendHangs = true;
    try {
      const w = await world();
      const act = await activity(w, {}, startIn(8));
      const people = [await approvedVolunteer(w), await approvedVolunteer(w)];
      for (const person of people) {
        await signUp(act.id, person);
        await accept(person, ['activityChanged']);
      }
      const later = new Date(act.start.getTime() + HOUR);
      const started = Date.now();
      const moved = await call('PATCH', `/v1/activities/${act.id}`, {
        token: w.staff.token,
        body: { startsAt: later.toISOString(), endsAt: new Date(later.getTime() + 2 * HOUR).toISOString() },
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(Date.now() - started).toBeLessThan(2000);
      wechat.sendHangs = false;
      const recovered = wechat.requests.length;
      await deliverOutbox(new Date(Date.now() + 120_000));
      const changed = wechat.requests
        .slice(recovered)
        .filter((r) => r.path === '/cgi-bin/message/subscribe/send')
        .map((r) => r.body as SubscribeSend)
        .filter((b) => b.template_id === 'tmpl-activity-changed' && b.page === `volunteers/activity/index?id=${act.id}`);
      expect(changed.map((m) => m.touser).sort()).toEqual(people.map((p) => p.openid).sort());
      expect(changed[0]?.data.thing3?.value).toBe('活动时间或地点有变更');
    } finally {
      wechat.sendHangs = false;
      delete process.env.WX_TEMPLATE_ACTIVITY_CHANGED;
    }
  });

  it('writes an activity change or cancellation and its message in one transaction, and a refused one writes no message', async () => {
    process.env.WX_TEMPLATE_ACTIVITY_CHANGED = 'tmpl-activity-changed';
    try {
      const w = await world();
      const act = await activity(w, { capacity: 2 }, startIn(10));
      await signUp(act.id, await approvedVolunteer(w));
      await signUp(act.id, await approvedVolunteer(w));
      const later = new Date(act.start.getTime() + HOUR);
      const refusedAt = new Date();
      const refused = await call('PATCH', `/v1/activities/${act.id}`, { token: w.staff.token, now: refusedAt, body: { place: '社区活动室', capacity: 1 } });
      const movedAt = new Date(refusedAt.getTime() + 1000);
      const moved = await call('PATCH', `/v1/activities/${act.id}`, { token: w.staff.token, now: movedAt, body: { startsAt: later.toISOString(), endsAt: new Date(later.getTime() + 2 * HOUR).toISOString() } });
      const cancelled = await call('DELETE', `/v1/activities/${act.id}`, { token: w.staff.token });
      const message = await getOutbox(`cancelled-${act.id}`);
      const again = await call('DELETE', `/v1/activities/${act.id}`, { token: w.staff.token });

      expect(refused.status).toBe(409);
      expect(await getOutbox(`changed-${act.id}-${refusedAt.getTime()}`)).toBeUndefined();
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(Date.parse(moved.body.startsAt)).toBe(later.getTime());
      expect(moved.calls.filter((c) => c.command === 'TransactWriteItemsCommand').map((c) => c.parts)).toEqual([['Update', 'Put']]);
      expect((await getOutbox(`changed-${act.id}-${movedAt.getTime()}`))?.message).toMatchObject({ kind: 'fanout', activityId: act.id, template: 'activityChanged' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect(cancelled.calls.filter((c) => c.command === 'TransactWriteItemsCommand').map((c) => c.parts)).toEqual([['Update', 'Put']]);
      expect(message?.message).toMatchObject({ kind: 'fanout', activityId: act.id, data: { thing3: '活动已取消' } });
      expect(again.status).toBe(409);
      expect((await getOutbox(`cancelled-${act.id}`))?.createdAt).toBe(message?.createdAt);
    } finally {
      delete process.env.WX_TEMPLATE_ACTIVITY_CHANGED;
    }
  });

  it('does not cancel an activity when its message cannot be written with it', async () => {
    process.env.WX_TEMPLATE_ACTIVITY_CHANGED = 'tmpl-activity-changed';
    try {
      const w = await world();
      const act = await activity(w, {}, startIn(11));
      await signUp(act.id, await approvedVolunteer(w));
      await putOutbox([outboxPut(`cancelled-${act.id}`, { kind: 'fanout', activityId: act.id, template: 'activityChanged', page: 'p', data: {} }, new Date())]);

      const cancelled = await call('DELETE', `/v1/activities/${act.id}`, { token: w.staff.token });
      const read = await call('GET', `/v1/activities/${act.id}`, { token: w.staff.token });

      expect(cancelled.status).toBe(409);
      expect(read.body.status).toBe('scheduled');
    } finally {
      delete process.env.WX_TEMPLATE_ACTIVITY_CHANGED;
    }
  });
});
