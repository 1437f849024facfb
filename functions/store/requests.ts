/**
 * Requests (诉求反映): the request item and its timeline under one partition, the year's number
 * counter, the escalation schedule's due items and the regions' listings (keys/requests.ts).
 * Each act is one transaction: the request's update behind the state machine's condition
 * (domain/request-state.ts), its timeline event, what it owes the world (due item, listing,
 * outbox) and, for privileged acts, its audit entry. A failed condition comes back by name:
 * `request` (with the request as it was, `ConditionFailed.item('request')`).
 */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CategoryClock, RequestCategory, RequestEventKind, RequestLevel, RequestStatus } from '@contract/requests';
import type { Page } from '@contract/common';
import { ACCEPTABLE, WORKABLE } from '../domain/request-state';
import { newId } from '../lib/ids';
import { auditEntry } from './audit';
import { send } from './client';
import {
  categoryClocksKey,
  communityRequestsQuery,
  regionRequestKey,
  regionRequestsQuery,
  requestCounterKey,
  requestDueDayQuery,
  requestDueKey,
  requestEventKey,
  requestIndexes,
  requestItemsQuery,
  requestKey,
  userRequestsQuery,
} from './keys';
import { getItems } from './regions';
import { queryAll, queryPage, stripKeys, table, userItemsPage } from './table';
import { transact, type Part, type TransactItem } from './transaction';

type Item = Record<string, unknown>;

export interface RequestRecord {
  id: string;
  number: string;
  communityId: string;
  /** The community's street and district when it was filed: where it is handed up to. */
  streetId?: string;
  districtId?: string;
  timezone: string;
  category: RequestCategory;
  /** The category's clock in the community when filed: every level's clock runs by it. */
  clock: CategoryClock;
  text: string;
  place?: string;
  /** Storage keys of the re-encoded photos. */
  photos?: string[];
  residentId: string;
  residentName?: string;
  household: string;
  gridId?: string;
  gridName?: string;
  status: RequestStatus;
  level: RequestLevel;
  ownerId?: string;
  ownerName?: string;
  ownerLevel?: RequestLevel;
  respondBy: string;
  resolveBy: string;
  respondedAt?: string;
  resolvedAt?: string;
  respondedInTime?: boolean;
  resolvedInTime?: boolean;
  /** The clock the request was filed with: 解决率 measures against it. */
  firstResolveBy: string;
  escalated?: boolean;
  /** Regions it has been handed up to: their staff may read it. */
  regionIds?: string[];
  resolution?: string;
  rating?: { score: number; comment?: string };
  createdAt: string;
  /** Community-local month of filing (the rates' period). */
  month: string;
}

export interface RequestEventRecord {
  at: string;
  kind: RequestEventKind;
  level: RequestLevel;
  byId?: string;
  byName?: string;
  text?: string;
  score?: number;
}

/** The next number of the year: one atomic ADD, so simultaneous filings get consecutive, unique numbers. */
export async function nextRequestNumber(year: string): Promise<string> {
  const { Attributes } = await send<{ Attributes?: { n: number } }>(
    new UpdateCommand({
      TableName: table(),
      Key: requestCounterKey(year),
      UpdateExpression: 'ADD n :one SET #type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':one': 1, ':type': 'RequestCounter' },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return `${year}-${String(Attributes?.n ?? 0).padStart(7, '0')}`;
}

const eventPut = (id: string, event: RequestEventRecord): TransactItem => ({
  Put: { TableName: table(), Item: { ...requestEventKey(id, event.at, newId(new Date(event.at))), type: 'RequestEvent', ...event } },
});

/** Which of a request's two clocks a due item watches: acceptance (响应) or resolution (办结). */
export type DueClock = 'respond' | 'resolve';

/** The schedule's to-do: escalate this request at this level once its resolution clock runs out. */
const duePut = (r: { id: string; resolveBy: string; level: RequestLevel }): TransactItem => ({
  Put: { TableName: table(), Item: { ...requestDueKey(r.resolveBy, r.id, r.level), type: 'RequestDue', requestId: r.id, level: r.level, dueAt: r.resolveBy } },
});

/** The same for its response clock, while it arrives at a level with nobody owning it (filed, handed up). */
const respondDuePut = (r: { id: string; respondBy: string; level: RequestLevel }): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...requestDueKey(r.respondBy, r.id, r.level, 'respond'), type: 'RequestDue', requestId: r.id, level: r.level, dueAt: r.respondBy, clock: 'respond' },
  },
});

