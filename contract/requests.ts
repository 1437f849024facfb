/**
 * 诉求反映: a resident's request, routed to their household's grid worker, on a clock per
 * category, handed up community → street → district (首问负责, 一次告知, 限时办结).
 * Labels for states, levels, categories and timeline events are defined once, in
 * request-labels.ts (no schema library, so pages import them without zod), and re-exported here.
 */
import { Household, Id, IsoDateTime, ListQuery, LocalDate, Text, page } from './common';
import { REQUEST_CATEGORY_KEYS, REQUEST_EVENT_KINDS, REQUEST_LEVELS, REQUEST_STATUSES } from './request-labels';
import { route } from './route';
import * as z from './schema';

export * from './request-labels';

export const RequestLevel = z.enum(REQUEST_LEVELS);
export type RequestLevel = z.infer<typeof RequestLevel>;
export const RequestStatus = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof RequestStatus>;
export const RequestCategory = z.enum(REQUEST_CATEGORY_KEYS);
export type RequestCategory = z.infer<typeof RequestCategory>;

/** A category's clock as a community sets it (REQUEST_CATEGORIES' defaults until staff change it). */
export const CategoryClock = z.object({
  respondHours: z.number().int().min(1, '至少 1 小时').max(720, '不能超过 720 小时'),
  resolveDays: z.number().int().min(1, '至少 1 个工作日').max(90, '不能超过 90 个工作日'),
});
export type CategoryClock = z.infer<typeof CategoryClock>;
export const CategoryClocks = z.object({
  items: z.array(CategoryClock.extend({ category: RequestCategory, label: z.string() })),
});
export type CategoryClocks = z.infer<typeof CategoryClocks>;
export const SetCategoryClocks = z.object({
  clocks: z.array(CategoryClock.extend({ category: RequestCategory })).min(1).max(RequestCategory.options.length),
});

export const RequestEventKind = z.enum(REQUEST_EVENT_KINDS);
export type RequestEventKind = z.infer<typeof RequestEventKind>;

/** At most 3 photos, each an upload id from POST /v1/uploads (purpose `request-photo`). */
export const RequestPhotos = z.array(Id).max(3, '最多上传 3 张照片');
export const FileRequest = z.object({
  category: RequestCategory,
  text: Text(500),
  photos: RequestPhotos.optional(),
  /** Where in the community (楼下花坛, 3 号楼东侧…), optional. */
  place: Text(60).optional(),
});
export type FileRequest = z.infer<typeof FileRequest>;

export const RequestEvent = z.object({
  at: IsoDateTime,
  kind: RequestEventKind,
  /** The level the event happened at (for escalations: the level it was handed up to). */
  level: RequestLevel,
  /** Who acted, as the reader may see them: the resident's own name to them, a role (网格员、街道工作人员) or a masked name otherwise. */
  by: z.string().optional(),
  /** A note, the reason for handing up, the resolution summary, or a rating's comment. */
  text: z.string().optional(),
  score: z.number().int().min(1).max(5).optional(),
});
export type RequestEvent = z.infer<typeof RequestEvent>;

export const RequestPhoto = z.object({ url: z.string() });

/** A request as its reader may see it (text, photos and the resident only to those allowed). */
export const ServiceRequest = z.object({
  id: Id,
  /** Readable number: the year and a 7-digit sequence, 2026-0001234. */
  number: z.string(),
  communityId: Id,
  category: RequestCategory,
  status: RequestStatus,
  level: RequestLevel,
  /** The household's grid; absent when the household belongs to no grid (the community's duty desk). */
  gridId: Id.optional(),
  gridName: z.string().optional(),
  text: z.string().optional(),
  place: z.string().optional(),
  photos: z.array(RequestPhoto).optional(),
  /** The resident: full to themselves and to the request's owner, masked (张*) to other staff. */
  resident: z.string().optional(),
  household: z.string().optional(),
  /** The staff member who owns it now (首问负责), as the reader may see them. */
  ownerName: z.string().optional(),
  /** True to the caller who owns it. */
  ownedByMe: z.boolean().optional(),
  respondBy: IsoDateTime,
  resolveBy: IsoDateTime,
  respondedAt: IsoDateTime.optional(),
  resolvedAt: IsoDateTime.optional(),
  /** 超期: computed from now; open and past `resolveBy`, or not yet accepted past `respondBy`. */
  overdue: z.boolean(),
  resolution: z.string().optional(),
  rating: z.object({ score: z.number(), comment: z.string().optional() }).optional(),
  /** Until when the resident may reopen it (7 days after the resolution). */
  reopenUntil: IsoDateTime.optional(),
  createdAt: IsoDateTime,
  timeline: z.array(RequestEvent).optional(),
});
export type ServiceRequest = z.infer<typeof ServiceRequest>;

