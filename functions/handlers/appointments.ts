import { appointmentRoutes } from '@contract/appointments';
import { createHandler } from '../http/handler';
import * as appointments from '../services/appointments';

export const handler = createHandler('appointments', appointmentRoutes, {
  createService: async ({ user, params, body, now }) => appointments.createService(user, params.cid, body, now),
  updateService: async ({ user, params, body, now }) => appointments.updateService(user, params.sid, body, now),
  getService: async ({ params }) => appointments.getService(params.sid),
  listServices: async ({ params, query }) => appointments.listServices(params.cid, query),
  dates: async ({ params, now }) => appointments.bookableDates(params.sid, now),
  slots: async ({ params, query, now }) => appointments.slots(params.sid, query.date, now),
  book: async ({ user, params, body, now }) => appointments.book(user, params.sid, body, now),
  myAppointments: async ({ user, query, now }) => appointments.myAppointments(user, query, now),
  getAppointment: async ({ user, params, now }) => appointments.getAppointment(user, params.id, now),
  dayAppointments: async ({ user, params, query, now }) => appointments.dayAppointments(user, params.sid, query, now),
  cancel: async ({ user, params, now }) => appointments.cancel(user, params.id, now),
  checkInAppointment: async ({ user, params, now }) => appointments.checkIn(user, params.id, now),
  noShow: async ({ user, params, now }) => appointments.markNoShow(user, params.id, now),
  complete: async ({ user, params, now }) => appointments.complete(user, params.id, now),
  rate: async ({ user, params, body, now }) => appointments.rate(user, params.id, body, now),
});
