/**
 * Appointments (预约办理): services with their materials (一次告知) and weekly plans, bookable
 * dates and slots, booking, cancelling, check-in into the hall queue, no-shows, completion,
 * 满意度 ratings, the indicators, and the reminders' scheduled sender.
 */
import { AppError } from '@contract/errors';
import type { Page } from '@contract/common';
import type { EscortOutcome } from '@contract/escorts';
import type * as z from '@contract/schema';
import type {
  Appointment,
  AppointmentStats,
  BookableDate,
  BookInput,
  MyAppointmentsQuery,
  Rating,
  Service,
  ServiceInput,
  ServicePatch,
  Slot,
} from '@contract/appointments';
import type { Ticket } from '@contract/queue';
import { REMINDER_LOOKBACK_MINUTES, bucketsToScan, plannedReminders, type ReminderRun } from '../domain/reminders';
import {
  bookingWindow,
  checkBookable,
  checkInWindow,
  CHECK_IN_OPENS_MINUTES,
  dayPlan,
  graceMinutesOf,
  isReleased,
  lateNotice,
  slotsOf,
} from '../domain/slots';
import { clip, wechatTime } from '../domain/message-text';
import { DEFAULT_TIMEZONE, addDays, instantOf, isoWithOffset, localDate } from '../domain/time';
import { config } from '../lib/config';
import { newId, shortCode } from '../lib/ids';
import type { AuthUser } from '../lib/tokens';
import { templateId } from '../lib/notifier';
import { deliver, sendInTurn } from '../lib/send-pool';
import * as store from '../store/appointments';
import { escortAskItems, escortCancelItems, escortOutcomeItem } from '../store/escorts';
import { getActivity } from '../store/volunteers';
import { actingGuard, listProxies, type ActingGuard, type FamilyLinkRecord } from '../store/family';
import { getCommunity } from '../store/identity';
import { outboxPut, putOutbox } from '../store/outbox';
import { isConditionFailed } from '../store/transaction';
import { actingFor, isStaff, proxyRefusal, requireStaff } from './access';
import { escortAsked } from './escorts';
import { kickDelivery } from './notifications';
import { issueTicket } from './queue';
import { signedUpMessage } from './volunteers';

/** The WeChat template of appointment reminders (lib/notifier.ts); unset = no reminders. */
const reminderTemplateId = (): string | undefined => templateId('appointmentReminder');

// ── views ───────────────────────────────────────────────────────────────────

function toService(s: store.ServiceRecord): Service {
  return {
    id: s.id,
    communityId: s.communityId,
    name: s.name,
    category: s.category,
    durationMin: s.durationMin,
    materials: s.materials,
    schedule: s.schedule,
    description: s.description,
    kind: s.kind,
    graceMinutes: graceMinutesOf(s, config().appointmentGraceMinutes),
    location: s.location,
    active: s.active,
    timezone: s.timezone,
    reminderTemplateId: reminderTemplateId(),
  };
}

function toAppointment(a: store.AppointmentRecord, now: Date): Appointment {
  const start = new Date(a.start);
  return {
    id: a.id,
    code: a.code,
    serviceId: a.serviceId,
    serviceName: a.serviceName,
    category: a.category,
    communityId: a.communityId,
    userId: a.userId,
    start: isoWithOffset(start, a.timezone),
    end: isoWithOffset(new Date(a.end), a.timezone),
    status: a.status,
    rating: a.rating,
    ratingComment: a.ratingComment,
    ticketId: a.ticketId,
    bookedAt: isoWithOffset(new Date(a.bookedAt), a.timezone),
    cancellable: a.status === 'booked' && now.getTime() < start.getTime(),
    released: a.status === 'booked' && isReleased(start, a.graceMinutes, now),
    escortId: a.escortId,
  };
}

// ── services (服务事项) ─────────────────────────────────────────────────────

async function serviceOr404(sid: string): Promise<store.ServiceRecord> {
  const service = await store.getService(sid);
  if (!service) throw new AppError('NOT_FOUND', '服务事项不存在');
  return service;
}

export async function createService(actor: AuthUser, cid: string, input: z.output<typeof ServiceInput>, now: Date): Promise<Service> {
  const [community] = await Promise.all([getCommunity(cid), requireStaff(actor, cid)]);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  const at = now.toISOString();
  const record: store.ServiceRecord = {
    id: newId(now),
    communityId: cid,
    ...input,
    timezone: community.timezone ?? DEFAULT_TIMEZONE,
    createdAt: at,
    updatedAt: at,
  };
  await store.putService(record, { actorId: actor.id, at });
  return toService(record);
}

