/**
 * Appointments (预约办理).
 *
 * | item            | pk                    | sk                          | gsi1 (by user)                 | gsi2 (community lists)                   |
 * |-----------------|-----------------------|-----------------------------|--------------------------------|------------------------------------------|
 * | Service         | SERVICE#sid           | SERVICE                     |                                | COMMUNITY#cid#SERVICES / sid             |
 * | SlotCounter     | SERVICE#sid           | SLOT#<start, UTC ISO>       |                                |                                          |
 * | Appointment     | APPT#id               | APPT                        | USER#uid / APPT#<start>#id     | SERVICE#sid#DAY#<date> / <start>#id      |
 * | AppointmentDay  | USER#uid              | APPTDAY#sid#<date>          |  (one active booking per resident per service per day)                   |
 * | AppointmentsHeld| USER#uid              | APPTHELD                    |  (how many bookings the resident holds, all services, all communities)   |
 * | AppointmentStats| COMMUNITY#cid         | APPTSTATS#<date>#sid        |  (daily counters for the indicators)                                     |
 * | Reminder        | REMIND#<10-min bucket>| <appointment id>#<kind>     |  (expires a week after it is due)                                        |
 */

export const serviceKey = (sid: string) => ({ pk: `SERVICE#${sid}`, sk: 'SERVICE' });
export const serviceIndexes = (cid: string, sid: string) => ({ gsi2pk: `COMMUNITY#${cid}#SERVICES`, gsi2sk: sid });
export const communityServicesQuery = (cid: string) => ({ gsi2pk: `COMMUNITY#${cid}#SERVICES` });

/** Slot instants are keyed in UTC ISO form, so a day's slots are one range of sort keys. */
export const slotKey = (sid: string, start: Date) => ({ pk: `SERVICE#${sid}`, sk: `SLOT#${start.toISOString()}` });
export const slotRangeQuery = (sid: string, from: Date, to: Date) => ({
  pk: `SERVICE#${sid}`,
  skFrom: `SLOT#${from.toISOString()}`,
  skTo: `SLOT#${to.toISOString()}`,
});

export const appointmentKey = (id: string) => ({ pk: `APPT#${id}`, sk: 'APPT' });
export const appointmentIndexes = (a: { id: string; userId: string; serviceId: string; date: string; start: Date }) => ({
  gsi1pk: `USER#${a.userId}`,
  gsi1sk: `APPT#${a.start.toISOString()}#${a.id}`,
  gsi2pk: `SERVICE#${a.serviceId}#DAY#${a.date}`,
  gsi2sk: `${a.start.toISOString()}#${a.id}`,
});
export const userAppointmentsQuery = (uid: string) => ({ gsi1pk: `USER#${uid}`, prefix: 'APPT#' });
export const appointmentSortKeyAt = (instant: Date) => `APPT#${instant.toISOString()}`;
export const serviceDayQuery = (sid: string, date: string) => ({ gsi2pk: `SERVICE#${sid}#DAY#${date}` });

/** Held while a booking is active: makes "one per resident per service per day" a conditional put. */
export const appointmentDayKey = (uid: string, sid: string, date: string) => ({ pk: `USER#${uid}`, sk: `APPTDAY#${sid}#${date}` });

/** How many bookings a resident holds (status booked) across every service: the ceiling is a conditional ADD. */
export const appointmentsHeldKey = (uid: string) => ({ pk: `USER#${uid}`, sk: 'APPTHELD' });

export const appointmentStatsKey = (cid: string, date: string, sid: string) => ({ pk: `COMMUNITY#${cid}`, sk: `APPTSTATS#${date}#${sid}` });
export const appointmentStatsQuery = (cid: string, from: string, to: string) => ({
  pk: `COMMUNITY#${cid}`,
  skFrom: `APPTSTATS#${from}#`,
  skTo: `APPTSTATS#${to}#~`,
});

// Reminder keys (REMIND#<bucket>) live in keys/reminders.ts, next to the activity reminders'.
