/**
 * Notices (居务公开 / 信息发布): what the committee tells residents. The body is a small
 * structured document (paragraphs, bold runs, bulleted and numbered lists), never HTML, so the
 * mini-program renders it with its own components and nothing a staff member types can run.
 */
import { Id, IsoDateTime, ListQuery, Text, page } from './common';
import { NOTICE_CATEGORIES } from './notice-labels';
import { route } from './route';
import * as z from './schema';

export * from './notice-labels';

export const NoticeCategory = z.enum(NOTICE_CATEGORIES);
export type NoticeCategory = z.infer<typeof NoticeCategory>;

/** A run of text within a paragraph or a list item; bold or not. */
export const TextRun = z.object({ text: z.string().min(1, '不能为空').max(2000, '最多 2000 个字'), bold: z.boolean().optional() });
export type TextRun = z.infer<typeof TextRun>;
const Runs = z.array(TextRun).min(1).max(50);
export const NoticeBlock = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paragraph'), runs: Runs }),
  z.object({ type: z.literal('bullets'), items: z.array(Runs).min(1).max(50) }),
  z.object({ type: z.literal('numbered'), items: z.array(Runs).min(1).max(50) }),
]);
export type NoticeBlock = z.infer<typeof NoticeBlock>;
export const NoticeBody = z.array(NoticeBlock).min(1, '正文不能为空').max(100);
export type NoticeBody = z.infer<typeof NoticeBody>;

/** One row of a 财务公开 table: amounts in fen (分), so sums are exact; shown in yuan. */
export const MoneyRow = z.object({
  item: Text(60),
  amountFen: z.number().int('金额应精确到分').min(-100_000_000_00).max(100_000_000_00),
});
export type MoneyRow = z.infer<typeof MoneyRow>;

/** An upload (POST /v1/uploads, purpose notice-attachment) to attach, with the name residents see. */
export const AttachmentInput = z.object({ uploadId: Id, name: Text(60) });
/** An attached image or PDF, read through a link that expires (10 minutes). */
export const Attachment = z.object({ name: z.string(), contentType: z.string(), size: z.number().int(), url: z.string() });
export type Attachment = z.infer<typeof Attachment>;

export const NoticeInput = z.object({
  title: Text(60),
  category: NoticeCategory,
  body: NoticeBody,
  pinned: z.boolean().default(false),
  /** Shown to residents from this instant; defaults to the moment of posting. */
  displayFrom: IsoDateTime.optional(),
  /** Shown until this instant (exclusive); without it, until withdrawn. */
  displayUntil: IsoDateTime.optional(),
  /** 财务公开 only: the rows of its table. */
  table: z.array(MoneyRow).min(1).max(100).optional(),
  /** Images and PDFs; each upload is taken by this notice (an edit keeps them as they are). */
  attachments: z.array(AttachmentInput).max(9).optional(),
  /** Also send it as a subscription message to the residents who accepted its category's template. */
  notify: z.boolean().default(false),
});
export type NoticeInput = z.output<typeof NoticeInput>;
/** A change: only the fields named; `displayUntil: null` removes the end. */
export const NoticeChange = z.object({
  title: Text(60).optional(),
  category: NoticeCategory.optional(),
  body: NoticeBody.optional(),
  pinned: z.boolean().optional(),
  displayFrom: IsoDateTime.optional(),
  displayUntil: IsoDateTime.nullable().optional(),
  table: z.array(MoneyRow).min(1).max(100).nullable().optional(),
});
export type NoticeChange = z.output<typeof NoticeChange>;

/** scheduled: before its period; showing: residents see it; ended: after it; withdrawn: taken down by staff. */
export const NoticeState = z.enum(['scheduled', 'showing', 'ended', 'withdrawn']);
export type NoticeState = z.infer<typeof NoticeState>;

export const NoticeSummary = z.object({
  id: Id,
  communityId: Id,
  title: z.string(),
  category: NoticeCategory,
  pinned: z.boolean(),
  displayFrom: IsoDateTime,
  displayUntil: IsoDateTime.optional(),
  state: NoticeState,
  /** The consultation whose published decision this notice is (两公开). */
  consultationId: Id.optional(),
  /** Whether the caller has opened it; absent without a token. */
  read: z.boolean().optional(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime.optional(),
});
export type NoticeSummary = z.infer<typeof NoticeSummary>;
export const Notice = NoticeSummary.extend({
  body: NoticeBody,
  table: z.object({ rows: z.array(MoneyRow), totalFen: z.number().int() }).optional(),
  attachments: z.array(Attachment).optional(),
  /** Staff only: how many verified households opened it (a count, never who). */
  opens: z.number().int().optional(),
});
export type Notice = z.infer<typeof Notice>;
export const NoticeQuery = ListQuery.extend({ category: NoticeCategory.optional() });
export const NoticeRead = z.object({ read: z.literal(true), readAt: IsoDateTime });

export const noticeRoutes = {
  postNotice: route({
    method: 'POST', path: '/v1/communities/{cid}/notices', fn: 'notices', auth: 'user', summary: '发布公告',
    body: NoticeInput, response: Notice, status: 201,
  }),
  listNotices: route({
    method: 'GET', path: '/v1/communities/{cid}/notices', fn: 'notices', auth: 'optional', summary: '公告列表（置顶在前，新的在前）',
    query: NoticeQuery, response: page(NoticeSummary),
  }),
  getNotice: route({ method: 'GET', path: '/v1/notices/{id}', fn: 'notices', auth: 'optional', summary: '公告详情', response: Notice }),
  editNotice: route({ method: 'PATCH', path: '/v1/notices/{id}', fn: 'notices', auth: 'user', summary: '修改公告', body: NoticeChange, response: Notice }),
  withdrawNotice: route({ method: 'DELETE', path: '/v1/notices/{id}', fn: 'notices', auth: 'user', summary: '撤回公告', response: Notice }),
  readNotice: route({ method: 'POST', path: '/v1/notices/{id}/read', fn: 'notices', auth: 'user', summary: '标记已读', response: NoticeRead }),
};