/** A change applies to slots from now on; bookings already made stand as they are. */
export async function updateService(actor: AuthUser, sid: string, patch: z.output<typeof ServicePatch>, now: Date): Promise<Service> {
  const current = await serviceOr404(sid);
  await requireStaff(actor, current.communityId);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const next: store.ServiceRecord = { ...current, ...defined, updatedAt: now.toISOString() };
  if (next.updatedAt === current.updatedAt) next.updatedAt = new Date(now.getTime() + 1).toISOString();
  try {
    await store.replaceService(next, current.updatedAt, { actorId: actor.id, at: next.updatedAt, fields: Object.keys(defined) });
  } catch (error) {
    if (isConditionFailed<store.ServiceChangePart>(error) && error.has('service')) throw new AppError('STATE_CONFLICT', '该服务事项刚被他人修改，请刷新后重试');
    throw error;
  }
  return toService(next);
}

export async function getService(sid: string): Promise<Service> {
  return toService(await serviceOr404(sid));
}

export async function listServices(cid: string, query: { limit: number; cursor?: string }): Promise<Page<Service>> {
  const page = await store.listServices(cid, query);
  return { items: page.items.map(toService), next: page.next };
}

// ── dates and slots ─────────────────────────────────────────────────────────

const freePlaces = (capacity: number, booked: number): number => Math.max(0, capacity - booked);

/** The booking window, day by day: open or not and why (holiday, 调休, closure), places left. */
export async function bookableDates(sid: string, now: Date): Promise<{ items: BookableDate[] }> {
  const service = await serviceOr404(sid);
  const tz = service.timezone;
  const dates = bookingWindow(service.schedule, now, tz);
  const first = dates[0] as string;
  const last = dates[dates.length - 1] as string;
  const counts = await store.slotCounts(sid, instantOf(first, '00:00', tz), instantOf(addDays(last, 1), '00:00', tz));
  const items = dates.map((date): BookableDate => {
    const plan = dayPlan(service.schedule, date);
    const available = service.active
      ? slotsOf(service.schedule, date, tz)
          .filter((s) => s.start.getTime() > now.getTime())
          .reduce((sum, s) => sum + freePlaces(service.schedule.capacityPerSlot, counts.get(s.start.toISOString())?.booked ?? 0), 0)
      : 0;
    return { date, weekday: plan.weekday, open: plan.open, reason: plan.reason, holiday: plan.holiday, available };
  });
  return { items };
}

export async function slots(sid: string, date: string, now: Date): Promise<{ items: Slot[] }> {
  const service = await serviceOr404(sid);
  const tz = service.timezone;
  const times = slotsOf(service.schedule, date, tz);
  if (times.length === 0) return { items: [] };
  const counts = await store.slotCounts(sid, times[0]!.start, times[times.length - 1]!.start);
  const grace = graceMinutesOf(service, config().appointmentGraceMinutes);
  const lastDate = addDays(localDate(now, tz), service.schedule.bookAheadDays);
  const capacity = service.schedule.capacityPerSlot;
  return {
    items: times.map(({ start, end }) => {
      const count = counts.get(start.toISOString()) ?? { booked: 0, checkedIn: 0 };
      const bookable = service.active && start.getTime() > now.getTime() && date <= lastDate;
      return {
        start: isoWithOffset(start, tz),
        end: isoWithOffset(end, tz),
        capacity,
        booked: count.booked,
        available: bookable ? freePlaces(capacity, count.booked) : 0,
        ...(isReleased(start, grace, now) ? { released: Math.max(0, count.booked - count.checkedIn) } : {}),
      };
    }),
  };
}

// ── booking ─────────────────────────────────────────────────────────────────

/** A resident holds at most this many bookings not yet checked in, done or cancelled, across every service: a family's errands, never a hoard of slots. */
export const BOOKINGS_HELD = 5;

