/**
 * Volunteers (志愿服务, policy 003): registration and approval, activities, signups, on-site
 * attendance (staff scan each volunteer's personal code), verified hours in an append-only ledger (台帐), and the
 * community's volunteer indicators.
 */
import { AppError } from '@contract/errors';
import type { Page } from '@contract/common';
import type * as z from '@contract/schema';
import type {
  Activity,
  ActivitiesQuery,
  ActivityInput,
  ActivityPatch,
  CheckinCode,
  CommunityLedger,
  LedgerEntry,
  LedgerRow,
  MyVolunteer,
  Signup,
  Volunteer,
  VolunteerRegistration,
  VolunteerStats,
  VolunteerStatus,
} from '@contract/volunteers';
import { type Act, claimedUser, CODE_REFRESH_SECONDS, CODE_REFUSALS, checkPresenceCode, codeFromScan, issuePresenceCode, qrPayload } from '../domain/volunteer-codes';
import { canCancelSignup, canSignUp, checkInOpen, checkOutOpen, timesProblem } from '../domain/volunteer-activity';
import { creditedHours } from '../domain/volunteer-hours';
import { REMINDER_LOOKBACK_MINUTES, activityReminderDue, bucketsToScan, type ReminderRun } from '../domain/reminders';
import { VOLUNTEER_TARGET_PERCENT, volunteerRatio, yearlySummary } from '../domain/volunteer-ledger';
import { escortOver, unclaimedCheckDue } from '../domain/escort';
import { clip, wechatTime } from '../domain/message-text';
import { maskName } from '../domain/privacy';
import { addDays, DEFAULT_TIMEZONE, instantOf, isoWithOffset, localDate, monthRange } from '../domain/time';
import { newId } from '../lib/ids';
import { secret } from '../lib/secrets';
import type { AuthUser } from '../lib/tokens';
import { deliver, sendInTurn } from '../lib/send-pool';
import { templateId } from '../lib/notifier';
import { getAppointment } from '../store/appointments';
import { escortCheckPut } from '../store/escorts';
import { outboxPut, type TransactPut } from '../store/outbox';
import { getCommunity, getUser } from '../store/identity';
import { isConditionFailed, type ConditionFailed } from '../store/transaction';
import { refusing } from './refusal';
import * as store from '../store/volunteers';
import { actingFor, requireStaff, requireVerifiedMember, staffPart, staffRefusal } from './access';
import { fanoutParts, kickDelivery } from './notifications';

// ——— shapes sent to clients ——————————————————————————————————————————

const toVolunteer = (v: store.VolunteerRecord, staffView: boolean): Volunteer => ({
  userId: v.userId,
  communityId: v.communityId,
  status: v.status,
  skills: v.skills,
  availability: v.availability,
  reason: v.reason,
  name: staffView ? (v.realName ?? v.nickname) : maskName(v.realName ?? v.nickname),
  household: staffView ? v.household : undefined,
  totalHours: v.totalHours ?? 0,
  registeredAt: v.registeredAt,
  decidedAt: v.decidedAt,
  // The escorted residents' thanks: the volunteer's own record and staff's, never anyone else's.
  ...(staffView && v.thanksCount ? { thanks: { count: v.thanksCount, average: Math.round(((v.thanksScore ?? 0) / v.thanksCount) * 10) / 10 } } : {}),
});

const zoned = (utc: string, tz: string): string => isoWithOffset(new Date(utc), tz);

const toActivity = (a: store.ActivityRecord, mySignup?: store.SignupRecord): Activity => ({
  id: a.id,
  communityId: a.communityId,
  title: a.title,
  description: a.description,
  place: a.place,
  startsAt: zoned(a.startsAt, a.timezone),
  endsAt: zoned(a.endsAt, a.timezone),
  capacity: a.capacity,
  hours: a.hours,
  skills: a.skills as Activity['skills'],
  signedUp: a.signedUp,
  placesLeft: Math.max(0, a.capacity - a.signedUp),
  status: a.status,
  createdAt: a.createdAt,
  ...(mySignup ? { mySignup: toSignup(mySignup, a.timezone, true) } : {}),
});

const toSignup = (s: store.SignupRecord, tz: string = DEFAULT_TIMEZONE, withName = false): Signup => ({
  activityId: s.activityId,
  communityId: s.communityId,
  userId: s.userId,
  status: s.status,
  signedUpAt: s.signedUpAt,
  cancelledAt: s.cancelledAt,
  checkedInAt: s.checkedInAt && zoned(s.checkedInAt, tz),
  checkedOutAt: s.checkedOutAt && zoned(s.checkedOutAt, tz),
  attendanceBy: s.attendanceBy,
  attendanceReason: s.attendanceReason,
  verifiedAt: s.verifiedAt,
  verifiedHours: s.verifiedHours,
  name: withName ? s.name : undefined,
  title: s.title,
  startsAt: zoned(s.startsAt, tz),
  endsAt: zoned(s.endsAt, tz),
  place: s.place,
});

