/**
 * 志愿陪同 (volunteer escort): who sees an escort and how much of it, the resident's thanks, and
 * the scheduled check that tells staff about escorts nobody took. The ask is part of booking
 * (services/appointments.ts), taking one is the activities' sign-up (services/volunteers.ts),
 * hours are the activities' verification.
 *
 * Who sees what:
 * - the elder (or their family proxy, X-On-Behalf-Of): the escort, the booking, who is coming (masked: 张*志愿者), the thanks;
 * - the volunteer who took it: the elder's contact (name, phone if known, household) — only after taking it;
 * - staff of the community: everything, with the volunteer's full name and the 无人认领 flag;
 * - other approved volunteers of the community: the escort without anyone's contact;
 * - anyone else: nothing (404; the lists 403).
 */
import { AppError } from '@contract/errors';
import type { Page } from '@contract/common';
import type * as z from '@contract/schema';
import type { Escort, EscortAsk, EscortsQuery, EscortState, EscortStats, ThanksInput } from '@contract/escorts';
import { escortFigures, escortWindow, matchedFirst, unclaimedCheckDue } from '../domain/escort';
import { clip, wechatTime } from '../domain/message-text';
import { maskName } from '../domain/privacy';
import { REMINDER_LOOKBACK_MINUTES, bucketsToScan } from '../domain/reminders';
import { instantOf, isoWithOffset, localDate, monthRange } from '../domain/time';
import { templateId } from '../lib/notifier';
import type { AuthUser } from '../lib/tokens';
import { getAppointment, getMemberships, getService, type AppointmentRecord, type ServiceRecord } from '../store/appointments';
import { newId } from '../lib/ids';
import * as store from '../store/escorts';
import { actingGuard } from '../store/family';
import { displayNames, getCommunity, listStaff } from '../store/identity';
import { outboxPut, type TransactPut } from '../store/outbox';
import { isConditionFailed } from '../store/transaction';
import { getActivity, getVolunteer, getVolunteers, type VolunteerRecord } from '../store/volunteers';
import { actingFor, isStaff, proxyRefusal } from './access';
import { kickDelivery } from './notifications';

/** The most open escorts a volunteer's list reads (then orders, matched first). */
const OPEN_ESCORTS_READ = 100;

type Viewer = 'elder' | 'volunteer' | 'staff' | 'onlooker';

const stateOf = (a: store.EscortActivity): EscortState => (a.status === 'cancelled' ? 'cancelled' : a.matchedUserId ? 'matched' : 'open');
const zoned = (utc: string, tz: string): string => isoWithOffset(new Date(utc), tz);
const nameOf = (v: VolunteerRecord | undefined): string | undefined => v?.realName ?? v?.nickname;

interface People {
  /** The elder's name, phone and household (staff and the matched volunteer). */
  contact?: Escort['elder'];
  volunteer?: VolunteerRecord;
}

function toEscort(a: store.EscortActivity, viewer: Viewer, people: People, callerId?: string): Escort {
  const sees = (who: Viewer[]) => who.includes(viewer);
  // Someone who gave no name is 志愿者, never an id.
  const volunteerName = a.matchedUserId && (viewer === 'staff' ? (nameOf(people.volunteer) ?? '志愿者') : viewer === 'elder' ? `${maskName(nameOf(people.volunteer)) ?? ''}志愿者` : undefined);
  return {
    id: a.id,
    communityId: a.communityId,
    serviceName: a.escort.serviceName,
    need: a.escort.need,
    note: a.escort.note,
    place: a.place,
    startsAt: zoned(a.startsAt, a.timezone),
    endsAt: zoned(a.endsAt, a.timezone),
    appointmentStart: zoned(a.escort.appointmentStart, a.timezone),
    hours: a.hours,
    state: stateOf(a),
    unclaimed: Boolean(a.unclaimedAt) && stateOf(a) === 'open',
    ...(a.escort.outcome ? { outcome: a.escort.outcome } : {}),
    ...(callerId && a.matchedUserId === callerId ? { mine: true } : {}),
    ...(sees(['elder', 'staff']) ? { appointmentId: a.escort.appointmentId } : {}),
    ...(volunteerName ? { volunteerName } : {}),
    ...(sees(['volunteer', 'staff']) && people.contact ? { elder: people.contact } : {}),
    ...(sees(['elder', 'volunteer', 'staff']) && a.thanks ? { thanks: { score: a.thanks.score, text: a.thanks.text, at: zoned(a.thanks.at, a.timezone) } } : {}),
  };
}

