import { Id, IsoDateTime, ListQuery, LocalDate, Month, Text, page } from './common';
import { route } from './route';
import * as z from './schema';

export const SKILLS = ['助老', '助残', '环境整治', '文体', '法律咨询', '医疗', '教育', '治安巡逻', '其他'] as const;
export const Skill = z.enum(SKILLS);
export type Skill = z.infer<typeof Skill>;

/** Registration (志愿者招募注册, policy 003). */
export const VolunteerRegistration = z.object({
  skills: z.array(Skill).min(1).max(SKILLS.length),
  availability: Text(100).optional(),
});
export const Decline = z.object({ reason: Text(200) });
export const VolunteerStatus = z.enum(['pending', 'approved', 'declined']);
export type VolunteerStatus = z.infer<typeof VolunteerStatus>;
export const Volunteer = z.object({
  userId: Id,
  communityId: Id,
  status: VolunteerStatus,
  skills: z.array(z.string()),
  availability: z.string().optional(),
  /** Why staff declined the registration. */
  reason: z.string().optional(),
  /** Real name for staff of the community; masked (张*) for anyone else. */
  name: z.string().optional(),
  household: z.string().optional(),
  totalHours: z.number(),
  registeredAt: IsoDateTime,
  decidedAt: IsoDateTime.optional(),
  /** Thanks from the residents this volunteer escorted (志愿陪同): the volunteer and staff only, never public. */
  thanks: z.object({ count: z.number(), average: z.number() }).optional(),
});
export type Volunteer = z.infer<typeof Volunteer>;

const ActivityFields = z.object({
  title: Text(60),
  description: Text(1000).optional(),
  place: Text(60),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  capacity: z.number().int().min(1).max(1000),
  /** Hours credited for taking part (a multiple of half an hour). */
  hours: z.number().min(0.5).max(24).multipleOf(0.5),
  skills: z.array(Skill).max(SKILLS.length).optional(),
});
const endsAfterStart = (a: { startsAt?: string; endsAt?: string }) => !a.startsAt || !a.endsAt || Date.parse(a.endsAt) > Date.parse(a.startsAt);
export const ActivityInput = ActivityFields.refine(endsAfterStart, { message: '结束时间应晚于开始时间', path: ['endsAt'] });
export const ActivityPatch = ActivityFields.partial().refine(endsAfterStart, { message: '结束时间应晚于开始时间', path: ['endsAt'] });
export type ActivityInput = z.infer<typeof ActivityInput>;
export type ActivityPatch = z.infer<typeof ActivityPatch>;

export const SignupStatus = z.enum(['signed_up', 'cancelled']);
/** One volunteer's place in an activity, with attendance and verification. */
export const Signup = z.object({
  activityId: Id,
  communityId: Id,
  userId: Id,
  status: SignupStatus,
  signedUpAt: IsoDateTime,
  cancelledAt: IsoDateTime.optional(),
  checkedInAt: IsoDateTime.optional(),
  checkedOutAt: IsoDateTime.optional(),
  /** 'scan': staff on site scanned the volunteer's personal code; 'staff': recorded by staff, with a reason. */
  attendanceBy: z.enum(['scan', 'staff']).optional(),
  attendanceReason: z.string().optional(),
  verifiedAt: IsoDateTime.optional(),
  verifiedHours: z.number().optional(),
  /** Staff see the real name; the volunteer sees their own. */
  name: z.string().optional(),
  title: z.string().optional(),
  startsAt: IsoDateTime.optional(),
  endsAt: IsoDateTime.optional(),
  place: z.string().optional(),
});
export type Signup = z.infer<typeof Signup>;

export const Activity = ActivityFields.extend({
  id: Id,
  communityId: Id,
  signedUp: z.number(),
  placesLeft: z.number(),
  status: z.enum(['scheduled', 'cancelled']),
  createdAt: IsoDateTime,
  /** On the detail, for a logged-in caller: their own signup. */
  mySignup: Signup.optional(),
});
export type Activity = z.infer<typeof Activity>;