const toEntry = (e: store.LedgerRecord): LedgerEntry => ({ ...e });

// ——— helpers ————————————————————————————————————————————————————

async function communityOrThrow(cid: string) {
  const community = await getCommunity(cid);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  return community;
}

const activityNotFound = () => new AppError('NOT_FOUND', '活动不存在');
const activityCancelled = () => new AppError('STATE_CONFLICT', '活动已取消');
const signupClosed = () => new AppError('STATE_CONFLICT', '活动已开始，报名已截止');
const notRegistered = () => new AppError('NOT_FOUND', '该用户未注册志愿者');

async function activityOrThrow(id: string): Promise<store.ActivityRecord> {
  const activity = await store.getActivity(id);
  if (!activity) throw activityNotFound();
  return activity;
}


const utc = (iso: string): string => new Date(iso).toISOString();

/**
 * Tells signed-up volunteers that an activity changed or was cancelled, by subscription
 * message (template activityChanged, lib/notifier.ts; nothing when it is unset): one outbox
 * message, written in the change's transaction, that the outbox function fans out to each
 * volunteer then signed up, so the staff's change never waits on WeChat nor reads the signups.
 */
export const signedUpMessage = (messageId: string, activity: Pick<store.ActivityRecord, 'id' | 'title' | 'startsAt' | 'timezone'>, what: string, now: Date): TransactPut[] =>
  fanoutParts(messageId, { activityId: activity.id }, 'activityChanged', `volunteers/activity/index?id=${activity.id}`, {
    thing1: clip(activity.title, 20),
    time2: wechatTime(new Date(activity.startsAt), activity.timezone),
    thing3: clip(what, 20),
  }, now);

/** When the reminder 2 hours before an activity is due; none while its template is unset (template activityReminder, lib/notifier.ts). */
const reminderDue = (activity: store.ActivityRecord, now: Date): Date | undefined =>
  templateId('activityReminder') ? activityReminderDue(new Date(activity.startsAt), now) : undefined;

/** After a reschedule: reminders at the new time for everyone signed up (the old ones are skipped when due). */
async function replanReminders(activity: store.ActivityRecord, now: Date): Promise<void> {
  const dueAt = reminderDue(activity, now);
  if (!dueAt) return;
  await store.planActivityReminders(activity, await store.signedUpUserIds(activity.id), dueAt);
}

// ——— registration ————————————————————————————————————————————————

export async function register(actor: AuthUser, cid: string, input: z.output<typeof VolunteerRegistration>, now: Date): Promise<Volunteer> {
  const [membership, user] = await Promise.all([requireVerifiedMember(actor, cid), getUser(actor.id)]);
  const record = await refusing(store.registerVolunteer({
    communityId: cid,
    userId: actor.id,
    status: 'pending',
    skills: [...new Set(input.skills)],
    availability: input.availability,
    realName: membership.realName,
    nickname: user?.nickname,
    household: membership.household,
    totalHours: 0,
    registeredAt: now.toISOString(),
  }), () => new AppError('ALREADY_REGISTERED'));
  return toVolunteer(record, true);
}

export async function listVolunteers(
  actor: AuthUser,
  cid: string,
  query: { status?: VolunteerStatus; q?: string; limit: number; cursor?: string },
): Promise<Page<Volunteer>> {
  await requireStaff(actor, cid);
  const page = await store.listVolunteers(cid, { ...query, q: query.q || undefined });
  return { items: page.items.map((v) => toVolunteer(v, true)), next: page.next };
}

export async function decide(actor: AuthUser, cid: string, uid: string, decision: 'approved' | 'declined', now: Date, reason?: string): Promise<Volunteer> {
  await requireStaff(actor, cid);
  try {
    const decided = await store.decideVolunteer(cid, uid, decision, { actorId: actor.id, at: now.toISOString() }, reason);
    if (!decided) throw notRegistered();
    return toVolunteer(decided, true);
  } catch (error) {
    if (!isConditionFailed<'registration'>(error) || !error.has('registration')) throw error;
    // Decided meanwhile. Two staff deciding alike at once: the second finds it done, and that is what they wanted.
    const current = await store.getVolunteer(cid, uid);
    if (current?.status === decision) return toVolunteer(current, true);
    if (current) throw new AppError('STATE_CONFLICT', current.status === 'approved' ? '该志愿者已通过审核' : '该注册已被处理');
    throw new AppError('STATE_CONFLICT', '该注册已处理过');
  }
}