/** The public list: category, state, dates and the resolution summary only. */
export const PublicRequest = z.object({
  id: Id,
  number: z.string(),
  category: RequestCategory,
  status: RequestStatus,
  level: RequestLevel,
  createdAt: IsoDateTime,
  resolvedAt: IsoDateTime.optional(),
  resolution: z.string().optional(),
  overdue: z.boolean(),
});
export type PublicRequest = z.infer<typeof PublicRequest>;

export const RequestsQuery = ListQuery.extend({ status: RequestStatus.optional() });
/** Staff's list: one grid's requests (a grid worker's queue) when `gridId` is given. */
export const CommunityRequestsQuery = RequestsQuery.extend({ gridId: Id.optional() });
export const RequestNote = z.object({ text: Text(500) });
export const EscalateRequest = z.object({ reason: Text(200) });
export const ResolveRequest = z.object({ summary: Text(500) });
export const RateRequest = z.object({ score: z.number().int().min(1).max(5), comment: Text(200).optional() });
export const ReopenRequest = z.object({ reason: Text(200).optional() });

/** A month's figures (Beijing's three rates of 接诉即办) for a grid, a community or a region. */
export const RequestRates = z.object({
  /** Requests filed in the month. */
  filed: z.number(),
  /** Accepted within the response clock ÷ filed; null when none was filed. */
  responseRate: z.number().nullable(),
  /** Resolved within the resolution clock ÷ filed; null when none was filed. */
  resolutionRate: z.number().nullable(),
  /** Ratings of 4–5 ÷ rated; null when none was rated. */
  satisfactionRate: z.number().nullable(),
  rated: z.number(),
  /** Of the month's requests, now: not yet resolved or closed. */
  open: z.number(),
  /** Open and past their clock, now. */
  overdue: z.number(),
  /** Handed up at least once. */
  escalated: z.number(),
});
export type RequestRates = z.infer<typeof RequestRates>;

export const GridRates = RequestRates.extend({
  gridId: Id.optional(),
  /** The grid's name, or 值班台 for households in no grid. */
  name: z.string(),
  households: z.number(),
  /** Households visited (走访入户) in the month, each counted once. */
  visitedHouseholds: z.number(),
  /** visitedHouseholds ÷ households; null when the grid has no verified household. */
  visitRate: z.number().nullable(),
});
export type GridRates = z.infer<typeof GridRates>;

/** The requests section of GET /v1/communities/{cid}/stats: the month's rates, in total and per grid. */
export const RequestStats = z.object({
  /** Community-local month, YYYY-MM. */
  month: z.string(),
  total: RequestRates,
  grids: z.array(GridRates),
});
export type RequestStats = z.infer<typeof RequestStats>;


export const Grid = z.object({
  id: Id,
  communityId: Id,
  name: z.string(),
  /** Building numbers (楼栋) of the grid: household 3-2-501 belongs to the grid holding "3". */
  buildings: z.array(z.string()),
  workerId: Id,
  workerName: z.string().optional(),
  /** Verified households in the grid's buildings. */
  households: z.number(),
  createdAt: IsoDateTime,
});
export type Grid = z.infer<typeof Grid>;
export const Building = z.string().trim().regex(/^[0-9０-９]{1,3}$/, '楼栋应为 1–3 位数字');
export const GridInput = z.object({
  name: Text(30),
  buildings: z.array(Building).min(1, '至少包含一栋楼').max(90, '一个网格最多 90 栋楼'),
  workerId: Id,
});

