/**
 * The service-hall queue (取号叫号). The ordering rule lives in domain/queue-order.ts, the
 * estimate in domain/wait-estimate.ts; this module reads the hall and its day (one BatchGetItem)
 * and only the waiting tickets that matter to the action (a window: the heads of its categories;
 * a ticket page: its category up to it), applies them, and writes through the store, whose
 * conditions hold every invariant.
 */
import { AppError } from '@contract/errors';
import { type Board, type BoardCall, type Hall, type HallLayout, type HallQr, type QueueStats, type Ticket, type TicketStatus, type WindowState } from '@contract/queue';
import type { MiniProgramCode, Rating } from '@contract/common';
import { createHmac } from 'node:crypto';
import { hallScene } from '@contract/hall-scene';
import { hallToken, isHallToken } from '../domain/hall-token';
import { callOrder, passedOver, pickNext, positionOf, reasonText, type PickWhy } from '../domain/queue-order';
import { DEFAULT_TIMEZONE, isoWithOffset, localDate, minutesIntoDay } from '../domain/time';
import { estimateWaitMin, meanServiceMin, serviceTerms, type ServiceSums } from '../domain/wait-estimate';
import { config } from '../lib/config';
import { newId } from '../lib/ids';
import { miniProgramCodeUrl } from '../lib/mini-program-code';
import { secret } from '../lib/secrets';
import type { AuthUser } from '../lib/tokens';
import { templateId } from '../lib/notifier';
import { getCommunity } from '../store/identity';
import { outboxPut, type TransactPut } from '../store/outbox';
import { actingGuard, type FamilyLinkRecord } from '../store/family';
import * as store from '../store/queue';
import { categoryDay, windowDay, type ActiveMarker, type DayRecord, type HallRecord, type Jump, type TicketRecord } from '../store/queue';
import { type ConditionFailed } from '../store/transaction';
import { refusing } from './refusal';
import { actingFor, isStaff, proxyRefusal, requireStaff, staffPart, staffRefusal } from './access';
import { kickDelivery } from './notifications';

/** Marks the spent number of a duplicate take (see issueTicket); never listed as one of the resident's tickets. */
const VOID_NOTICE = '重复取号，已作废';
/** How many calls the board lists. */
const RECENT = 6;
/**
 * Claim attempts before a call gives up (each: the reads and one transaction). Windows share the
 * day's version, so under a rush they lose claims to each other: a full-scale morning rush saw
 * 2 calls in 2,000 lose 12 times in a row with a short backoff; the backoff now grows to half a
 * second, which a clerk does not notice, and the attempts are 20.
 */
const CALL_ATTEMPTS = 20;
const lostClaimPause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(500, 20 * attempt * attempt)));

/**
 * Walk-in tickets one person may take per day (the hall's local day, across halls): enough for
 * every errand of a day and a few retakes after a cancellation, too few to hoard a queue. Held by
 * a conditional ADD in the take's transaction (store.createTicket).
 */
export const TICKETS_PER_DAY = 6;

export interface IssueTicketInput {
  communityId: string;
  category: string;
  userId: string;
  priority: boolean;
  /** A walk-in's take (not an appointment's check-in): the daily limit applies, and it needs a verified membership or the day's hall token. */
  walkIn?: { hallToken?: string };
  appointmentId?: string;
  late?: boolean;
  notice?: string;
  priorityReason?: string;
  /** Taken by a family proxy for the elder (userId): the link is checked in the take's transaction. */
  proxy?: FamilyLinkRecord;
  /** The take is the request's act: its transaction records the Idempotency-Key with the answer (POST /tickets). */
  act?: boolean;
}

// ---------------------------------------------------------------- reading the hall

/** The hall and its day (store.HallDay) with the hall found, and the hall's local date of today. */
type Today = store.HallDay & { hall: HallRecord; date: string };

/**
 * The hall and its day, in one BatchGetItem (a second only when the hall's own time zone puts
 * today on another date than the default zone does).
 */
async function readToday(cid: string, now: Date, also?: store.HallDayAlso): Promise<Today> {
  const guess = localDate(now, DEFAULT_TIMEZONE);
  let read = await store.readHallDay(cid, guess, also);
  if (!read.hall) throw new AppError('NOT_FOUND', '本社区尚未设置服务大厅');
  const date = localDate(now, read.hall.timezone);
  if (date !== guess) read = await store.readHallDay(cid, date, also);
  if (!read.hall) throw new AppError('NOT_FOUND', '本社区尚未设置服务大厅');
  return { ...read, hall: read.hall, date };
}

const openSet = (hall: HallRecord): Set<number> => new Set([...(hall.openWindows ?? [])].filter((no) => hall.windowNos.includes(no)));
const rule = (hall: HallRecord) => ({ priorityRatio: hall.priorityRatio, maxWaitMin: hall.maxWaitMin });
const categoryName = (hall: HallRecord | undefined, code: string) => hall?.categories.find((c) => c.code === code)?.name;