// ——— activities ——————————————————————————————————————————————————

export async function createActivity(actor: AuthUser, cid: string, input: ActivityInput, now: Date): Promise<Activity> {
  await requireStaff(actor, cid);
  const community = await communityOrThrow(cid);
  const problem = timesProblem(input, now);
  if (problem) throw new AppError('VALIDATION', problem, { details: [{ path: 'body.startsAt', message: problem }] });
  const record: store.ActivityRecord = {
    id: newId(now),
    communityId: cid,
    timezone: community.timezone,
    title: input.title,
    description: input.description,
    place: input.place,
    startsAt: utc(input.startsAt),
    endsAt: utc(input.endsAt),
    startMs: Date.parse(input.startsAt),
    endMs: Date.parse(input.endsAt),
    capacity: input.capacity,
    hours: input.hours,
    skills: input.skills ? [...new Set(input.skills)] : undefined,
    signedUp: 0,
    status: 'scheduled',
    createdAt: now.toISOString(),
    createdBy: actor.id,
  };
  await store.putActivity(record);
  return toActivity(record);
}

export async function getActivity(actor: AuthUser | undefined, id: string): Promise<Activity> {
  if (!actor) return toActivity(await activityOrThrow(id));
  const { activity, signup } = await store.getActivityAndSignup(id, actor.id);
  if (!activity) throw activityNotFound();
  return toActivity(activity, signup);
}

/** An escort follows its booking: it changes and ends with the appointment, never on its own. */
function refuseEscortEdit(activity: store.ActivityRecord): void {
  if (activity.escort) throw new AppError('STATE_CONFLICT', '志愿陪同随预约变化：如需变更请改约或取消预约');
}

export async function updateActivity(actor: AuthUser, id: string, patch: ActivityPatch, now: Date): Promise<Activity> {
  const activity = await activityOrThrow(id);
  await requireStaff(actor, activity.communityId);
  refuseEscortEdit(activity);
  const startsAt = patch.startsAt ?? activity.startsAt;
  const endsAt = patch.endsAt ?? activity.endsAt;
  if (patch.startsAt || patch.endsAt) {
    const problem = timesProblem({ startsAt, endsAt }, now);
    if (problem) throw new AppError('VALIDATION', problem, { details: [{ path: 'body.startsAt', message: problem }] });
  }
  const change = {
    title: patch.title,
    description: patch.description,
    place: patch.place,
    capacity: patch.capacity,
    hours: patch.hours,
    skills: patch.skills ? [...new Set(patch.skills)] : undefined,
    ...(patch.startsAt ? { startsAt: utc(patch.startsAt), startMs: Date.parse(patch.startsAt) } : {}),
    ...(patch.endsAt ? { endsAt: utc(patch.endsAt), endMs: Date.parse(patch.endsAt) } : {}),
  };
  const told = patch.startsAt || patch.endsAt || patch.place;
  const messages = told
    ? signedUpMessage(`changed-${id}-${now.getTime()}`, { ...activity, title: change.title ?? activity.title, startsAt: change.startsAt ?? activity.startsAt }, '活动时间或地点有变更', now)
    : [];
  const updated = await refusing(store.updateActivity(id, activity.communityId, change, now.toISOString(), { messages, current: activity }), (failed: ConditionFailed<store.ActivityChangePart>) => {
    if (!failed.has('activity')) return new AppError('STATE_CONFLICT', '该变更已通知报名者');
    const before = failed.item<store.ActivityRecord>('activity');
    return before?.status === 'scheduled'
      ? new AppError('STATE_CONFLICT', `已有 ${String(before.signedUp)} 人报名，名额不能少于报名人数`)
      : new AppError('STATE_CONFLICT', '活动已取消，不能修改');
  });
  if (messages.length) await kickDelivery();
  if (updated.startsAt !== activity.startsAt && updated.signedUp > 0) await replanReminders(updated, now);
  return toActivity(updated);
}

export async function cancelActivity(actor: AuthUser, id: string, now: Date): Promise<Activity> {
  const activity = await activityOrThrow(id);
  await requireStaff(actor, activity.communityId);
  refuseEscortEdit(activity);
  // An activity is cancelled once: its message's id says so.
  const messages = signedUpMessage(`cancelled-${id}`, activity, '活动已取消', now);
  // Either part failing means it was cancelled already (its message is written once).
  const cancelled = await refusing(store.cancelActivity(id, now.toISOString(), { messages, current: activity }), activityCancelled);
  if (messages.length) await kickDelivery();
  return toActivity(cancelled);
}

