/**
 * Access control, route by route (issue #7): who may call each endpoint of the contract.
 *
 * POLICY below is the policy document: one row per route of contract/routes.ts, one column per
 * caller. `OK` means allowed (the route's own 200/201); 401, 403 and 404 are refusals;
 * `conflict(CODE)` means the caller got past every guard and the domain answered 409 (it proves
 * the guard let them through, e.g. a second join). The owner column is filled only where a route
 * acts on one person's own thing (a booking, a ticket, a signup, hours, a ballot…): "owner" is
 * that person; "resident" and "volunteer" are then *other* people of the same community.
 *
 * Every cell is one real call. A cell expected to change something acts as a new person in its
 * role on a thing of its own, so cells never disturb each other; a refused cell acts as the
 * shared person on the owner's things, and the last tests check they came out unchanged.
 * Whoever is not the owner, their community's staff or an admin must never see the owner's
 * identifiers or personal data in any answer, and a refusal answers only the contract's
 * `{"error": {code, message, details?, requestId?}}`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, type ErrorCode } from '@contract/errors';
import { routes, type RouteName } from '@contract/routes';
import { resetConfig } from '../../functions/lib/config';
import { joined, login, newCommunity, nextHousehold, staffOf, uniqueOpenid, verifiedResident, type Actor } from '../support/actors';
import { call, type Reply } from '../support/stack';
import { startWechatStub, type WechatStub } from '../support/wechat-stub';
import * as fx from './access-fixtures';
import { roles, type Role, type World } from './access-fixtures';

// ——— the policy ————————————————————————————————————————————————————————

const OK = 'ok' as const;
interface Conflict {
  status: 409;
  code: ErrorCode;
}
type Outcome = typeof OK | 401 | 403 | 404 | Conflict;
type Policy = Partial<Record<Role, Outcome>>;

const conflict = (code: ErrorCode): Conflict => ({ status: 409, code });
const MEMBER = conflict('ALREADY_MEMBER');

/** One row of the table, in the order of the column headers below. */
function row(
  anonymous: Outcome, outsider: Outcome, member: Outcome, resident: Outcome, volunteer: Outcome,
  staff: Outcome, otherStaff: Outcome, admin: Outcome, owner?: Outcome,
): Policy {
  // Street staff are outsiders to a community: unless a row says otherwise, they fare as outsiders do.
  return { anonymous, outsider, member, resident, volunteer, staff, otherStaff, streetStaff: outsider, otherStreetStaff: outsider, admin, ...(owner ? { owner } : {}) };
}

/** A row where the community's street staff (and staff of another street) fare otherwise. */
const streets = (policy: Policy, streetStaff: Outcome, otherStreetStaff: Outcome): Policy => ({ ...policy, streetStaff, otherStreetStaff });