/** What a booking's failed part means to the resident (the proxy's refusal first). */
function bookingRefusal(error: unknown, guard: ActingGuard | undefined): unknown {
  if (!isConditionFailed<store.BookingPart>(error)) return error;
  if (guard && error.has('proxy')) return proxyRefusal();
  if (error.has('membership')) {
    // The membership as it was: one with a household asked to join and waits for its check.
    return error.item<{ household?: string }>('membership')?.household
      ? new AppError('FORBIDDEN', '您的门牌尚待社区工作人员核实，核实后即可预约')
      : new AppError('FORBIDDEN', '请先申请加入本社区并通过门牌核实');
  }
  if (error.has('bookingDay')) return new AppError('ALREADY_BOOKED');
  if (error.has('heldQuota')) {
    return new AppError('BOOKING_LIMIT', `每人最多同时持有 ${BOOKINGS_HELD} 个待办理的预约，请先办理或取消已有的预约后再预约`, { details: { maxHeld: BOOKINGS_HELD } });
  }
  if (error.has('slot')) return new AppError('SLOT_FULL');
  return error;
}

/**
 * Books a slot. One read (the service: its plan decides what a slot is) and one transaction
 * that holds every invariant: capacity, one booking per resident per service per day, and the
 * verified membership (a ConditionCheck, so no separate read). The answer is computed first and
 * recorded with the booking under the request's Idempotency-Key, if any.
 */
export async function book(actor: AuthUser, sid: string, input: z.output<typeof BookInput>, now: Date): Promise<Appointment> {
  // A proxy books for the elder: the elder's quotas and the elder's booking.
  const [service, acting] = await Promise.all([serviceOr404(sid), actingFor(actor)]);
  if (!service.active) throw new AppError('VALIDATION', '该服务事项已停止预约', { details: [{ path: 'body.start', message: '该服务事项已停止预约' }] });
  const start = new Date(input.start);
  const check = checkBookable(service.schedule, start, now, service.timezone);
  if (!check.ok) throw new AppError('VALIDATION', check.message, { details: [{ path: 'body.start', message: check.message, reason: check.reason }] });
  const record: store.AppointmentRecord = {
    id: newId(now),
    code: shortCode(6),
    communityId: service.communityId,
    serviceId: service.id,
    serviceName: service.name,
    category: service.category,
    userId: acting.userId,
    date: check.date,
    start: check.slot.start.toISOString(),
    end: check.slot.end.toISOString(),
    timezone: service.timezone,
    graceMinutes: graceMinutesOf(service, config().appointmentGraceMinutes),
    status: 'booked',
    bookedAt: now.toISOString(),
    remind: input.remind ?? false,
  };
  const reminders = input.remind && reminderTemplateId() ? plannedReminders(check.slot.start, now, service.timezone) : [];
  const guard = acting.link && actingGuard(acting.link, 'appointment.book', record.id, record.bookedAt);
  const escort = input.escort && escortAsked(service, record, input.escort, acting.link?.proxyId, now);
  if (escort) record.escortId = escort.activity.id;
  const answer = toAppointment(record, now);
  try {
    await store.book(record, service.schedule.capacityPerSlot, reminders, BOOKINGS_HELD, {
      escort: escort ? escortAskItems(escort.activity, escort.checkDueAt) : undefined,
      proxy: guard?.items,
      answers: answer,
    });
  } catch (error) {
    throw bookingRefusal(error, guard);
  }
  return answer;
}

// ── one appointment ─────────────────────────────────────────────────────────

type Role = 'owner' | 'staff';

/** The appointment and the actor's standing; another resident's booking is not revealed (404). */
async function load(actor: AuthUser, id: string): Promise<{ a: store.AppointmentRecord; role: Role; link?: FamilyLinkRecord }> {
  const [a, acting] = await Promise.all([store.getAppointment(id), actingFor(actor)]);
  if (!a) throw new AppError('NOT_FOUND', '预约不存在');
  if (a.userId === acting.userId) return { a, role: 'owner', link: acting.link };
  if (!acting.link && (await isStaff(actor, a.communityId))) return { a, role: 'staff' };
  throw new AppError('NOT_FOUND', '预约不存在');
}

/** Staff acts: the owner who is not staff may know the booking, but may not do this (403). */
async function loadForStaff(actor: AuthUser, id: string): Promise<store.AppointmentRecord> {
  const { a, role } = await load(actor, id);
  if (role === 'staff' || (await isStaff(actor, a.communityId))) return a;
  throw new AppError('FORBIDDEN', '仅限本社区工作人员操作');
}

export async function getAppointment(actor: AuthUser, id: string, now: Date): Promise<Appointment> {
  return toAppointment((await load(actor, id)).a, now);
}