export const ActivitiesQuery = ListQuery.extend({
  skill: Skill.optional(),
  /** First local date to show (default: today, so the list shows upcoming activities). */
  from: LocalDate.optional(),
  /** Last local date to show (inclusive). */
  to: LocalDate.optional(),
});

/** A volunteer's personal code as staff scanned it (the QR's text, or the code typed in). */
export const CheckCode = z.object({ code: z.string().trim().min(4).max(120).describe('志愿者“我的签到码”二维码内容或其下方的码') });
export const AttendanceAct = z.enum(['check_in', 'check_out']);
/**
 * The caller's personal attendance code for one activity (presence is proved on site: staff scan
 * it). Bound to this volunteer, this activity and one act; valid 60 s; spent by its first scan.
 */
export const CheckinCode = z.object({
  code: z.string(),
  /** Which act the code records: check-in until checked in, then check-out. */
  purpose: AttendanceAct,
  expiresAt: IsoDateTime,
  /** Seconds until the page should fetch a fresh code. */
  refreshSeconds: z.number(),
  /** What the QR encodes: `linli:presence:<activityId>:<code>`, read by staff's attendance page. */
  qr: z.string(),
}).describe('本人签到/签退码：绑定本人、本活动和一次签到或签退，60 秒内有效，扫描一次即作废');
export type CheckinCode = z.infer<typeof CheckinCode>;
export const Attendance = z
  .object({ checkedInAt: IsoDateTime, checkedOutAt: IsoDateTime.optional(), reason: Text(200) })
  .refine((a) => !a.checkedOutAt || Date.parse(a.checkedOutAt) > Date.parse(a.checkedInAt), { message: '签退时间应晚于签到时间', path: ['checkedOutAt'] });
/**
 * `hours` given: credited as is. Without: the attended time (check-in to check-out) rounded to the
 * half hour and capped at the activity's hours; a check-in without a check-out is refused (409)
 * until staff record the check-out or give the hours.
 */
export const VerifyHours = z.object({ hours: z.number().min(0.5).max(24).multipleOf(0.5).optional().describe('不填则按签到至签退时间取整到半小时（不超过活动认定时长）；无签退记录时必填') });
export const Correction = z.object({
  hours: z.number().min(-100).max(100).multipleOf(0.5).refine((h) => h !== 0, '更正时长不能为 0'),
  reason: Text(200),
});