// anonymous: no token · outsider: logged in, in no community · member: joined, not verified ·
// resident: verified member · volunteer: approved volunteer (a verified member) · staff: staff of
// this community · otherStaff: staff of another community · streetStaff: staff of the community's street
// (街道) · otherStreetStaff: staff of a street of another district · admin: platform admin · owner: whose thing it is
const POLICY: Record<RouteName, Policy> = {
  //                      anonymous outsider member resident volunteer staff otherStaff admin owner
  // identity and communities
  health:             row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  openapi:            row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  loginWechat:        row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  loginDev:           row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  me:                 row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK),
  createCommunity:    row(401, 403, 403,    403,    403,    403, 403, OK),
  getCommunity:       row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  join:               row(401, OK,  MEMBER, MEMBER, MEMBER, OK,  OK,  OK),
  listMembers:        row(401, 403, 403,    403,    403,    OK,  403, OK),
  verifyMember:       row(401, 403, 403,    403,    403,    OK,  403, OK),
  revokeMember:       row(401, 403, 403,    403,    403,    OK,  403, OK),
  moveMember:         row(401, 403, 403,    403,    403,    OK,  403, OK),
  // only a director (主任) or an admin appoints and removes staff: `staff` here is a worker (工作人员)
  appointStaff:       row(401, 403, 403,    403,    403,    403, 403, OK),
  removeStaff:        row(401, 403, 403,    403,    403,    403, 403, OK),
  audit:              row(401, 403, 403,    403,    403,    OK,  403, OK),
  joinCode:           row(401, 403, 403,    403,    403,    OK,  403, OK),
  // appointments
  createService:      row(401, 403, 403,    403,    403,    OK,  403, OK),
  updateService:      row(401, 403, 403,    403,    403,    OK,  403, OK),
  getService:         row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  listServices:       row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  dates:              row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  slots:              row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  book:               row(401, 403, 403,    OK,     OK,     403, 403, 403),
  myAppointments:     row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK,  OK),
  getAppointment:     row(401, 404, 404,    404,    404,    OK,  404, OK,  OK),
  dayAppointments:    row(401, 403, 403,    403,    403,    OK,  403, OK),
  cancel:             row(401, 404, 404,    404,    404,    OK,  404, OK,  OK),
  checkInAppointment: row(401, 404, 404,    404,    404,    OK,  404, OK,  OK),
  noShow:             row(401, 404, 404,    404,    404,    OK,  404, OK,  403),
  complete:           row(401, 404, 404,    404,    404,    OK,  404, OK,  403),
  rate:               row(401, 404, 404,    404,    404,    403, 404, 403, OK),
  // service-hall queue
  putHall:            row(401, 403, 403,    403,    403,    OK,  403, OK),
  getHall:            row(401, 403, 403,    403,    403,    OK,  403, OK),
  openWindow:         row(401, 403, 403,    403,    403,    OK,  403, OK),
  closeWindow:        row(401, 403, 403,    403,    403,    OK,  403, OK),
  // without the hall's QR token (hallQr), a number needs a verified membership
  takeTicket:         row(401, 403, 403,    OK,     OK,     403, 403, 403),
  waitingTickets:     row(401, 403, 403,    403,    403,    OK,  403, OK),
  getTicket:          row(401, 404, 404,    404,    404,    OK,  404, OK,  OK),
  myTickets:          row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK,  OK),
  cancelTicket:       row(401, 404, 404,    404,    404,    404, 404, 404, OK),
  callNext:           row(401, 403, 403,    403,    403,    OK,  403, OK),
  recall:             row(401, 404, 404,    404,    404,    OK,  404, OK,  403),
  skip:               row(401, 404, 404,    404,    404,    OK,  404, OK,  403),
  completeTicket:     row(401, 404, 404,    404,    404,    OK,  404, OK,  403),
  transfer:           row(401, 404, 404,    404,    404,    OK,  404, OK,  403),
  priority:           row(401, 404, 404,    404,    404,    OK,  404, OK,  403),
  rateTicket:         row(401, 404, 404,    404,    404,    404, 404, 404, OK),
  hallQr:             row(401, 403, 403,    403,    403,    OK,  403, OK),
  hallCode:           row(401, 403, 403,    403,    403,    OK,  403, OK),
  board:              row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  // staff reach the code's check: the made-up code is no board's (404)
  pairBoard:          row(401, 403, 403,    403,    403,    404, 403, 404),
  pairedBoards:       row(401, 403, 403,    403,    403,    OK,  403, OK),
  // no board is paired in slot 1
  unpairBoard:        row(401, 403, 403,    403,    403,    404, 403, 404),
  // volunteers
  register:           row(401, 403, 403,    OK,     conflict('ALREADY_REGISTERED'), 403, 403, 403),
  listVolunteers:     row(401, 403, 403,    403,    403,    OK,  403, OK),
  approve:            row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  decline:            row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  createActivity:     row(401, 403, 403,    403,    403,    OK,  403, OK),
  getActivity:        row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  updateActivity:     row(401, 403, 403,    403,    403,    OK,  403, OK),
  cancelActivity:     row(401, 403, 403,    403,    403,    OK,  403, OK),
  listActivities:     row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  signUp:             row(401, 403, 403,    403,    OK,     403, 403, 403),
  listSignups:        row(401, 403, 403,    403,    403,    OK,  403, OK),
  cancelSignUp:       row(401, 404, 404,    404,    404,    404, 404, 404, OK),
  mySignups:          row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK,  OK),
  // a volunteer shows their own code (owner: signed up); staff on site scan it
  checkinCode:        row(401, 403, 403,    403,    403,    403, 403, 403, OK),
  checkIn:            row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  checkOut:           row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  recordAttendance:   row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  verifyHours:        row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  correct:            row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  // the owner's own ledger is theirs through myVolunteer; here only staff read anyone's
  volunteerLedger:    row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  communityLedger:    row(401, 403, 403,    403,    403,    OK,  403, OK),
  myVolunteer:        row(401, 404, 404,    404,    OK,     404, 404, 404, OK),
  certificate:        row(401, 404, 404,    404,    conflict('STATE_CONFLICT'), 404, 404, 404, OK),
  verifyCertificate:  row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  revokeCertificate:  row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  // consultations
  proposeTopic:       row(401, 403, 403,    OK,     OK,     403, 403, 403),
  listTopics:         row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  supportTopic:       row(401, 403, 403,    OK,     OK,     403, 403, 403, conflict('ALREADY_SUPPORTED')),
  closeTopic:         row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  createConsultation: row(401, 403, 403,    403,    403,    OK,  403, OK),
  listConsultations:  row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  getConsultation:    row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  eligibility:        row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK,  OK),
  // staff reply as staff (marked 工作人员), whether or not they live in the community
  comment:            row(401, 403, 403,    OK,     OK,     OK,  403, 403),
  listComments:       row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  hideComment:        row(401, 403, 403,    403,    403,    OK,  403, OK,  403),
  vote:               row(401, 403, 403,    OK,     OK,     403, 403, 403, conflict('ALREADY_VOTED')),
  results:            row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  publish:            row(401, 403, 403,    403,    403,    OK,  403, OK),
  addUpdate:          row(401, 403, 403,    403,    403,    OK,  403, OK),
  // indicators
  stats:              row(401, 403, 403,    403,    403,    OK,  403, OK),
  // back office
  listCommunities:    row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  updateCommunity:    row(401, 403, 403,    403,    403,    403, 403, OK),
  listStaff:          row(401, 403, 403,    403,    403,    OK,  403, OK),
  // notifications
  templates:          row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  reportSubscriptions: row(401, OK, OK,     OK,     OK,     OK,  OK,  OK),
  deadMessages:       row(401, 403, 403,    403,    403,    403, 403, OK),
  // uploads (a file is claimed by the act that uses it: filing a request, posting a notice)
  createUpload:       row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK),
  // notices
  postNotice:         row(401, 403, 403,    403,    403,    OK,  403, OK),
  listNotices:        row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  getNotice:          row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  editNotice:         row(401, 403, 403,    403,    403,    OK,  403, OK),
  withdrawNotice:     row(401, 403, 403,    403,    403,    OK,  403, OK),
  readNotice:         row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK),
  // requests (诉求反映): the owner filed w.request, which the community's staff handed up to the
  // street; only the resident who filed it rates or reopens, only whoever accepted it works it;
  // people who may not see it get 404, staff who may see it 403
  fileRequest:        row(401, 403, 403,    OK,     OK,     403, 403, 403),
  getRequest:         streets(row(401, 404, 404, 404, 404, OK, 404, OK, OK), OK, 404),
  myRequests:         row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK,  OK),
  communityRequests:  row(401, 403, 403,    403,    403,    OK,  403, OK),
  publicRequests:     row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  acceptRequest:      streets(row(401, 403, 403, 403, 403, OK, 403, OK, 403), OK, 403),
  addRequestNote:     streets(row(401, 404, 404, 404, 404, 403, 404, 403, OK), 403, 404),
  escalateRequest:    streets(row(401, 404, 404, 404, 404, OK, 404, OK, 403), OK, 404),
  resolveRequest:     streets(row(401, 404, 404, 404, 404, OK, 404, OK, 403), OK, 404),
  rateRequest:        row(401, 404, 404,    404,    404,    404, 404, 404, OK),
  reopenRequest:      row(401, 404, 404,    404,    404,    404, 404, 404, OK),
  requestCategories:  row(OK,  OK,  OK,     OK,     OK,     OK,  OK,  OK),
  setRequestCategories: row(401, 403, 403,  403,    403,    OK,  403, OK),
  createGrid:         row(401, 403, 403,    403,    403,    OK,  403, OK),
  listGrids:          row(401, 403, 403,    403,    403,    OK,  403, OK),
  recordVisit:        row(401, 403, 403,    403,    403,    OK,  403, OK),
  // regions: admins create and staff them; only the region's staff (and admins) read them
  createRegion:       row(401, 403, 403,    403,    403,    403, 403, OK),
  getRegion:          streets(row(401, 403, 403, 403, 403, 403, 403, OK), OK, 403),
  myRegions:          row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK),
  appointRegionStaff: row(401, 403, 403,    403,    403,    403, 403, OK),
  removeRegionStaff:  row(401, 403, 403,    403,    403,    403, 403, OK),
  attachCommunity:    row(401, 403, 403,    403,    403,    403, 403, OK),
  regionRequests:     streets(row(401, 403, 403, 403, 403, 403, 403, OK), OK, 403),
  regionStats:        streets(row(401, 403, 403, 403, 403, 403, 403, OK), OK, 403),
  // family proxy: a code is shown by a verified resident; a link is seen by its two sides and the community's staff
  createLinkCode:     row(401, 403, 403,    OK,     OK,     403, 403, 403),
  claimLinkCode:      row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK),
  confirmLink:        row(401, 404, 404,    404,    404,    OK,  404, OK),
  endLink:            row(401, 404, 404,    404,    404,    OK,  404, OK),
  myFamily:           row(401, OK,  OK,     OK,     OK,     OK,  OK,  OK),
  createHeldMember:   row(401, 403, 403,    403,    403,    OK,  403, OK),
  counterLink:        row(401, 403, 403,    403,    403,    OK,  403, OK),
  // 志愿陪同: the owner asked for an escort with the booking (a fresh owner asks later for a new one);
  // approved volunteers see it without the owner's contact (the leak check holds them to it), staff
  // with it; only the owner asks and thanks
  askEscort:          row(401, 404, 404,    404,    404,    403, 404, 403, OK),
  listEscorts:        row(401, 403, 403,    403,    OK,     OK,  403, OK),
  getEscort:          row(401, 404, 404,    404,    OK,     OK,  404, OK,  OK),
  thankEscort:        row(401, 404, 404,    404,    403,    403, 404, 403, OK),
};