/** The elders' contacts: the name they gave (real name, else nickname; never an id), phone if known, household. */
async function contacts(cid: string, elderIds: string[]): Promise<Map<string, NonNullable<Escort['elder']>>> {
  const [names, members] = await Promise.all([displayNames(cid, elderIds), getMemberships(cid, elderIds)]);
  return new Map(elderIds.map((uid) => {
    const m = members.get(uid);
    return [uid, { name: names.get(uid) ?? '居民', ...(m?.phone ? { phone: m.phone } : {}), ...(m?.household ? { household: m.household } : {}) }];
  }));
}

async function escortOr404(id: string): Promise<store.EscortActivity> {
  const activity = await getActivity(id);
  if (!activity?.escort) throw new AppError('NOT_FOUND', '陪同不存在');
  return activity as store.EscortActivity;
}

/** Who the caller is to this escort; anyone with no part in it is told nothing (404). */
async function viewerOf(actor: AuthUser, a: store.EscortActivity): Promise<{ viewer: Viewer; link?: Awaited<ReturnType<typeof actingFor>>['link'] }> {
  const acting = await actingFor(actor);
  if (acting.userId === a.escort.elderId) return { viewer: 'elder', link: acting.link };
  if (acting.link) throw new AppError('NOT_FOUND', '陪同不存在');
  if (a.matchedUserId === actor.id) return { viewer: 'volunteer' };
  if (await isStaff(actor, a.communityId)) return { viewer: 'staff' };
  if ((await getVolunteer(a.communityId, actor.id))?.status === 'approved') return { viewer: 'onlooker' };
  throw new AppError('NOT_FOUND', '陪同不存在');
}

async function peopleFor(a: store.EscortActivity, viewer: Viewer): Promise<People> {
  const [contact, volunteer] = await Promise.all([
    viewer === 'staff' || viewer === 'volunteer' ? contacts(a.communityId, [a.escort.elderId]).then((m) => m.get(a.escort.elderId)) : undefined,
    a.matchedUserId && (viewer === 'staff' || viewer === 'elder') ? getVolunteer(a.communityId, a.matchedUserId) : undefined,
  ]);
  return { contact, volunteer };
}

export async function getEscort(actor: AuthUser, id: string): Promise<Escort> {
  const a = await escortOr404(id);
  const { viewer } = await viewerOf(actor, a);
  return toEscort(a, viewer, await peopleFor(a, viewer), actor.id);
}

/**
 * Staff: the community's escorts from `from` (default today), a page at a time, with contacts,
 * volunteers and the 无人认领 flag. An approved volunteer: the open escorts not yet begun (at most
 * 100), those whose need is among the volunteer's skills first, without anyone's contact.
 */
export async function listEscorts(actor: AuthUser, cid: string, query: z.output<typeof EscortsQuery>, now: Date): Promise<Page<Escort>> {
  const community = await getCommunity(cid);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  if (await isStaff(actor, cid)) {
    const from = instantOf(query.from ?? localDate(now, community.timezone), '00:00', community.timezone).toISOString();
    const page = await store.listEscorts(cid, from, query);
    const [elders, volunteers] = await Promise.all([
      contacts(cid, page.items.map((a) => a.escort.elderId)),
      getVolunteers(cid, page.items.flatMap((a) => (a.matchedUserId ? [a.matchedUserId] : []))),
    ]);
    return {
      items: page.items.map((a) => toEscort(a, 'staff', { contact: elders.get(a.escort.elderId), volunteer: a.matchedUserId ? volunteers.get(a.matchedUserId) : undefined }, actor.id)),
      next: page.next,
    };
  }
  const volunteer = await getVolunteer(cid, actor.id);
  if (volunteer?.status !== 'approved') throw new AppError('FORBIDDEN', '仅限本社区已通过审核的志愿者查看待认领的陪同');
  const page = await store.listEscorts(cid, now.toISOString(), { limit: OPEN_ESCORTS_READ, openOnly: true });
  const theirs = (a: store.EscortActivity) => a.escort.elderId === actor.id || a.escort.proxyId === actor.id;
  const open = page.items.filter((a) => !theirs(a)).map((a) => toEscort(a, 'onlooker', {}, actor.id));
  return { items: matchedFirst(open, volunteer.skills).slice(0, query.limit) };
}

