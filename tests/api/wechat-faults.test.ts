/**
 * WeChat's server API failing under the product: it does not answer at all (the stand-in hangs,
 * so only the client's own timeout can end the wait), answers HTTP 500, or answers an errcode.
 * Logging in fails clearly (503 + Retry-After, nothing half-created); the scheduled reminder and
 * notice runs end, keep what they could not send for the next run, and never send anything twice;
 * neither the AppSecret nor a session_key reaches the logs.
 *
 * While WeChat fails, the client timeout is shortened through configuration (WECHAT_TIMEOUT_MS),
 * so a hang costs a fraction of a second here; once it is back, the product's default applies, so
 * a loaded machine never turns a healthy call into a timeout. Every run works at clock times no other test file uses: reminders
 * are read by time bucket, and a run here must never pick up another file's reminders.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { bucketOf } from '../../functions/domain/reminders';
import { sendDueReminders } from '../../functions/services/appointments';
import { TEMPLATE_ENV } from '../../functions/lib/notifier';
import { sendResultsNotices } from '../../functions/services/consultations';
import { sendDueActivityReminders } from '../../functions/services/volunteers';
import { remindersIn } from '../../functions/store/appointments';
import { getUserByOpenid } from '../../functions/store/identity';
import { activityRemindersIn } from '../../functions/store/volunteers';
import { newCommunity, staffOf, uniqueOpenid, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';
import { accept, startWechatStub, type WechatStub } from '../support/wechat-stub';
import { forgetWechatToken } from '../../functions/store/outbox';
import { activity, approvedVolunteer, futureStart, HOUR, signUp, world as volunteerWorld } from './volunteers-fixtures';

const TIMEOUT_MS = 300;
/** Longer than any run or request needs when the client timeout works; a missing timeout shows up as "no answer". */
const GUARD_MS = 8000;
const MINUTE = 60_000;
const APP_SECRET = `appsecret-${randomUUID()}`;
const APPOINTMENT_TEMPLATE = 'tmpl-appointment-reminder';
const ACTIVITY_TEMPLATE = 'tmpl-activity-reminder';
const SEND = '/cgi-bin/message/subscribe/send';
/** The stand-in's stable access token. */
const STABLE_TOKEN = 'stub-stable-token';
const TOKEN = '/cgi-bin/stable_token';

// ——— the stand-ins —————————————————————————————————————————————————————

let wechat: WechatStub;

/** A second stand-in answering every request with one fixed reply (HTTP 500, errcode -1…), which the stub cannot give. */
interface FixedAnswer {
  base: string;
  answer: { status: number; body: unknown };
  paths: string[];
  close(): Promise<void>;
}