export async function listActivities(
  cid: string,
  query: z.output<typeof ActivitiesQuery>,
  now: Date,
): Promise<Page<Activity>> {
  const community = await communityOrThrow(cid);
  const tz = community.timezone;
  const from = query.from ?? localDate(now, tz);
  const fromUtc = instantOf(from, '00:00', tz).toISOString();
  const toUtc = query.to ? new Date(instantOf(addDays(query.to, 1), '00:00', tz).getTime() - 1).toISOString() : '9999-12-31T23:59:59.999Z';
  if (toUtc < fromUtc) throw new AppError('VALIDATION', '结束日期应不早于开始日期', { details: [{ path: 'query.to', message: '结束日期应不早于开始日期' }] });
  const page = await store.listActivities(cid, { fromUtc, toUtc, skill: query.skill, limit: query.limit, cursor: query.cursor });
  return { items: page.items.map((a) => toActivity(a)), next: page.next };
}

// ——— signups ————————————————————————————————————————————————————

/** A signup as it is taken: with what the volunteer's list shows of the activity. */
const newSignup = (activity: store.ActivityRecord, uid: string, now: Date): store.SignupRecord => ({
  activityId: activity.id,
  communityId: activity.communityId,
  userId: uid,
  status: 'signed_up',
  signedUpAt: now.toISOString(),
  title: activity.title,
  startsAt: activity.startsAt,
  endsAt: activity.endsAt,
  place: activity.place,
});

/**
 * Takes a place: one read of the activity, then one transaction (which also records the
 * Idempotency-Key with the response, the route being `with-act`).
 */
export async function signUp(actor: AuthUser, id: string, now: Date): Promise<Signup> {
  const activity = await activityOrThrow(id);
  if (activity.status === 'cancelled') throw activity.escort ? new AppError('STATE_CONFLICT', '预约已取消，无需陪同') : activityCancelled();
  if (!canSignUp(activity, now)) throw signupClosed();
  const messages = activity.escort ? await escortMatchedMessages(activity, activity.escort, actor, now) : undefined;
  const signup = newSignup(activity, actor.id, now);
  const answer = toSignup(signup, activity.timezone, true);
  const reminderDueAt = reminderDue(activity, now);
  await refusing(store.signUp(activity, signup, { reminderDueAt, messages, answers: answer }), (failed: ConditionFailed<store.SignUpPart>) => {
    if (failed.has('signup')) return new AppError('ALREADY_SIGNED_UP');
    if (failed.has('volunteer')) return new AppError('FORBIDDEN', '仅已通过审核的志愿者可以报名');
    const before = failed.item<store.ActivityRecord>('activity');
    if (before?.status === 'cancelled') return activityCancelled();
    if (before && before.startMs <= now.getTime()) return signupClosed();
    // The first volunteer took the escort: everyone after is told plainly.
    return activity.escort ? new AppError('ACTIVITY_FULL', '已有志愿者认领了这次陪同，感谢您的热心') : new AppError('ACTIVITY_FULL');
  });
  if (messages?.length) await kickDelivery();
  return answer;
}

/**
 * Taking an escort tells the resident (and the family member who asked for them) who is coming,
 * by subscription message (template escortMatched; sent only where they accepted it), written in
 * the signup's transaction. Nobody takes an escort they asked for themselves.
 */
async function escortMatchedMessages(activity: store.ActivityRecord, escort: store.EscortDetails, actor: AuthUser, now: Date): Promise<TransactPut[]> {
  if (actor.id === escort.elderId || actor.id === escort.proxyId) throw new AppError('FORBIDDEN', '不能认领自己（或为家人）申请的陪同');
  if (!templateId('escortMatched')) return [];
  const volunteer = await store.getVolunteer(activity.communityId, actor.id);
  const who = `${maskName(volunteer?.realName ?? volunteer?.nickname) ?? ''}志愿者`;
  const data = {
    thing1: clip(escort.serviceName, 20),
    time2: wechatTime(new Date(escort.appointmentStart), activity.timezone),
    thing3: clip(who, 20),
    thing4: '将陪同您前往办理，请保持电话畅通',
  };
  return [escort.elderId, ...(escort.proxyId ? [escort.proxyId] : [])].map((userId) =>
    outboxPut(`escort-matched-${activity.id}-${actor.id}-${now.getTime()}-${userId}`, {
      kind: 'wechat', userId, template: 'escortMatched', page: `appointments/detail/index?id=${escort.appointmentId}`, data,
    }, now),
  );
}