/** Who may see the owner's (and the applicant's) personal data and identifiers. */
const MAY_SEE_PRIVATE: ReadonlySet<Role> = new Set(['staff', 'admin', 'owner']);

/**
 * The public certificate check shows the full name as printed to whoever holds the code (the
 * paper carries it anyway): a masked name let a namesake's real code verify a forged certificate.
 */
const SHOWN_TO_CODE_HOLDER: Partial<Record<RouteName, string>> = { verifyCertificate: fx.OWNER.realName };

// ——— the requests ——————————————————————————————————————————————————————

interface Cell {
  role: Role;
  /** The cell is expected to change something: it acts on a thing of its own, as a new person in its role. */
  fresh: boolean;
  /** The caller (made on first use). */
  person: () => Promise<Actor>;
}

interface Request {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  /** The request's clock; T0 unless given. */
  now?: Date;
  /** Call as someone else than `person` (the owner's own staged thing). */
  as?: Actor;
}

type Build = (c: Cell) => Request | Promise<Request>;

function requests(w: World): Record<RouteName, Build> {
  const { cid } = w;
  const staffOrAdmin = (c: Cell): 'staff' | 'admin' => (c.role === 'admin' ? 'admin' : 'staff');
  /** The owner's booking, or for a cell that changes it, a booking of its own (the caller's, when the caller is its owner). */
  const appointment = async (c: Cell): Promise<string> =>
    c.fresh ? (await fx.book(w, c.role === 'owner' ? await c.person() : await verifiedResident(cid))).id : w.appointment.id;
  /** The owner's waiting ticket, or a walk-in's new one (category C, which no cell calls). */
  const waitingTicket = async (c: Cell): Promise<string> => (c.fresh ? fx.takeTicket(cid, await login(), 'C') : w.ticket);
  const volunteerTarget = async (c: Cell, make: () => Promise<Actor>): Promise<string> => (c.fresh ? (await make()).id : w.people.owner.id);
  const scoped = `?communityId=${cid}`;
  /** A request the caller owns: accepted at the street by street staff, in the community by the others. */
  const workedBy = async (c: Cell): Promise<string> => (c.role === 'streetStaff' ? fx.acceptedAtStreet : fx.acceptedRequest)(w, await c.person());

  return {
    // identity and communities
    health: () => ({}),
    openapi: () => ({}),
    loginWechat: () => ({ body: { code: `access-${randomUUID().slice(0, 8)}` } }),
    loginDev: () => ({ body: { openid: uniqueOpenid('access') } }),
    me: () => ({}),
    createCommunity: () => ({ body: { name: '新建社区', district: '鼓楼区', street: '华林街道', residents: 8000, households: 3000 } }),
    getCommunity: () => ({ params: { cid } }),
    join: () => ({ params: { cid }, body: { household: nextHousehold() } }),
    listMembers: () => ({ params: { cid }, query: '?verified=false' }),
    verifyMember: async (c) => ({ params: { cid, uid: c.fresh ? (await joined(cid)).id : w.applicant.id }, body: {} }),
    revokeMember: async (c) => ({ params: { cid, uid: c.fresh ? (await verifiedResident(cid)).id : w.applicant.id }, body: { reason: '已搬离本社区' } }),
    moveMember: async (c) => ({ params: { cid, uid: c.fresh ? (await verifiedResident(cid)).id : w.people.resident.id }, body: { household: nextHousehold(), reason: '搬到本社区另一套房' } }),
    appointStaff: async (c) => ({ params: { cid, uid: c.fresh ? (await login()).id : w.nobody.id }, body: { role: 'worker' } }),
    // a refused cell names someone who is not staff: a guard that let it through would answer 404, not 403
    removeStaff: async (c) => ({ params: { cid, uid: c.fresh ? (await staffOf(cid)).id : w.nobody.id } }),
    audit: () => ({ params: { cid } }),
    joinCode: () => ({ params: { cid } }),
    // appointments
    createService: () => ({ params: { cid }, body: fx.SERVICE }),
    updateService: async (c) => ({ params: { sid: c.fresh ? await fx.newService(w) : w.sid }, body: { description: '请提前准备好材料' } }),
    getService: () => ({ params: { sid: w.sid } }),
    listServices: () => ({ params: { cid } }),
    dates: () => ({ params: { sid: w.sid } }),
    slots: () => ({ params: { sid: w.sid }, query: `?date=${fx.SLOT_DATE}` }),
    book: () => ({ params: { sid: w.sid }, body: { start: fx.SLOT } }),
    myAppointments: () => ({}),
    getAppointment: () => ({ params: { id: w.appointment.id } }),
    dayAppointments: () => ({ params: { sid: w.sid }, query: `?date=${fx.SLOT_DATE}` }),
    cancel: async (c) => ({ params: { id: await appointment(c) } }),
    checkInAppointment: async (c) => ({ params: { id: await appointment(c) }, now: fx.SLOT_CHECK_IN }),
    noShow: async (c) => ({ params: { id: await appointment(c) }, now: fx.SLOT_NO_SHOW }),
    complete: async (c) => ({ params: { id: await appointment(c) } }),
    rate: async (c) => ({ params: { id: c.fresh ? await fx.completedAppointment(w, await c.person()) : w.appointment.id }, body: { score: 5 } }),
    // service-hall queue (window 2 serves A and is open, window 4 is closed: refusals must leave both so)
    putHall: () => ({ params: { cid }, body: fx.LAYOUT }),
    getHall: () => ({ params: { cid } }),
    openWindow: (c) => ({ params: { cid, no: c.fresh ? '1' : '4' } }),
    closeWindow: (c) => ({ params: { cid, no: c.fresh ? '3' : '2' } }),
    takeTicket: () => ({ params: { cid }, body: { category: 'A' } }),
    waitingTickets: () => ({ params: { cid } }),
    getTicket: () => ({ params: { id: w.ticket } }),
    myTickets: () => ({}),
    cancelTicket: async (c) => ({ params: { id: c.fresh ? await fx.takeTicket(cid, await c.person(), 'A') : w.ticket } }),
    callNext: () => ({ params: { cid, no: '2' } }),
    recall: (c) => ({ params: { id: c.fresh ? w.called.recall : w.ticket } }),
    skip: (c) => ({ params: { id: c.fresh ? w.called.skip[staffOrAdmin(c)] : w.ticket } }),
    completeTicket: (c) => ({ params: { id: c.fresh ? w.called.complete[staffOrAdmin(c)] : w.ticket } }),
    transfer: async (c) => ({ params: { id: await waitingTicket(c) }, body: { category: 'A' } }),
    priority: async (c) => ({ params: { id: await waitingTicket(c) }, body: { reason: '行动不便的老人' } }),
    rateTicket: (c) => ({ params: { id: w.doneTicket }, body: { score: 5 }, ...(c.role === 'owner' ? { as: w.people.owner } : {}) }),
    hallQr: () => ({ params: { cid } }),
    hallCode: () => ({ params: { cid } }),
    board: () => ({ params: { cid } }),
    pairBoard: () => ({ params: { cid }, body: { code: '000000' } }),
    pairedBoards: () => ({ params: { cid } }),
    unpairBoard: () => ({ params: { cid, id: '1' } }),
    // volunteers
    register: () => ({ params: { cid }, body: { skills: ['助老'] } }),
    listVolunteers: () => ({ params: { cid } }),
    approve: async (c) => ({ params: { cid, uid: await volunteerTarget(c, () => fx.pendingVolunteer(w)) } }),
    decline: async (c) => ({ params: { cid, uid: await volunteerTarget(c, () => fx.pendingVolunteer(w)) }, body: { reason: '请补充服务时间' } }),
    createActivity: () => ({ params: { cid }, body: fx.activityBody(fx.after(72 * 3600_000)) }),
    getActivity: () => ({ params: { id: w.activity } }),
    updateActivity: async (c) => ({ params: { id: c.fresh ? await fx.newActivity(w) : w.activity }, body: { title: '敬老院探访（改期）' } }),
    cancelActivity: async (c) => ({ params: { id: c.fresh ? await fx.newActivity(w) : w.activity } }),
    listActivities: () => ({ params: { cid } }),
    signUp: () => ({ params: { id: w.activity } }),
    listSignups: () => ({ params: { id: w.activity } }),
    cancelSignUp: async (c) => {
      if (c.fresh) await fx.signUp(w.activity, await c.person());
      return { params: { id: w.activity } };
    },
    mySignups: () => ({}),
    checkinCode: () => ({ params: { id: w.activity }, now: fx.ACT_CODE_SHOWN }),
    // a refused cell scans the owner's code (never spent: only staff cells record, each for a new volunteer)
    checkIn: async (c) => {
      const volunteer = c.fresh ? await fx.approvedVolunteer(cid, w.people.staff) : w.people.owner;
      if (c.fresh) await fx.signUp(w.activity, volunteer);
      return { params: { id: w.activity }, body: { code: await fx.personalCode(w.activity, volunteer, fx.ACT_IN) }, now: fx.ACT_IN };
    },
    checkOut: async (c) => {
      const volunteer = c.fresh ? await fx.approvedVolunteer(cid, w.people.staff) : w.people.owner;
      if (c.fresh) {
        await fx.signUp(w.activity, volunteer);
        await fx.checkIn(w, w.activity, volunteer);
      }
      return { params: { id: w.activity }, body: { code: await fx.personalCode(w.activity, volunteer, c.fresh ? fx.ACT_OUT : fx.ACT_IN) }, now: fx.ACT_OUT };
    },
    recordAttendance: async (c) => ({
      params: { id: w.doneActivity, uid: await volunteerTarget(c, () => fx.approvedVolunteer(cid, w.people.staff)) },
      body: fx.attendanceBody,
    }),
    verifyHours: async (c) => ({ params: { id: w.doneActivity, uid: await volunteerTarget(c, () => fx.recordedVolunteer(w)) }, body: {} }),
    correct: async (c) => ({
      params: { cid, uid: await volunteerTarget(c, () => fx.approvedVolunteer(cid, w.people.staff)) },
      body: { hours: 1, reason: '补记上月服务' },
    }),
    volunteerLedger: () => ({ params: { cid, uid: w.people.owner.id } }),
    communityLedger: () => ({ params: { cid }, query: '?month=2026-03&format=csv' }),
    myVolunteer: () => ({ query: scoped }),
    certificate: () => ({ query: scoped }),
    verifyCertificate: () => ({ params: { code: w.certificateCode } }),
    revokeCertificate: async (c) => ({ params: { code: c.fresh ? await fx.freshCertificate(w) : w.certificateCode }, body: { reason: '时长登记有误' } }),
    // consultations
    proposeTopic: () => ({ params: { cid }, body: { title: '增设快递柜', body: '小区门口快递堆放杂乱。' } }),
    listTopics: () => ({ params: { cid } }),
    supportTopic: () => ({ params: { id: w.topic } }),
    closeTopic: async (c) => ({ params: { id: c.fresh ? await fx.newTopic(w, w.people.resident) : w.topic }, body: { reply: '已转交物业处理' } }),
    createConsultation: () => ({ params: { cid }, body: fx.consultationBody(fx.after(72 * 3600_000)) }),
    listConsultations: () => ({ params: { cid } }),
    getConsultation: () => ({ params: { id: w.open } }),
    eligibility: () => ({ params: { id: w.open }, now: fx.DURING }),
    comment: () => ({ params: { id: w.open }, body: { text: '同意，尽快施工。' }, now: fx.DURING }),
    listComments: () => ({ params: { id: w.open }, now: fx.DURING }),
    hideComment: async (c) => ({
      params: { id: c.fresh ? await fx.newComment(w, await verifiedResident(cid)) : w.comment },
      body: { reason: '含人身攻击' },
      now: fx.DURING,
    }),
    vote: () => ({ params: { id: w.open }, body: { choices: ['yes'] }, now: fx.DURING }),
    results: () => ({ params: { id: w.closed }, now: fx.AFTER_CLOSE }),
    publish: async (c) => ({ params: { id: c.fresh ? await fx.closedConsultation(w) : w.closed }, body: { decision: '同意加装' }, now: fx.AFTER_CLOSE }),
    addUpdate: async (c) => ({ params: { id: c.fresh ? await fx.publishedConsultation(w) : w.closed }, body: { text: '已完成施工招标' }, now: fx.AFTER_CLOSE }),
    // indicators
    stats: () => ({ params: { cid } }),
    // back office
    listCommunities: () => ({ query: '?q=社区' }),
    updateCommunity: () => ({ params: { cid }, body: {} }),
    listStaff: () => ({ params: { cid } }),
    // notifications
    templates: () => ({}),
    reportSubscriptions: () => ({ body: { accepted: ['queueCalled'] } }),
    deadMessages: () => ({}),
    // uploads
    createUpload: () => ({ body: { purpose: 'request-photo', contentType: 'image/jpeg', size: 1024 } }),
    // notices
    postNotice: () => ({ params: { cid }, body: { title: '停水通知', category: 'notice', body: [{ type: 'paragraph', runs: [{ text: '周三停水。' }] }] } }),
    listNotices: () => ({ params: { cid } }),
    getNotice: () => ({ params: { id: w.notice } }),
    editNotice: async (c) => ({ params: { id: c.fresh ? await fx.newNotice(w) : w.notice }, body: { pinned: true } }),
    withdrawNotice: async (c) => ({ params: { id: c.fresh ? await fx.newNotice(w) : w.notice } }),
    readNotice: () => ({ params: { id: w.notice } }),
    fileRequest: () => ({ params: { cid }, body: { category: 'repair', text: '楼道灯坏了' } }),
    getRequest: () => ({ params: { id: w.request } }),
    myRequests: () => ({}),
    communityRequests: () => ({ params: { cid }, query: '?status=submitted' }),
    publicRequests: () => ({ params: { cid } }),
    // street staff accept what was handed up to their street; the community's staff what was filed
    acceptRequest: async (c) => ({
      params: { id: c.fresh ? await (c.role === 'streetStaff' ? fx.escalatedRequest : fx.newRequest)(w, await verifiedResident(cid)) : w.request },
    }),
    addRequestNote: async (c) => ({ params: { id: c.fresh ? await fx.newRequest(w, await c.person()) : w.request }, body: { text: '晚上七点后家里有人' } }),
    escalateRequest: async (c) => ({ params: { id: c.fresh ? await workedBy(c) : w.request }, body: { reason: '需要上级协调' } }),
    resolveRequest: async (c) => ({ params: { id: c.fresh ? await workedBy(c) : w.request }, body: { summary: '已更换灯泡' } }),
    rateRequest: async (c) => ({ params: { id: c.fresh ? await fx.resolvedRequest(w, await c.person()) : w.request }, body: { score: 5 } }),
    reopenRequest: async (c) => ({ params: { id: c.fresh ? await fx.resolvedRequest(w, await c.person()) : w.request }, body: {} }),
    requestCategories: () => ({ params: { cid } }),
    // the defaults again: other cells file requests in this community
    setRequestCategories: () => ({ params: { cid }, body: { clocks: [{ category: 'repair', respondHours: 24, resolveDays: 5 }] } }),
    createGrid: () => ({ params: { cid }, body: { name: '网格', buildings: [fx.nextBuilding()], workerId: w.people.staff.id } }),
    listGrids: () => ({ params: { cid } }),
    recordVisit: () => ({ params: { cid }, body: { household: nextHousehold(), note: '了解独居老人情况' } }),
    createRegion: () => ({ body: { name: fx.uniqueName('区'), level: 'district' } }),
    getRegion: () => ({ params: { rid: w.street } }),
    myRegions: () => ({}),
    appointRegionStaff: async (c) => ({ params: { rid: w.street, uid: c.fresh ? (await login()).id : w.nobody.id }, body: {} }),
    // a refused cell names someone who is not the street's staff: a guard that let it through would answer 404, not 403
    removeRegionStaff: async (c) => ({ params: { rid: w.street, uid: c.fresh ? (await fx.regionStaffOf(w.street)).id : w.nobody.id } }),
    attachCommunity: async (c) => ({ params: { rid: w.street, cid: c.fresh ? (await newCommunity()).id : cid }, body: {} }),
    regionRequests: () => ({ params: { rid: w.street } }),
    regionStats: () => ({ params: { rid: w.street } }),
    // family proxy: every cell links people of its own
    createLinkCode: () => ({ body: { communityId: cid } }),
    claimLinkCode: async () => ({ body: { code: await fx.familyCode(cid) } }),
    confirmLink: async () => ({ params: { id: await fx.pendingLink(cid) } }),
    endLink: async () => ({ params: { id: await fx.pendingLink(cid) } }),
    myFamily: () => ({}),
    createHeldMember: () => ({ params: { cid }, body: { realName: '王桂芳', household: nextHousehold() } }),
    counterLink: async () => ({ params: { cid }, body: { elderId: (await verifiedResident(cid)).id, proxyId: (await login()).id } }),
    // 志愿陪同
    askEscort: async (c) => ({ params: { id: c.fresh ? (await fx.book(w, await c.person())).id : w.appointment.id }, body: { need: '助残' } }),
    listEscorts: () => ({ params: { cid } }),
    getEscort: () => ({ params: { id: w.escort } }),
    thankEscort: async (c) => ({ params: { id: c.fresh ? await fx.thankableEscort(w, await c.person()) : w.escort }, body: { score: 5, text: '谢谢' } }),
  };
}

