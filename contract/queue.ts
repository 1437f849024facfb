/**
 * Service-hall queue (取号叫号): hall layout, tickets, windows calling by the ordering rule, the
 * display board. The board's WebSocket messages are described by `BoardMessage` below.
 */
import { Category, HhMm, Id, IsoDateTime, LocalDate, MiniProgramCode, Ok, Rating, Text } from './common';
import { route } from './route';
import * as z from './schema';

export const HallCategory = z.object({ code: Category, name: Text(20) });
export const HallWindow = z.object({ no: z.number().int().min(1).max(99), categories: z.array(Category).min(1).max(26) });

/**
 * 办理时间: on these weekdays (1 = 周一 … 7 = 周日), from `open` to `close`. Told to residents (the
 * take page and the walk-in poster; the public board carries them too); taking a number is not
 * refused outside them.
 */
export const OpeningHours = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).min(1, '请至少选择一天').max(7),
    open: HhMm,
    close: HhMm,
  })
  .refine((h) => h.open < h.close, { path: ['close'], message: '结束时间应晚于开始时间' });
export type OpeningHours = z.infer<typeof OpeningHours>;

export const HallLayout = z
  .object({
    categories: z.array(HallCategory).min(1).max(26),
    windows: z.array(HallWindow).min(1).max(50),
    /** After this many consecutive priority calls a normal ticket goes next when one waits. */
    priorityRatio: z.number().int().min(1).max(10).default(2),
    /** A ticket waiting longer than this goes next, whatever its kind. */
    maxWaitMin: z.number().int().min(5).max(480).default(60),
    hours: z.array(OpeningHours).max(7).default([]),
  })
  .superRefine((hall, ctx) => {
    const codes = new Set(hall.categories.map((c) => c.code));
    if (codes.size !== hall.categories.length) ctx.addIssue({ code: 'custom', path: ['categories'], message: '业务类别代码不能重复' });
    const nos = new Set(hall.windows.map((w) => w.no));
    if (nos.size !== hall.windows.length) ctx.addIssue({ code: 'custom', path: ['windows'], message: '窗口号不能重复' });
    hall.windows.forEach((w, i) =>
      w.categories.forEach((c, j) => {
        if (!codes.has(c)) ctx.addIssue({ code: 'custom', path: ['windows', i, 'categories', j], message: `未定义的业务类别 ${c}` });
      }),
    );
  });
export type HallLayout = z.output<typeof HallLayout>;

export const WindowState = z.object({
  no: z.number(),
  categories: z.array(z.string()),
  open: z.boolean(),
  /** Staff view only: the ticket last called to this window today. */
  current: z.object({ id: Id, number: z.string(), category: z.string(), calledAt: IsoDateTime }).optional(),
});
export type WindowState = z.infer<typeof WindowState>;

export const Hall = z.object({
  communityId: Id,
  timezone: z.string(),
  categories: z.array(z.object({ code: z.string(), name: z.string() })),
  windows: z.array(WindowState),
  priorityRatio: z.number(),
  maxWaitMin: z.number(),
  hours: z.array(OpeningHours),
});
export type Hall = z.infer<typeof Hall>;

export const TicketStatus = z.enum(['waiting', 'called', 'done', 'skipped', 'cancelled']);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const Ticket = z.object({
  id: Id,
  communityId: Id,
  /** The local day the ticket belongs to. */
  date: LocalDate.optional(),
  number: z.string(),
  category: z.string(),
  categoryName: z.string().optional(),
  status: TicketStatus,
  priority: z.boolean(),
  /** Why the ticket is a priority one (预约签到, 70 岁以上老人…). */
  priorityReason: z.string().optional(),
  /** While waiting: 1 = called next in its category. */
  position: z.number().optional(),
  /** position − 1, shown as 前面还有 N 人. */
  ahead: z.number().optional(),
  /**
   * True when position and ahead are estimated (shown as 前面约有 N 人): far back in a long queue
   * (beyond the first 60 of its category; never more than the tickets waiting), or in a take's
   * answer while earlier takes of a burst are still being written. Otherwise they are exact.
   */
  approximate: z.boolean().optional(),
  estimatedWaitMin: z.number().optional(),
  /** The window it is called to. */
  window: z.number().optional(),
  /** Plain Chinese: why someone was called before this ticket out of number order. */
  reason: z.string().optional(),
  late: z.boolean().optional(),
  notice: z.string().optional(),
  appointmentId: z.string().optional(),
  /** The time it was first issued: a transferred ticket keeps it. */
  issuedAt: IsoDateTime,
  calledAt: IsoDateTime.optional(),
  finishedAt: IsoDateTime.optional(),
  transferredFrom: z.string().optional(),
  recalls: z.number().optional(),
  rating: z.number().optional(),
});
export type Ticket = z.infer<typeof Ticket>;