const notSignedUp = () => new AppError('NOT_FOUND', '您未报名该活动');

export async function cancelSignUp(actor: AuthUser, id: string, now: Date): Promise<Signup> {
  const { activity, signup } = await store.getActivityAndSignup(id, actor.id);
  if (!activity) throw activityNotFound();
  if (!signup || signup.status !== 'signed_up') throw notSignedUp();
  if (!canCancelSignup(activity, now)) throw new AppError('STATE_CONFLICT', '活动已开始，不能取消报名');
  // An escort given back is open again, and checked again for staff if nobody takes it in time.
  const escortCheck = activity.escort && escortCheckPut(activity, unclaimedCheckDue(new Date(activity.escort.appointmentStart), now, activity.timezone));
  await refusing(store.cancelSignup(id, actor.id, now.toISOString(), escortCheck || undefined), (failed: ConditionFailed<store.CancelPart>) => {
    const before = failed.has('signup') ? failed.item<store.SignupRecord>('signup') : undefined;
    if (before?.status === 'signed_up' && before.checkedInAt) return new AppError('STATE_CONFLICT', '已签到，不能取消报名');
    if (before?.status === 'cancelled') return new AppError('STATE_CONFLICT', '报名已取消');
    return notSignedUp();
  });
  return toSignup({ ...signup, status: 'cancelled', cancelledAt: now.toISOString() }, activity.timezone, true);
}

/** Staff's sheet: who signed up and who attended, real names (from the registrations). */
export async function listSignups(actor: AuthUser, id: string, query: { limit: number; cursor?: string }): Promise<Page<Signup>> {
  const activity = await activityOrThrow(id);
  await requireStaff(actor, activity.communityId);
  const page = await store.listSignups(id, query);
  const volunteers = await Promise.all(page.items.map((s) => store.getVolunteer(activity.communityId, s.userId)));
  return {
    items: page.items.map((s, i) => ({ ...toSignup(s, activity.timezone), name: volunteers[i]?.realName ?? volunteers[i]?.nickname })),
    next: page.next,
  };
}

export async function mySignups(actor: AuthUser, query: { limit: number; cursor?: string }): Promise<Page<Signup>> {
  const page = await store.listUserSignups(actor.id, query);
  return { items: page.items.map((s) => toSignup(s)), next: page.next };
}

// ——— on-site check-in ——————————————————————————————————————————————

/** The caller's personal code for the next act (check-in, then check-out), shown as a QR for staff to scan. */
export async function checkinCode(actor: AuthUser, id: string, now: Date): Promise<CheckinCode> {
  const { activity, signup } = await store.getActivityAndSignup(id, actor.id);
  if (!activity) throw activityNotFound();
  if (!signup || signup.status !== 'signed_up') throw new AppError('FORBIDDEN', '您未报名该活动');
  if (activity.status === 'cancelled') throw activityCancelled();
  if (signup.verifiedAt) throw new AppError('STATE_CONFLICT', '服务时长已认定，无需再签到签退');
  if (signup.checkedOutAt) throw new AppError('STATE_CONFLICT', '您已签退');
  const purpose: Act = signup.checkedInAt ? 'check_out' : 'check_in';
  if (purpose === 'check_in' && !checkInOpen(activity, now)) throw new AppError('NOT_CHECKABLE', '签到时间为活动开始前 30 分钟至活动结束');
  if (purpose === 'check_out' && !checkOutOpen(activity, now)) throw new AppError('NOT_CHECKABLE', '签退时间为活动结束后 1 小时内');
  const issued = issuePresenceCode(await secret('checkinKey'), id, actor.id, purpose, now);
  return {
    code: issued.code,
    purpose,
    expiresAt: isoWithOffset(issued.expiresAt, activity.timezone),
    refreshSeconds: CODE_REFRESH_SECONDS,
    qr: qrPayload(id, issued.code),
  };
}

/**
 * Staff on site scanned a volunteer's personal code: records that volunteer's check-in or
 * check-out and spends the code. The answer carries the volunteer's name, so staff can see the
 * code belongs to the person in front of them.
 */