// ——— running a cell ————————————————————————————————————————————————————

const names = Object.keys(POLICY) as RouteName[];
const successOf = (name: RouteName): number => routes[name].status ?? 200;

function urlOf(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`no value for {${key}} in ${path}`);
    return encodeURIComponent(value);
  });
}

/** An outcome as the failure message shows it: "201", "404", "409 ALREADY_MEMBER". */
const expected = (name: RouteName, outcome: Outcome): string =>
  outcome === OK ? String(successOf(name)) : typeof outcome === 'number' ? String(outcome) : `${outcome.status} ${outcome.code}`;
const actual = (reply: Reply): string =>
  reply.status < 300 || [401, 403, 404].includes(reply.status) ? String(reply.status) : `${reply.status} ${reply.body?.error?.code ?? ''}`.trim();

async function runCell(w: World, build: Build, name: RouteName, role: Role, outcome: Outcome): Promise<Reply> {
  const def = routes[name];
  const fresh = outcome === OK && def.method !== 'GET';
  let person: Promise<Actor> | undefined;
  const cell: Cell = {
    role,
    fresh,
    person: () => {
      if (role === 'anonymous') throw new Error('anonymous has no person');
      return (person ??= fresh ? fx.freshPerson(w, role) : Promise.resolve(w.people[role]));
    },
  };
  const req = await build(cell);
  const caller = role === 'anonymous' ? undefined : (req.as ?? (await cell.person()));
  return call(def.method, urlOf(def.path, req.params) + (req.query ?? ''), { token: caller?.token, body: req.body, now: req.now ?? fx.T0 });
}

