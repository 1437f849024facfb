import { Id, IsoDateTime, Text } from './common';
import { Category, Rating } from './appointments';
import { route } from './route';
import { z } from './schema';

export const HallLayout = z.object({
  categories: z.array(z.object({ code: Category, name: Text(20) })).min(1).max(26),
  windows: z.array(z.object({ no: z.number().int().min(1).max(99), categories: z.array(Category).min(1) })).min(1).max(50),
  priorityRatio: z.number().int().min(1).max(10).default(2),
  maxWaitMin: z.number().int().min(5).max(480).default(60),
});
export type HallLayout = z.infer<typeof HallLayout>;

export const TicketStatus = z.enum(['waiting', 'called', 'done', 'skipped', 'cancelled']);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const Ticket = z.object({
  id: Id,
  communityId: Id,
  number: z.string(),
  category: z.string(),
  status: TicketStatus,
  priority: z.boolean(),
  position: z.number().optional(),
  ahead: z.number().optional(),
  estimatedWaitMin: z.number().optional(),
  window: z.number().optional(),
  reason: z.string().optional(),
  late: z.boolean().optional(),
  notice: z.string().optional(),
  issuedAt: IsoDateTime,
  calledAt: IsoDateTime.optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const TakeTicket = z.object({ category: Category });
export const Transfer = z.object({ category: Category });
export const MarkPriority = z.object({ reason: Text(60) });
export const WindowNo = z.coerce.number().int().min(1).max(99);

export const Board = z.object({
  windows: z.array(z.object({ no: z.number(), open: z.boolean(), ticket: Ticket.pick({ number: true, category: true, calledAt: true }).optional() })),
  waiting: z.record(z.string(), z.number()),
  recent: z.array(z.object({ number: z.string(), window: z.number(), calledAt: IsoDateTime })),
});
export type Board = z.infer<typeof Board>;

export const queueRoutes = {
  putHall: route({ method: 'PUT', path: '/v1/communities/{cid}/hall', fn: 'queue', auth: 'user', summary: '大厅布局', body: HallLayout }),
  openWindow: route({ method: 'POST', path: '/v1/communities/{cid}/windows/{no}/open', fn: 'queue', auth: 'user', summary: '开窗' }),
  closeWindow: route({ method: 'POST', path: '/v1/communities/{cid}/windows/{no}/close', fn: 'queue', auth: 'user', summary: '关窗' }),
  takeTicket: route({
    method: 'POST', path: '/v1/communities/{cid}/tickets', fn: 'queue', auth: 'user', summary: '取号',
    body: TakeTicket, response: Ticket, status: 201,
  }),
  getTicket: route({ method: 'GET', path: '/v1/tickets/{id}', fn: 'queue', auth: 'user', summary: '号码状态', response: Ticket }),
  cancelTicket: route({ method: 'DELETE', path: '/v1/tickets/{id}', fn: 'queue', auth: 'user', summary: '取消排队', response: Ticket }),
  callNext: route({
    method: 'POST', path: '/v1/communities/{cid}/windows/{no}/call-next', fn: 'queue', auth: 'user', summary: '叫下一个号', response: Ticket,
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
    method: 'POST', path: '/v1/tickets/{id}/rating', fn: 'queue', auth: 'user', summary: '满意度评价', body: Rating, status: 201,
  }),
  board: route({ method: 'GET', path: '/v1/communities/{cid}/hall/board', fn: 'queue', auth: 'none', summary: '大厅显示屏', response: Board }),
};