function serviceSums(day: DayRecord | undefined, category: string): ServiceSums | undefined {
  const sums = categoryDay(day, category).service;
  return sums.weight > 0 ? sums : undefined;
}

function formatNumber(category: string, seq: number): string {
  return `${category}${String(seq).padStart(3, '0')}`;
}

/** What store.ticketsAhead read for a ticket. */
type Ahead = Awaited<ReturnType<typeof store.ticketsAhead>>;

/** A waiting ticket's place: 1 = called next in its category. */
interface Place {
  position: number;
  approximate: boolean;
}

/**
 * A waiting ticket's position: exact by the ordering rule over what decides it, or, far back in a
 * long queue, estimated (see estimatedAhead).
 *
 * `aheadAtMost`, for a ticket just taken: the category's numbers below it less the tickets known to
 * have left waiting. Every one of them is ahead of a new normal ticket, including those whose take
 * is still being written and so not yet read; when the read finds fewer, the answer is that bound,
 * marked approximate, and the next poll is exact. Without a read (`ahead` undefined: it failed)
 * the bound is all there is; a priority ticket then has no position.
 */
function placeOf(t: TicketRecord, ahead: Ahead | undefined, today: Today, now: Date, aheadAtMost?: number): Place | undefined {
  if (!ahead) return aheadAtMost === undefined || t.priority ? undefined : { position: aheadAtMost + 1, approximate: true };
  // The index is eventually consistent: a ticket just written may not be in it yet.
  const items = ahead.items.some((w) => w.id === t.id) ? ahead.items : [...ahead.items, t];
  const exact = ahead.complete || t.priority;
  const position = exact ? (positionOf(t.id, items, today.day?.priorityStreak ?? 0, rule(today.hall), now) ?? 1) : estimatedAhead(t, items, today) + 1;
  if (aheadAtMost !== undefined && !t.priority && position - 1 < aheadAtMost) return { position: aheadAtMost + 1, approximate: true };
  return { position, approximate: !ahead.complete };
}

/**
 * Far back, the tickets ahead of a normal ticket: every entry read (the front of the category, in
 * order, so every waiting ticket up to the last one read), and a share of the waiting tickets not
 * read. Those are the category's waiting count (numbers issued less tickets that left) less the
 * ones read; they lie between the last one read and this ticket or behind it, in proportion to
 * the numbers issued there (by issue time for a ticket transferred in, whose number is another
 * category's). Cancellations anywhere in that stretch thus move the estimate as they move the
 * truth, and it never exceeds the number of tickets waiting.
 */
function estimatedAhead(t: TicketRecord, items: TicketRecord[], today: Today): number {
  const read = items.filter((w) => w.id !== t.id);
  const unread = Math.max(0, waitingCounts(today)[t.category]! - 1 - read.length);
  const last = read.at(-1);
  if (!last || unread === 0) return read.length;
  const native = (w: TicketRecord) => !w.transferredFrom && !w.priority;
  const lastNative = read.filter(native).at(-1);
  const [between, behind] =
    native(t) && lastNative
      ? [t.seq - lastNative.seq - 1, (today.issued[t.category] ?? t.seq) - t.seq]
      : [Date.parse(t.issuedAt) - Date.parse(last.issuedAt), Date.parse(today.lastIssuedAt[t.category] ?? t.issuedAt) - Date.parse(t.issuedAt)];
  const share = between + behind > 0 ? Math.max(0, between) / (Math.max(0, between) + Math.max(0, behind)) : 1;
  return read.length + Math.round(unread * share);
}