/** `hallToken`: the day's token from the hall's QR (?t=), for a walk-in who is not a verified member. */
export const TakeTicket = z.object({ category: Category, hallToken: z.string().max(64).optional() });

/** The day's hall QR: a walk-in who scans it may take a number without being a verified member. */
export const HallQr = z.object({
  date: LocalDate,
  token: z.string(),
  /** The mini-program page the QR opens. */
  path: z.string(),
  /** The same page in the H5 app. */
  url: z.string(),
});
export type HallQr = z.infer<typeof HallQr>;
export const Transfer = z.object({ category: Category });
export const MarkPriority = z.object({ reason: Text(60) });

export const TicketRating = z.object({ ticketId: Id, score: z.number(), comment: z.string().optional(), ratedAt: IsoDateTime });

const BoardTicket = z.object({ number: z.string(), category: z.string(), calledAt: IsoDateTime });
export const BoardCall = z.object({
  number: z.string(),
  category: z.string(),
  window: z.number(),
  calledAt: IsoDateTime,
  /** Counts announcements: a recall of the same ticket has a higher one. */
  seq: z.number(),
  recall: z.boolean().optional(),
});
export type BoardCall = z.infer<typeof BoardCall>;

export const Board = z.object({
  communityId: Id,
  communityName: z.string().optional(),
  date: LocalDate,
  categories: z.array(z.object({ code: z.string(), name: z.string() })),
  /** 办理时间, as the hall's layout gives them (empty: not announced). */
  hours: z.array(OpeningHours),
  windows: z.array(z.object({ no: z.number(), open: z.boolean(), categories: z.array(z.string()), ticket: BoardTicket.optional() })),
  waiting: z.record(z.string(), z.number()),
  /** The last calls, newest first. */
  recent: z.array(BoardCall),
  /** Grows with every call and recall: a board announces calls whose seq it has not seen. */
  seq: z.number(),
  /** WeChat subscription templates ("your turn", "3 ahead") the mini-program asks consent for. */
  subscribeTemplateIds: z.array(z.string()).optional(),
});
export type Board = z.infer<typeof Board>;

/**
 * The WebSocket messages (server → board). A new connection is unpaired: answering the board's
 * first message (any, e.g. `{"action":"hello"}`), the server sends `pairing` with the code the TV
 * shows until staff enter it (a fresh code when it expired), or `paired` once paired. Only paired
 * boards receive `call`: a call or a recall, with the board after it.
 */
export const BoardMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), call: BoardCall, board: Board }),
  z.object({ type: z.literal('pairing'), code: z.string().regex(/^\d{6}$/), expiresAt: IsoDateTime }),
  z.object({ type: z.literal('paired') }),
]);
export type BoardMessage = z.infer<typeof BoardMessage>;

/** Staff pair a board by the 6-digit code it shows. */
export const PairBoard = z.object({ code: z.string().regex(/^\d{6}$/, '请输入显示屏上的 6 位配对码') });
export const PairedBoard = z.object({ id: z.string(), pairedAt: IsoDateTime });
export type PairedBoard = z.infer<typeof PairedBoard>;

/** The queue section of GET /v1/communities/{cid}/stats (today, local date). */
export const QueueStats = z.object({
  date: LocalDate,
  waiting: z.record(z.string(), z.number()),
  called: z.number(),
  completed: z.number(),
  /** Minutes from issue to call, over today's calls; null before the first. */
  meanWaitMin: z.number().nullable(),
  /** Minutes from call to completion, over today's completions; null before the first. */
  meanServiceMin: z.number().nullable(),
  callsPerWindow: z.record(z.string(), z.number()),
  /** The wait estimate's learned mean service time per category (minutes). */
  learnedServiceMin: z.record(z.string(), z.number()),
  satisfaction: z.object({ mean: z.number().nullable(), count: z.number() }),
});
export type QueueStats = z.infer<typeof QueueStats>;

