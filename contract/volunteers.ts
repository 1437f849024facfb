import { Id, IsoDateTime, ListQuery, Text, page } from './common';
import { route } from './route';
import { z } from './schema';

export const SKILLS = ['助老', '助残', '环境整治', '文体', '法律咨询', '医疗', '教育', '治安巡逻', '其他'] as const;
export const Skill = z.enum(SKILLS);

export const VolunteerRegistration = z.object({
  skills: z.array(Skill).min(1).max(SKILLS.length),
  availability: Text(100).optional(),
});
export const Decline = z.object({ reason: Text(200) });
export const VolunteerStatus = z.enum(['pending', 'approved', 'declined']);
export const Volunteer = z.object({
  userId: Id,
  communityId: Id,
  status: VolunteerStatus,
  skills: z.array(z.string()),
  availability: z.string().optional(),
  reason: z.string().optional(),
  name: z.string().optional(),
});

export const ActivityInput = z.object({
  title: Text(60),
  description: Text(1000).optional(),
  place: Text(60),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  capacity: z.number().int().min(1).max(1000),
  hours: z.number().min(0.5).max(24).multipleOf(0.5),
  skills: z.array(Skill).max(SKILLS.length).optional(),
});
export const ActivityPatch = ActivityInput.partial();
export const Activity = ActivityInput.extend({
  id: Id,
  communityId: Id,
  signedUp: z.number(),
  status: z.enum(['scheduled', 'cancelled']),
});
export const ActivitiesQuery = ListQuery.extend({ skill: Skill.optional(), from: z.string().optional() });

export const CheckCode = z.object({ code: z.string().min(4).max(64) });
export const Attendance = z.object({ checkedInAt: IsoDateTime, checkedOutAt: IsoDateTime.optional(), reason: Text(200) });
export const VerifyHours = z.object({ hours: z.number().min(0.5).max(24).multipleOf(0.5).optional() });
export const Correction = z.object({ hours: z.number().min(-100).max(100).multipleOf(0.5).refine((h) => h !== 0, '更正时长不能为 0'), reason: Text(200) });

export const LedgerEntry = z.object({
  id: Id,
  kind: z.enum(['service', 'correction']),
  hours: z.number(),
  activityId: Id.optional(),
  title: z.string().optional(),
  reason: z.string().optional(),
  at: IsoDateTime,
});

export const volunteerRoutes = {
  register: route({
    method: 'POST', path: '/v1/communities/{cid}/volunteers', fn: 'volunteers', auth: 'user', summary: '志愿者注册',
    body: VolunteerRegistration, response: Volunteer, status: 201,
  }),
  listVolunteers: route({
    method: 'GET', path: '/v1/communities/{cid}/volunteers', fn: 'volunteers', auth: 'user', summary: '志愿者名单（工作人员）',
    query: ListQuery.extend({ status: VolunteerStatus.optional() }), response: page(Volunteer),
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
  updateActivity: route({ method: 'PATCH', path: '/v1/activities/{id}', fn: 'volunteers', auth: 'user', summary: '修改活动', body: ActivityPatch, response: Activity }),
  cancelActivity: route({ method: 'DELETE', path: '/v1/activities/{id}', fn: 'volunteers', auth: 'user', summary: '取消活动', response: Activity }),
  listActivities: route({
    method: 'GET', path: '/v1/communities/{cid}/activities', fn: 'volunteers', auth: 'none', summary: '活动列表',
    query: ActivitiesQuery, response: page(Activity),
  }),
  signUp: route({ method: 'POST', path: '/v1/activities/{id}/signups', fn: 'volunteers', auth: 'user', summary: '报名', status: 201 }),
  cancelSignUp: route({ method: 'DELETE', path: '/v1/activities/{id}/signups/me', fn: 'volunteers', auth: 'user', summary: '取消报名' }),
  checkinCode: route({
    method: 'GET', path: '/v1/activities/{id}/checkin-code', fn: 'volunteers', auth: 'user', summary: '签到码（工作人员）',
    response: z.object({ code: z.string(), expiresAt: IsoDateTime }),
  }),
  checkIn: route({ method: 'POST', path: '/v1/activities/{id}/check-in', fn: 'volunteers', auth: 'user', summary: '扫码签到', body: CheckCode }),
  checkOut: route({ method: 'POST', path: '/v1/activities/{id}/check-out', fn: 'volunteers', auth: 'user', summary: '扫码签退', body: CheckCode }),
  recordAttendance: route({
    method: 'POST', path: '/v1/activities/{id}/signups/{uid}/attendance', fn: 'volunteers', auth: 'user', summary: '补录考勤',
    body: Attendance,
  }),
  verifyHours: route({
    method: 'POST', path: '/v1/activities/{id}/signups/{uid}/verify', fn: 'volunteers', auth: 'user', summary: '认定服务时长',
    body: VerifyHours, response: LedgerEntry,
  }),
  correct: route({
    method: 'POST', path: '/v1/communities/{cid}/volunteers/{uid}/corrections', fn: 'volunteers', auth: 'user', summary: '更正时长',
    body: Correction, response: LedgerEntry, status: 201,
  }),
  myVolunteer: route({ method: 'GET', path: '/v1/me/volunteer', fn: 'volunteers', auth: 'user', summary: '我的志愿服务' }),
  certificate: route({
    method: 'GET', path: '/v1/me/volunteer/certificate', fn: 'certificates', auth: 'user', summary: '志愿服务记录证明 (PDF)',
    produces: 'application/pdf',
  }),
  verifyCertificate: route({ method: 'GET', path: '/v1/certificates/{code}', fn: 'certificates', auth: 'none', summary: '核验证明' }),
};