/** The committee's escort figures for a community-local month (the stats page; staff checked by the caller). */
export async function escortStats(cid: string, month: string, timezone: string): Promise<EscortStats> {
  return { month, ...escortFigures(await store.escortsStartingIn(cid, monthRange(month, timezone))) };
}

/**
 * The elder (or the proxy) thanks the volunteer once the appointment is completed: once, a
 * score counted toward the volunteer's record (seen by the volunteer and staff), never public.
 */
export async function thank(actor: AuthUser, id: string, input: z.output<typeof ThanksInput>, now: Date): Promise<Escort> {
  const a = await escortOr404(id);
  const { viewer, link } = await viewerOf(actor, a);
  if (viewer !== 'elder') throw new AppError('FORBIDDEN', '只有申请陪同的居民（或其代办家人）可以感谢志愿者');
  if (a.thanks) throw new AppError('ALREADY_THANKED');
  const matched = a.matchedUserId;
  if (!matched || a.status === 'cancelled') throw new AppError('STATE_CONFLICT', '这次陪同没有志愿者认领');
  if ((await getAppointment(a.escort.appointmentId))?.status !== 'completed') throw new AppError('STATE_CONFLICT', '预约办结后才能感谢志愿者');
  const at = now.toISOString();
  const thanks = { score: input.score, ...(input.text ? { text: input.text } : {}), at, by: actor.id };
  const guard = link && actingGuard(link, 'escort.thank', a.id, at);
  try {
    await store.thank({ ...a, matchedUserId: matched }, thanks, guard?.items);
  } catch (error) {
    if (!isConditionFailed<store.ThanksPart>(error)) throw error;
    if (guard && error.has('proxy')) throw proxyRefusal();
    throw error.has('thanks') ? new AppError('ALREADY_THANKED') : new AppError('STATE_CONFLICT', '这位志愿者已不在本社区的志愿者名册中');
  }
  const thanked = { ...a, thanks };
  return toEscort(thanked, 'elder', await peopleFor(thanked, 'elder'), actor.id);
}

/**
 * 志愿陪同 asked with a booking: a one-place volunteer activity from half an hour before the slot
 * to half an hour after it (domain/escort.ts), for volunteers of the service's community, and
 * the check at 18:00 the evening before that someone took it. Written in the booking's transaction.
 */
export function escortAsked(
  service: Pick<ServiceRecord, 'name' | 'location'>,
  a: AppointmentRecord,
  ask: EscortAsk,
  proxyId: string | undefined,
  now: Date,
): { activity: store.EscortActivity; checkDueAt: Date } {
  const slot = { start: new Date(a.start), end: new Date(a.end) };
  const window = escortWindow(slot.start, slot.end);
  const activity: store.EscortActivity = {
    id: newId(now),
    communityId: a.communityId,
    timezone: a.timezone,
    title: `陪同办事：${service.name}`.slice(0, 60),
    place: service.location ?? '社区服务中心',
    startsAt: window.startsAt.toISOString(),
    endsAt: window.endsAt.toISOString(),
    startMs: window.startsAt.getTime(),
    endMs: window.endsAt.getTime(),
    capacity: 1,
    hours: window.hours,
    skills: [ask.need],
    signedUp: 0,
    status: 'scheduled',
    createdAt: now.toISOString(),
    createdBy: a.userId,
    escort: {
      appointmentId: a.id,
      serviceId: a.serviceId,
      serviceName: a.serviceName,
      appointmentStart: a.start,
      appointmentEnd: a.end,
      elderId: a.userId,
      ...(proxyId ? { proxyId } : {}),
      need: ask.need,
      ...(ask.note ? { note: ask.note } : {}),
    },
  };
  return { activity, checkDueAt: unclaimedCheckDue(slot.start, now, a.timezone) };
}

/**
 * 志愿陪同 asked later, for a booking already made: its owner (or the family proxy), while it is
 * booked and the escort could still start; once per booking.
 */