/** A region's listing of a request handed up to it, keyed by the request's filing so a re-review rewrites it. */
const regionListingPut = (rid: string, r: RequestRecord): TransactItem => ({
  Put: { TableName: table(), Item: { ...regionRequestKey(rid, r.createdAt, r.id), type: 'RegionRequest', requestId: r.id, communityId: r.communityId } },
});

/** The part names of a request's acts, for the service's mapping of a failed condition. */
export type RequestPart = 'request' | 'event' | 'listing' | 'due' | 'respondDue' | 'visit' | 'uploads' | 'notices' | 'audit';

/**
 * A new request with its filing event and its clocks' due items; in the same transaction `visit`,
 * the visit it follows up, and `uploads`, the use of its photos (store/uploads.ts uploadsUsed).
 */
export async function putRequest(r: RequestRecord, filed: RequestEventRecord, also: { visit?: Part; uploads?: Part } = {}): Promise<void> {
  await transact({
    request: { Put: { TableName: table(), Item: { ...requestKey(r.id), ...requestIndexes(r), type: 'Request', ...r }, ConditionExpression: 'attribute_not_exists(pk)' } },
    event: eventPut(r.id, filed),
    due: duePut(r),
    respondDue: respondDuePut(r),
    visit: also.visit,
    uploads: also.uploads,
  });
}

/** The request and its timeline, oldest event first: one Query of its partition. */
export async function getRequestWithTimeline(id: string): Promise<{ request?: RequestRecord; events: RequestEventRecord[] }> {
  const items = await queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': requestItemsQuery(id).pk }, ConsistentRead: true });
  const meta = items.find((it) => it.sk === 'META');
  return {
    request: meta ? stripKeys<RequestRecord>(meta) : undefined,
    events: items.filter((it) => it.type === 'RequestEvent').map((it) => stripKeys<RequestEventRecord>(it)),
  };
}

/** Requests by id (strongly consistent, one BatchGet per 100), in no particular order; missing ones left out. */
export async function getRequests(ids: readonly string[]): Promise<RequestRecord[]> {
  return (await getItems(ids.map(requestKey))).map((it) => stripKeys<RequestRecord>(it));
}

interface Change {
  /** SET/REMOVE of the request item. */
  update: string;
  /** The state machine's condition on the request item. */
  condition: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
  /** The rest of the act's transaction: its event, listing, due items, outbox, audit entry (last). */
  parts: { event: TransactItem; listing?: Part; due?: Part; respondDue?: Part; notices?: Part; audit?: Part };
}

/**
 * One act on a request: its conditional update and the rest of its transaction. When the request
 * is not as the act needs it, `ConditionFailed` names `request` and holds it as it was.
 */