/** Why a transition found the booking in another status than it was read in, for a person. */
function statusConflict(current: store.AppointmentRecord | undefined, fallback: string): AppError {
  switch (current?.status) {
    case 'cancelled':
      return new AppError('ALREADY_CANCELLED');
    case 'checked_in':
      return new AppError('ALREADY_CHECKED_IN');
    case 'completed':
      return new AppError('STATE_CONFLICT', '该预约已办结');
    case 'no_show':
      return new AppError('STATE_CONFLICT', '该预约已标记为爽约');
    default:
      return new AppError('STATE_CONFLICT', fallback);
  }
}

/**
 * Runs a transition of the booking: a failed `proxy` is the proxy's refusal, a failed
 * `appointment` (another request moved it first) is read back once and named.
 */
async function transition(a: store.AppointmentRecord, fallback: string, write: () => Promise<void>, guard?: ActingGuard): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isConditionFailed<store.TransitionPart>(error)) throw error;
    if (guard && error.has('proxy')) throw proxyRefusal();
    if (error.has('appointment')) throw statusConflict(await store.getAppointment(a.id), fallback);
    throw error;
  }
}

/** The escort cancelled with its booking, and the volunteer who took it told (the activity's fan-out to its signups). */
async function escortCancelled(activityId: string, now: Date): Promise<ReturnType<typeof escortCancelItems>> {
  const activity = await getActivity(activityId);
  if (!activity || activity.status === 'cancelled') return [];
  return escortCancelItems(activityId, now.toISOString(), signedUpMessage(`cancelled-${activityId}`, activity, '预约已取消，无需陪同', now));
}

/** The escort told how its appointment ended, in the act that ends it (the volunteer's page says so). */
const escortEnded = (a: store.AppointmentRecord, outcome: EscortOutcome, at: string) => (a.escortId ? escortOutcomeItem(a.escortId, outcome, at) : undefined);

export async function cancel(actor: AuthUser, id: string, now: Date): Promise<Appointment> {
  const { a, role, link } = await load(actor, id);
  if (role === 'owner' && a.status === 'booked' && now.getTime() >= new Date(a.start).getTime() && !(await isStaff(actor, a.communityId))) {
    throw new AppError('STATE_CONFLICT', '预约时段已开始，无法取消；如未能前来，工作人员会按爽约处理');
  }
  const at = now.toISOString();
  const escort = a.escortId && a.status === 'booked' ? await escortCancelled(a.escortId, now) : [];
  const guard = link && actingGuard(link, 'appointment.cancel', a.id, at);
  const answer = toAppointment({ ...a, status: 'cancelled', cancelledAt: at }, now);
  await transition(a, '只有待办理的预约可以取消', () => store.cancel(a, actor.id, at, { escort, proxy: guard?.items, answers: answer }), guard);
  if (escort.length > 1) await kickDelivery();
  return answer;
}

/**
 * Arrival at the hall: the booking becomes a queue ticket in its service's category. Until the
 * grace period after the start it is a priority ticket; after it the place has been released to
 * walk-ins, so the ticket is a normal one with `late: true` and a plain explanation.
 */
export async function checkIn(actor: AuthUser, id: string, now: Date): Promise<Ticket> {
  const { a, link } = await load(actor, id);
  const slot = { start: new Date(a.start), end: new Date(a.end) };
  const window = checkInWindow(slot, now);
  if (a.status === 'booked' && window !== 'open') {
    const local = (d: Date) => isoWithOffset(d, a.timezone).slice(11, 16);
    const opens = new Date(slot.start.getTime() - CHECK_IN_OPENS_MINUTES * 60_000);
    throw new AppError(
      'NOT_CHECKABLE',
      window === 'early'
        ? `签到时间为 ${local(opens)} 至 ${local(slot.end)}，请稍后再来`
        : '该预约时段已结束，无法签到；如需办理请到大厅取号',
    );
  }
  const late = isReleased(slot.start, a.graceMinutes, now);
  const guard = link && actingGuard(link, 'appointment.checkIn', a.id, now.toISOString());
  await transition(a, '该预约当前不能签到', () => store.checkIn(a, now.toISOString(), late, guard?.items), guard);
  let ticket: Ticket;
  try {
    ticket = await issueTicket(
      {
        communityId: a.communityId,
        category: a.category,
        userId: a.userId,
        priority: !late,
        appointmentId: a.id,
        late,
        ...(late ? { notice: lateNotice(a.graceMinutes) } : {}),
      },
      now,
    );
  } catch (error) {
    // No ticket: the check-in is undone so the resident (or staff) can simply try again.
    await store.undoCheckIn(a);
    throw error;
  }
  // The check-in and its ticket have committed: the resident is answered with the ticket even
  // if noting its id on the booking fails (the ticket names its appointment).
  await store.attachTicket(a.id, ticket.id).catch((error: unknown) => {
    console.warn(JSON.stringify({ level: 'warn', message: 'ticket not attached to its appointment', appointmentId: a.id, error: (error as Error)?.name }));
  });
  return ticket;
}