export const queueRoutes = {
  putHall: route({ method: 'PUT', path: '/v1/communities/{cid}/hall', fn: 'queue', auth: 'user', summary: '大厅布局', body: HallLayout, response: Hall }),
  getHall: route({ method: 'GET', path: '/v1/communities/{cid}/hall', fn: 'queue', auth: 'user', summary: '大厅布局与窗口状态（工作人员）', response: Hall }),
  openWindow: route({
    method: 'POST', path: '/v1/communities/{cid}/windows/{no}/open', fn: 'queue', auth: 'user', summary: '开窗', response: WindowState,
  }),
  closeWindow: route({
    method: 'POST', path: '/v1/communities/{cid}/windows/{no}/close', fn: 'queue', auth: 'user', summary: '关窗', response: WindowState,
  }),
  takeTicket: route({
    method: 'POST', path: '/v1/communities/{cid}/tickets', fn: 'queue', auth: 'user', summary: '取号',
    body: TakeTicket, response: Ticket, status: 201, idempotency: 'with-act',
  }),
  waitingTickets: route({
    method: 'GET', path: '/v1/communities/{cid}/tickets', fn: 'queue', auth: 'user', summary: '等候中的号码（工作人员，按叫号顺序）',
    response: z.object({ items: z.array(Ticket) }),
  }),
  getTicket: route({ method: 'GET', path: '/v1/tickets/{id}', fn: 'queue', auth: 'user', summary: '号码状态', response: Ticket }),
  myTickets: route({
    method: 'GET', path: '/v1/me/tickets', fn: 'queue', auth: 'user', summary: '我今天的号码（各大厅当地日期）',
    response: z.object({ items: z.array(Ticket) }),
  }),
  cancelTicket: route({ method: 'DELETE', path: '/v1/tickets/{id}', fn: 'queue', auth: 'user', summary: '取消排队', response: Ticket }),
  callNext: route({
    method: 'POST', path: '/v1/communities/{cid}/windows/{no}/call-next', fn: 'queue', auth: 'user', summary: '叫下一个号', response: Ticket, idempotency: 'with-act',
  }),
  recall: route({ method: 'POST', path: '/v1/tickets/{id}/recall', fn: 'queue', auth: 'user', summary: '重呼', response: Ticket }),
  skip: route({ method: 'POST', path: '/v1/tickets/{id}/skip', fn: 'queue', auth: 'user', summary: '过号', response: Ticket }),
  completeTicket: route({ method: 'POST', path: '/v1/tickets/{id}/complete', fn: 'queue', auth: 'user', summary: '办结', response: Ticket }),
  transfer: route({
    method: 'POST', path: '/v1/tickets/{id}/transfer', fn: 'queue', auth: 'user', summary: '转类别', body: Transfer, response: Ticket,
  }),
  priority: route({
    method: 'POST', path: '/v1/tickets/{id}/priority', fn: 'queue', auth: 'user', summary: '设为优先（绿色通道）',
    body: MarkPriority, response: Ticket,
  }),
  rateTicket: route({
    method: 'POST', path: '/v1/tickets/{id}/rating', fn: 'queue', auth: 'user', summary: '满意度评价', body: Rating, response: TicketRating, status: 201,
  }),
  hallQr: route({
    method: 'GET', path: '/v1/communities/{cid}/hall/qr', fn: 'queue', auth: 'user', summary: '今天的大厅取号二维码（工作人员）', response: HallQr,
  }),
  hallCode: route({
    method: 'GET', path: '/v1/communities/{cid}/hall/code', fn: 'queue', auth: 'user',
    summary: '今天的大厅取号小程序码（工作人员，用于打印海报）', response: MiniProgramCode,
  }),
  board: route({ method: 'GET', path: '/v1/communities/{cid}/hall/board', fn: 'queue', auth: 'none', summary: '大厅显示屏', response: Board }),
  pairBoard: route({
    method: 'POST', path: '/v1/communities/{cid}/boards', fn: 'queue', auth: 'user', summary: '配对大厅显示屏（工作人员，输入屏上的配对码）',
    body: PairBoard, response: PairedBoard, status: 201,
  }),
  pairedBoards: route({
    method: 'GET', path: '/v1/communities/{cid}/boards', fn: 'queue', auth: 'user', summary: '已配对的大厅显示屏（工作人员）',
    response: z.object({ items: z.array(PairedBoard) }),
  }),
  unpairBoard: route({
    method: 'DELETE', path: '/v1/communities/{cid}/boards/{id}', fn: 'queue', auth: 'user', summary: '取消显示屏配对（工作人员）', response: Ok,
  }),
};