/** An entry of the append-only ledger (台帐): never edited, corrected by a new entry. */
export const LedgerEntry = z.object({
  id: Id,
  communityId: Id,
  userId: Id,
  kind: z.enum(['service', 'correction']),
  hours: z.number(),
  activityId: Id.optional(),
  title: z.string().optional(),
  /** Local date of the service (activity start) or of the correction. */
  date: LocalDate,
  reason: z.string().optional(),
  by: Id,
  at: IsoDateTime,
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const YearSummary = z.object({ year: z.string(), hours: z.number(), services: z.number(), corrections: z.number() });
export type YearSummary = z.infer<typeof YearSummary>;

export const MyVolunteer = Volunteer.extend({
  communityName: z.string().optional(),
  entries: z.array(LedgerEntry),
  years: z.array(YearSummary),
});
export type MyVolunteer = z.infer<typeof MyVolunteer>;
export const MyVolunteerQuery = z.object({ communityId: Id.optional() });

export const CertificateStatus = z.enum(['valid', 'revoked']);
/** What a certificate states, for whoever holds its code: enough to match the paper line by line. */
export const CertificateCheck = z.object({
  code: z.string(),
  /** The full name as printed on the certificate. */
  name: z.string(),
  communityName: z.string(),
  issuer: z.string(),
  totalHours: z.number(),
  services: z.number(),
  periodFrom: LocalDate.optional(),
  periodTo: LocalDate.optional(),
  issueDate: LocalDate,
  /** 'revoked': staff withdrew it (已撤销), on `revokedOn`. */
  status: CertificateStatus,
  revokedOn: LocalDate.optional(),
}).describe('证明所载内容：全名（与纸面一致）、时长、次数、期间、社区、出具日期与状态（有效/已撤销）');
export type CertificateCheck = z.infer<typeof CertificateCheck>;

export const RevokeCertificate = z.object({ reason: Text(200) });

export const VolunteerStats = z.object({
  approved: z.number(),
  pending: z.number(),
  residents: z.number(),
  ratioPercent: z.number(),
  targetPercent: z.number(),
  meetsTarget: z.boolean(),
  month: z.string(),
  hoursThisMonth: z.number(),
  activitiesHeldThisMonth: z.number(),
});
export type VolunteerStats = z.infer<typeof VolunteerStats>;

/** A community-local calendar month, as committees report: 2026-03. */
/**
 * The community's 台帐 for one month: the entries recorded that month (community-local), the same
 * month whose hours the stats count. `csv` answers the whole month as a spreadsheet file (UTF-8
 * with a BOM, so Excel reads the Chinese); `json` answers it a page at a time.
 */
export const CommunityLedgerQuery = ListQuery.extend({
  month: Month,
  format: z.enum(['json', 'csv']).default('json'),
});
/** A ledger entry with the volunteer as staff know them. */
export const LedgerRow = LedgerEntry.extend({ name: z.string().optional(), household: z.string().optional() });
export type LedgerRow = z.infer<typeof LedgerRow>;
export const CommunityLedger = page(LedgerRow).extend({
  month: Month,
  /** Hours recorded in the month, corrections included (every page carries it). */
  totalHours: z.number(),
});
export type CommunityLedger = z.infer<typeof CommunityLedger>;
/** One volunteer's registration and whole ledger, for staff: the 台帐 of one person. */
export const VolunteerLedger = MyVolunteer;

export const volunteerRoutes = {
  register: route({
    method: 'POST', path: '/v1/communities/{cid}/volunteers', fn: 'volunteers', auth: 'user', summary: '志愿者注册',
    body: VolunteerRegistration, response: Volunteer, status: 201,
  }),
  listVolunteers: route({
    method: 'GET', path: '/v1/communities/{cid}/volunteers', fn: 'volunteers', auth: 'user', summary: '志愿者名单（工作人员）',
    query: ListQuery.extend({
      status: VolunteerStatus.optional(),
      /** Part of the name or of the household (门牌). */
      q: z.string().trim().max(20).optional(),
    }),
    response: page(Volunteer),
  }),
  approve: route({ method: 'POST', path: '/v1/communities/{cid}/volunteers/{uid}/approve', fn: 'volunteers', auth: 'user', summary: '通过注册', response: Volunteer }),
  decline: route({
    method: 'POST', path: '/v1/communities/{cid}/volunteers/{uid}/decline', fn: 'volunteers', auth: 'user', summary: '不通过注册',
    body: Decline, response: Volunteer,
  }),
  createActivity: route({
    method: 'POST', path: '/v1/communities/{cid}/activities', fn: 'volunteers', auth: 'user', summary: '发布活动',
    body: ActivityInput, response: Activity, status: 201,
  }),
  getActivity: route({ method: 'GET', path: '/v1/activities/{id}', fn: 'volunteers', auth: 'optional', summary: '活动详情（登录时含本人报名）', response: Activity }),
  updateActivity: route({ method: 'PATCH', path: '/v1/activities/{id}', fn: 'volunteers', auth: 'user', summary: '修改活动', body: ActivityPatch, response: Activity }),
  cancelActivity: route({ method: 'DELETE', path: '/v1/activities/{id}', fn: 'volunteers', auth: 'user', summary: '取消活动', response: Activity }),
  listActivities: route({
    method: 'GET', path: '/v1/communities/{cid}/activities', fn: 'volunteers', auth: 'none', summary: '活动列表',
    query: ActivitiesQuery, response: page(Activity),
  }),
  signUp: route({ method: 'POST', path: '/v1/activities/{id}/signups', fn: 'volunteers', auth: 'user', summary: '报名', response: Signup, status: 201, idempotency: 'with-act' }),
  listSignups: route({
    method: 'GET', path: '/v1/activities/{id}/signups', fn: 'volunteers', auth: 'user', summary: '报名与考勤（工作人员）',
    query: ListQuery, response: page(Signup),
  }),
  cancelSignUp: route({ method: 'DELETE', path: '/v1/activities/{id}/signups/me', fn: 'volunteers', auth: 'user', summary: '取消报名', response: Signup }),
  mySignups: route({ method: 'GET', path: '/v1/me/signups', fn: 'volunteers', auth: 'user', summary: '我的报名', query: ListQuery, response: page(Signup) }),
  /**
   * Presence is proved on site: the signed-up volunteer's page shows this personal code as a QR
   * (changed from a staff-only activity code that volunteers scanned, which a forwarded screenshot
   * defeated), and staff scan it with check-in / check-out below.
   */
  checkinCode: route({
    method: 'GET', path: '/v1/activities/{id}/checkin-code', fn: 'volunteers', auth: 'user', summary: '本人签到/签退码（已报名的志愿者出示，工作人员扫描）',
    response: CheckinCode,
  }),
  /** Staff (changed from: the volunteer) record the check-in of the volunteer whose personal check-in code they scanned. */
  checkIn: route({
    method: 'POST', path: '/v1/activities/{id}/check-in', fn: 'volunteers', auth: 'user', summary: '扫志愿者签到码签到（工作人员，现场）',
    body: CheckCode, response: Signup,
  }),
  /** Staff record the check-out from the volunteer's personal check-out code: a check-in code never checks out. */
  checkOut: route({
    method: 'POST', path: '/v1/activities/{id}/check-out', fn: 'volunteers', auth: 'user', summary: '扫志愿者签退码签退（工作人员，现场）',
    body: CheckCode, response: Signup,
  }),
  recordAttendance: route({
    method: 'POST', path: '/v1/activities/{id}/signups/{uid}/attendance', fn: 'volunteers', auth: 'user', summary: '补录考勤',
    body: Attendance, response: Signup,
  }),
  verifyHours: route({
    method: 'POST', path: '/v1/activities/{id}/signups/{uid}/verify', fn: 'volunteers', auth: 'user', summary: '认定服务时长',
    body: VerifyHours, response: LedgerEntry, idempotency: 'with-act',
  }),
  correct: route({
    method: 'POST', path: '/v1/communities/{cid}/volunteers/{uid}/corrections', fn: 'volunteers', auth: 'user', summary: '更正时长',
    body: Correction, response: LedgerEntry, status: 201,
  }),
  volunteerLedger: route({
    method: 'GET', path: '/v1/communities/{cid}/volunteers/{uid}/ledger', fn: 'volunteers', auth: 'user', summary: '志愿者个人台帐（工作人员）',
    response: VolunteerLedger,
  }),
  communityLedger: route({
    method: 'GET', path: '/v1/communities/{cid}/volunteers/ledger', fn: 'volunteers', auth: 'user',
    summary: '社区志愿服务台帐（按月；format=csv 导出 Excel 可打开的表格）',
    query: CommunityLedgerQuery, response: CommunityLedger,
  }),
  myVolunteer: route({
    method: 'GET', path: '/v1/me/volunteer', fn: 'volunteers', auth: 'user', summary: '我的志愿服务（时长、台帐、年度汇总）',
    query: MyVolunteerQuery, response: MyVolunteer,
  }),
  certificate: route({
    method: 'GET', path: '/v1/me/volunteer/certificate', fn: 'certificates', auth: 'user', summary: '志愿服务记录证明 (PDF)',
    query: MyVolunteerQuery, produces: 'application/pdf',
  }),
  verifyCertificate: route({
    method: 'GET', path: '/v1/certificates/{code}', fn: 'certificates', auth: 'none', summary: '核验证明（全名、时长、出具日期、社区、是否已撤销）',
    response: CertificateCheck,
  }),
  revokeCertificate: route({
    method: 'POST', path: '/v1/certificates/{code}/revoke', fn: 'certificates', auth: 'user', summary: '撤销证明（出具社区的工作人员）',
    body: RevokeCertificate, response: CertificateCheck,
  }),
};