export async function recordScan(actor: AuthUser, id: string, act: Act, scanned: string, now: Date): Promise<Signup> {
  const code = codeFromScan(scanned);
  const claimed = claimedUser(code);
  // Who may scan is settled before the code is judged, so nobody else learns anything from it.
  const { activity, signup } = claimed ? await store.getActivityAndSignup(id, claimed) : { activity: await store.getActivity(id), signup: undefined };
  if (!activity) throw activityNotFound();
  const [, volunteer] = await Promise.all([requireStaff(actor, activity.communityId), claimed ? store.getVolunteer(activity.communityId, claimed) : undefined]);
  const check = checkPresenceCode(await secret('checkinKey'), id, act, code, now);
  if (!check.ok) throw new AppError('CODE_INVALID', CODE_REFUSALS[check.reason], { details: { reason: check.reason } });
  if (activity.status === 'cancelled') throw activityCancelled();
  if (act === 'check_in' && !checkInOpen(activity, now)) throw new AppError('NOT_CHECKABLE', '签到时间为活动开始前 30 分钟至活动结束');
  if (act === 'check_out' && !checkOutOpen(activity, now)) throw new AppError('NOT_CHECKABLE', '签退时间为活动结束后 1 小时内');
  const scannedNotSignedUp = () => new AppError('FORBIDDEN', '该志愿者未报名本活动');
  if (!signup || signup.status !== 'signed_up') throw scannedNotSignedUp();
  const recorded = await refusing(store.recordScan(signup, act, check, { at: now.toISOString(), by: actor.id }), (failed: ConditionFailed<store.ScanPart>) => {
    if (failed.has('code')) return new AppError('CODE_USED');
    const before = failed.item<store.SignupRecord>('signup');
    if (before?.status !== 'signed_up') return scannedNotSignedUp();
    if (before.verifiedAt) return new AppError('ALREADY_VERIFIED', '服务时长已认定，不能再签退');
    if (act === 'check_in') return new AppError('STATE_CONFLICT', '该志愿者已签到');
    return new AppError('STATE_CONFLICT', before.checkedInAt ? '该志愿者已签退' : '该志愿者尚未签到');
  });
  return toSignup({ ...recorded, name: volunteer?.realName ?? volunteer?.nickname }, activity.timezone, true);
}

export async function recordAttendance(
  actor: AuthUser,
  id: string,
  uid: string,
  input: { checkedInAt: string; checkedOutAt?: string; reason: string },
  now: Date,
): Promise<Signup> {
  const { activity, signup } = await store.getActivityAndSignup(id, uid);
  if (!activity) throw activityNotFound();
  await requireStaff(actor, activity.communityId);
  if (Date.parse(input.checkedInAt) > now.getTime()) {
    throw new AppError('VALIDATION', '签到时间不能晚于现在', { details: [{ path: 'body.checkedInAt', message: '签到时间不能晚于现在' }] });
  }
  // An escort has one place, held by the volunteer who took it: staff record that volunteer's attendance only.
  if (activity.escort && signup?.status !== 'signed_up') throw new AppError('STATE_CONFLICT', '这位志愿者没有认领这次陪同');
  const base = signup ?? newSignup(activity, uid, now);
  const attendance = { checkedInAt: utc(input.checkedInAt), checkedOutAt: input.checkedOutAt ? utc(input.checkedOutAt) : undefined, reason: input.reason, by: actor.id };
  const recorded = await refusing(store.recordAttendance(activity, base, attendance), (failed: ConditionFailed<store.AttendancePart>) => {
    if (failed.has('verified')) return new AppError('ALREADY_VERIFIED');
    if (failed.has('volunteer')) return new AppError('FORBIDDEN', '该用户不是本社区已通过审核的志愿者');
    if (failed.has('signup')) return new AppError('STATE_CONFLICT', '考勤正被同时修改，请刷新后重试');
    return activityCancelled();
  });
  return toSignup(recorded, activity.timezone);
}

// ——— hours and the ledger ——————————————————————————————————————————

/** The signup whose hours may be verified, or why not (as read, or as the verification found it). */
function verifiable(signup: store.SignupRecord | undefined): (store.SignupRecord & { checkedInAt: string }) | AppError {
  if (!signup || signup.status !== 'signed_up') return new AppError('NOT_FOUND', '该志愿者未报名本活动');
  if (signup.verifiedAt) return new AppError('ALREADY_VERIFIED');
  if (!signup.checkedInAt) return new AppError('STATE_CONFLICT', '尚未记录考勤，请先签到或由工作人员补录');
  return { ...signup, checkedInAt: signup.checkedInAt };
}

/**
 * Credits a volunteer's attendance: one read of the activity and the signup, then one
 * transaction that also checks the caller is staff (part `staff`) and records the
 * Idempotency-Key with the response (the route is `with-act`). A refusal before the write is
 * told to staff only: anyone else is refused 403 first, as before, at the cost of one read.
 */
