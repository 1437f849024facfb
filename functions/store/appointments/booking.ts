/**
 * The acts on a booking. Each is one TransactWriteItems of named parts, so the invariants hold on
 * the database and not in the function's memory; a failed condition comes back as
 * `ConditionFailed` naming the part (services/appointments.ts says what it means to a person):
 *
 *   book:       slot        ADD booked 1 if booked < capacity (created on first booking)
 *               appointment Put if new
 *               bookingDay  Put if no active booking of the service that day
 *               membership  ConditionCheck verified = true (the membership as it was, when it fails)
 *               heldQuota   ADD taken 1 if taken < the ceiling (all services)
 *               stats       ADD booked 1;  reminders: Put each (when the resident subscribed)
 *               escort      the escort asked with it (store/escorts.ts);  proxy: the family guard
 *   cancel:     appointment booked → cancelled (exactly one cancel gets through), slot ADD booked −1,
 *               bookingDay Delete, stats ADD cancelled 1, heldQuota ADD taken −1, escort cancelled, proxy
 *   check-in:   appointment booked → checked_in, slot ADD checkedIn 1, stats, heldQuota −1, proxy
 *   no-show, completion, rating: the appointment's status condition, the day's counters; no-show and
 *               completion note how it ended on the escort (store/escorts.ts escortOutcomeItem)
 *
 * A booking whose slot passed with no transition stays held until staff mark it 爽约 or 办结.
 */
import type { PlannedReminder } from '../../domain/reminders';
import type { Answer } from '../idempotency';
import { transact, type TransactItem } from '../transaction';
import {
  appointmentPut,
  bookingDayPut,
  bookingDayRelease,
  checkInUndone,
  heldChange,
  heldTake,
  ratingSet,
  statusChange,
  type AppointmentRecord,
} from './appointments';
import { verifiedMember } from './members';
import { reminderPuts } from './reminders';
import { slotArrival, slotGiveBack, slotTake } from './slots';
import { statsAdd } from './stats';

export type BookingPart = 'slot' | 'appointment' | 'bookingDay' | 'membership' | 'heldQuota' | 'stats' | 'reminders' | 'escort' | 'proxy';
export type TransitionPart = 'appointment' | 'slot' | 'bookingDay' | 'stats' | 'heldQuota' | 'escort' | 'proxy';

/** What an act may carry besides its own items. */
interface With {
  /** The escort asked or cancelled with the booking (store/escorts.ts). */
  escort?: readonly TransactItem[];
  /** The family proxy's guard (store/family/links.ts actingGuard): fails when the link is no longer active. */
  proxy?: readonly TransactItem[];
  /** The route's response, recorded with the act under the request's Idempotency-Key (store/idempotency.ts). */
  answers?: Answer;
}

/**
 * Books a place. Concurrent bookings of the same slot conflict on its counter and are retried;
 * the counter's condition decides who is in. Answers the booking as written (with its place in
 * the held count).
 */
export async function book(a: AppointmentRecord, capacity: number, reminders: readonly PlannedReminder[], maxHeld: number, more: With = {}): Promise<AppointmentRecord> {
  const record: AppointmentRecord = { ...a, heldCounted: true };
  await transact<BookingPart>(
    {
      slot: slotTake(a, capacity),
      appointment: appointmentPut(record),
      bookingDay: bookingDayPut(a),
      membership: verifiedMember(a.communityId, a.userId),
      heldQuota: heldTake(a, maxHeld),
      stats: statsAdd(a, { booked: 1 }),
      reminders: reminderPuts(a, reminders),
      escort: more.escort,
      proxy: more.proxy,
    },
    { answers: more.answers },
  );
  return record;
}

/** booked → cancelled and the place back in the slot: only one cancel wins. */
export async function cancel(a: AppointmentRecord, by: string, at: string, more: With = {}): Promise<void> {
  await transact<TransitionPart>(
    {
      appointment: statusChange(a, 'booked', 'cancelled', { cancelledAt: at, cancelledBy: by }),
      slot: slotGiveBack(a),
      bookingDay: bookingDayRelease(a),
      stats: statsAdd(a, { cancelled: 1 }),
      heldQuota: heldChange(a, -1),
      escort: more.escort,
      proxy: more.proxy,
    },
    { answers: more.answers },
  );
}

/** booked → checked_in, counted as an arrival; the ticket is attached afterwards. */
export async function checkIn(a: AppointmentRecord, at: string, late: boolean, proxy?: readonly TransactItem[]): Promise<void> {
  await transact({
    appointment: statusChange(a, 'booked', 'checked_in', { checkedInAt: at, late }),
    slot: slotArrival(a, 1),
    stats: statsAdd(a, { arrived: 1 }),
    heldQuota: heldChange(a, -1),
    proxy,
  });
}

/** Undoes a check-in whose queue ticket could not be issued, so the resident can try again. */
export async function undoCheckIn(a: AppointmentRecord): Promise<void> {
  await transact({
    appointment: checkInUndone(a),
    slot: slotArrival(a, -1),
    stats: statsAdd(a, { arrived: -1 }),
    heldQuota: heldChange(a, 1),
  });
}

export async function markNoShow(a: AppointmentRecord, at: string, escort?: TransactItem): Promise<void> {
  await transact({
    appointment: statusChange(a, 'booked', 'no_show', { noShowAt: at }),
    stats: statsAdd(a, { noShow: 1 }),
    bookingDay: bookingDayRelease(a),
    heldQuota: heldChange(a, -1),
    escort,
  });
}

/**
 * booked or checked_in → completed (from the status it was read in); completing a booking nobody
 * checked in counts the arrival too, and gives its held place back (a checked-in one gave it at
 * check-in).
 */
export async function complete(a: AppointmentRecord, at: string, escort?: TransactItem): Promise<void> {
  const wasBooked = a.status === 'booked';
  await transact({
    appointment: statusChange(a, a.status, 'completed', { completedAt: at }),
    stats: statsAdd(a, wasBooked ? { completed: 1, arrived: 1 } : { completed: 1 }),
    bookingDay: bookingDayRelease(a),
    heldQuota: wasBooked ? heldChange(a, -1) : undefined,
    escort,
  });
}

/** The owner's 满意度 rating: once, after completion (the part `appointment` fails otherwise). */
export async function rate(a: AppointmentRecord, score: number, comment: string | undefined, at: string): Promise<void> {
  await transact({
    appointment: ratingSet(a, { score, comment, at }),
    stats: statsAdd(a, { ratingSum: score, ratingCount: 1 }),
  });
}