export async function askForBooking(actor: AuthUser, appointmentId: string, ask: EscortAsk, now: Date): Promise<Escort> {
  const [a, acting] = await Promise.all([getAppointment(appointmentId), actingFor(actor)]);
  if (!a) throw new AppError('NOT_FOUND', '预约不存在');
  if (a.userId !== acting.userId) {
    if (!acting.link && (await isStaff(actor, a.communityId))) throw new AppError('FORBIDDEN', '志愿陪同须由预约的居民本人或其代办家人申请');
    throw new AppError('NOT_FOUND', '预约不存在');
  }
  if (a.escortId) throw new AppError('STATE_CONFLICT', '这个预约已申请过志愿陪同');
  if (a.status !== 'booked') throw new AppError('STATE_CONFLICT', '只有待办理的预约可以申请志愿陪同');
  const service = await getService(a.serviceId);
  const { activity, checkDueAt } = escortAsked({ name: a.serviceName, location: service?.location }, a, ask, acting.link?.proxyId, now);
  if (activity.startMs <= now.getTime()) throw new AppError('STATE_CONFLICT', '距预约开始已不足半小时，来不及安排志愿者陪同');
  const at = now.toISOString();
  const guard = acting.link && actingGuard(acting.link, 'escort.ask', a.id, at);
  try {
    await store.askForBooking(a, activity, checkDueAt, guard?.items);
  } catch (error) {
    if (!isConditionFailed<store.EscortAskPart>(error)) throw error;
    if (guard && error.has('proxy')) throw proxyRefusal();
    if (error.has('membership') && !error.has('appointment')) throw new AppError('FORBIDDEN', '请先通过本社区的门牌核实');
    throw new AppError('STATE_CONFLICT', '这个预约已申请过志愿陪同，或已不是待办理的预约');
  }
  return toEscort(activity, 'elder', {}, actor.id);
}

// ——— the 18:00 check (scheduled) ——————————————————————————————————————

export interface UnclaimedRun {
  due: number;
  flagged: number;
  skipped: number;
}

/** One subscription message to each staff member of the community (sent only to those who accepted the template). */
async function staffMessages(a: store.EscortActivity, now: Date): Promise<TransactPut[]> {
  if (!templateId('escortUnclaimed')) return [];
  // A transaction holds 100 items: the flag and 99 staff (a community has a handful).
  const staff = (await listStaff(a.communityId)).slice(0, 99);
  const data = {
    thing1: clip(a.escort.serviceName, 20),
    time2: wechatTime(new Date(a.escort.appointmentStart), a.timezone),
    thing3: clip(`${a.escort.need}陪同无人认领`, 20),
    thing4: '请协调志愿者或联系居民',
  };
  return staff.map((s) =>
    outboxPut(`escort-unclaimed-${a.id}-${s.userId}`, { kind: 'wechat', userId: s.userId, template: 'escortUnclaimed', page: `escorts/detail/index?id=${a.id}`, data }, now),
  );
}

/**
 * Flags the escorts nobody took by 18:00 (community time) the evening before (无人认领) and
 * tells the community's staff, at most once per escort: each check is claimed before it is
 * looked at, and the flag is a conditional write in the transaction that writes the messages.
 * Reads the last 6 hours of check buckets (never a Scan), like the reminder schedules.
 */
export async function flagUnclaimedEscorts(now: Date): Promise<UnclaimedRun> {
  const run: UnclaimedRun = { due: 0, flagged: 0, skipped: 0 };
  const due = (await Promise.all(bucketsToScan(now, REMINDER_LOOKBACK_MINUTES).map((bucket) => store.escortChecksIn(bucket))))
    .flat()
    .filter((c) => !c.sentAt && new Date(c.dueAt).getTime() <= now.getTime());
  let kick = false;
  for (const check of due) {
    run.due++;
    if (!(await store.claimEscortCheck(check, now))) continue;
    const activity = await getActivity(check.activityId);
    const open = activity?.escort && activity.status === 'scheduled' && activity.signedUp === 0 && !activity.unclaimedAt && activity.startMs > now.getTime();
    const messages = open ? await staffMessages(activity as store.EscortActivity, now) : [];
    const outcome = open ? await store.flagUnclaimed(check.activityId, now.toISOString(), messages) : 'not-due';
    await store.finishEscortCheck(check, outcome === 'flagged' ? 'sent' : 'skipped', now);
    if (outcome === 'flagged') {
      run.flagged++;
      kick ||= messages.length > 0;
    } else run.skipped++;
  }
  if (kick) await kickDelivery();
  return run;
}
