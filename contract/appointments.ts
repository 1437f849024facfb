import { HhMm, Id, IsoDateTime, ListQuery, LocalDate, Text, page } from './common';
import { route } from './route';
import { z } from './schema';

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;
export const TimeRange = z.tuple([HhMm, HhMm]);

export const Schedule = z.object({
  weekly: z.partialRecord(Weekday, z.array(TimeRange).max(6)),
  slotMinutes: z.number().int().min(5).max(240),
  capacityPerSlot: z.number().int().min(1).max(200),
  bookAheadDays: z.number().int().min(1).max(60),
  closures: z.array(LocalDate).max(366).optional(),
  openDays: z.array(LocalDate).max(366).optional(),
});
export type Schedule = z.infer<typeof Schedule>;

export const Category = z.string().regex(/^[A-Z]$/, '业务类别应为一个大写字母，如 A');

export const ServiceInput = z.object({
  name: Text(40),
  category: Category,
  durationMin: z.number().int().min(1).max(480),
  materials: z.array(Text(100)).max(30),
  schedule: Schedule,
  description: Text(500).optional(),
  kind: z.enum(['general', 'mediation']).default('general'),
});
export const ServicePatch = ServiceInput.partial();

export const Service = z.object({
  id: Id,
  communityId: Id,
  name: z.string(),
  category: z.string(),
  durationMin: z.number(),
  materials: z.array(z.string()),
  schedule: Schedule,
  description: z.string().optional(),
  kind: z.enum(['general', 'mediation']),
});
export type Service = z.infer<typeof Service>;

export const Slot = z.object({
  start: IsoDateTime,
  end: IsoDateTime,
  capacity: z.number(),
  booked: z.number(),
  available: z.number(),
});
export type Slot = z.infer<typeof Slot>;

export const SlotsQuery = z.object({ date: LocalDate });
export const BookInput = z.object({ start: IsoDateTime });

export const AppointmentStatus = z.enum(['booked', 'checked_in', 'completed', 'no_show', 'cancelled']);
export const Appointment = z.object({
  id: Id,
  code: z.string(),
  serviceId: Id,
  serviceName: z.string().optional(),
  communityId: Id,
  start: IsoDateTime,
  end: IsoDateTime.optional(),
  status: AppointmentStatus,
  name: z.string().optional(),
  phone: z.string().optional(),
  household: z.string().optional(),
  rating: z.number().optional(),
});
export type Appointment = z.infer<typeof Appointment>;

export const Rating = z.object({ score: z.number().int().min(1).max(5), comment: Text(200).optional() });
export type Rating = z.infer<typeof Rating>;

export const appointmentRoutes = {
  createService: route({
    method: 'POST', path: '/v1/communities/{cid}/services', fn: 'appointments', auth: 'user', summary: '新建服务事项',
    body: ServiceInput, response: Service, status: 201,
  }),
  updateService: route({
    method: 'PATCH', path: '/v1/services/{sid}', fn: 'appointments', auth: 'user', summary: '修改服务事项',
    body: ServicePatch, response: Service,
  }),
  listServices: route({
    method: 'GET', path: '/v1/communities/{cid}/services', fn: 'appointments', auth: 'none', summary: '服务事项及所需材料',
    query: ListQuery, response: page(Service),
  }),
  slots: route({
    method: 'GET', path: '/v1/services/{sid}/slots', fn: 'appointments', auth: 'none', summary: '可预约时段',
    query: SlotsQuery, response: z.object({ items: z.array(Slot) }),
  }),
  book: route({
    method: 'POST', path: '/v1/services/{sid}/appointments', fn: 'appointments', auth: 'user', summary: '预约',
    body: BookInput, response: Appointment, status: 201,
  }),
  myAppointments: route({
    method: 'GET', path: '/v1/me/appointments', fn: 'appointments', auth: 'user', summary: '我的预约',
    query: ListQuery, response: page(Appointment),
  }),
  dayAppointments: route({
    method: 'GET', path: '/v1/services/{sid}/appointments', fn: 'appointments', auth: 'user', summary: '当日预约（工作人员）',
    query: SlotsQuery.extend(ListQuery.shape), response: page(Appointment),
  }),
  cancel: route({
    method: 'DELETE', path: '/v1/appointments/{id}', fn: 'appointments', auth: 'user', summary: '取消预约', response: Appointment,
  }),
  checkIn: route({
    method: 'POST', path: '/v1/appointments/{id}/check-in', fn: 'appointments', auth: 'user', summary: '到场签到，转为排队号',
  }),
  noShow: route({
    method: 'POST', path: '/v1/appointments/{id}/no-show', fn: 'appointments', auth: 'user', summary: '标记爽约', response: Appointment,
  }),
  complete: route({
    method: 'POST', path: '/v1/appointments/{id}/complete', fn: 'appointments', auth: 'user', summary: '办结', response: Appointment,
  }),
  rate: route({
    method: 'POST', path: '/v1/appointments/{id}/rating', fn: 'appointments', auth: 'user', summary: '满意度评价',
    body: Rating, status: 201,
  }),
};