async function changeRequest(id: string, change: Change): Promise<void> {
  const expressions = `${change.update} ${change.condition}`;
  const names = Object.fromEntries(Object.entries({ '#status': 'status', '#level': 'level', ...change.names }).filter(([name]) => expressions.includes(name)));
  const { event, listing, due, respondDue, notices, audit } = change.parts;
  await transact({
    request: {
      Update: {
        TableName: table(),
        Key: requestKey(id),
        UpdateExpression: change.update,
        ConditionExpression: `attribute_exists(pk) AND ${change.condition}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: change.values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    event,
    listing,
    due,
    respondDue,
    notices,
    audit,
  });
}

const statusIn = (name: string, statuses: readonly RequestStatus[]) => ({
  condition: `#status IN (${statuses.map((_, i) => `:${name}${i}`).join(', ')})`,
  values: Object.fromEntries(statuses.map((s, i) => [`:${name}${i}`, s])),
});

/** 首问负责: the first staff member at its level to accept it owns it; the rest fail on `request` (it has an owner). */
export async function acceptRequest(
  r: RequestRecord,
  owner: { id: string; name?: string },
  act: { at: string; respondedInTime: boolean; event: RequestEventRecord; notices: Part; audit: Part },
): Promise<void> {
  const acceptable = statusIn('s', ACCEPTABLE);
  await changeRequest(r.id, {
    update:
      'SET #status = :accepted, ownerId = :owner, ownerName = :ownerName, ownerLevel = #level, respondedAt = if_not_exists(respondedAt, :at), respondedInTime = if_not_exists(respondedInTime, :inTime)',
    condition: `${acceptable.condition} AND attribute_not_exists(ownerId) AND #level = :level`,
    values: { ...acceptable.values, ':accepted': 'accepted', ':owner': owner.id, ':ownerName': owner.name ?? '', ':at': act.at, ':inTime': act.respondedInTime, ':level': r.level },
    parts: { event: eventPut(r.id, act.event), notices: act.notices, audit: act.audit },
  });
}

/**
 * Handed up one level: unowned there, on a fresh clock, listed for the region's staff. By its
 * owner (`ownerId`), or by the schedule (`dueAt` of `dueClock`: only while the clock that ran out
 * is still the request's and it is still at that level, so each level escalates at most once; a
 * response clock only while nobody has accepted it).
 */
export async function escalateRequest(
  r: RequestRecord,
  act: {
    to: RequestLevel;
    regionId: string;
    clock: { respondBy: string; resolveBy: string };
    ownerId?: string;
    dueAt?: string;
    dueClock?: DueClock;
    event: RequestEventRecord;
    notices: Part;
    audit?: Part;
  },
): Promise<void> {
  const next: RequestRecord = { ...r, level: act.to, ...act.clock };
  const lapsed = act.dueClock === 'respond' ? 'respondBy = :dueAt AND attribute_not_exists(ownerId)' : 'resolveBy = :dueAt';
  const guard = act.ownerId ? statusIn('s', WORKABLE) : statusIn('s', act.dueClock === 'respond' ? ACCEPTABLE : [...ACCEPTABLE, ...WORKABLE]);
  await changeRequest(r.id, {
    update:
      'SET #status = :escalated, #level = :to, respondBy = :respondBy, resolveBy = :resolveBy, escalated = :true, regionIds = list_append(if_not_exists(regionIds, :empty), :region) REMOVE ownerId, ownerName, ownerLevel',
    condition: `${guard.condition} AND #level = :from AND ${act.ownerId ? 'ownerId = :owner' : lapsed}`,
    values: {
      ...guard.values,
      ':escalated': 'escalated',
      ':to': act.to,
      ':from': r.level,
      ':respondBy': act.clock.respondBy,
      ':resolveBy': act.clock.resolveBy,
      ':true': true,
      ':empty': [],
      ':region': [act.regionId],
      ...(act.ownerId ? { ':owner': act.ownerId } : { ':dueAt': act.dueAt }),
    },
    parts: {
      event: eventPut(r.id, act.event),
      listing: regionListingPut(act.regionId, r),
      due: duePut(next),
      respondDue: respondDuePut(next),
      notices: act.notices,
      audit: act.audit,
    },
  });
}

export async function resolveRequest(
  r: RequestRecord,
  act: { ownerId: string; summary: string; at: string; resolvedInTime: boolean; event: RequestEventRecord; notices: Part; audit: Part },
): Promise<void> {
  const workable = statusIn('s', WORKABLE);
  await changeRequest(r.id, {
    update: 'SET #status = :resolved, resolvedAt = :at, resolution = :summary, resolvedInTime = if_not_exists(resolvedInTime, :inTime)',
    condition: `${workable.condition} AND ownerId = :owner`,
    values: { ...workable.values, ':resolved': 'resolved', ':at': act.at, ':summary': act.summary, ':inTime': act.resolvedInTime, ':owner': act.ownerId },
    parts: { event: eventPut(r.id, act.event), notices: act.notices, audit: act.audit },
  });
}

/** The resident's rating: closes it, or (1–2) reopens it unowned, on a fresh clock, at the level that reviews it. */
export async function rateRequest(
  r: RequestRecord,
  act: {
    residentId: string;
    rating: { score: number; comment?: string };
    outcome: { status: 'closed' } | { status: 'reopened'; level: RequestLevel; regionId?: string; clock: { respondBy: string; resolveBy: string } };
    event: RequestEventRecord;
  },
): Promise<void> {
  const reopened = act.outcome.status === 'reopened' ? act.outcome : undefined;
  await changeRequest(r.id, {
    update: reopened
      ? 'SET rating = :rating, #status = :next, #level = :to, respondBy = :respondBy, resolveBy = :resolveBy, regionIds = list_append(if_not_exists(regionIds, :empty), :region) REMOVE ownerId, ownerName, ownerLevel'
      : 'SET rating = :rating, #status = :next',
    condition: '#status = :resolved AND residentId = :resident',
    values: {
      ':rating': act.rating,
      ':next': act.outcome.status,
      ':resolved': 'resolved',
      ':resident': act.residentId,
      ...(reopened ? { ':to': reopened.level, ':empty': [], ':region': reopened.regionId ? [reopened.regionId] : [], ':respondBy': reopened.clock.respondBy, ':resolveBy': reopened.clock.resolveBy } : {}),
    },
    parts: {
      event: eventPut(r.id, act.event),
      due: reopened ? duePut({ id: r.id, level: reopened.level, resolveBy: reopened.clock.resolveBy }) : undefined,
      listing: reopened?.regionId ? regionListingPut(reopened.regionId, r) : undefined,
    },
  });
}

/** The resident reopens a resolution within the window: back to its owner, on a fresh clock. */
export async function reopenRequest(
  r: RequestRecord,
  act: { residentId: string; since: string; clock: { respondBy: string; resolveBy: string }; event: RequestEventRecord },
): Promise<void> {
  await changeRequest(r.id, {
    update: 'SET #status = :reopened, respondBy = :respondBy, resolveBy = :resolveBy',
    condition: '#status = :resolved AND residentId = :resident AND resolvedAt >= :since',
    values: { ':reopened': 'reopened', ':resolved': 'resolved', ':resident': act.residentId, ':since': act.since, ':respondBy': act.clock.respondBy, ':resolveBy': act.clock.resolveBy },
    parts: { event: eventPut(r.id, act.event), due: duePut({ id: r.id, level: r.level, resolveBy: act.clock.resolveBy }) },
  });
}

/** A note on the timeline, while the request is open (else `request` fails); the owner's tells the resident (一次告知). */
export async function addRequestNote(r: RequestRecord, act: { openStatuses: readonly RequestStatus[]; event: RequestEventRecord; notices: Part }): Promise<void> {
  const open = statusIn('s', act.openStatuses);
  await transact({
    request: { ConditionCheck: { TableName: table(), Key: requestKey(r.id), ConditionExpression: open.condition, ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: open.values } },
    event: eventPut(r.id, act.event),
    notices: act.notices,
  });
}

const pageOf = (items: Item[], next?: string): Page<RequestRecord> => ({ items: items.map((it) => stripKeys<RequestRecord>(it)), ...(next ? { next } : {}) });

/** Narrows a list by state and grid (a filter: a page may hold fewer than its limit, and a cursor goes on). */
function listFilter(narrow: { status?: RequestStatus; gridId?: string }) {
  const terms = [...(narrow.status ? ['#status = :status'] : []), ...(narrow.gridId ? ['gridId = :grid'] : [])];
  if (!terms.length) return undefined;
  return {
    FilterExpression: terms.join(' AND '),
    ...(narrow.status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
    ExpressionAttributeValues: { ...(narrow.status ? { ':status': narrow.status } : {}), ...(narrow.gridId ? { ':grid': narrow.gridId } : {}) },
  };
}

export async function listUserRequests(uid: string, options: { limit: number; cursor?: string }): Promise<Page<RequestRecord>> {
  return userItemsPage<RequestRecord>(userRequestsQuery(uid), options);
}

export async function listCommunityRequests(cid: string, options: { limit: number; cursor?: string; status?: RequestStatus; gridId?: string }): Promise<Page<RequestRecord>> {
  const q = communityRequestsQuery(cid);
  const filter = listFilter(options);
  const { items, next } = await queryPage(
    {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ...(filter ? { FilterExpression: filter.FilterExpression, ...(filter.ExpressionAttributeNames ? { ExpressionAttributeNames: filter.ExpressionAttributeNames } : {}) } : {}),
      ExpressionAttributeValues: { ':pk': q.gsi2pk, ...filter?.ExpressionAttributeValues },
      ScanIndexForward: false,
      Limit: options.limit,
    },
    options.cursor,
  );
  return pageOf(items, next);
}

/** A community's requests filed in a local month, every page (the rates read them all). */
export async function monthRequests(cid: string, month: string): Promise<RequestRecord[]> {
  const q = communityRequestsQuery(cid, month);
  const items = await queryAll({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.gsi2pk, ':prefix': q.gsi2skPrefix },
  });
  return items.map((it) => stripKeys<RequestRecord>(it));
}

/** Requests handed up to a region, newest first: a page of listings, then the requests in one BatchGet. */
export async function listRegionRequests(rid: string, options: { limit: number; cursor?: string }): Promise<{ ids: string[]; next?: string }> {
  const q = regionRequestsQuery(rid);
  const { items, next } = await queryPage(
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix },
      ScanIndexForward: false,
      Limit: options.limit,
    },
    options.cursor,
  );
  return { ids: items.map((it) => stripKeys<{ requestId: string }>(it).requestId), ...(next ? { next } : {}) };
}

export interface DueRecord {
  requestId: string;
  level: RequestLevel;
  dueAt: string;
  /** Absent on a resolution clock's item (the shape those items always had). */
  clock?: 'respond';
}

/** The due items of one UTC day whose time has come. */
export async function dueRequests(day: string, now: Date): Promise<DueRecord[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk <= :now',
    ExpressionAttributeValues: { ':pk': requestDueDayQuery(day).pk, ':now': now.toISOString() },
    ConsistentRead: true,
  });
  return items.map((it) => stripKeys<DueRecord>(it));
}

