import { Category, HhMm, Id, IsoDateTime, ListQuery, LocalDate, Rating, Text, page } from './common';
import { EscortAsk } from './escorts';
import { route } from './route';
import * as z from './schema';
// contract/queue.ts imports this file: the check-in response reads queue.Ticket lazily (z.lazy).
import * as queue from './queue';

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

/** A local opening range ["09:00", "12:00"]: its end after its start. */
export const TimeRange = z.tuple([HhMm, HhMm]).refine(([from, to]) => from < to, '时间段的结束应晚于开始');
export type TimeRange = z.infer<typeof TimeRange>;

export const Schedule = z
  .object({
    /** Several ranges per day (上午、下午、错时延时), each in the community's local time. */
    weekly: z.partialRecord(Weekday, z.array(TimeRange).max(6)),
    slotMinutes: z.number().int().min(5).max(240),
    capacityPerSlot: z.number().int().min(1).max(200),
    /** The last bookable date is today + bookAheadDays (local). */
    bookAheadDays: z.number().int().min(1).max(60),
    /** Dates the centre is closed although the plan says open (staff 轮休、临时闭馆). */
    closures: z.array(LocalDate).max(366).optional(),
    /** Dates the centre opens although the holiday calendar closes it (节假日轮休值班). */
    openDays: z.array(LocalDate).max(366).optional(),
  })
  .refine(
    (s) => Object.values(s.weekly).every((ranges) => {
      const sorted = [...(ranges ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      return sorted.every((r, i) => i === 0 || (sorted[i - 1] as [string, string])[1] <= r[0]);
    }),
    { message: '同一天的时间段不能重叠', path: ['weekly'] },
  );
export type Schedule = z.infer<typeof Schedule>;

// Shared with the queue, so it lives in common.ts (importing it from here would make a cycle).
export { Category, Rating } from './common';
export const ServiceKind = z.enum(['general', 'mediation']);
export type ServiceKind = z.infer<typeof ServiceKind>;

const serviceFields = {
  name: Text(40),
  category: Category,
  durationMin: z.number().int().min(1).max(480),
  /** 一次告知: everything to bring, shown in full before booking. */
  materials: z.array(Text(100)).max(30),
  schedule: Schedule,
  description: Text(500).optional(),
  /** 预约调解 is a service of kind "mediation". */
  kind: ServiceKind,
  /** Minutes after a slot's start before an unclaimed place is released (default 15). */
  graceMinutes: z.number().int().min(0).max(120).optional(),
  /** Where to go: 一楼便民服务大厅 3 号窗口. */
  location: Text(60).optional(),
  /** A retired service is no longer offered; its bookings stand. */
  active: z.boolean(),
};
export const ServiceInput = z.object({ ...serviceFields, kind: ServiceKind.default('general'), active: z.boolean().default(true) });
/** Every field optional and none defaulted, so a patch changes only what it names. */
export const ServicePatch = z.object(serviceFields).partial();

export const Service = z.object({
  id: Id,
  communityId: Id,
  name: z.string(),
  category: z.string(),
  durationMin: z.number(),
  materials: z.array(z.string()),
  schedule: Schedule,
  description: z.string().optional(),
  kind: ServiceKind,
  graceMinutes: z.number(),
  location: z.string().optional(),
  active: z.boolean(),
  timezone: z.string(),
  /** The WeChat subscription template the mini-program asks consent for (absent when unset). */
  reminderTemplateId: z.string().optional(),
});
export type Service = z.infer<typeof Service>;

export const Slot = z.object({
  start: IsoDateTime,
  end: IsoDateTime,
  capacity: z.number(),
  booked: z.number(),
  /** Places a resident can still book (0 once the slot has started). */
  available: z.number(),
  /** Booked places not claimed by a check-in once the grace period has passed: walk-in capacity. */
  released: z.number().optional(),
});
export type Slot = z.infer<typeof Slot>;

export const DayReason = z.enum(['weekly', 'closed_weekly', 'holiday', 'makeup_workday', 'closure', 'open_day']);
export type DayReason = z.infer<typeof DayReason>;

/** One day of the booking window: open or not, why, and how many places are left. */
export const BookableDate = z.object({
  date: LocalDate,
  weekday: Weekday,
  open: z.boolean(),
  reason: DayReason,
  /** 元旦, 春节… on official holidays and 调休 days. */
  holiday: z.string().optional(),
  available: z.number(),
});
export type BookableDate = z.infer<typeof BookableDate>;

export const SlotsQuery = z.object({ date: LocalDate });
export const BookInput = z.object({
  start: IsoDateTime,
  /** The resident accepted the reminder subscription (Taro.requestSubscribeMessage). */
  remind: z.boolean().optional(),
  /** 志愿陪同: ask for a volunteer to accompany the resident (contract/escorts.ts), written with the booking. */
  escort: EscortAsk.optional(),
});

export const AppointmentStatus = z.enum(['booked', 'checked_in', 'completed', 'no_show', 'cancelled']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;
export const Appointment = z.object({
  id: Id,
  code: z.string(),
  serviceId: Id,
  serviceName: z.string().optional(),
  category: z.string().optional(),
  communityId: Id,
  userId: Id.optional(),
  start: IsoDateTime,
  end: IsoDateTime.optional(),
  status: AppointmentStatus,
  /** Staff lists only: the member's real name, phone and household. */
  name: z.string().optional(),
  phone: z.string().optional(),
  household: z.string().optional(),
  rating: z.number().optional(),
  ratingComment: z.string().optional(),
  ticketId: z.string().optional(),
  bookedAt: IsoDateTime.optional(),
  /** Whether the owner may still cancel it, and check in now. */
  cancellable: z.boolean().optional(),
  /** The grace period has passed without a check-in: the place counts as walk-in capacity. */
  released: z.boolean().optional(),
  /** The escort asked with the booking (GET /v1/escorts/{id}). */
  escortId: Id.optional(),
});
export type Appointment = z.infer<typeof Appointment>;

export const MyAppointmentsQuery = ListQuery.extend({ when: z.enum(['upcoming', 'past']).optional() });

export const RatingResult = z.object({ appointmentId: Id, score: z.number(), comment: z.string().optional(), ratedAt: IsoDateTime });

/** The appointments section of GET /v1/communities/{cid}/stats. */
export const AppointmentStats = z.object({
  from: LocalDate,
  to: LocalDate,
  perDay: z.array(
    z.object({ date: LocalDate, booked: z.number(), cancelled: z.number(), arrived: z.number(), noShow: z.number(), completed: z.number() }),
  ),
  /** no-shows ÷ (arrivals + no-shows) over the window; null before any booking was settled. */
  noShowRate: z.number().nullable(),
  satisfaction: z.object({ mean: z.number().nullable(), count: z.number() }),
});
export type AppointmentStats = z.infer<typeof AppointmentStats>;

export const appointmentRoutes = {
  createService: route({
    method: 'POST', path: '/v1/communities/{cid}/services', fn: 'appointments', auth: 'user', summary: '新建服务事项',
    body: ServiceInput, response: Service, status: 201,
  }),
  updateService: route({
    method: 'PATCH', path: '/v1/services/{sid}', fn: 'appointments', auth: 'user', summary: '修改服务事项',
    body: ServicePatch, response: Service,
  }),
  getService: route({
    method: 'GET', path: '/v1/services/{sid}', fn: 'appointments', auth: 'none', summary: '服务事项详情（含一次告知材料清单）',
    response: Service,
  }),
  listServices: route({
    method: 'GET', path: '/v1/communities/{cid}/services', fn: 'appointments', auth: 'none', summary: '服务事项及所需材料',
    query: ListQuery, response: page(Service),
  }),
  dates: route({
    method: 'GET', path: '/v1/services/{sid}/dates', fn: 'appointments', auth: 'none', summary: '可预约日期（含节假日与调休）',
    response: z.object({ items: z.array(BookableDate) }),
  }),
  slots: route({
    method: 'GET', path: '/v1/services/{sid}/slots', fn: 'appointments', auth: 'none', summary: '可预约时段',
    query: SlotsQuery, response: z.object({ items: z.array(Slot) }),
  }),
  book: route({
    method: 'POST', path: '/v1/services/{sid}/appointments', fn: 'appointments', auth: 'user', summary: '预约',
    body: BookInput, response: Appointment, status: 201, idempotency: 'with-act',
  }),
  myAppointments: route({
    method: 'GET', path: '/v1/me/appointments', fn: 'appointments', auth: 'user', summary: '我的预约',
    query: MyAppointmentsQuery, response: page(Appointment),
  }),
  getAppointment: route({
    method: 'GET', path: '/v1/appointments/{id}', fn: 'appointments', auth: 'user', summary: '预约详情（本人或工作人员）',
    response: Appointment,
  }),
  dayAppointments: route({
    method: 'GET', path: '/v1/services/{sid}/appointments', fn: 'appointments', auth: 'user', summary: '当日预约（工作人员）',
    query: SlotsQuery.extend(ListQuery.shape), response: page(Appointment),
  }),
  cancel: route({
    method: 'DELETE', path: '/v1/appointments/{id}', fn: 'appointments', auth: 'user', summary: '取消预约', response: Appointment,
    idempotency: 'with-act',
  }),
  checkInAppointment: route({
    method: 'POST', path: '/v1/appointments/{id}/check-in', fn: 'appointments', auth: 'user', summary: '到场签到，转为排队号',
    response: z.lazy(() => queue.Ticket),
  }),
  noShow: route({
    method: 'POST', path: '/v1/appointments/{id}/no-show', fn: 'appointments', auth: 'user', summary: '标记爽约', response: Appointment,
  }),
  complete: route({
    method: 'POST', path: '/v1/appointments/{id}/complete', fn: 'appointments', auth: 'user', summary: '办结', response: Appointment,
  }),
  rate: route({
    method: 'POST', path: '/v1/appointments/{id}/rating', fn: 'appointments', auth: 'user', summary: '满意度评价',
    body: Rating, response: RatingResult, status: 201,
  }),
};