const ERROR_FIELDS = ['code', 'message', 'details', 'requestId'];
const REFUSAL_CODES: Record<number, string[]> = { 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN', 'NOT_ELIGIBLE'], 404: ['NOT_FOUND'] };

/** What is wrong with an error answer: anything beyond the contract's shape, or a code that does not match its status. */
function errorShapeProblems(reply: Reply): string[] {
  const body = reply.body;
  if (!body || typeof body !== 'object' || Object.keys(body).join() !== 'error' || typeof body.error !== 'object') {
    return [`not the error shape: ${JSON.stringify(body)}`];
  }
  const problems: string[] = [];
  const extra = Object.keys(body.error).filter((k) => !ERROR_FIELDS.includes(k));
  if (extra.length) problems.push(`extra error fields ${extra.join(', ')}`);
  if (!(body.error.code in ERROR_MESSAGES)) problems.push(`unknown code ${body.error.code}`);
  if (typeof body.error.message !== 'string' || body.error.message === '') problems.push('no message');
  const codes = REFUSAL_CODES[reply.status];
  if (codes && !codes.includes(body.error.code)) problems.push(`${reply.status} with code ${body.error.code}`);
  return problems;
}

const leaks = (w: World, reply: Reply): string[] => {
  const text = (typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? '')) + JSON.stringify(reply.headers);
  return w.secrets.filter((secret) => text.includes(secret));
};