/** A due item is done with (escalated, or its request moved on): the schedule never reads it again. */
export async function deleteDue(due: DueRecord): Promise<void> {
  await send(new DeleteCommand({ TableName: table(), Key: requestDueKey(due.dueAt, due.requestId, due.level, due.clock ?? 'resolve') }));
}

/** The clocks a community's staff set, one attribute per category (`c_repair`); categories never set are absent. */
export async function getCategoryClocks(cid: string): Promise<Partial<Record<RequestCategory, CategoryClock>>> {
  const { Item } = await send<{ Item?: Item }>(new GetCommand({ TableName: table(), Key: categoryClocksKey(cid), ConsistentRead: true }));
  return Object.fromEntries(Object.entries(Item ?? {}).flatMap(([name, value]) => (name.startsWith('c_') ? [[name.slice(2), value]] : [])));
}

/** Sets some categories' clocks (the others keep theirs), with the act's audit entry. Requests already filed keep their clock. */
export async function setCategoryClocks(cid: string, clocks: Partial<Record<RequestCategory, CategoryClock>>, act: { actorId: string; at: string }): Promise<void> {
  const set = Object.entries(clocks) as [RequestCategory, CategoryClock][];
  await transact({
    clocks: {
      Update: {
        TableName: table(),
        Key: categoryClocksKey(cid),
        UpdateExpression: `SET #type = :type, ${set.map(([category]) => `c_${category} = :${category}`).join(', ')}`,
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'RequestClocks', ...Object.fromEntries(set.map(([category, clock]) => [`:${category}`, clock])) },
      },
    },
    audit: auditEntry({
      communityId: cid, actorId: act.actorId, act: 'request.clocks', at: act.at,
      detail: Object.fromEntries(set.map(([category, clock]) => [category, `${clock.respondHours}小时响应/${clock.resolveDays}个工作日办结`])),
    }),
  });
}
