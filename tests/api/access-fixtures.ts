/**
 * The world of the access-control table (access.test.ts): one community with one person in
 * each role, an "owner" who has one of every private thing (a booking, queue tickets, a signup
 * with verified hours and a certificate, ballots, a topic, a comment), and staff of another
 * community. Everything is made through the public API, on a fixed clock (`T0`, a plain Monday
 * in November 2026: no holiday, no 调休) passed to each request as `now`.
 */
import { expect } from 'vitest';
import { admin, joined, login, newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Monday 16 November 2026, 09:00 in Shanghai: every fixture is made at this instant. */
export const T0 = new Date('2026-11-16T09:00:00+08:00');
export const after = (ms: number, from: Date = T0): Date => new Date(from.getTime() + ms);

/** The slot every booking takes: Tuesday 10:00 (capacity 100, so bookings never compete). */
export const SLOT = '2026-11-17T10:00:00+08:00';
export const SLOT_DATE = '2026-11-17';
/** Appointment check-in opens 30 minutes before the slot; a no-show can be marked 15 minutes after it. */
export const SLOT_CHECK_IN = after(-10 * MIN, new Date(SLOT));
export const SLOT_NO_SHOW = after(20 * MIN, new Date(SLOT));

/** The activity volunteers sign up for: Tuesday 09:00–11:00. */
export const ACT_START = after(24 * HOUR);
export const ACT_CODE_SHOWN = after(-10 * MIN, ACT_START);
export const ACT_IN = after(5 * MIN, ACT_START);
export const ACT_OUT = after(95 * MIN, ACT_START);
/** An activity held two days before T0, recorded after the fact. */
export const DONE_START = after(-48 * HOUR);

/** Consultations open at T0; "open" closes three days later, "closed" after one hour. */
export const DURING = after(HOUR);
export const AFTER_CLOSE = after(2 * HOUR);

export const OWNER = { realName: '欧阳秘密', phone: '13912345678', household: '66-6-606' };
export const APPLICANT = { realName: '司马待核', phone: '13787654321', household: '55-5-505' };

export const SERVICE = {
  name: '社保卡办理',
  category: 'A',
  durationMin: 20,
  materials: ['居民身份证原件'],
  schedule: {
    weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['08:00', '18:00']]])),
    slotMinutes: 30,
    capacityPerSlot: 100,
    bookAheadDays: 14,
  },
};

export const LAYOUT = {
  categories: [{ code: 'A', name: '社保' }, { code: 'B', name: '民政' }, { code: 'C', name: '综合' }],
  windows: [{ no: 1, categories: ['A', 'B'] }, { no: 2, categories: ['A'] }, { no: 3, categories: ['C'] }, { no: 4, categories: ['C'] }],
};

export const activityBody = (start: Date) => ({
  title: '敬老院探访',
  place: '幸福里敬老院',
  startsAt: start.toISOString(),
  endsAt: after(2 * HOUR, start).toISOString(),
  capacity: 100,
  hours: 2,
  skills: ['助老'],
});

export const consultationBody = (closesAt: Date) => ({
  title: '是否在3号楼加装电梯',
  body: '3号楼居民提出加装电梯，请各位业主表达意见。',
  options: [{ id: 'yes', label: '同意' }, { id: 'no', label: '不同意' }],
  maxChoices: 1,
  eligibility: 'resident',
  opensAt: T0.toISOString(),
  closesAt: closesAt.toISOString(),
});

export const roles = ['anonymous', 'outsider', 'member', 'resident', 'volunteer', 'staff', 'otherStaff', 'streetStaff', 'otherStreetStaff', 'admin', 'owner'] as const;
export type Role = (typeof roles)[number];