function title(name: RouteName): string {
  const def = routes[name];
  const policy = POLICY[name];
  const allowed = roles.flatMap((r) => {
    const o = policy[r];
    return o === OK ? [r] : o && typeof o === 'object' ? [`${r} (${o.status} ${o.code})`] : [];
  });
  const refused = new Map<number, Role[]>();
  for (const r of roles) {
    const o = policy[r];
    if (typeof o === 'number') refused.set(o, [...(refused.get(o) ?? []), r]);
  }
  const refusals = [...refused].map(([status, who]) => `${status} for ${who.join(', ')}`).join('; ');
  const who = allowed.length === roles.filter((r) => policy[r] !== undefined).length ? 'anyone' : allowed.join(', ') || 'nobody';
  return `${def.method} ${def.path} (${name}): ${who}${refusals ? `; ${refusals}` : ''}`;
}

// ——— the tests ————————————————————————————————————————————————————————

let w: World;
let build: Record<RouteName, Build>;
let wechat: WechatStub;

beforeAll(async () => {
  wechat = await startWechatStub();
  process.env.WECHAT_API_BASE = wechat.base;
  resetConfig();
  w = await fx.buildWorld();
  build = requests(w);
}, 240_000);

afterAll(async () => {
  delete process.env.WECHAT_API_BASE;
  resetConfig();
  await wechat?.close();
});