export const VisitInput = z.object({
  household: Household,
  /** Community-local date of the visit; today when absent. */
  date: LocalDate.optional(),
  note: Text(200).optional(),
  /** A request opened on the household's behalf (代办), owned by the visiting worker. */
  followUp: z.object({ category: RequestCategory, text: Text(500) }).optional(),
});
export const Visit = z.object({
  id: Id,
  communityId: Id,
  gridId: Id.optional(),
  household: z.string(),
  date: z.string(),
  note: z.string().optional(),
  workerId: Id,
  requestId: Id.optional(),
  createdAt: IsoDateTime,
});
export type Visit = z.infer<typeof Visit>;

export const requestRoutes = {
  fileRequest: route({
    method: 'POST', path: '/v1/communities/{cid}/requests', fn: 'requests', auth: 'user', summary: '反映诉求（已核实居民）',
    body: FileRequest, response: ServiceRequest, status: 201,
  }),
  getRequest: route({ method: 'GET', path: '/v1/requests/{id}', fn: 'requests', auth: 'user', summary: '诉求详情及办理过程', response: ServiceRequest }),
  myRequests: route({ method: 'GET', path: '/v1/me/requests', fn: 'requests', auth: 'user', summary: '我的诉求', query: ListQuery, response: page(ServiceRequest) }),
  communityRequests: route({
    method: 'GET', path: '/v1/communities/{cid}/requests', fn: 'requests', auth: 'user', summary: '本社区诉求（工作人员）',
    query: CommunityRequestsQuery, response: page(ServiceRequest),
  }),
  publicRequests: route({
    method: 'GET', path: '/v1/communities/{cid}/requests/public', fn: 'requests', auth: 'none', summary: '诉求公开栏',
    query: RequestsQuery, response: page(PublicRequest),
  }),
  acceptRequest: route({ method: 'POST', path: '/v1/requests/{id}/accept', fn: 'requests', auth: 'user', summary: '受理诉求（首问负责）', response: ServiceRequest }),
  addRequestNote: route({
    method: 'POST', path: '/v1/requests/{id}/notes', fn: 'requests', auth: 'user', summary: '补充办理进展或情况',
    body: RequestNote, response: ServiceRequest, status: 201,
  }),
  escalateRequest: route({
    method: 'POST', path: '/v1/requests/{id}/escalate', fn: 'requests', auth: 'user', summary: '上报上级',
    body: EscalateRequest, response: ServiceRequest,
  }),
  resolveRequest: route({
    method: 'POST', path: '/v1/requests/{id}/resolve', fn: 'requests', auth: 'user', summary: '办结诉求',
    body: ResolveRequest, response: ServiceRequest,
  }),
  rateRequest: route({
    method: 'POST', path: '/v1/requests/{id}/rating', fn: 'requests', auth: 'user', summary: '评价诉求办理（1–2 分将重新办理）',
    body: RateRequest, response: ServiceRequest,
  }),
  reopenRequest: route({
    method: 'POST', path: '/v1/requests/{id}/reopen', fn: 'requests', auth: 'user', summary: '重新办理（办结后 7 天内）',
    body: ReopenRequest, response: ServiceRequest,
  }),
  requestCategories: route({
    method: 'GET', path: '/v1/communities/{cid}/request-categories', fn: 'requests', auth: 'none', summary: '诉求类别及办理时限',
    response: CategoryClocks,
  }),
  setRequestCategories: route({
    method: 'PUT', path: '/v1/communities/{cid}/request-categories', fn: 'requests', auth: 'user', summary: '设置诉求办理时限（工作人员）',
    body: SetCategoryClocks, response: CategoryClocks,
  }),
  createGrid: route({
    method: 'POST', path: '/v1/communities/{cid}/grids', fn: 'requests', auth: 'user', summary: '划分网格（工作人员）',
    body: GridInput, response: Grid, status: 201,
  }),
  listGrids: route({
    method: 'GET', path: '/v1/communities/{cid}/grids', fn: 'requests', auth: 'user', summary: '网格及户数（工作人员）',
    response: z.object({ items: z.array(Grid) }),
  }),
  recordVisit: route({
    method: 'POST', path: '/v1/communities/{cid}/visits', fn: 'requests', auth: 'user', summary: '记录走访入户（工作人员）',
    body: VisitInput, response: Visit, status: 201,
  }),
};