export async function markNoShow(actor: AuthUser, id: string, now: Date): Promise<Appointment> {
  const a = await loadForStaff(actor, id);
  if (a.status === 'booked' && !isReleased(new Date(a.start), a.graceMinutes, now)) {
    throw new AppError('STATE_CONFLICT', `预约开始 ${a.graceMinutes} 分钟后仍未签到，才能标记爽约`);
  }
  const at = now.toISOString();
  await transition(a, '只有待办理的预约可以标记爽约', () => store.markNoShow(a, at, escortEnded(a, 'no_show', at)));
  return toAppointment({ ...a, status: 'no_show', noShowAt: at }, now);
}

export async function complete(actor: AuthUser, id: string, now: Date): Promise<Appointment> {
  const a = await loadForStaff(actor, id);
  const fallback = '该预约当前不能办结';
  if (a.status !== 'booked' && a.status !== 'checked_in') throw statusConflict(await store.getAppointment(a.id), fallback);
  const at = now.toISOString();
  await transition(a, fallback, () => store.complete(a, at, escortEnded(a, 'completed', at)));
  return toAppointment({ ...a, status: 'completed', completedAt: at }, now);
}

export async function rate(actor: AuthUser, id: string, input: Rating, now: Date) {
  const { a, role } = await load(actor, id);
  if (role !== 'owner') throw new AppError('FORBIDDEN', '只有预约人本人可以评价');
  const at = now.toISOString();
  try {
    await store.rate(a, input.score, input.comment, at);
  } catch (error) {
    if (!isConditionFailed<store.TransitionPart>(error) || !error.has('appointment')) throw error;
    // Rated already, or not completed: read back once to say which.
    if ((await store.getAppointment(a.id))?.rating !== undefined) throw new AppError('ALREADY_RATED');
    throw new AppError('STATE_CONFLICT', '办结后才能评价');
  }
  return { appointmentId: a.id, score: input.score, comment: input.comment, ratedAt: isoWithOffset(now, a.timezone) };
}

// ── lists ───────────────────────────────────────────────────────────────────

export async function myAppointments(actor: AuthUser, query: z.output<typeof MyAppointmentsQuery>, now: Date): Promise<Page<Appointment>> {
  // "Upcoming" starts with today's bookings, so one made for this morning is still in view.
  const boundary = instantOf(localDate(now, DEFAULT_TIMEZONE), '00:00', DEFAULT_TIMEZONE);
  const { userId } = await actingFor(actor);
  const page = await store.listUserAppointments(userId, { ...query, boundary });
  return { items: page.items.map((a) => toAppointment(a, now)), next: page.next };
}

/** A day's bookings of a service for its staff, with the members' real names (verification needs them). */
export async function dayAppointments(
  actor: AuthUser,
  sid: string,
  query: { date: string; limit: number; cursor?: string },
  now: Date,
): Promise<Page<Appointment>> {
  const service = await serviceOr404(sid);
  await requireStaff(actor, service.communityId);
  const page = await store.listServiceDay(sid, query.date, query);
  const members = await store.getMemberships(service.communityId, page.items.map((a) => a.userId));
  return {
    items: page.items.map((a) => {
      const m = members.get(a.userId);
      return { ...toAppointment(a, now), name: m?.realName, phone: m?.phone, household: m?.household };
    }),
    next: page.next,
  };
}

// ── indicators ──────────────────────────────────────────────────────────────