describe('the access table', () => {
  it('has one row for every route of the contract, and a request for each, with every caller but the owner decided', () => {
    expect(names.slice().sort()).toEqual(Object.keys(routes).sort());
    expect(Object.keys(build).sort()).toEqual(Object.keys(routes).sort());
    const undecided = names.flatMap((name) => roles.filter((r) => r !== 'owner' && POLICY[name][r] === undefined).map((r) => `${name}.${r}`));
    expect(undecided).toEqual([]);
  });

  it("finds every one of the owner's secrets where staff and the owner may see them (so the leak check can fail)", async () => {
    const { owner, staff } = w.people;
    const seen = await Promise.all([
      call('GET', `/v1/services/${w.sid}/appointments?date=${fx.SLOT_DATE}`, { token: staff.token, now: fx.T0 }),
      call('GET', `/v1/communities/${w.cid}/members?verified=false&limit=100`, { token: staff.token, now: fx.T0 }),
      call('GET', `/v1/tickets/${w.ticket}`, { token: owner.token, now: fx.T0 }),
      call('GET', `/v1/tickets/${w.doneTicket}`, { token: owner.token, now: fx.T0 }),
      call('GET', `/v1/consultations/${w.open}/eligibility`, { token: owner.token, now: fx.DURING }),
      call('GET', `/v1/consultations/${w.closed}/eligibility`, { token: owner.token, now: fx.AFTER_CLOSE }),
    ]);
    const found = new Set(seen.flatMap((reply) => leaks(w, reply)));
    expect([...found].sort()).toEqual([...w.secrets].sort());
  });
});