export interface World {
  cid: string;
  otherCid: string;
  /** The person in each role (anonymous has none). */
  people: Record<Exclude<Role, 'anonymous'>, Actor>;
  /** A member waiting for verification, with a real name and phone (the verify target). */
  applicant: Actor;
  /** A logged-in user nobody has appointed (the appoint-staff target). */
  nobody: Actor;
  sid: string;
  /** The owner's booking (status booked), with an escort nobody has taken. */
  appointment: { id: string; code: string };
  /** The escort the owner asked with the booking (志愿陪同): the owner's contact is its elder's. */
  escort: string;
  /** The owner's waiting ticket (category B: no window in the table ever calls it). */
  ticket: string;
  /** The owner's finished ticket (category C), not yet rated. */
  doneTicket: string;
  /** Tickets already called to window 3, one per staff act that needs one. */
  called: { recall: string; skip: Record<'staff' | 'admin', string>; complete: Record<'staff' | 'admin', string> };
  /** The activity volunteers sign up for (the owner has). */
  activity: string;
  /** A past activity where the owner's hours were verified. */
  doneActivity: string;
  /** The owner's verified hours (attended 5 to 95 minutes after the start: 1.5). */
  ownerHours: number;
  certificateCode: string;
  topic: string;
  comment: string;
  open: string;
  closed: string;
  /** A notice showing since T0. */
  notice: string;
  /** The street the community is attached to (its district is a fresh one). */
  street: string;
  /** A street of another district, holding the other community. */
  otherStreet: string;
  /** The owner's request (诉求), handed up to the street by the community's staff and not accepted there. */
  request: string;
  /** What nobody but the owner (or the applicant), their community's staff and admins may ever see. */
  secrets: string[];
}

async function ok<T = any>(method: string, url: string, options: Parameters<typeof call>[2], status = 200): Promise<T> {
  const reply = await call(method, url, options);
  expect(reply.status, `${method} ${url}: ${JSON.stringify(reply.body)}`).toBe(status);
  return reply.body as T;
}

// ——— people ————————————————————————————————————————————————————————

export async function approvedVolunteer(cid: string, staff: Actor, person?: Actor): Promise<Actor> {
  const who = person ?? (await verifiedResident(cid));
  await ok('POST', `/v1/communities/${cid}/volunteers`, { token: who.token, body: { skills: ['助老'] } }, 201);
  await ok('POST', `/v1/communities/${cid}/volunteers/${who.id}/approve`, { token: staff.token });
  return who;
}

/** A new person in the role, for a call that changes the caller's own standing (joins, books, votes…). */
export async function freshPerson(w: World, role: Exclude<Role, 'anonymous'>): Promise<Actor> {
  switch (role) {
    case 'outsider': return login();
    case 'member': return joined(w.cid);
    case 'resident': return verifiedResident(w.cid);
    case 'volunteer':
    case 'owner': return approvedVolunteer(w.cid, w.people.staff);
    case 'staff': return staffOf(w.cid);
    case 'otherStaff': return staffOf(w.otherCid);
    case 'streetStaff': return regionStaffOf(w.street);
    case 'otherStreetStaff': return regionStaffOf(w.otherStreet);
    case 'admin': return admin();
  }
}

// ——— things ————————————————————————————————————————————————————————

export async function book(w: World, who: Actor, escort?: { need: string; note?: string }): Promise<{ id: string; code: string; escortId?: string }> {
  const a = await ok('POST', `/v1/services/${w.sid}/appointments`, { token: who.token, body: { start: SLOT, ...(escort ? { escort } : {}) }, now: T0 }, 201);
  return { id: a.id, code: a.code, escortId: a.escortId };
}

/** `who`'s booking with an escort, taken by a new volunteer and completed by staff: the escort may be thanked. */
export async function thankableEscort(w: World, who: Actor): Promise<string> {
  const { id, escortId } = await book(w, who, { need: '助老' });
  const helper = await approvedVolunteer(w.cid, w.people.staff);
  await ok('POST', `/v1/activities/${escortId}/signups`, { token: helper.token, now: T0 }, 201);
  await ok('POST', `/v1/appointments/${id}/complete`, { token: w.people.staff.token, now: T0 });
  return escortId as string;
}

export async function completedAppointment(w: World, who: Actor): Promise<string> {
  const { id } = await book(w, who);
  await ok('POST', `/v1/appointments/${id}/complete`, { token: w.people.staff.token, now: T0 });
  return id;
}

export async function newService(w: World): Promise<string> {
  return (await ok('POST', `/v1/communities/${w.cid}/services`, { token: w.people.staff.token, body: SERVICE, now: T0 }, 201)).id;
}

/** Each world's hall token of T0's day: the fixtures' walk-ins scanned the hall's QR. */
const hallTokens = new Map<string, string>();

export async function takeTicket(cid: string, who: Actor, category: string, now: Date = T0): Promise<string> {
  return (await ok('POST', `/v1/communities/${cid}/tickets`, { token: who.token, body: { category, hallToken: hallTokens.get(cid) }, now }, 201)).id;
}

