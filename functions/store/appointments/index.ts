/**
 * Appointments (预约办理) in the table, one module per record kind: services, slot counters,
 * appointments (with the resident's day marker and held count), the daily indicators, the
 * reminders; the acts on a booking are transactions of their named parts (booking.ts).
 */
export { getService, listServices, putService, replaceService, type ServiceChangePart, type ServiceRecord } from './services';
export { slotCounts } from './slots';
export { attachTicket, escortNoted, getAppointment, listServiceDay, listUserAppointments, type AppointmentRecord } from './appointments';
export { getMemberships, verifiedMember } from './members';
export { dayCounters } from './stats';
export { claimReminder, finishReminder, remindersIn, type ReminderRecord } from './reminders';
export { book, cancel, checkIn, complete, markNoShow, rate, undoCheckIn, type BookingPart, type TransitionPart } from './booking';