export async function verifyHours(actor: AuthUser, id: string, uid: string, given: number | undefined, now: Date): Promise<LedgerEntry> {
  const { activity, signup } = await store.getActivityAndSignup(id, uid);
  if (!activity) throw activityNotFound();
  const refuse = async (error: AppError): Promise<never> => {
    await requireStaff(actor, activity.communityId);
    throw error;
  };
  const attended = verifiable(signup);
  if (attended instanceof AppError) return refuse(attended);
  if (activity.escort && !escortOver((await getAppointment(activity.escort.appointmentId))?.status)) {
    return refuse(new AppError('STATE_CONFLICT', '预约办结或标记爽约后才能认定陪同时长'));
  }
  const hours = creditedHours({ given, checkedInAt: attended.checkedInAt, checkedOutAt: attended.checkedOutAt, activityHours: activity.hours });
  if (hours === undefined) return refuse(new AppError('STATE_CONFLICT', '尚未签退：请扫码签退、补录签退时间，或填写认定时长'));
  if (hours <= 0) return refuse(new AppError('STATE_CONFLICT', '出勤不足半小时，请填写认定时长'));
  const entry: store.LedgerRecord & { activityId: string } = {
    id: newId(now),
    communityId: activity.communityId,
    userId: uid,
    kind: 'service',
    hours,
    activityId: id,
    title: activity.title,
    date: localDate(new Date(activity.startsAt), activity.timezone),
    by: actor.id,
    at: now.toISOString(),
  };
  const answer = toEntry(entry);
  const month = localDate(now, activity.timezone).slice(0, 7);
  await refusing(store.verifyAttendance(entry, month, { staff: staffPart(actor, activity.communityId), answers: answer }), (failed: ConditionFailed<store.VerifyPart>) => {
    if (failed.has('staff')) return staffRefusal();
    if (failed.has('signup')) {
      const found = verifiable(failed.item<store.SignupRecord>('signup'));
      return found instanceof AppError ? found : undefined;
    }
    if (failed.has('volunteer')) return new AppError('STATE_CONFLICT', '该用户不是本社区的注册志愿者');
    return undefined;
  });
  return answer;
}

export async function correct(actor: AuthUser, cid: string, uid: string, input: { hours: number; reason: string }, now: Date): Promise<LedgerEntry> {
  await requireStaff(actor, cid);
  const community = await communityOrThrow(cid);
  const entry = await refusing(store.appendCorrection(
    {
      id: newId(now),
      communityId: cid,
      userId: uid,
      kind: 'correction',
      hours: input.hours,
      date: localDate(now, community.timezone),
      reason: input.reason,
      by: actor.id,
      at: now.toISOString(),
    },
    localDate(now, community.timezone).slice(0, 7),
  ), (failed: ConditionFailed<store.CorrectionPart>) => {
    if (!failed.has('volunteer')) return undefined;
    // The registration as it was: none, or a total the correction would take below zero.
    return failed.item('volunteer') ? new AppError('STATE_CONFLICT', '更正后的总时长不能为负数') : notRegistered();
  });
  return toEntry(entry);
}

/** The caller's registration in a community (or their first one, approved preferred). */
export async function ownRegistration(actor: AuthUser, cid?: string): Promise<store.VolunteerRecord> {
  // A family proxy sees the elder's hours and certificate.
  const { userId } = await actingFor(actor);
  if (cid) {
    const record = await store.getVolunteer(cid, userId);
    if (!record) throw new AppError('NOT_FOUND', '您还未注册为本社区志愿者');
    return record;
  }
  const all = await store.listUserVolunteers(userId);
  const record = all.find((v) => v.status === 'approved') ?? all[0];
  if (!record) throw new AppError('NOT_FOUND', '您还未注册为志愿者');
  return record;
}

/** A registration with its whole ledger, newest entry first, and the yearly summary. */
async function withLedger(registration: store.VolunteerRecord): Promise<MyVolunteer> {
  const [entries, community] = await Promise.all([
    store.listLedger(registration.communityId, registration.userId),
    getCommunity(registration.communityId),
  ]);
  return {
    ...toVolunteer(registration, true),
    communityName: community?.name,
    entries: entries.map(toEntry).reverse(),
    years: yearlySummary(entries),
  };
}

export async function myVolunteer(actor: AuthUser, cid: string | undefined): Promise<MyVolunteer> {
  return withLedger(await ownRegistration(actor, cid));
}

/** One volunteer's ledger, for the community's staff (the roster's detail). */
export async function volunteerLedger(actor: AuthUser, cid: string, uid: string): Promise<MyVolunteer> {
  await requireStaff(actor, cid);
  const registration = await store.getVolunteer(cid, uid);
  if (!registration) throw new AppError('NOT_FOUND', '该用户未注册本社区志愿者');
  return withLedger(registration);
}