async function startFixedAnswer(): Promise<FixedAnswer> {
  const stand = { answer: { status: 500, body: { errmsg: 'internal error' } } as FixedAnswer['answer'], paths: [] as string[] };
  const server = createServer((req, res) => {
    stand.paths.push(new URL(req.url ?? '/', 'http://fixed').pathname);
    req.resume();
    res.writeHead(stand.answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(stand.answer.body));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return Object.assign(stand, {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  });
}
let fixed: FixedAnswer;

/** The configuration caches of every module graph loaded (see freshModules), re-read after a change. */
const configResets: (() => void)[] = [resetConfig];

function reconfigure(env: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  for (const reset of configResets) reset();
}

const pointWechatAt = (base: string): void => reconfigure({ WECHAT_API_BASE: base });

type Fault = 'does not answer' | 'answers an errcode' | 'answers HTTP 500';

/** Runs `act` while WeChat fails in the given way; returns what it gave and how many requests WeChat received meanwhile. */
async function whileWechat<T>(fault: Fault, act: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const [stubFrom, fixedFrom] = [wechat.requests.length, fixed.paths.length];
  if (fault === 'does not answer') wechat.behaviour = 'hang';
  if (fault === 'answers an errcode') wechat.behaviour = 'rate-limited'; // errcode 45011, on the token and on sends
  if (fault === 'answers HTTP 500') fixed.answer = { status: 500, body: { errmsg: 'internal error' } };
  reconfigure({ WECHAT_TIMEOUT_MS: String(TIMEOUT_MS), WECHAT_API_BASE: fault === 'answers HTTP 500' ? fixed.base : wechat.base });
  try {
    const result = await act();
    return { result, requests: [...wechat.requests.slice(stubFrom).map((r) => r.path), ...fixed.paths.slice(fixedFrom)] };
  } finally {
    wechat.behaviour = 'ok';
    reconfigure({ WECHAT_TIMEOUT_MS: undefined, WECHAT_API_BASE: wechat.base });
  }
}

const NO_ANSWER = 'no answer within the guard';

/** What `work` gives within GUARD_MS, or NO_ANSWER: a hang fails the assertion, not the test's timeout. */
async function answered<T>(work: Promise<T>): Promise<{ value: T | typeof NO_ANSWER; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<typeof NO_ANSWER>((done) => {
    timer = setTimeout(() => done(NO_ANSWER), GUARD_MS);
  });
  try {
    const value = await Promise.race([work, guard]);
    return { value, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Modules loaded afresh: a WeChat client with no access token cached yet, so the next send fetches one. */
async function freshModules() {
  vi.resetModules();
  configResets.push((await import('../../functions/lib/config')).resetConfig);
  return {
    wechat: await import('../../functions/lib/wechat'),
    reminderHandler: (await import('../../functions/handlers/appointment-reminders')).handler,
  };
}

/** Runs `act` with the wall clock (Date only; timers stay real) set to `at`: the scheduled handler reads `new Date()`. */
async function atWallClock<T>(at: Date, act: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  try {
    return await act();
  } finally {
    vi.useRealTimers();
  }
}

/** Everything printed on the console (and straight to stdout/stderr) while `act` runs. */
async function printedDuring<T>(act: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; printed: string }> {
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => vi.spyOn(console, method)),
    vi.spyOn(process.stdout, 'write'),
    vi.spyOn(process.stderr, 'write'),
  ];
  let result: T | undefined;
  let error: unknown;
  try {
    result = await act();
  } catch (caught) {
    error = caught;
  }
  const printed = spies.flatMap((spy) => spy.mock.calls.map((args) => args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' '))).join('\n');
  for (const spy of spies) spy.mockRestore();
  return { result, error, printed };
}

beforeAll(async () => {
  wechat = await startWechatStub();
  fixed = await startFixedAnswer();
  process.env.WECHAT_SECRET = APP_SECRET;
  process.env.WX_TEMPLATE_APPOINTMENT_REMINDER = APPOINTMENT_TEMPLATE;
  process.env.WX_TEMPLATE_ACTIVITY_REMINDER = ACTIVITY_TEMPLATE;
  process.env[TEMPLATE_ENV.consultationResults] = 'tpl-results';
  pointWechatAt(wechat.base);
});
afterAll(async () => {
  for (const name of ['WECHAT_TIMEOUT_MS', 'WECHAT_SECRET', 'WX_TEMPLATE_APPOINTMENT_REMINDER', 'WX_TEMPLATE_ACTIVITY_REMINDER', TEMPLATE_ENV.consultationResults]) delete process.env[name];
  resetConfig();
  await wechat.close();
  await fixed.close();
});
beforeEach(() => {
  wechat.behaviour = 'ok';
  wechat.sendBudget = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
});

// ——— logging in ————————————————————————————————————————————————————————

const wechatLogin = (code: string) => call('POST', '/v1/auth/wechat', { body: { code } });

describe('logging in while WeChat fails', () => {
  it('answers 503 with Retry-After and a Chinese message when WeChat does not answer, once its own timeout fires', async () => {
    // prepare
    const code = uniqueOpenid('code');
    // act
    const { result: reply, requests } = await whileWechat('does not answer', () => answered(wechatLogin(code)));
    // assess: it answered, after the client timeout (not before, not at the guard)
    expect(reply.value).not.toBe(NO_ANSWER);
    if (reply.value === NO_ANSWER) return;
    expect(reply.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(reply.ms).toBeLessThan(GUARD_MS);
    expect(requests).toEqual(['/sns/jscode2session']);
    expect(reply.value.status).toBe(503);
    expect(reply.value.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(reply.value.body).toEqual({
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/[\u4e00-\u9fa5]/), requestId: expect.any(String) },
    });
    expect(reply.value.body.error.message).toMatch(/微信/);
  });

  it('creates nothing when WeChat does not answer, so the next login once it is back makes exactly one user', async () => {
    // prepare
    const code = uniqueOpenid('code');
    const { result: failed } = await whileWechat('does not answer', () => wechatLogin(code));
    expect(failed.status).toBe(503);
    const nothingYet = await getUserByOpenid(`wx-${code}`);
    // act: WeChat is back; the resident taps 登录 again (twice, impatiently)
    const [first, second] = await Promise.all([wechatLogin(code), wechatLogin(code)]);
    const third = await wechatLogin(code);
    // assess
    expect(nothingYet).toBeUndefined();
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(new Set([first.body.user.id, second.body.user.id, third.body.user.id]).size).toBe(1);
    expect((await getUserByOpenid(`wx-${code}`))?.id).toBe(first.body.user.id);
  });

  it.each([
    { what: 'answers HTTP 500', answer: { status: 500, body: { errmsg: 'internal error' } } },
    { what: 'says it is busy (errcode -1)', answer: { status: 200, body: { errcode: -1, errmsg: 'system error' } } },
  ])('answers 503 with Retry-After when WeChat $what', async ({ answer }) => {
    // prepare
    fixed.answer = answer;
    pointWechatAt(fixed.base);
    const code = uniqueOpenid('code');
    // act
    const reply = await wechatLogin(code).finally(() => pointWechatAt(wechat.base));
    // assess
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(reply.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    expect(await getUserByOpenid(`wx-${code}`)).toBeUndefined();
  });
});

// ——— appointment reminders ——————————————————————————————————————————————

/** Monday 8 June 2026, 09:00 in Shanghai: a week no other test file books in. */
const NOW = new Date('2026-06-08T09:00:00+08:00');
/** One booking day per test, so each test's evening-before reminders sit in buckets of their own. */
const DAYS = ['2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12', '2026-06-15', '2026-06-16', '2026-06-17', '2026-06-18', '2026-06-22'];
let nextDay = 0;

const SERVICE = {
  name: '社保卡办理',
  category: 'A',
  durationMin: 20,
  materials: ['居民身份证原件'],
  schedule: {
    weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '12:00']]])),
    slotMinutes: 30,
    capacityPerSlot: 5,
    bookAheadDays: 14,
  },
};

