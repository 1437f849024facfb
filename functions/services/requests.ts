/**
 * 诉求反映: a verified resident files a request; it goes to their household's grid worker (or the
 * duty desk), on the category's clock; the first staff member at its level to accept it owns it
 * (首问负责); the owner adds notes, resolves it or hands it up (community → street → district);
 * the resident rates or reopens it. The schedule hands up what ran out of time.
 *
 * Who sees what: the resident their own; staff of the community its community's; region staff
 * what was handed up to them. The resident's identity is masked to everyone but its owner; the
 * public list shows category, state, dates and the resolution summary only.
 */
import type { Page } from '@contract/common';
import { AppError } from '@contract/errors';
import {
  REQUEST_CATEGORIES,
  REQUEST_LEVEL_LABELS,
  type CategoryClock,
  type CategoryClocks,
  type FileRequest,
  type PublicRequest,
  type RequestCategory,
  type RequestLevel,
  type RequestStatus,
  type ServiceRequest,
} from '@contract/requests';
import { maskName } from '../domain/privacy';
import { categoryClocks, isOverdue, requestClock } from '../domain/request-clock';
import { ACCEPTABLE, levelAbove, levelBelow, OPEN, ratingOutcome, REOPEN_DAYS, reopenUntil, WORKABLE, canReopen } from '../domain/request-state';
import { addDays, localDate } from '../domain/time';
import { newId } from '../lib/ids';
import { templateId } from '../lib/notifier';
import { claimUploads, signedReadUrl, uploadTaken } from '../lib/storage';
import type { AuthUser } from '../lib/tokens';
import { auditEntry, type TransactItem } from '../store/audit';
import { gridOfBuilding } from '../store/grids';
import { displayNames, getCommunity } from '../store/identity';
import { outboxPut } from '../store/outbox';
import { getCommunityRegion, staffOfAnyRegion } from '../store/regions';
import * as store from '../store/requests';
import type { RequestEventRecord, RequestPart, RequestRecord } from '../store/requests';
import { isConditionFailed, type Part } from '../store/transaction';
import { requireStaff, requireVerifiedMember } from './access';
import { kickDelivery } from './notifications';
import { refuse, refusing } from './refusal';

type View = 'resident' | 'owner' | 'staff';

const notFound = () => new AppError('NOT_FOUND', '诉求不存在');

/** "3-2-501" → "3号楼": where to go, without the flat. */
const buildingOf = (household: string) => household.split('-')[0] ?? household;

function byLine(r: RequestRecord, e: RequestEventRecord, view: View, actor: AuthUser): string | undefined {
  if (!e.byId) return '系统';
  if (e.byId === r.residentId) return view === 'resident' ? '我' : view === 'owner' ? r.residentName ?? '居民' : '居民';
  if (e.byId === actor.id) return '我';
  // A hand-up's event carries the level it went to; whoever handed it up works one level below.
  const actorLevel = e.kind === 'escalated' ? levelBelow(e.level) ?? e.level : e.level;
  return `${REQUEST_LEVEL_LABELS[actorLevel]}工作人员${e.byName ? ` ${maskName(e.byName)}` : ''}`;
}

/** A request as this reader may see it. */
export function requestView(r: RequestRecord, actor: AuthUser, view: View, now: Date, events?: RequestEventRecord[]): ServiceRequest {
  const identified = view !== 'staff';
  return {
    id: r.id,
    number: r.number,
    communityId: r.communityId,
    category: r.category,
    status: r.status,
    level: r.level,
    ...(r.gridId ? { gridId: r.gridId, gridName: r.gridName } : {}),
    text: r.text,
    ...(r.place ? { place: r.place } : {}),
    resident: identified ? r.residentName ?? '居民' : maskName(r.residentName) ?? '居民',
    household: identified ? r.household : `${buildingOf(r.household)}号楼`,
    ...(r.ownerId ? { ownerName: r.ownerId === actor.id ? r.ownerName : `${REQUEST_LEVEL_LABELS[r.ownerLevel ?? r.level]}工作人员 ${maskName(r.ownerName) ?? ''}`.trim(), ownedByMe: r.ownerId === actor.id } : {}),
    respondBy: r.respondBy,
    resolveBy: r.resolveBy,
    ...(r.respondedAt ? { respondedAt: r.respondedAt } : {}),
    ...(r.resolvedAt ? { resolvedAt: r.resolvedAt } : {}),
    overdue: isOverdue(r, now),
    ...(r.resolution ? { resolution: r.resolution } : {}),
    ...(r.rating ? { rating: r.rating } : {}),
    ...(r.status === 'resolved' && r.resolvedAt ? { reopenUntil: reopenUntil(r.resolvedAt) } : {}),
    createdAt: r.createdAt,
    ...(events
      ? {
          timeline: events.map((e) => ({
            at: e.at,
            kind: e.kind,
            level: e.level,
            by: byLine(r, e, view, actor),
            ...(e.text ? { text: e.text } : {}),
            ...(e.score ? { score: e.score } : {}),
          })),
        }
      : {}),
  };
}