/** Entries with the volunteer's name and household as staff know them. */
async function ledgerRows(cid: string, entries: store.LedgerRecord[]): Promise<LedgerRow[]> {
  const volunteers = await store.getVolunteers(cid, entries.map((e) => e.userId));
  return entries.map((e) => {
    const v = volunteers.get(e.userId);
    return { ...toEntry(e), name: v?.realName ?? v?.nickname, household: v?.household };
  });
}

/**
 * A month of the community's 台帐 (entries recorded that community-local month, the month the
 * stats count their hours in), a page at a time; `totalHours` is the month's counter.
 */
export async function communityLedger(actor: AuthUser, cid: string, month: string, query: { limit: number; cursor?: string }): Promise<CommunityLedger> {
  await requireStaff(actor, cid);
  const community = await communityOrThrow(cid);
  const [page, counters] = await Promise.all([
    store.listCommunityLedger(cid, monthRange(month, community.timezone), query),
    store.getVolunteerCounters(cid, month),
  ]);
  return { month, totalHours: counters.hoursThisMonth, items: await ledgerRows(cid, page.items), next: page.next };
}

/** The whole month, for the spreadsheet export, with what its file is called and what its times read in. */
export async function communityLedgerExport(actor: AuthUser, cid: string, month: string): Promise<{ communityName: string; timezone: string; rows: LedgerRow[] }> {
  await requireStaff(actor, cid);
  const community = await communityOrThrow(cid);
  const entries = await store.allCommunityLedger(cid, monthRange(month, community.timezone));
  return { communityName: community.name, timezone: community.timezone, rows: await ledgerRows(cid, entries) };
}

// ——— indicators ——————————————————————————————————————————————————

/** The volunteers section of GET /v1/communities/{cid}/stats (caller already checked staff). */
export async function volunteerStats(cid: string, now: Date): Promise<VolunteerStats> {
  const community = await communityOrThrow(cid);
  const month = localDate(now, community.timezone).slice(0, 7);
  const monthStart = instantOf(`${month}-01`, '00:00', community.timezone).toISOString();
  const [counters, pending, held] = await Promise.all([
    store.getVolunteerCounters(cid, month),
    store.countPendingVolunteers(cid),
    store.countActivitiesHeld(cid, monthStart, now.getTime()),
  ]);
  return {
    approved: counters.approved,
    pending,
    residents: community.residents,
    ...volunteerRatio(counters.approved, community.residents),
    targetPercent: VOLUNTEER_TARGET_PERCENT,
    month,
    hoursThisMonth: counters.hoursThisMonth,
    activitiesHeldThisMonth: held,
  };
}


// ——— reminders (scheduled) ——————————————————————————————————————————

/**
 * Sends the activity reminders due by `now` (2 hours before the start). Each is claimed first,
 * so a schedule that fires twice sends it once; a cancelled signup or activity, or an activity
 * moved since the reminder was planned, is skipped; a WeChat failure releases the claim so the
 * next run tries again (16 at a time within the run's budget, lib/send-pool.ts; when WeChat is
 * down, the run stops at the first failure).
 */
export async function sendDueActivityReminders(now: Date): Promise<ReminderRun> {
  const run: ReminderRun = { due: 0, sent: 0, skipped: 0, failed: 0 };
  if (!templateId('activityReminder')) return run;
  const due = (await Promise.all(bucketsToScan(now, REMINDER_LOOKBACK_MINUTES).map((bucket) => store.activityRemindersIn(bucket))))
    .flat()
    .filter((r) => !r.sentAt && new Date(r.dueAt).getTime() <= now.getTime());
  await sendInTurn(due, async (reminder) => {
    run.due++;
    if (!(await store.claimActivityReminder(reminder, now))) return;
    const { activity, signup } = await store.getActivityAndSignup(reminder.activityId, reminder.userId);
    const user = activity && signup ? await getUser(reminder.userId) : undefined;
    if (
      !activity || !signup || !user ||
      activity.status !== 'scheduled' || activity.startsAt !== reminder.startsAt || activity.startMs <= now.getTime() ||
      signup.status !== 'signed_up'
    ) {
      await store.finishActivityReminder(reminder, 'skipped', now);
      run.skipped++;
      return;
    }
    return deliver(run, {
      userId: reminder.userId,
      template: 'activityReminder',
      page: `volunteers/activity/index?id=${activity.id}`,
      data: {
        thing1: clip(activity.title, 20),
        time2: wechatTime(new Date(activity.startsAt), activity.timezone),
        thing3: clip(activity.place, 20),
        thing4: '活动两小时后开始，请准时到场',
      },
    }, (outcome) => store.finishActivityReminder(reminder, outcome, now));
  });
  return run;
}