/** The appointments section of the stats: bookings per day, no-show rate, mean satisfaction. */
export async function appointmentStats(cid: string, now: Date, timeZone: string = DEFAULT_TIMEZONE): Promise<AppointmentStats> {
  const today = localDate(now, timeZone);
  const from = addDays(today, -13);
  const to = addDays(today, 7);
  const rows = await store.dayCounters(cid, from, to);
  const perDay = new Map<string, AppointmentStats['perDay'][number]>();
  for (let d = from; d <= to; d = addDays(d, 1)) perDay.set(d, { date: d, booked: 0, cancelled: 0, arrived: 0, noShow: 0, completed: 0 });
  let ratingSum = 0;
  let ratingCount = 0;
  for (const row of rows) {
    const day = perDay.get(row.date);
    if (!day) continue;
    day.booked += row.booked;
    day.cancelled += row.cancelled;
    day.arrived += row.arrived;
    day.noShow += row.noShow;
    day.completed += row.completed;
    ratingSum += row.ratingSum;
    ratingCount += row.ratingCount;
  }
  const days = [...perDay.values()];
  const noShows = days.reduce((s, d) => s + d.noShow, 0);
  const settled = noShows + days.reduce((s, d) => s + d.arrived, 0);
  return {
    from,
    to,
    perDay: days,
    noShowRate: settled ? Math.round((noShows / settled) * 1000) / 1000 : null,
    satisfaction: { mean: ratingCount ? Math.round((ratingSum / ratingCount) * 100) / 100 : null, count: ratingCount },
  };
}

// ── reminders (scheduled) ───────────────────────────────────────────────────

/**
 * Sends the reminders due by `now` (the day before at 18:00, and an hour before). Each is
 * claimed with a conditional write before it is sent, so a schedule that fires twice, or two
 * overlapping runs, send it once; they go out 16 at a time within the run's budget
 * (lib/send-pool.ts), and when WeChat is down the run stops at the first failure and the rest
 * wait for the next one. Template data keys: thing1 服务事项, time2 预约时间,
 * character_string3 预约号, thing4 温馨提示.
 */
/**
 * 亲情代办: the elder's family members get the same reminder, each through the outbox under an id
 * of its own (a run after a lost claim queues nothing twice), opening the family page; each is sent
 * only where that family member accepted the reminder (asked when booking for the elder).
 */
async function remindFamily(a: store.AppointmentRecord, reminder: store.ReminderRecord, data: Record<string, string>, now: Date): Promise<number> {
  const family = (await listProxies(a.userId)).filter((link) => link.status === 'active' && link.communityId === a.communityId);
  const forFamily = { ...data, thing4: reminder.kind === 'day_before' ? '家人的预约明天办理，请提醒带齐材料' : '家人的预约一小时后开始' };
  await putOutbox(
    family.map((link) =>
      outboxPut(`reminder-${a.id}-${reminder.kind}-${link.proxyId}`, { kind: 'wechat', userId: link.proxyId, template: 'appointmentReminder', page: 'family/index/index', data: forFamily }, now),
    ),
  );
  return family.length;
}

export async function sendDueReminders(now: Date): Promise<ReminderRun> {
  const run: ReminderRun = { due: 0, sent: 0, skipped: 0, failed: 0 };
  let familyQueued = 0;
  if (!reminderTemplateId()) return run;
  const due = (await Promise.all(bucketsToScan(now, REMINDER_LOOKBACK_MINUTES).map((bucket) => store.remindersIn(bucket))))
    .flat()
    .filter((r) => !r.sentAt && new Date(r.dueAt).getTime() <= now.getTime());
  await sendInTurn(due, async (reminder) => {
    run.due++;
    if (!(await store.claimReminder(reminder, now))) return;
    const a = await store.getAppointment(reminder.appointmentId);
    // Still useful only before the appointment: a run after an outage never reminds too late.
    if (!a || a.status !== 'booked' || new Date(a.start).getTime() <= now.getTime()) {
      await store.finishReminder(reminder, 'skipped', now);
      run.skipped++;
      return;
    }
    const data = {
      thing1: clip(a.serviceName, 20),
      time2: wechatTime(new Date(a.start), a.timezone),
      character_string3: a.code,
      thing4: reminder.kind === 'day_before' ? '明天请按时前来，别忘带齐材料' : '一小时后开始，请带齐材料前来',
    };
    familyQueued += await remindFamily(a, reminder, data, now);
    return deliver(run, { userId: a.userId, template: 'appointmentReminder', page: `appointments/detail/index?id=${a.id}`, data }, (outcome) =>
      store.finishReminder(reminder, outcome, now),
    );
  });
  if (familyQueued) kickDelivery();
  return run;
}