export const publicView = (r: RequestRecord, now: Date): PublicRequest => ({
  id: r.id,
  number: r.number,
  category: r.category,
  status: r.status,
  level: r.level,
  createdAt: r.createdAt,
  ...(r.resolvedAt ? { resolvedAt: r.resolvedAt } : {}),
  ...(r.resolution ? { resolution: r.resolution } : {}),
  overdue: isOverdue(r, now),
});

/** What the resident is told on WeChat (一次告知), when the template is configured. */
function tellResident(r: RequestRecord, what: string, tag: string, now: Date): TransactItem[] {
  if (!templateId('requestUpdate')) return [];
  return [
    outboxPut(`request-${tag}-${r.id}-${now.getTime()}`, {
      kind: 'wechat',
      userId: r.residentId,
      template: 'requestUpdate',
      page: `requests/detail/index?id=${r.id}`,
      data: { character_string1: r.number, thing2: what, time3: localDate(now) },
    }, now),
  ];
}

/** The region a level's staff work for, as the request recorded it when filed. */
const regionAt = (r: RequestRecord, level: RequestLevel): string | undefined => (level === 'street' ? r.streetId : level === 'district' ? r.districtId : undefined);

async function load(id: string): Promise<{ request: RequestRecord; events: RequestEventRecord[] }> {
  const { request, events } = await store.getRequestWithTimeline(id);
  if (!request) throw notFound();
  return { request, events };
}

/** How the caller may see the request, or NOT_FOUND: its existence is not revealed to others. */
async function viewOf(actor: AuthUser, r: RequestRecord): Promise<View> {
  if (r.ownerId === actor.id) return 'owner';
  if (r.residentId === actor.id) return 'resident';
  if (actor.admin || (await staffOfAnyRegion(actor.id, r.regionIds ?? [], r.communityId))) return 'staff';
  throw notFound();
}

/** What the resident gives and who they are: the rest of a new record is worked out here. */
type NewRequest = Pick<RequestRecord, 'communityId' | 'category' | 'text' | 'place' | 'photos' | 'residentId' | 'residentName' | 'household'>;

/** The record of a new request: its number, grid, clock and the regions it can be handed up to. */
async function newRecord(input: NewRequest, now: Date, timezone: string, region: { streetId: string; districtId?: string } | undefined): Promise<RequestRecord> {
  const [grid, number, clocks] = await Promise.all([
    gridOfBuilding(input.communityId, buildingOf(input.household)),
    store.nextRequestNumber(localDate(now, timezone).slice(0, 4)),
    store.getCategoryClocks(input.communityId),
  ]);
  const clock = categoryClocks(clocks)[input.category];
  const createdAt = now.toISOString();
  return {
    id: newId(now),
    number,
    ...input,
    ...(region ? { streetId: region.streetId, ...(region.districtId ? { districtId: region.districtId } : {}) } : {}),
    timezone,
    ...(grid ? { gridId: grid.gridId, gridName: grid.gridName } : {}),
    clock,
    status: 'submitted',
    level: 'community',
    ...requestClock(clock, now, timezone),
    firstResolveBy: requestClock(clock, now, timezone).resolveBy,
    createdAt,
    month: localDate(now, timezone).slice(0, 7),
  };
}

