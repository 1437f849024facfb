/**
 * 志愿陪同 (volunteer escort): an elder or disabled resident, booking a service (themselves or
 * through a family proxy), asks for a volunteer to go with them (`escort` on the booking body,
 * contract/appointments.ts BookInput). The ask becomes a one-place volunteer activity (its `id` is
 * the escort's id) that approved volunteers of the community take with the ordinary sign-up,
 * `POST /v1/activities/{id}/signups`: the first one gets it, everyone after answers 409
 * `ACTIVITY_FULL` with 已有志愿者认领了这次陪同. Attendance and hours are the activity's own
 * (`/check-in`, `/attendance`, `/verify`), verified once the appointment is completed or marked
 * 爽约 (a volunteer who came is credited what staff recorded).
 *
 * Routes (function `escorts`):
 * - `POST /v1/appointments/{id}/escort` `{need?, note?}` — the same ask for a booking already made:
 *   its owner (or the proxy), while it is booked and the escort (half an hour before the slot)
 *   has not begun; once per booking (409). Staff 403; anyone else 404.
 * - `GET /v1/communities/{cid}/escorts` — staff of cid: every escort from `from` (default
 *   today), with the elder's contact, the volunteer and the 无人认领 flag (`unclaimed`); an approved
 *   volunteer of cid: the open ones, those whose need (助老/助残) is among the volunteer's skills
 *   first (`matchesMySkills`), without anyone's contact. Anyone else 403.
 * - `GET /v1/escorts/{id}` — the elder (or the proxy, with X-On-Behalf-Of), the volunteer who
 *   took it, staff of the community: the escort; an approved volunteer of the community sees it
 *   without the elder's contact. The elder's contact (`elder`: name, phone if known, household)
 *   reaches only the matched volunteer and staff. Anyone else 404.
 * - `POST /v1/escorts/{id}/thanks` `{score: 1-5, text?}` — the elder (or the proxy), once the
 *   appointment is completed and a volunteer went: once (409 `ALREADY_THANKED`). The score counts
 *   toward the volunteer's record (`Volunteer.thanks`, seen by the volunteer and staff only).
 *
 * Cancelling the appointment cancels the escort (the matched volunteer is told). If nobody has
 * taken it by 18:00 (community time) the evening before, the `escortUnclaimed` schedule flags it
 * (`unclaimed: true`) and tells the community's staff who accepted the `escortUnclaimed`
 * template, once per escort.
 */
import { Id, IsoDateTime, ListQuery, LocalDate, Month, Text, page } from './common';
import { route } from './route';
import * as z from './schema';

/** What the resident needs: 助老 (an elder) or 助残 (a disabled resident); the volunteers' skill of the same name matches. */
export const EscortNeed = z.enum(['助老', '助残']);
export type EscortNeed = z.infer<typeof EscortNeed>;

/** The ask, on the booking body: the resident's own statement (no age or disability data is kept). */
export const EscortAsk = z.object({
  need: EscortNeed.default('助老').describe('助老（老人）或 助残（残障人士）'),
  note: Text(100).optional().describe('如：坐轮椅、听力不好、在家门口或小区门口等'),
});
export type EscortAsk = z.infer<typeof EscortAsk>;

export const EscortState = z.enum(['open', 'matched', 'cancelled']);
export type EscortState = z.infer<typeof EscortState>;

/** How the appointment ended: 办结, or 爽约 (the resident did not come). */
export const EscortOutcome = z.enum(['completed', 'no_show']);
export type EscortOutcome = z.infer<typeof EscortOutcome>;

/** The elder's contact: only the volunteer who took the escort, and staff of the community, ever see it. */
export const EscortContact = z.object({ name: z.string(), phone: z.string().optional(), household: z.string().optional() });

export const EscortThanks = z.object({ score: z.number(), text: z.string().optional(), at: IsoDateTime });

export const Escort = z.object({
  /** The escort's volunteer activity (sign up at POST /v1/activities/{id}/signups). */
  id: Id,
  communityId: Id,
  serviceName: z.string(),
  need: EscortNeed,
  note: z.string().optional(),
  /** Where and when the volunteer meets the resident: 30 minutes before the appointment until 30 minutes after it. */
  place: z.string(),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  appointmentStart: IsoDateTime,
  hours: z.number(),
  state: EscortState,
  /** 无人认领: nobody took it by 18:00 the evening before, and staff were told. */
  unclaimed: z.boolean(),
  /** Once staff mark the appointment 办结 or 爽约: the escort is over and its hours can be verified. */
  outcome: EscortOutcome.optional(),
  /** Volunteers' list: the need is among the caller's skills (listed first). */
  matchesMySkills: z.boolean().optional(),
  /** The caller is the volunteer who took it. */
  mine: z.boolean().optional(),
  /** The elder and staff: the booking. */
  appointmentId: Id.optional(),
  /** Who is coming: masked for the elder (张*), in full for staff. */
  volunteerName: z.string().optional(),
  /** Staff and the matched volunteer only. */
  elder: EscortContact.optional(),
  /** The elder's thanks: the elder, the volunteer and staff. */
  thanks: EscortThanks.optional(),
});
export type Escort = z.infer<typeof Escort>;

export const EscortsQuery = ListQuery.extend({
  /** First local date to show (default: today). */
  from: LocalDate.optional(),
});

export const ThanksInput = z.object({ score: z.number().int().min(1).max(5), text: Text(100).optional() });

/**
 * The committee's escort figures for a community-local month, counted by the escort's start
 * (cancelled escorts left out): asked, taken by a volunteer, flagged 无人认领 at 18:00 the evening
 * before (whether or not someone took it after), and thanked, with the thanks' mean score.
 */
export const EscortStats = z.object({
  month: Month,
  asked: z.number(),
  taken: z.number(),
  unclaimed: z.number(),
  thanked: z.number(),
  /** Mean of the thanks' scores (1–5), one decimal; null before any thanks. */
  meanThanksScore: z.number().nullable(),
});
export type EscortStats = z.infer<typeof EscortStats>;

export const escortRoutes = {
  askEscort: route({
    method: 'POST', path: '/v1/appointments/{id}/escort', fn: 'escorts', auth: 'user',
    summary: '为已有预约申请志愿陪同（预约人本人或代办家人；每个预约一次）',
    body: EscortAsk, response: Escort, status: 201,
  }),
  listEscorts: route({
    method: 'GET', path: '/v1/communities/{cid}/escorts', fn: 'escorts', auth: 'user',
    summary: '志愿陪同列表（工作人员：全部，含联系方式与无人认领标记；志愿者：待认领，技能匹配的在前）',
    query: EscortsQuery, response: page(Escort),
  }),
  getEscort: route({
    method: 'GET', path: '/v1/escorts/{id}', fn: 'escorts', auth: 'user',
    summary: '志愿陪同详情（老人及代办家人、认领的志愿者、工作人员；联系方式仅认领后的志愿者与工作人员可见）',
    response: Escort,
  }),
  thankEscort: route({
    method: 'POST', path: '/v1/escorts/{id}/thanks', fn: 'escorts', auth: 'user',
    summary: '感谢陪同志愿者（办结后一次：1–5 分，可附一句话）',
    body: ThanksInput, response: Escort, status: 201,
  }),
};