describe('who may call each route', () => {
  for (const name of names) {
    it.concurrent(title(name), async () => {
      // prepare + act: every caller of the row at once
      const policy = POLICY[name];
      const cells = roles.filter((r) => policy[r] !== undefined);
      const replies = await Promise.all(cells.map((role) => runCell(w, build[name], name, role, policy[role] as Outcome)));

      // assess: each caller got what the policy says…
      const got = Object.fromEntries(cells.map((role, i) => [role, actual(replies[i] as Reply)]));
      const want = Object.fromEntries(cells.map((role) => [role, expected(name, policy[role] as Outcome)]));
      expect(got, `${routes[name].method} ${routes[name].path}`).toEqual(want);

      // …a refusal is only the contract's error, and nobody else ever sees the owner's data
      const problems = cells.flatMap((role, i) => {
        const reply = replies[i] as Reply;
        const shape = reply.status >= 400 ? errorShapeProblems(reply) : [];
        const seen = MAY_SEE_PRIVATE.has(role) ? [] : leaks(w, reply).filter((s) => s !== SHOWN_TO_CODE_HOLDER[name]).map((s) => `sees ${s}`);
        return [...shape, ...seen].map((p) => `${role}: ${p}`);
      });
      expect(problems).toEqual([]);
    }, 90_000);
  }
});

describe('after every refusal', () => {
  it("leaves the owner's booking, ticket, hours, topic, comment and ballots as they were", async () => {
    const { owner, staff } = w.people;
    const [appointment, ticket, volunteer, topics, comments, closed, results, signups] = await Promise.all([
      call('GET', `/v1/appointments/${w.appointment.id}`, { token: owner.token, now: fx.T0 }),
      call('GET', `/v1/tickets/${w.ticket}`, { token: owner.token, now: fx.T0 }),
      call('GET', `/v1/me/volunteer?communityId=${w.cid}`, { token: owner.token, now: fx.T0 }),
      call('GET', `/v1/communities/${w.cid}/topics?limit=100`, { now: fx.T0 }),
      call('GET', `/v1/consultations/${w.open}/comments?limit=100`, { token: staff.token, now: fx.DURING }),
      call('GET', `/v1/consultations/${w.closed}`, { now: fx.AFTER_CLOSE }),
      call('GET', `/v1/consultations/${w.closed}/results`, { now: fx.AFTER_CLOSE }),
      call('GET', `/v1/activities/${w.activity}/signups?limit=100`, { token: staff.token, now: fx.T0 }),
    ]);
    expect(appointment.body).toMatchObject({ status: 'booked' });
    expect(ticket.body).toMatchObject({ status: 'waiting', category: 'B', priority: false });
    expect(volunteer.body).toMatchObject({ status: 'approved', totalHours: w.ownerHours });
    expect(volunteer.body.entries).toHaveLength(1);
    expect(topics.body.items.find((t: { id: string }) => t.id === w.topic)).toMatchObject({ status: 'open' });
    expect(comments.body.items.find((c: { id: string }) => c.id === w.comment)).toMatchObject({ hidden: false });
    expect(closed.body).toMatchObject({ state: 'closed' });
    expect(closed.body.decision).toBeUndefined();
    expect(results.body).toMatchObject({ ballots: 1 });
    expect(signups.body.items.find((s: { userId: string }) => s.userId === owner.id)).toMatchObject({ status: 'signed_up' });
    const escort = await call('GET', `/v1/escorts/${w.escort}`, { token: staff.token, now: fx.T0 });
    expect(escort.body).toMatchObject({ state: 'open', appointmentId: w.appointment.id });
    expect(escort.body.thanks).toBeUndefined();
  });

  it('leaves the service, the activity, the hall, the applicant and the non-appointed user as they were', async () => {
    const { staff } = w.people;
    const [service, activity, hall, pending, nobody] = await Promise.all([
      call('GET', `/v1/services/${w.sid}`, { now: fx.T0 }),
      call('GET', `/v1/activities/${w.activity}`, { now: fx.T0 }),
      call('GET', `/v1/communities/${w.cid}/hall`, { token: staff.token, now: fx.T0 }),
      call('GET', `/v1/communities/${w.cid}/members?verified=false&limit=100`, { token: staff.token, now: fx.T0 }),
      call('GET', '/v1/me', { token: w.nobody.token, now: fx.T0 }),
    ]);
    expect(service.body.description).toBeUndefined();
    expect(activity.body).toMatchObject({ title: '敬老院探访', status: 'scheduled' });
    const open = (no: number) => hall.body.windows.find((x: { no: number }) => x.no === no)?.open;
    expect([open(2), open(4)]).toEqual([true, false]);
    expect(pending.body.items.map((m: { userId: string }) => m.userId)).toContain(w.applicant.id);
    expect(nobody.body.memberships).toEqual([]);
  });
});