async function communityContext(cid: string) {
  const [community, region] = await Promise.all([getCommunity(cid), getCommunityRegion(cid)]);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  return { timezone: community.timezone, region };
}

export async function fileRequest(actor: AuthUser, cid: string, input: FileRequest, now: Date): Promise<ServiceRequest> {
  const [membership, context] = await Promise.all([requireVerifiedMember(actor, cid), communityContext(cid)]);
  // Photos are claimed first: each is checked, re-encoded and stripped of its location before anyone else sees it.
  // The request's own transaction then uses them, so a request refused on the way leaves them to the resident's next try.
  const claimed = await claimUploads(input.photos ?? [], { userId: actor.id, purpose: 'request-photo' }, now);
  const photos = claimed.files.map((file) => file.key);
  const record = await newRecord(
    {
      communityId: cid,
      category: input.category,
      text: input.text,
      ...(input.place ? { place: input.place } : {}),
      ...(photos.length ? { photos } : {}),
      residentId: actor.id,
      ...(membership.realName ? { residentName: membership.realName } : {}),
      household: membership.household,
    },
    now,
    context.timezone,
    context.region,
  );
  const filed: RequestEventRecord = { at: record.createdAt, kind: 'filed', level: 'community', byId: actor.id };
  await refusing(store.putRequest(record, filed, { uploads: claimed.use(record.id) }), { uploads: uploadTaken });
  return requestView(record, actor, 'resident', now, [filed]);
}

/**
 * A request a grid worker opens for a household they visited (代办): filed on the household's
 * behalf and owned by the worker from the start, in the visit's own transaction.
 */
export async function fileOnBehalf(actor: AuthUser, cid: string, input: { category: FileRequest['category']; text: string; household: string }, visit: Part, now: Date): Promise<string> {
  const [context, names] = await Promise.all([communityContext(cid), displayNames(cid, [actor.id])]);
  const record = await newRecord({ communityId: cid, category: input.category, text: input.text, residentId: actor.id, residentName: '走访代办', household: input.household }, now, context.timezone, context.region);
  const at = record.createdAt;
  const owned: RequestRecord = { ...record, status: 'accepted', ownerId: actor.id, ownerName: names.get(actor.id) ?? '', ownerLevel: 'community', respondedAt: at, respondedInTime: true };
  await store.putRequest(owned, { at, kind: 'filed', level: 'community', byId: actor.id, byName: names.get(actor.id), text: '走访入户时代为提交' }, { visit });
  return owned.id;
}

export async function getRequest(actor: AuthUser, id: string, now: Date): Promise<ServiceRequest> {
  const { request, events } = await load(id);
  const view = await viewOf(actor, request);
  const photos = await Promise.all((request.photos ?? []).map(async (key) => ({ url: await signedReadUrl(key) })));
  return { ...requestView(request, actor, view, now, events), ...(photos.length ? { photos } : {}) };
}

export async function myRequests(actor: AuthUser, query: { limit: number; cursor?: string }, now: Date): Promise<Page<ServiceRequest>> {
  const page = await store.listUserRequests(actor.id, query);
  return { ...page, items: page.items.map((r) => requestView(r, actor, r.ownerId === actor.id ? 'owner' : 'resident', now)) };
}

export async function communityRequests(actor: AuthUser, cid: string, query: { limit: number; cursor?: string; status?: RequestStatus; gridId?: string }, now: Date): Promise<Page<ServiceRequest>> {
  await requireStaff(actor, cid);
  const page = await store.listCommunityRequests(cid, query);
  return { ...page, items: page.items.map((r) => requestView(r, actor, r.ownerId === actor.id ? 'owner' : 'staff', now)) };
}

export async function publicRequests(cid: string, query: { limit: number; cursor?: string; status?: RequestStatus }, now: Date): Promise<Page<PublicRequest>> {
  const page = await store.listCommunityRequests(cid, { limit: query.limit, cursor: query.cursor, status: query.status });
  return { ...page, items: page.items.map((r) => publicView(r, now)) };
}