export async function newActivity(w: World, start: Date = after(72 * HOUR)): Promise<string> {
  return (await ok('POST', `/v1/communities/${w.cid}/activities`, { token: w.people.staff.token, body: activityBody(start), now: T0 }, 201)).id;
}

export async function signUp(activity: string, who: Actor): Promise<void> {
  await ok('POST', `/v1/activities/${activity}/signups`, { token: who.token, now: T0 }, 201);
}

/** The personal code `who`'s activity page shows at `now` (check-in until checked in, then check-out). */
export async function personalCode(activity: string, who: Actor, now: Date): Promise<string> {
  return (await ok('GET', `/v1/activities/${activity}/checkin-code`, { token: who.token, now })).code;
}

/** Staff on site scan `who`'s personal code at ACT_IN. */
export async function checkIn(w: World, activity: string, who: Actor): Promise<void> {
  await ok('POST', `/v1/activities/${activity}/check-in`, { token: w.people.staff.token, body: { code: await personalCode(activity, who, ACT_IN) }, now: ACT_IN });
}

/** A new volunteer's certificate (verified hours at the past activity), for a cell that revokes one. */
export async function freshCertificate(w: World): Promise<string> {
  const person = await recordedVolunteer(w);
  await ok('POST', `/v1/activities/${w.doneActivity}/signups/${person.id}/verify`, { token: w.people.staff.token, body: {}, now: T0 });
  const certificate = await call('GET', '/v1/me/volunteer/certificate', { token: person.token, now: T0 });
  expect(certificate.status, String(certificate.body)).toBe(200);
  return certificate.headers['x-certificate-code'] as string;
}

export const attendanceBody = {
  checkedInAt: after(5 * MIN, DONE_START).toISOString(),
  checkedOutAt: after(95 * MIN, DONE_START).toISOString(),
  reason: '手机没电，工作人员补录',
};

/** A volunteer whose attendance at the past activity staff recorded (hours not yet verified). */
export async function recordedVolunteer(w: World, who?: Actor): Promise<Actor> {
  const person = who ?? (await approvedVolunteer(w.cid, w.people.staff));
  await ok('POST', `/v1/activities/${w.doneActivity}/signups/${person.id}/attendance`, { token: w.people.staff.token, body: attendanceBody, now: T0 });
  return person;
}

export async function pendingVolunteer(w: World): Promise<Actor> {
  const person = await verifiedResident(w.cid);
  await ok('POST', `/v1/communities/${w.cid}/volunteers`, { token: person.token, body: { skills: ['文体'] } }, 201);
  return person;
}

export async function newTopic(w: World, author: Actor): Promise<string> {
  return (await ok('POST', `/v1/communities/${w.cid}/topics`, { token: author.token, body: { title: '增设快递柜', body: '小区门口快递堆放杂乱。' }, now: T0 }, 201)).id;
}

export async function newComment(w: World, author: Actor): Promise<string> {
  return (await ok('POST', `/v1/consultations/${w.open}/comments`, { token: author.token, body: { text: '赞成，老人上下楼太难。' }, now: DURING }, 201)).id;
}

/** A consultation that opened at T0 and closed an hour later. */
export async function closedConsultation(w: World): Promise<string> {
  return (await ok('POST', `/v1/communities/${w.cid}/consultations`, { token: w.people.staff.token, body: consultationBody(after(HOUR)), now: T0 }, 201)).id;
}

export async function publishedConsultation(w: World): Promise<string> {
  const id = await closedConsultation(w);
  await ok('POST', `/v1/consultations/${id}/publish`, { token: w.people.staff.token, body: { decision: '同意加装' }, now: AFTER_CLOSE });
  return id;
}

export async function newNotice(w: World): Promise<string> {
  const body = { title: '停水通知', category: 'notice', body: [{ type: 'paragraph', runs: [{ text: '周三停水一天。' }] }] };
  return (await ok('POST', `/v1/communities/${w.cid}/notices`, { token: w.people.staff.token, body, now: T0 }, 201)).id;
}

let names = 0;
/** A region name no other test run has taken (district names are unique). */
export const uniqueName = (suffix: string): string => `${Date.now().toString(36)}${names++}${suffix}`;
let buildings = 0;
/** A building number no other grid of the run holds. */
export const nextBuilding = (): string => String(100 + (buildings++ % 900));