/** The contract's view of a ticket; a waiting one with its position, estimate and explanation. */
function present(t: TicketRecord, today: Today | undefined, now: Date, ahead: Ahead | undefined = { items: [], complete: true }, aheadAtMost?: number): Ticket {
  const tz = today?.hall.timezone ?? DEFAULT_TIMEZONE;
  const out: Ticket = {
    id: t.id,
    communityId: t.communityId,
    date: t.date,
    number: t.number,
    category: t.category,
    categoryName: t.categoryName ?? categoryName(today?.hall, t.category),
    status: t.status,
    priority: t.priority,
    priorityReason: t.priorityReason,
    late: t.late,
    notice: t.notice,
    appointmentId: t.appointmentId,
    issuedAt: isoWithOffset(new Date(t.issuedAt), tz),
    calledAt: t.calledAt ? isoWithOffset(new Date(t.calledAt), tz) : undefined,
    finishedAt: t.finishedAt ? isoWithOffset(new Date(t.finishedAt), tz) : undefined,
    window: t.status === 'called' ? t.window : undefined,
    transferredFrom: t.transferredFrom,
    recalls: t.recalls,
    rating: t.rating,
  };
  const place = t.status === 'waiting' && today && today.date === t.date ? placeOf(t, ahead, today, now, aheadAtMost) : undefined;
  if (place && today) {
    const { position, approximate } = place;
    const servers = today.hall.windows.filter((w) => openSet(today.hall).has(w.no) && w.categories.includes(t.category)).length;
    out.position = position;
    out.ahead = position - 1;
    if (approximate) out.approximate = true;
    out.estimatedWaitMin = estimateWaitMin(position - 1, serviceSums(today.day, t.category), servers, minutesIntoDay(now, today.date, today.hall.timezone));
    const jump = categoryDay(today.day, t.category).lastJump;
    if (jump && (jump.issuedAt > t.issuedAt || (jump.issuedAt === t.issuedAt && jump.seq > t.seq))) {
      out.reason = reasonText(jump.number, jump.why, today.hall.maxWaitMin);
    }
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Ticket;
}

// ---------------------------------------------------------------- hall layout

function toHall(hall: HallRecord, day?: DayRecord): Hall {
  const open = openSet(hall);
  return {
    communityId: hall.communityId,
    timezone: hall.timezone,
    categories: hall.categories,
    priorityRatio: hall.priorityRatio,
    maxWaitMin: hall.maxWaitMin,
    hours: hall.hours ?? [],
    windows: hall.windows.map((w) => {
      const cur = windowDay(day, w.no).current;
      return {
        no: w.no,
        categories: w.categories,
        open: open.has(w.no),
        ...(cur ? { current: { id: cur.id, number: cur.number, category: cur.category, calledAt: isoWithOffset(new Date(cur.calledAt), hall.timezone) } } : {}),
      };
    }),
  };
}

export async function putHall(actor: AuthUser, cid: string, layout: HallLayout, now: Date): Promise<Hall> {
  await requireStaff(actor, cid);
  const [community, current] = await Promise.all([getCommunity(cid), store.getHall(cid)]);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  const hall = await store.putHall({
    communityId: cid,
    communityName: community.name,
    timezone: community.timezone ?? DEFAULT_TIMEZONE,
    categories: layout.categories,
    windows: [...layout.windows].sort((a, b) => a.no - b.no),
    windowNos: layout.windows.map((w) => w.no),
    priorityRatio: layout.priorityRatio,
    maxWaitMin: layout.maxWaitMin,
    hours: layout.hours,
    updatedAt: now.toISOString(),
  }, actor.id, current);
  return toHall(hall);
}

export async function getHall(actor: AuthUser, cid: string, now: Date): Promise<Hall> {
  await requireStaff(actor, cid);
  const today = await readToday(cid, now);
  return toHall(today.hall, today.day);
}

export async function setWindow(actor: AuthUser, cid: string, no: string, open: boolean): Promise<WindowState> {
  await requireStaff(actor, cid);
  const windowNo = windowNumber(no);
  const hall = await refusing(store.setWindowOpen(cid, windowNo, open), { window: () => noSuchWindow(windowNo) });
  const w = hall.windows.find((x) => x.no === windowNo) ?? { no: windowNo, categories: [] };
  return { no: windowNo, categories: w.categories, open: openSet(hall).has(windowNo) };
}

function windowNumber(no: string): number {
  const n = Number(no);
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new AppError('NOT_FOUND', '窗口号无效');
  return n;
}

const noSuchWindow = (no: number) => new AppError('NOT_FOUND', `大厅没有 ${no} 号窗口`);

// ---------------------------------------------------------------- what a refused write means

/** A ticket whose state changed since it was read. */
const ticketState = (message?: string) => () => new AppError('TICKET_STATE', message);
const NOT_WAITING_FOR_PRIORITY = '只有等候中的号码可以设为优先';
const NOT_CALLED_FOR_RECALL = '该号码当前不在呼叫中，不能重呼';

/** ALREADY_QUEUED naming the ticket the resident already holds, so a client can open it. */
const alreadyQueued = (ticketId: string | undefined, message?: string) =>
  new AppError('ALREADY_QUEUED', message, ticketId ? { details: { ticketId } } : {});
/** The ticket named by a refused active marker. */
const heldBy = (failed: ConditionFailed) => failed.item<ActiveMarker>('marker')?.ticketId;

const NOT_IN_HALL_MESSAGE = '取号需为本社区已核实的居民，或扫描服务大厅内今天的取号二维码';
const ticketLimit = (perDay: number) => new AppError('TICKET_LIMIT', `每人每天最多取号 ${perDay} 次，今天已达上限`, { details: { perDay } });

// ---------------------------------------------------------------- tickets

/**
 * Issues a ticket: one BatchGetItem (the hall, today, the resident's marker), the day's counter
 * (one atomic ADD), its category up to it (one Query) for its position, then the ticket with the
 * resident's active marker (one transaction). The answer is computed before the write, so a take
 * that is the request's act (`act`) records its Idempotency-Key with it. Used by POST /tickets and
 * by appointment check-in.
 */
export async function issueTicket(input: IssueTicketInput, now: Date): Promise<Ticket> {
  const taker = { userId: input.userId, category: input.category };
  const today = await readToday(input.communityId, now, { memberOf: input.userId, taker, answered: input.act });
  if (!today.hall.categories.some((c) => c.code === input.category)) {
    throw new AppError('VALIDATION', '本大厅没有该业务类别', { details: [{ path: 'body.category', message: `没有业务类别 ${input.category}` }] });
  }
  // Fast refusals before a number is spent; the transaction's conditions are what guarantee them.
  if (today.active?.date === today.date) throw alreadyQueued(today.active.ticketId);
  const walkIn = input.walkIn ? await walkInRules(input.communityId, today, input.walkIn.hallToken) : undefined;
  const { seq, issuedAt } = await refusing(store.nextNumber(input.communityId, today.date, input.category, now.toISOString()), {
    // Outrun by later clocks again and again: a busy moment, not a fault (no number was spent).
    counter: () => new AppError('UNAVAILABLE', '取号繁忙，请稍后重试', { retryAfter: 1 }),
  });
  const ticket: TicketRecord = {
    id: newId(now),
    communityId: input.communityId,
    date: today.date,
    seq,
    number: formatNumber(input.category, seq),
    category: input.category,
    categoryName: categoryName(today.hall, input.category),
    userId: input.userId,
    status: 'waiting',
    priority: input.priority,
    ...(input.priority ? { priorityReason: input.priorityReason ?? (input.appointmentId ? '预约签到' : '绿色通道') } : {}),
    issuedAt,
    ...(input.appointmentId ? { appointmentId: input.appointmentId } : {}),
    ...(input.late ? { late: true } : {}),
    ...(input.notice ? { notice: input.notice } : {}),
  };
  const aheadAtMost = seq - 1 - categoryDay(today.day, input.category).leftWaiting;
  // A failed read of the place does not refuse the take: the answer then says what the day's numbers tell.
  const ahead = await store.ticketsAhead(ticket).catch((error: unknown) => {
    console.warn(JSON.stringify({ level: 'warn', message: "a ticket's place could not be read; answered by the day's numbers", ticketId: ticket.id, error: (error as Error)?.message }));
    return undefined;
  });
  const answer = present(ticket, today, now, ahead, aheadAtMost);
  const guard = input.proxy && actingGuard(input.proxy, 'ticket.take', ticket.id, ticket.issuedAt);
  try {
    await refusing(store.createTicket(ticket, { walkIn, proxy: guard?.items, answers: input.act ? answer : undefined }), {
      proxy: () => proxyRefusal(),
      marker: (failed) => alreadyQueued(heldBy(failed)),
      quota: () => ticketLimit(walkIn!.perDay),
      member: () => new AppError('NOT_ELIGIBLE', NOT_IN_HALL_MESSAGE),
    });
  } catch (error) {
    // The number is spent whatever refused the ticket (the same resident racing themselves, the
    // daily limit, a membership or link lost meanwhile, a repeat of an answered take): it is
    // recorded as a void ticket, so the numbering keeps no silent hole (a ticket that did commit
    // stays: the void's put is conditional).
    await store.voidTicket({ ...ticket, status: 'cancelled', finishedAt: ticket.issuedAt, notice: VOID_NOTICE }).catch(() => undefined);
    throw error;
  }
  return answer;
}

/**
 * A walk-in's take: a verified member of the community, or anyone with the day's hall token (the
 * QR shown in the hall), up to TICKETS_PER_DAY a day. The take is the request's act.
 */
export async function takeTicket(actor: AuthUser, cid: string, body: { category: string; hallToken?: string }, now: Date): Promise<Ticket> {
  const { userId, link } = await actingFor(actor);
  return issueTicket({ communityId: cid, category: body.category, userId, priority: false, walkIn: { hallToken: body.hallToken }, proxy: link, act: true }, now);
}

/** The day's hall token is keyed apart from the tokens it never stands in for. */
const hallKey = async (): Promise<string> => createHmac('sha256', await secret('tokenKey')).update('linli hall token key').digest('hex');

/** Who may take a walk-in ticket, checked on the first read (the transaction holds both rules). */
async function walkInRules(cid: string, today: Today, token: string | undefined): Promise<store.WalkInRules> {
  if ((today.takenToday ?? 0) >= TICKETS_PER_DAY) throw ticketLimit(TICKETS_PER_DAY);
  const inHall = token !== undefined && isHallToken(await hallKey(), cid, today.date, token);
  if (!inHall && !today.membership?.verified) {
    throw new AppError('NOT_ELIGIBLE', token === undefined ? NOT_IN_HALL_MESSAGE : '取号二维码已过期或无效，请扫描服务大厅内今天的二维码');
  }
  return { perDay: TICKETS_PER_DAY, verifiedMember: !inHall };
}

/** The take-a-number page in the mini-program, where the walk-in code's scene lands. */
const TAKE_PAGE = 'queue/take/index';

/** Staff: the day's walk-in mini-program code for the poster (made by WeChat once a day per hall). */
export async function hallCode(actor: AuthUser, cid: string, now: Date): Promise<MiniProgramCode> {
  await requireStaff(actor, cid);
  const today = await readToday(cid, now);
  const token = hallToken(await hallKey(), cid, today.date);
  return miniProgramCodeUrl(store.hallCodeFile(cid, today.date), { scene: hallScene(cid, token), page: TAKE_PAGE });
}

/** Staff: the day's hall QR (the mini-program page and the H5 link), to show or print each morning. */
export async function hallQr(actor: AuthUser, cid: string, now: Date): Promise<HallQr> {
  await requireStaff(actor, cid);
  const today = await readToday(cid, now);
  const token = hallToken(await hallKey(), cid, today.date);
  const path = `queue/take/index?cid=${cid}&t=${token}`;
  return { date: today.date, token, path, url: `${config().webBase.replace(/\/$/, '')}/#/${path}` };
}

/**
 * The caller's tickets of today (each hall's local day), as GET /v1/tickets/{id} shows them: one
 * Query of the caller's tickets since a day ago, then per hall its day and per waiting ticket its
 * place, in parallel. A resident holds a few tickets a day (TICKETS_PER_DAY), so this stays small.
 */
export async function myTickets(actor: AuthUser, now: Date): Promise<{ items: Ticket[] }> {
  const since = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
  const { userId } = await actingFor(actor);
  const mine = (await store.userTickets(userId, since)).filter((t) => t.notice !== VOID_NOTICE);
  const halls = new Map(
    await Promise.all(
      [...new Set(mine.map((t) => t.communityId))].map(async (cid) => [cid, await readToday(cid, now)] as const),
    ),
  );
  const today = mine.filter((t) => halls.get(t.communityId)?.date === t.date);
  const items = await Promise.all(
    today.map(async (t) => {
      const hall = halls.get(t.communityId);
      return t.status === 'waiting' ? present(t, hall, now, await store.ticketsAhead(t)) : present(t, hall, now);
    }),
  );
  return { items };
}

async function loadTicket(id: string): Promise<TicketRecord> {
  const t = await store.getTicket(id);
  if (!t) throw new AppError('NOT_FOUND', '号码不存在');
  return t;
}

/** Staff: today's waiting tickets, each category in the order the rule will call it. One Query. */
export async function waitingTickets(actor: AuthUser, cid: string, now: Date): Promise<{ items: Ticket[] }> {
  await requireStaff(actor, cid);
  const today = await readToday(cid, now);
  const waiting = await store.waitingTickets(cid, today.date);
  const streak = today.day?.priorityStreak ?? 0;
  const items = today.hall.categories.flatMap((c) => {
    const category = waiting.filter((t) => t.category === c.code);
    return callOrder(category, streak, rule(today.hall), now).map((t) => present(t, today, now, { items: category, complete: true }));
  });
  return { items };
}

/** The owner or staff of its community; anyone else is told it does not exist. */
export async function getTicket(actor: AuthUser, id: string, now: Date): Promise<Ticket> {
  const [t, acting] = await Promise.all([loadTicket(id), actingFor(actor)]);
  if (t.userId !== acting.userId && (acting.link || !(await isStaff(actor, t.communityId)))) throw new AppError('NOT_FOUND', '号码不存在');
  if (t.status !== 'waiting') return present(t, undefined, now);
  const [today, ahead] = await Promise.all([readToday(t.communityId, now), store.ticketsAhead(t)]);
  return present(t, today, now, ahead);
}

export async function cancelTicket(actor: AuthUser, id: string, now: Date): Promise<Ticket> {
  const t = await loadTicket(id);
  if (t.userId !== actor.id) throw new AppError('NOT_FOUND', '号码不存在');
  if (t.status !== 'waiting') throw new AppError('TICKET_STATE', '只有等候中的号码可以取消');
  return present(await refusing(store.finishTicket(t, 'cancelled', 'waiting', now.toISOString()), { ticket: ticketState() }), undefined, now);
}

/**
 * Staff of the ticket's community; the ticket's owner is told it is for staff; to anyone else
 * the ticket does not exist (as with bookings).
 */
async function staffTicket(actor: AuthUser, id: string): Promise<TicketRecord> {
  const t = await loadTicket(id);
  if (await isStaff(actor, t.communityId)) return t;
  if (t.userId === actor.id) throw new AppError('FORBIDDEN', '仅限本社区工作人员操作');
  throw new AppError('NOT_FOUND', '号码不存在');
}

function boardCall(t: TicketRecord, window: number, calledAt: string, seq: number, recall = false): BoardCall {
  return { number: t.number, category: t.category, window, calledAt, seq, ...(recall ? { recall: true } : {}) };
}

/**
 * Calls the next ticket to a window by the ordering rule: the hall, its day and the caller's
 * membership (one BatchGetItem) and the head of each category the window serves (one Query each,
 * in parallel), then one transaction that claims the ticket (status = waiting), writes the hall's
 * streak (version check), checks the caller is still staff and, with an Idempotency-Key, records
 * the answer. A lost race reads again and picks again; each ticket is claimed once.
 */
export async function callNext(actor: AuthUser, cid: string, no: string, now: Date): Promise<Ticket> {
  const staff = staffPart(actor, cid);
  for (let attempt = 1; attempt <= CALL_ATTEMPTS; attempt++) {
    const today = await readToday(cid, now, actor.admin ? {} : { memberOf: actor.id });
    // The fast refusal; the claim's `staff` part is what holds it.
    if (!actor.admin && !today.membership?.staff) throw staffRefusal();
    const windowNo = windowNumber(no);
    const window = today.hall.windows.find((w) => w.no === windowNo);
    if (!window) throw noSuchWindow(windowNo);
    if (!openSet(today.hall).has(windowNo)) throw new AppError('WINDOW_CLOSED');
    const candidates = (await Promise.all(window.categories.map((c) => store.categoryHead(cid, today.date, c)))).flat();
    const pick = pickNext(candidates, today.day?.priorityStreak ?? 0, rule(today.hall), now);
    if (!pick) throw new AppError('QUEUE_EMPTY');
    const calledAt = now.toISOString();
    const seq = (today.day?.announced ?? 0) + 1;
    const call = boardCall(pick.ticket, windowNo, isoWithOffset(now, today.hall.timezone), seq);
    const called: TicketRecord = { ...pick.ticket, status: 'called', window: windowNo, calledAt };
    const messages = [...boardMessage(today, call, boardAfter(today, call, called), now), ...calledMessage(today.hall, called, seq, now)];
    const answer = present(called, undefined, now);
    const claim = store.claimTicket(
      {
        ticket: pick.ticket,
        window: windowNo,
        calledAt,
        version: today.day?.version ?? 0,
        priorityStreak: pick.streak,
        announced: seq,
        recentCalls: [call, ...(today.day?.recentCalls ?? [])].slice(0, RECENT),
        waitSec: Math.max(0, Math.round((now.getTime() - Date.parse(pick.ticket.issuedAt)) / 1000)),
        jumps: jumpsOf(pick.ticket, pick.why, candidates, calledAt),
        messages,
      },
      { staff, answers: answer },
    );
    if ((await refusing(claim, { staff: staffRefusal })) === 'claimed') {
      const toldNear = await tellNear(today.hall, called, candidates, pick.streak, now);
      if (messages.length || toldNear) await kickDelivery();
      return answer;
    }
    await lostClaimPause(attempt);
  }
  throw new AppError('UNAVAILABLE', '叫号繁忙，请稍后重试', { retryAfter: 1 });
}

function jumpsOf(called: TicketRecord, why: PickWhy, candidates: TicketRecord[], calledAt: string): Record<string, Jump> {
  if (why === 'order') return {};
  const jump: Jump = { number: called.number, why, issuedAt: called.issuedAt, seq: called.seq, calledAt };
  return Object.fromEntries(passedOver(called, candidates).map((category) => [category, jump]));
}

/**
 * After a call: whoever is now 3 ahead is told, once (the ticket's mark and the message in one
 * transaction). The call's own messages (boards, the resident) committed with the claim; all are
 * outbox messages (services/notifications.ts), so the call never waits on WeChat or a board.
 */
async function tellNear(hall: HallRecord, called: TicketRecord, heads: TicketRecord[], streak: number, now: Date): Promise<boolean> {
  const left = heads.filter((t) => t.category === called.category && t.id !== called.id);
  const near = callOrder(left, streak, rule(hall), now)[3];
  if (!near || near.notifiedNear || !templateId('queueNear')) return false;
  try {
    return await store.markNotifiedNear(near.id, nearMessage(hall, near, now));
  } catch {
    // The call committed: a lost "3 ahead" notice never fails it.
    return false;
  }
}

function boardAfter(today: Today, call: BoardCall, called: TicketRecord): Board {
  const day = today.day ?? store.emptyDay(today.hall.communityId, today.date);
  const category = categoryDay(day, called.category);
  const board = toBoard({ ...today, day: { ...day, categories: { ...day.categories, [called.category]: { ...category, leftWaiting: category.leftWaiting + 1 } } } });
  board.seq = call.seq;
  board.recent = [call, ...board.recent.filter((r) => r.seq !== call.seq)].slice(0, RECENT);
  board.windows = board.windows.map((w) => (w.no === call.window ? { ...w, ticket: { number: call.number, category: call.category, calledAt: call.calledAt } } : w));
  return board;
}

// Outbox messages of a call (one id per call, so a message is written once): a board push only
// when a board may be paired (the hall item says until when), subscription messages only when their template is configured.
const boardMessage = (today: Today, call: BoardCall, board: Board, now: Date): TransactPut[] =>
  !store.mayHaveBoards(today.hall, now)
    ? []
    : [outboxPut(`board-${today.hall.communityId}-${today.date}-${call.seq}`, { kind: 'board', communityId: today.hall.communityId, message: { type: 'call', call, board } }, now)];

function calledMessage(hall: HallRecord, t: TicketRecord, seq: number, now: Date): TransactPut[] {
  if (!templateId('queueCalled')) return [];
  return [
    outboxPut(`called-${t.id}-${seq}`, {
      kind: 'wechat',
      userId: t.userId,
      template: 'queueCalled',
      page: `queue/ticket/index?id=${t.id}`,
      data: { character_string1: t.number, thing2: `请到 ${t.window} 号窗口办理`, thing3: categoryName(hall, t.category) ?? t.category },
    }, now),
  ];
}

const nearMessage = (hall: HallRecord, t: TicketRecord, now: Date): TransactPut =>
  outboxPut(`near-${t.id}`, {
    kind: 'wechat',
    userId: t.userId,
    template: 'queueNear',
    page: `queue/ticket/index?id=${t.id}`,
    data: { character_string1: t.number, thing2: '前面还有 3 人，请回到大厅等候', thing3: categoryName(hall, t.category) ?? t.category },
  }, now);

export async function recall(actor: AuthUser, id: string, now: Date): Promise<Ticket> {
  const t = await staffTicket(actor, id);
  if (t.status !== 'called' || !t.window) throw ticketState(NOT_CALLED_FOR_RECALL)();
  for (let attempt = 1; attempt <= CALL_ATTEMPTS; attempt++) {
    const today = await readToday(t.communityId, now);
    const day = today.date === t.date ? today.day : (await store.readHallDay(t.communityId, t.date)).day;
    const seq = (day?.announced ?? 0) + 1;
    const call = boardCall(t, t.window, isoWithOffset(now, today.hall.timezone), seq, true);
    const board = toBoard(today);
    board.seq = seq;
    board.recent = [call, ...board.recent].slice(0, RECENT);
    const messages = [...boardMessage(today, call, board, now), ...calledMessage(today.hall, t, seq, now)];
    const recalled = store.recallTicket(t, { version: day?.version ?? 0, announced: seq, recentCalls: [call, ...(day?.recentCalls ?? [])].slice(0, RECENT) }, messages);
    const outcome = await refusing(recalled, { ticket: ticketState(NOT_CALLED_FOR_RECALL) });
    if (outcome === 'done') {
      if (messages.length) await kickDelivery();
      return present({ ...t, recalls: (t.recalls ?? 0) + 1 }, undefined, now);
    }
    await lostClaimPause(attempt);
  }
  throw new AppError('UNAVAILABLE', '叫号繁忙，请稍后重试', { retryAfter: 1 });
}

export async function skip(actor: AuthUser, id: string, now: Date): Promise<Ticket> {
  const t = await staffTicket(actor, id);
  if (t.status !== 'called') throw new AppError('TICKET_STATE', '只有已呼叫的号码可以过号');
  return present(await refusing(store.finishTicket(t, 'skipped', 'called', now.toISOString(), { figures: { skipped: 1 } }), { ticket: ticketState() }), undefined, now);
}

export async function complete(actor: AuthUser, id: string, now: Date): Promise<Ticket> {
  const t = await staffTicket(actor, id);
  if (t.status !== 'called' || !t.calledAt) throw new AppError('TICKET_STATE', '只有已呼叫的号码可以办结');
  const hall = await store.getHall(t.communityId);
  const tz = hall?.timezone ?? DEFAULT_TIMEZONE;
  const serviceSec = Math.max(0, Math.round((now.getTime() - Date.parse(t.calledAt)) / 1000));
  const done = store.finishTicket(t, 'done', 'called', now.toISOString(), {
    figures: { completed: 1, serviceSec },
    service: serviceTerms(minutesIntoDay(now, t.date, tz), serviceSec),
  });
  return present(await refusing(done, { ticket: ticketState() }), undefined, now);
}

export async function transfer(actor: AuthUser, id: string, category: string, now: Date): Promise<Ticket> {
  const t = await staffTicket(actor, id);
  if (t.status !== 'waiting' && t.status !== 'called') throw new AppError('TICKET_STATE', '只有等候中或已呼叫的号码可以转类别');
  if (t.category === category) throw new AppError('VALIDATION', '目标类别与当前类别相同', { details: [{ path: 'body.category', message: '与当前类别相同' }] });
  const today = await readToday(t.communityId, now);
  if (!today.hall.categories.some((c) => c.code === category)) {
    throw new AppError('VALIDATION', '本大厅没有该业务类别', { details: [{ path: 'body.category', message: `没有业务类别 ${category}` }] });
  }
  const moved = await refusing(store.transferTicket(t, t.status, category, categoryName(today.hall, category) ?? category), {
    ticket: ticketState(),
    marker: (failed) => alreadyQueued(heldBy(failed), '该居民已在目标类别排队中'),
  });
  return present(moved, today, now, await store.ticketsAhead(moved));
}

export async function markPriority(actor: AuthUser, id: string, reason: string, now: Date): Promise<Ticket> {
  const t = await staffTicket(actor, id);
  if (t.status !== 'waiting') throw ticketState(NOT_WAITING_FOR_PRIORITY)();
  const marked = await refusing(store.markPriority(t, reason), { ticket: ticketState(NOT_WAITING_FOR_PRIORITY) });
  const [today, ahead] = await Promise.all([readToday(t.communityId, now), store.ticketsAhead(marked)]);
  return present(marked, today, now, ahead);
}

export async function rate(actor: AuthUser, id: string, rating: Rating, now: Date) {
  const t = await loadTicket(id);
  if (t.userId !== actor.id) throw new AppError('NOT_FOUND', '号码不存在');
  if (t.status !== 'done') throw new AppError('TICKET_STATE', '办结后才能评价');
  if (t.rating !== undefined) throw new AppError('TICKET_STATE', '您已评价过');
  const at = now.toISOString();
  await refusing(store.rateTicket(t, rating.score, rating.comment, at), { ticket: ticketState('该号码尚未办结，或已评价过') });
  return { ticketId: t.id, score: rating.score, ...(rating.comment ? { comment: rating.comment } : {}), ratedAt: isoWithOffset(now) };
}

// ---------------------------------------------------------------- board and figures

/** Numbers issued less tickets that left waiting: no ticket is read. */
function waitingCounts(today: Today): Record<string, number> {
  return Object.fromEntries(
    today.hall.categories.map((c) => [c.code, Math.max(0, (today.issued[c.code] ?? 0) - categoryDay(today.day, c.code).leftWaiting)]),
  );
}

function toBoard(today: Today): Board {
  const { hall, day } = today;
  const open = openSet(hall);
  return {
    communityId: hall.communityId,
    ...(hall.communityName ? { communityName: hall.communityName } : {}),
    date: today.date,
    categories: hall.categories,
    hours: hall.hours ?? [],
    windows: hall.windows.map((w) => {
      const cur = windowDay(day, w.no).current;
      return {
        no: w.no,
        open: open.has(w.no),
        categories: w.categories,
        ...(cur ? { ticket: { number: cur.number, category: cur.category, calledAt: isoWithOffset(new Date(cur.calledAt), hall.timezone) } } : {}),
      };
    }),
    waiting: waitingCounts(today),
    recent: (day?.recentCalls ?? []).slice(0, RECENT),
    seq: day?.announced ?? 0,
    subscribeTemplateIds: [templateId('queueNear'), templateId('queueCalled')].filter((id): id is string => Boolean(id)),
  };
}

/** The public display board: one BatchGetItem, no login. */
export async function board(cid: string, now: Date): Promise<Board> {
  return toBoard(await readToday(cid, now));
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The queue section of the committee's indicators: today, from one BatchGetItem. */
export async function queueStats(cid: string, now: Date): Promise<QueueStats | undefined> {
  let today: Today;
  try {
    today = await readToday(cid, now);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
  const day = today.day;
  const { called, completed, waitSec, serviceSec, ratingSum, ratings } = (day ?? store.emptyDay(cid, today.date)).figures;
  const nowMin = minutesIntoDay(now, today.date, today.hall.timezone);
  return {
    date: today.date,
    waiting: waitingCounts(today),
    called,
    completed,
    meanWaitMin: called ? round1(waitSec / called / 60) : null,
    meanServiceMin: completed ? round1(serviceSec / completed / 60) : null,
    callsPerWindow: Object.fromEntries(today.hall.windows.map((w) => [String(w.no), windowDay(day, w.no).calls])),
    satisfaction: { mean: ratings ? round1(ratingSum / ratings) : null, count: ratings },
    learnedServiceMin: Object.fromEntries(today.hall.categories.map((c) => [c.code, round1(meanServiceMin(serviceSums(day, c.code), nowMin))])),
  };
}

export type { TicketStatus };