/** Staff who work at the request's current level: the community's, or the street's or district's it was handed up to. */
async function requireStaffAtLevel(actor: AuthUser, r: RequestRecord): Promise<void> {
  if (r.level === 'community') return requireStaff(actor, r.communityId);
  const rid = regionAt(r, r.level);
  if (actor.admin || (rid && (await staffOfAnyRegion(actor.id, [rid])))) return;
  throw new AppError('FORBIDDEN', `仅限${REQUEST_LEVEL_LABELS[r.level]}工作人员受理`);
}

const privileged = (r: RequestRecord, actor: AuthUser, act: 'request.accept' | 'request.escalate' | 'request.resolve', at: string, detail?: Record<string, string>) =>
  auditEntry({ communityId: r.communityId, actorId: actor.id, act, subjectId: r.id, detail: { number: r.number, ...detail }, at });

/**
 * What a request's failed condition means, from the request as it was (`before`): `refusal` for
 * a request still there, NOT_FOUND for one that is gone; other failed parts pass on.
 */
const refused = (refusal: (before: RequestRecord) => AppError) =>
  refuse<RequestPart>((failed) => {
    if (!failed.has('request')) return undefined;
    const before = failed.item<RequestRecord>('request');
    return before ? refusal(before) : notFound();
  });

const stateRefusal = (message?: string) => () => new AppError('REQUEST_STATE', message);

/** Reads the request and the caller's view of it together. */
async function loadFor(actor: AuthUser, id: string): Promise<{ request: RequestRecord; view: View }> {
  const { request } = await load(id);
  return { request, view: await viewOf(actor, request) };
}

async function answer(actor: AuthUser, id: string, now: Date): Promise<ServiceRequest> {
  const { request, events } = await load(id);
  return requestView(request, actor, request.ownerId === actor.id ? 'owner' : request.residentId === actor.id ? 'resident' : 'staff', now, events);
}

export async function acceptRequest(actor: AuthUser, id: string, now: Date): Promise<ServiceRequest> {
  const { request: r } = await load(id);
  const [, names] = await Promise.all([requireStaffAtLevel(actor, r), displayNames(r.communityId, [actor.id])]);
  const at = now.toISOString();
  const name = names.get(actor.id);
  await store.acceptRequest(r, { id: actor.id, ...(name ? { name } : {}) }, {
    at,
    respondedInTime: at <= r.respondBy,
    event: { at, kind: 'accepted', level: r.level, byId: actor.id, ...(name ? { byName: name } : {}) },
    notices: tellResident(r, '您的诉求已受理', 'accepted', now),
    audit: privileged(r, actor, 'request.accept', at),
  }).catch(refused((before) => (before.ownerId ? new AppError('ALREADY_ACCEPTED') : new AppError('REQUEST_STATE'))));
  kickDelivery();
  return answer(actor, id, now);
}

export async function addNote(actor: AuthUser, id: string, text: string, now: Date): Promise<ServiceRequest> {
  const { request: r, view } = await loadFor(actor, id);
  if (view === 'staff') throw new AppError('FORBIDDEN', '只有受理人或提出诉求的居民可以补充');
  const at = now.toISOString();
  const byOwner = view === 'owner';
  await store.addRequestNote(r, {
    openStatuses: byOwner ? WORKABLE : OPEN,
    event: { at, kind: 'note', level: r.level, byId: actor.id, ...(byOwner && r.ownerName ? { byName: r.ownerName } : {}), text },
    notices: byOwner ? tellResident(r, '您的诉求有新进展', 'note', now) : [],
  }).catch(refuse<RequestPart>((failed) => (failed.has('request') ? new AppError('REQUEST_STATE', '诉求已办结，不能再补充') : undefined)));
  if (byOwner) kickDelivery();
  return answer(actor, id, now);
}

/**
 * Only its owner works a request. Staff who lost a race to a hand-up or a resolution (it has no
 * owner, or is resolved, now) get the state conflict, as they would had their write gone first.
 */
function requireOwner(r: RequestRecord, view: View, message: string): void {
  if (view === 'owner') return;
  if (view === 'staff' && !(WORKABLE.includes(r.status) && r.ownerId)) throw new AppError('REQUEST_STATE');
  throw new AppError('FORBIDDEN', message);
}