/** A fresh district with the street every test community names (西司门街道), the community attached. */
export async function attachedStreet(cid: string, root: Actor): Promise<string> {
  const district = await ok('POST', '/v1/regions', { token: root.token, body: { name: uniqueName('区'), level: 'district' }, now: T0 }, 201);
  const street = await ok('POST', '/v1/regions', { token: root.token, body: { name: '西司门街道', level: 'street', parentId: district.id }, now: T0 }, 201);
  await ok('PUT', `/v1/regions/${street.id}/communities/${cid}`, { token: root.token, body: {}, now: T0 });
  return street.id;
}

export async function newRequest(w: World, who: Actor): Promise<string> {
  return (await ok('POST', `/v1/communities/${w.cid}/requests`, { token: who.token, body: { category: 'repair', text: '楼道灯坏了' }, now: T0 }, 201)).id;
}

/** A new person appointed staff of the region by an admin. */
export async function regionStaffOf(rid: string): Promise<Actor> {
  const person = await login();
  await ok('PUT', `/v1/regions/${rid}/staff/${person.id}`, { token: (await admin()).token, body: {}, now: T0 });
  return person;
}

/** A request of `who`, accepted by the community's staff and handed up to the street. */
export async function escalatedRequest(w: World, who: Actor): Promise<string> {
  const id = await newRequest(w, who);
  await ok('POST', `/v1/requests/${id}/accept`, { token: w.people.staff.token, now: T0 });
  await ok('POST', `/v1/requests/${id}/escalate`, { token: w.people.staff.token, body: { reason: '需要街道协调' }, now: T0 });
  return id;
}

/** A request of a new resident, handed up to the street and accepted there by `streetStaff`. */
export async function acceptedAtStreet(w: World, streetStaff: Actor): Promise<string> {
  const id = await escalatedRequest(w, await verifiedResident(w.cid));
  await ok('POST', `/v1/requests/${id}/accept`, { token: streetStaff.token, now: T0 });
  return id;
}

/** A request of a new resident, accepted by `staff`. */
export async function acceptedRequest(w: World, staff: Actor): Promise<string> {
  const id = await newRequest(w, await verifiedResident(w.cid));
  await ok('POST', `/v1/requests/${id}/accept`, { token: staff.token, now: T0 });
  return id;
}

/** A request of `who`, accepted and resolved by the community's staff. */
export async function resolvedRequest(w: World, who: Actor): Promise<string> {
  const id = await newRequest(w, who);
  await ok('POST', `/v1/requests/${id}/accept`, { token: w.people.staff.token, now: T0 });
  await ok('POST', `/v1/requests/${id}/resolve`, { token: w.people.staff.token, body: { summary: '已更换灯泡' }, now: T0 });
  return id;
}

// ——— the world ——————————————————————————————————————————————————————