interface Booked {
  id: string;
  code: string;
}

/** `n` residents each booking 10:00 on a day of the test's own, with reminders; and when the evening-before one is due. */
async function bookedWithReminders(n: number): Promise<{ bookings: Booked[]; due: Date }> {
  const day = DAYS[nextDay++];
  if (!day) throw new Error('add a booking day to DAYS');
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  const service = await call('POST', `/v1/communities/${cid}/services`, { token: staff.token, body: SERVICE, now: NOW });
  expect(service.status, JSON.stringify(service.body)).toBe(201);
  const residents: Actor[] = await Promise.all(Array.from({ length: n }, () => verifiedResident(cid)));
  const bookings: Booked[] = [];
  for (const resident of residents) {
    const reply = await call('POST', `/v1/services/${service.body.id}/appointments`, {
      token: resident.token, body: { start: `${day}T10:00:00+08:00`, remind: true }, now: NOW,
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await accept(resident, ['appointmentReminder']);
    bookings.push({ id: reply.body.id, code: reply.body.code });
  }
  return { bookings, due: new Date(new Date(`${day}T18:00:00+08:00`).getTime() - 24 * HOUR) };
}

/** The reminders the stub received for one booking, from request index `from` on. */
const appointmentSends = (code: string, from = 0) =>
  wechat.requests
    .slice(from)
    .filter((r) => r.path === SEND && (r.body as { data: { character_string3: { value: string } } }).data.character_string3.value === code);

/** The stored evening-before reminder of a booking. */
const dayBeforeReminder = async (b: Booked, due: Date) =>
  (await remindersIn(bucketOf(due))).find((r) => r.appointmentId === b.id && r.kind === 'day_before');

describe('appointment reminders while WeChat fails', () => {
  it.each<Fault>(['does not answer', 'answers an errcode', 'answers HTTP 500'])(
    'keeps the reminder for the next run when WeChat %s, then sends it once even when two runs start together',
    async (fault) => {
      // prepare
      const { bookings: [mine], due } = await bookedWithReminders(1);
      // act: the run while WeChat fails
      const { result: failedRun } = await whileWechat(fault, () => answered(sendDueReminders(new Date(due.getTime() + 3 * MINUTE))));
      const pending = await dayBeforeReminder(mine!, due);
      // act: WeChat is back; the schedule fires twice at once, then once more
      const recovered = wechat.requests.length;
      const runs = await Promise.all([0, 1].map(() => sendDueReminders(new Date(due.getTime() + 13 * MINUTE))));
      await sendDueReminders(new Date(due.getTime() + 23 * MINUTE));
      // assess: the failing run ended and released the reminder, unsent
      expect(failedRun.value).not.toBe(NO_ANSWER);
      expect(failedRun.value).toMatchObject({ sent: 0, failed: 1 });
      expect(pending).toBeDefined();
      expect(pending?.sentAt).toBeUndefined();
      expect(pending?.claimedUntil).toBeUndefined();
      // assess: sent exactly once after the recovery
      expect(runs.reduce((sum, r) => sum + r.sent, 0)).toBe(1);
      expect(appointmentSends(mine!.code, recovered)).toHaveLength(1);
      expect((await dayBeforeReminder(mine!, due))?.sentAt).toEqual(expect.any(String));
    },
  );

  it('stops at the first call WeChat does not answer instead of waiting out a timeout for every due reminder', async () => {
    // prepare: four residents of one slot, four evening-before reminders due together
    const { bookings, due } = await bookedWithReminders(4);
    // act
    const { result: run, requests } = await whileWechat('does not answer', () => answered(sendDueReminders(new Date(due.getTime() + 3 * MINUTE))));
    const stored = await Promise.all(bookings.map((b) => dayBeforeReminder(b, due)));
    const recovered = wechat.requests.length;
    await Promise.all([0, 1].map(() => sendDueReminders(new Date(due.getTime() + 13 * MINUTE))));
    // assess: one unanswered request (so one timeout waited out); the rest left untouched for the next run
    expect(run.value).not.toBe(NO_ANSWER);
    expect(requests).toHaveLength(1);
    expect(run.value).toMatchObject({ sent: 0, failed: 1 });
    expect(stored.map((r) => ({ sent: r?.sentAt, claimed: r?.claimedUntil }))).toEqual(Array(4).fill({ sent: undefined, claimed: undefined }));
    // assess: every one sent exactly once after the recovery
    expect(bookings.map((b) => appointmentSends(b.code, recovered).length)).toEqual([1, 1, 1, 1]);
  });
});

// ——— volunteers' activity reminders ——————————————————————————————————————

/** Four days and more ahead (other files' activity reminders sit within three days), a distinct hour per test. */
let nextActivityHour = 96;
const activityStart = (): Date => new Date(futureStart().getTime() + (nextActivityHour += 3) * HOUR);

const activitySends = (activityId: string, from = 0) =>
  wechat.requests
    .slice(from)
    .filter((r) => r.path === SEND)
    .map((r) => r.body as { touser: string; template_id: string; page: string })
    .filter((b) => b.template_id === ACTIVITY_TEMPLATE && b.page === `volunteers/activity/index?id=${activityId}`);

describe('activity reminders while WeChat does not answer', () => {
  it('ends the run after one timeout, keeps the reminders, and sends each once when two runs start together after the recovery', async () => {
    // prepare
    const w = await volunteerWorld();
    const act = await activity(w, {}, activityStart());
    const people = await Promise.all([approvedVolunteer(w), approvedVolunteer(w)]);
    for (const person of people) await signUp(act.id, person);
    for (const person of people) await accept(person, ['activityReminder']);
    const due = new Date(act.start.getTime() - 2 * HOUR);
    // act
    const { result: run, requests } = await whileWechat('does not answer', () => answered(sendDueActivityReminders(new Date(due.getTime() + 3 * MINUTE))));
    const stored = (await activityRemindersIn(bucketOf(due))).filter((r) => r.activityId === act.id);
    const recovered = wechat.requests.length;
    const runs = await Promise.all([0, 1].map(() => sendDueActivityReminders(new Date(due.getTime() + 13 * MINUTE))));
    await sendDueActivityReminders(new Date(due.getTime() + 23 * MINUTE));
    // assess
    expect(run.value).not.toBe(NO_ANSWER);
    expect(run.value).toMatchObject({ sent: 0, failed: 1 });
    expect(requests).toHaveLength(1);
    expect(stored).toHaveLength(2);
    expect(stored.every((r) => r.sentAt === undefined && r.claimedUntil === undefined)).toBe(true);
    expect(runs.reduce((sum, r) => sum + r.sent, 0)).toBe(2);
    expect(activitySends(act.id, recovered).map((m) => m.touser).sort()).toEqual(people.map((p) => p.openid).sort());
  });
});

// ——— consultation results notices ——————————————————————————————————————————

/** Five days and seven hours ahead: no other file's consultation closes in these buckets (tokens last seven days). */
const CONSULTATION_BASE = Math.floor(Date.now() / MINUTE) * MINUTE + (5 * 24 + 7) * HOUR;
const atConsultation = (ms: number) => new Date(CONSULTATION_BASE + ms);

describe('consultation results notices while WeChat does not answer', () => {
  it('keeps the notice for a later run, then messages each voter once when two runs start together after the recovery', async () => {
    // prepare: a consultation closing at +1 h with three voters
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const voters = await Promise.all([0, 1, 2].map(() => verifiedResident(cid)));
    const created = await call('POST', `/v1/communities/${cid}/consultations`, {
      token: staff.token, now: atConsultation(0),
      body: {
        title: '加装电梯意见征询', body: '一单元', options: [{ label: '同意加装' }, { label: '暂不加装' }], eligibility: 'resident',
        opensAt: atConsultation(0).toISOString(), closesAt: atConsultation(HOUR).toISOString(),
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    for (const voter of voters) {
      const ballot = await call('POST', `/v1/consultations/${created.body.id}/ballots`, { token: voter.token, body: { choices: ['A'] }, now: atConsultation(MINUTE) });
      expect(ballot.status, JSON.stringify(ballot.body)).toBe(201);
      await accept(voter, ['consultationResults']);
    }
    const notices = (from: number) =>
      wechat.requests.slice(from).filter((r) => r.path === SEND && (r.body as { page: string }).page.includes(created.body.id)).map((r) => (r.body as { touser: string }).touser);
    // act
    const { result: run } = await whileWechat('does not answer', () => answered(sendResultsNotices(atConsultation(HOUR + MINUTE))));
    const recovered = wechat.requests.length;
    const runs = await Promise.all([0, 1].map(() => sendResultsNotices(atConsultation(HOUR + 6 * MINUTE))));
    await sendResultsNotices(atConsultation(HOUR + 11 * MINUTE));
    // assess
    expect(run.value).not.toBe(NO_ANSWER);
    expect(run.value).toMatchObject({ sent: 0, done: 0 });
    if (run.value !== NO_ANSWER) expect(run.value.failed).toBeGreaterThanOrEqual(1);
    expect(runs.reduce((sum, r) => sum + r.sent, 0)).toBe(3);
    expect(notices(recovered).sort()).toEqual(voters.map((v) => v.openid).sort());
  });
});

// ——— the access token ———————————————————————————————————————————————————

describe('the access token while WeChat fails', () => {
  it('asks WeChat for one access token however many messages go out at once, even when it does not answer', async () => {
    // prepare: no token cached yet, in this instance or in the table
    const { wechat: client } = await freshModules();
    await forgetWechatToken(STABLE_TOKEN);
    const message = (i: number) => ({ openid: `o-${i}`, templateId: 'tpl-any', data: { thing1: '测试' } });
    // act: five messages at once while WeChat hangs, then five once it is back
    const { result: whileDown, requests: downRequests } = await whileWechat('does not answer', () =>
      answered(Promise.allSettled([0, 1, 2, 3, 4].map((i) => client.sendSubscribeMessage(message(i))))),
    );
    const from = wechat.requests.length;
    const whileUp = await Promise.all([5, 6, 7, 8, 9].map((i) => client.sendSubscribeMessage(message(i))));
    const upRequests = wechat.requests.slice(from).map((r) => r.path);
    // assess
    expect(whileDown.value).not.toBe(NO_ANSWER);
    if (whileDown.value !== NO_ANSWER) expect(whileDown.value.map((s) => s.status)).toEqual(Array(5).fill('rejected'));
    expect(downRequests).toEqual([TOKEN]);
    expect(whileUp).toEqual(Array(5).fill(undefined));
    expect(upRequests.filter((p) => p === TOKEN)).toHaveLength(1);
    expect(upRequests.filter((p) => p === SEND)).toHaveLength(5);
  });

  it.each<Fault>(['does not answer', 'answers an errcode', 'answers HTTP 500'])(
    'never prints the AppSecret when the scheduled run cannot get an access token because WeChat %s',
    async (fault) => {
      // prepare: a reminder due, and a client with no token cached, so the run must fetch one
      const { bookings: [mine], due } = await bookedWithReminders(1);
      const { reminderHandler } = await freshModules();
      await forgetWechatToken(STABLE_TOKEN);
      // act: the scheduled function itself, as deployed, at the reminder's time
      const { result: outcome, requests } = await whileWechat(fault, () =>
        printedDuring(() => atWallClock(new Date(due.getTime() + 3 * MINUTE), () => reminderHandler())),
      );
      // assess: the token fetch was tried and failed; the run ended and said so, without a trace of the secret
      expect(requests[0]).toBe(TOKEN);
      expect(outcome.error).toBeUndefined();
      expect(outcome.result).toMatchObject({ sent: 0, failed: 1 });
      expect(outcome.printed).toContain('"job":"appointment-reminders"');
      expect(outcome.printed).not.toContain(APP_SECRET);
      expect(outcome.printed).not.toContain(STABLE_TOKEN);
      expect((await dayBeforeReminder(mine!, due))?.sentAt).toBeUndefined();
    },
  );

  it('never lets the AppSecret into the error a failed token fetch throws', async () => {
    // prepare
    const { wechat: client } = await freshModules();
    await forgetWechatToken(STABLE_TOKEN);
    // act
    const { result: outcome } = await whileWechat('does not answer', () =>
      printedDuring(() => client.sendSubscribeMessage({ openid: 'o-x', templateId: 'tpl-any', data: { thing1: '测试' } })),
    );
    // assess: whoever logs this error logs no secret
    expect(outcome.error).toBeInstanceOf(Error);
    expect(inspect(outcome.error, { depth: 10 })).not.toContain(APP_SECRET);
    expect(String((outcome.error as Error).stack)).not.toContain(APP_SECRET);
    expect(outcome.printed).not.toContain(APP_SECRET);
  });

  it('never prints the AppSecret or a session_key when a login succeeds or WeChat does not answer it', async () => {
    // prepare
    const [good, hung] = [uniqueOpenid('code'), uniqueOpenid('code')];
    // act
    const ok = await printedDuring(() => wechatLogin(good));
    const { result: down } = await whileWechat('does not answer', () => printedDuring(() => wechatLogin(hung)));
    // assess
    expect(ok.result?.status).toBe(200);
    expect(down.result?.status).toBe(503);
    for (const { printed, result } of [ok, down]) {
      expect(printed).not.toContain(APP_SECRET);
      expect(printed).not.toContain('secret-session-key');
      expect(printed).not.toMatch(/session_key/);
      expect(JSON.stringify(result?.body)).not.toContain('secret-session-key');
      expect(JSON.stringify(result?.body)).not.toContain(APP_SECRET);
    }
  });
});