export async function escalateRequest(actor: AuthUser, id: string, reason: string, now: Date): Promise<ServiceRequest> {
  const { request: r, view } = await loadFor(actor, id);
  requireOwner(r, view, '只有受理人可以上报');
  const to = levelAbove(r.level);
  if (!to) throw new AppError('TOP_LEVEL');
  const regionId = regionAt(r, to);
  if (!regionId) throw new AppError('REQUEST_STATE', to === 'street' ? '本社区尚未归入街道，暂不能上报' : '所在街道尚未归入区，暂不能上报');
  const at = now.toISOString();
  await store.escalateRequest(r, {
    to,
    regionId,
    clock: requestClock(r.clock, now, r.timezone),
    ownerId: actor.id,
    event: { at, kind: 'escalated', level: to, byId: actor.id, ...(r.ownerName ? { byName: r.ownerName } : {}), text: reason },
    notices: tellResident(r, `您的诉求已上报${REQUEST_LEVEL_LABELS[to]}`, 'escalated', now),
    audit: privileged(r, actor, 'request.escalate', at, { to, reason }),
  }).catch(refused((before) => (before.ownerId !== actor.id ? new AppError('FORBIDDEN', '只有受理人可以上报') : new AppError('REQUEST_STATE'))));
  kickDelivery();
  return answer(actor, id, now);
}

export async function resolveRequest(actor: AuthUser, id: string, summary: string, now: Date): Promise<ServiceRequest> {
  const { request: r, view } = await loadFor(actor, id);
  requireOwner(r, view, '只有受理人可以办结');
  const at = now.toISOString();
  await store.resolveRequest(r, {
    ownerId: actor.id,
    summary,
    at,
    resolvedInTime: at <= r.firstResolveBy,
    event: { at, kind: 'resolved', level: r.level, byId: actor.id, ...(r.ownerName ? { byName: r.ownerName } : {}), text: summary },
    notices: tellResident(r, '您的诉求已办结，请评价', 'resolved', now),
    audit: privileged(r, actor, 'request.resolve', at),
  }).catch(refused((before) => (before.ownerId !== actor.id && WORKABLE.includes(before.status) ? new AppError('FORBIDDEN', '只有受理人可以办结') : new AppError('REQUEST_STATE'))));
  kickDelivery();
  return answer(actor, id, now);
}

/** Only the resident who filed it rates or reopens it; to others it does not exist. */
async function loadOwnRequest(actor: AuthUser, id: string): Promise<RequestRecord> {
  const { request } = await load(id);
  if (request.residentId !== actor.id) throw notFound();
  return request;
}

export async function rateRequest(actor: AuthUser, id: string, rating: { score: number; comment?: string }, now: Date): Promise<ServiceRequest> {
  const r = await loadOwnRequest(actor, id);
  const at = now.toISOString();
  const outcome = ratingOutcome(rating.score, r.ownerLevel ?? r.level);
  // The level that reviews it must exist for this community; otherwise its own level reviews it.
  const reviewRegion = outcome.status === 'reopened' ? regionAt(r, outcome.level) : undefined;
  const review = outcome.status === 'reopened' ? (outcome.level === 'community' || reviewRegion ? outcome : { ...outcome, level: r.level }) : outcome;
  await store.rateRequest(r, {
    residentId: actor.id,
    rating: { score: rating.score, ...(rating.comment ? { comment: rating.comment } : {}) },
    outcome:
      review.status === 'reopened'
        ? { ...review, clock: requestClock(r.clock, now, r.timezone), ...(review.level !== 'community' && reviewRegion ? { regionId: reviewRegion } : {}) }
        : review,
    event: { at, kind: review.status === 'reopened' ? 'reopened' : 'rated', level: review.status === 'reopened' ? review.level : r.level, byId: actor.id, score: rating.score, ...(rating.comment ? { text: rating.comment } : {}) },
  }).catch(refused(stateRefusal('诉求办结后才能评价')));
  return answer(actor, id, now);
}