export async function buildWorld(): Promise<World> {
  const [{ id: cid }, { id: otherCid }, root] = await Promise.all([newCommunity(), newCommunity({ name: '隔壁社区' }), admin()]);
  const [staff, otherStaff, outsider, member, resident, nobody, applicant, ownerJoined] = await Promise.all([
    staffOf(cid),
    staffOf(otherCid),
    login(),
    joined(cid),
    verifiedResident(cid),
    login(),
    joined(cid, APPLICANT.household, { realName: APPLICANT.realName, phone: APPLICANT.phone }),
    joined(cid, OWNER.household, { realName: OWNER.realName, phone: OWNER.phone }),
  ]);
  await ok('POST', `/v1/communities/${cid}/members/${ownerJoined.id}/verify`, { token: root.token, body: {} });
  const [volunteer, owner] = await Promise.all([approvedVolunteer(cid, staff), approvedVolunteer(cid, staff, ownerJoined)]);
  // The community's street, and another street (of another district) holding the other community.
  const [street, otherStreet] = await Promise.all([attachedStreet(cid, root), attachedStreet(otherCid, root)]);
  const [streetStaff, otherStreetStaff] = await Promise.all([regionStaffOf(street), regionStaffOf(otherStreet)]);
  const people = { outsider, member, resident, volunteer, staff, otherStaff, streetStaff, otherStreetStaff, admin: root, owner };

  // Appointments and the hall.
  await ok('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: LAYOUT, now: T0 });
  hallTokens.set(cid, (await ok('GET', `/v1/communities/${cid}/hall/qr`, { token: staff.token, now: T0 })).token);
  for (const no of [1, 2, 3]) await ok('POST', `/v1/communities/${cid}/windows/${no}/open`, { token: staff.token, now: T0 });
  const sid = (await ok('POST', `/v1/communities/${cid}/services`, { token: staff.token, body: SERVICE, now: T0 }, 201)).id;
  // Filled in below as the things are made; the helpers only read what already exists.
  const w = { cid, otherCid, people, applicant, nobody, sid } as Partial<World> as World;
  const booked = await book(w, owner, { need: '助老', note: '听力不好，请在家门口等' });
  w.appointment = { id: booked.id, code: booked.code };
  w.escort = booked.escortId as string;

  // The queue: tickets called to window 3 one at a time, so each call takes the one just issued.
  const calledTo3 = async (who: Actor): Promise<string> => {
    const id = await takeTicket(cid, who, 'C');
    const called = await ok('POST', `/v1/communities/${cid}/windows/3/call-next`, { token: staff.token, now: T0 });
    expect(called.id).toBe(id);
    return id;
  };
  w.doneTicket = await calledTo3(owner);
  await ok('POST', `/v1/tickets/${w.doneTicket}/complete`, { token: staff.token, now: T0 });
  const callees = await Promise.all(Array.from({ length: 5 }, () => login()));
  const called: string[] = [];
  for (const who of callees) called.push(await calledTo3(who));
  w.called = { recall: called[0]!, skip: { staff: called[1]!, admin: called[2]! }, complete: { staff: called[3]!, admin: called[4]! } };
  w.ticket = await takeTicket(cid, owner, 'B');
  // Two walk-ins waiting at window 2 since before T0, so both allowed call-next cells call them
  // (and never a ticket another cell is working on).
  await Promise.all([login(), login()].map(async (p) => takeTicket(cid, await p, 'A', after(-MIN))));

  // Volunteers: the owner signed up for the coming activity and has verified hours from a past one.
  w.activity = await newActivity(w, ACT_START);
  w.doneActivity = await newActivity(w, DONE_START);
  await signUp(w.activity, owner);
  await recordedVolunteer(w, owner);
  w.ownerHours = (await ok('POST', `/v1/activities/${w.doneActivity}/signups/${owner.id}/verify`, { token: staff.token, body: {}, now: T0 })).hours;
  const certificate = await call('GET', '/v1/me/volunteer/certificate', { token: owner.token, now: T0 });
  expect(certificate.status, String(certificate.body)).toBe(200);
  w.certificateCode = certificate.headers['x-certificate-code'] as string;

  // Consultations: the owner's topic, comment and ballots.
  w.topic = await newTopic(w, owner);
  w.open = (await ok('POST', `/v1/communities/${cid}/consultations`, { token: staff.token, body: consultationBody(after(72 * HOUR)), now: T0 }, 201)).id;
  w.closed = await closedConsultation(w);
  const receipts = await Promise.all([
    ok('POST', `/v1/consultations/${w.open}/ballots`, { token: owner.token, body: { choices: ['yes'] }, now: DURING }, 201),
    ok('POST', `/v1/consultations/${w.closed}/ballots`, { token: owner.token, body: { choices: ['no'] }, now: after(30 * MIN) }, 201),
  ]);
  w.comment = await newComment(w, owner);
  w.notice = await newNotice(w);
  w.street = street;
  w.otherStreet = otherStreet;
  w.request = await escalatedRequest(w, owner);

  w.secrets = [
    owner.id, OWNER.realName, OWNER.phone, OWNER.household,
    w.appointment.id, w.appointment.code, w.ticket, w.doneTicket,
    ...receipts.map((r) => r.receipt as string),
    APPLICANT.realName, APPLICANT.phone, APPLICANT.household,
  ];
  return w;
}

/** A fresh verified elder's one-time family code in cid. */
export async function familyCode(cid: string): Promise<string> {
  const elder = await verifiedResident(cid);
  const reply = await call('POST', '/v1/me/family/codes', { token: elder.token, body: { communityId: cid }, now: T0 });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.code;
}

/** A fresh pending family link in cid (a fresh elder's code claimed by a fresh family member). */
export async function pendingLink(cid: string): Promise<string> {
  const reply = await call('POST', '/v1/family/links', { token: (await login()).token, body: { code: await familyCode(cid) }, now: T0 });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.id;
}