export async function reopenRequest(actor: AuthUser, id: string, reason: string | undefined, now: Date): Promise<ServiceRequest> {
  const r = await loadOwnRequest(actor, id);
  if (r.status === 'resolved' && !canReopen(r, now)) throw new AppError('REOPEN_EXPIRED');
  const at = now.toISOString();
  await store.reopenRequest(r, {
    residentId: actor.id,
    since: new Date(now.getTime() - REOPEN_DAYS * 86400_000).toISOString(),
    clock: requestClock(r.clock, now, r.timezone),
    event: { at, kind: 'reopened', level: r.level, byId: actor.id, ...(reason ? { text: reason } : {}) },
  }).catch(refused((before) => (before.status === 'resolved' ? new AppError('REOPEN_EXPIRED') : stateRefusal('诉求办结后才能申请重新办理')())));
  return answer(actor, id, now);
}

/** Days of due items the schedule reads back: a run missed for hours still escalates what fell due. */
const LOOK_BACK_DAYS = 7;

/** Whether a due item's clock is still the request's and ran out where it stands: then it moves up. */
function lapsed(r: RequestRecord, due: store.DueRecord): boolean {
  if (r.level !== due.level) return false;
  if (due.clock === 'respond') return r.respondBy === due.dueAt && !r.ownerId && ACCEPTABLE.includes(r.status);
  return r.resolveBy === due.dueAt && OPEN.includes(r.status);
}

/**
 * The schedule: every request whose clock ran out is handed up one level, once per level (the
 * update's condition names the level and the clock that ran out), its resident told: the response
 * clock when nobody at its level accepted it in time, the resolution clock when it was not resolved
 * in time. At the district, the top, it stays where it is and shows as 超期.
 */
export async function escalateOverdue(now: Date): Promise<{ due: number; escalated: number }> {
  const today = now.toISOString().slice(0, 10);
  const days = Array.from({ length: LOOK_BACK_DAYS + 1 }, (_, i) => addDays(today, -i));
  const dues = (await Promise.all(days.map((day) => store.dueRequests(day, now)))).flat();
  let escalated = 0;
  for (const due of dues) {
    const { request: r } = await store.getRequestWithTimeline(due.requestId);
    const to = r && lapsed(r, due) ? levelAbove(r.level) : undefined;
    const regionId = r && to ? regionAt(r, to) : undefined;
    if (r && to && regionId) {
      const at = now.toISOString();
      const unanswered = due.clock === 'respond';
      try {
        await store.escalateRequest(r, {
          to,
          regionId,
          clock: requestClock(r.clock, now, r.timezone),
          dueAt: due.dueAt,
          dueClock: unanswered ? 'respond' : 'resolve',
          event: { at, kind: 'auto-escalated', level: to, text: `${unanswered ? '超过响应时限无人受理' : '超过办理时限'}，自动上报${REQUEST_LEVEL_LABELS[to]}` },
          notices: tellResident(r, `您的诉求${unanswered ? '超时未受理' : '已超期'}，已上报${REQUEST_LEVEL_LABELS[to]}`, 'overdue', now),
        });
        escalated++;
      } catch (error) {
        // Moved on since it was read (accepted, resolved, handed up by hand): nothing to do.
        if (!(isConditionFailed<RequestPart>(error) && error.has('request'))) throw error;
      }
    }
    await store.deleteDue(due);
  }
  if (escalated) kickDelivery();
  return { due: dues.length, escalated };
}

/** Each category with its label and this community's clock. */
export async function requestCategories(cid: string): Promise<CategoryClocks> {
  const clocks = categoryClocks(await store.getCategoryClocks(cid));
  return { items: (Object.keys(clocks) as RequestCategory[]).map((category) => ({ category, label: REQUEST_CATEGORIES[category].label, ...clocks[category] })) };
}

/** Staff set their community's clocks (限时办结); requests already filed keep the clock they were filed with. */
export async function setRequestCategories(actor: AuthUser, cid: string, input: { clocks: (CategoryClock & { category: RequestCategory })[] }, now: Date): Promise<CategoryClocks> {
  await requireStaff(actor, cid);
  const clocks = Object.fromEntries(input.clocks.map(({ category, respondHours, resolveDays }) => [category, { respondHours, resolveDays }]));
  await store.setCategoryClocks(cid, clocks, { actorId: actor.id, at: now.toISOString() });
  return requestCategories(cid);
}
