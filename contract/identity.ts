import { Household, Id, IsoDateTime, ListQuery, MiniProgramCode, Ok, Phone, Text, page } from './common';
import { route } from './route';
import * as z from './schema';

export const Role = z.enum(['resident', 'staff']);
export type Role = z.infer<typeof Role>;
/** A staff member's role in the community: 主任 (director: appoints and removes staff) or 工作人员 (worker). */
export const StaffRole = z.enum(['director', 'worker']);
export type StaffRole = z.infer<typeof StaffRole>;

export const Membership = z.object({
  communityId: Id,
  communityName: z.string().optional(),
  role: Role,
  /** Present when `role` is `staff`. */
  staffRole: StaffRole.optional(),
  verified: z.boolean(),
  household: z.string().optional(),
});
export type Membership = z.infer<typeof Membership>;

/** A membership that staff ended: a request refused, or a membership revoked. The person sees why. */
export const EndedStatus = z.enum(['refused', 'revoked']);
export type EndedStatus = z.infer<typeof EndedStatus>;
export const EndedMembership = z.object({
  communityId: Id,
  communityName: z.string().optional(),
  status: EndedStatus,
  reason: z.string(),
  at: IsoDateTime,
});
export type EndedMembership = z.infer<typeof EndedMembership>;

export const User = z.object({
  id: Id,
  nickname: z.string().optional(),
  admin: z.boolean(),
  memberships: z.array(Membership),
  /** Memberships staff ended, with the reason, until the person asks to join that community again. */
  endedMemberships: z.array(EndedMembership).optional(),
});
export type User = z.infer<typeof User>;

export const Session = z.object({ token: z.string(), expiresAt: IsoDateTime, user: User });
export type Session = z.infer<typeof Session>;

export const WechatLogin = z.object({ code: z.string().min(1).max(128) });
export const DevLogin = z.object({
  openid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'openid 只能包含字母、数字、- 和 _'),
  nickname: Text(32).optional(),
});

export const CommunityInput = z.object({
  name: Text(60),
  district: Text(30),
  street: Text(30),
  residents: z.number().int().min(1).max(1_000_000),
  households: z.number().int().min(1).max(1_000_000),
  timezone: z.string().max(40).default('Asia/Shanghai'),
});
export const Community = z.object({
  id: Id,
  name: z.string(),
  district: z.string(),
  street: z.string(),
  residents: z.number(),
  households: z.number(),
  timezone: z.string(),
  createdAt: IsoDateTime,
});
export type Community = z.infer<typeof Community>;

/** What an admin may change about a community: every field of its creation but the timezone. */
export const CommunityPatch = CommunityInput.omit({ timezone: true }).partial();
/**
 * Communities, ordered by district, street and name. `district` and `street` narrow exactly;
 * `q` matches part of the name or the street (how a resident finds theirs).
 */
export const CommunitiesQuery = ListQuery.extend({
  q: z.string().trim().max(30).optional(),
  district: z.string().trim().max(30).optional(),
  street: z.string().trim().max(30).optional(),
});

export const JoinRequest = z.object({
  household: Household,
  realName: Text(20).optional(),
  phone: Phone.optional(),
});
export type JoinRequest = z.infer<typeof JoinRequest>;

/** Where a member stands: waiting for verification, verified, or ended by staff (refused or revoked). */
export const MemberStatus = z.enum(['pending', 'verified', 'refused', 'revoked']);
export type MemberStatus = z.infer<typeof MemberStatus>;

export const Member = z.object({
  userId: Id,
  communityId: Id,
  role: Role,
  staffRole: StaffRole.optional(),
  verified: z.boolean(),
  status: MemberStatus,
  /** Why staff refused or revoked it (`status` refused or revoked). */
  reason: z.string().optional(),
  endedAt: IsoDateTime.optional(),
  household: z.string(),
  realName: z.string().optional(),
  phone: z.string().optional(),
  nickname: z.string().optional(),
  requestedAt: IsoDateTime,
  verifiedAt: IsoDateTime.optional(),
});
export type Member = z.infer<typeof Member>;

export const MembersQuery = ListQuery.extend({
  verified: z.enum(['true', 'false']).optional(),
  /** One state's list; takes precedence over `verified`. */
  status: MemberStatus.optional(),
  /** Part of the household (门牌) or of the name. */
  q: z.string().trim().max(20).optional(),
});
/** A staff member as the 工作人员 page lists them. */
export const StaffMember = z.object({
  userId: Id,
  staffRole: StaffRole,
  /** Real name given when joining, else nickname; absent when they gave none. */
  name: z.string().optional(),
  household: z.string().optional(),
  appointedAt: IsoDateTime,
});
export type StaffMember = z.infer<typeof StaffMember>;

export const VerifyMember = z.object({ household: Household.optional() });
export const AppointStaff = z.object({ role: StaffRole.default('worker') });
/** Why a membership ends (moved away, a wrong flat): kept in the audit log. */
export const RevokeMember = z.object({ reason: Text(200) });
/** A verified member moves to another flat of the community (a move within it, a wrong flat corrected). */
export const MoveMember = z.object({ household: Household, reason: Text(200) });

/**
 * Privileged acts written to a community's audit log, each in the same transaction as the act
 * (functions/store/audit.ts). A capability with a new kind of act adds it here.
 */
export const AuditAct = z.enum([
  'community.create', 'community.change', 'member.verify', 'member.refuse', 'member.revoke', 'member.move', 'staff.appoint', 'staff.remove',
  'volunteer.approve', 'volunteer.decline', 'hours.verify', 'hours.correct', 'certificate.revoke',
  'comment.hide', 'topic.close', 'decision.publish', 'hall.change', 'board.pair', 'service.change',
  'notice.post', 'notice.edit', 'notice.withdraw',
  'family.link', 'family.end', 'proxy.act',
  'region.create', 'region.staff', 'region.unstaff', 'region.attach', 'grid.create', 'request.clocks', 'request.accept', 'request.escalate', 'request.resolve', 'request.visit',
]);
export type AuditAct = z.infer<typeof AuditAct>;
/** What the act was about beyond its subject (a role, a household, hours): flat, for a list screen. */
export const AuditDetail = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export const AuditEntry = z.object({
  at: IsoDateTime,
  actorId: Id,
  /** The actor's name as staff know them (real name given when joining, else nickname); absent when they gave none. */
  actorName: z.string().optional(),
  act: AuditAct,
  subjectId: z.string().optional(),
  /** The subject's name when the subject is a person. */
  subjectName: z.string().optional(),
  detail: AuditDetail.optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
/** The list convention's `next`, and `cursor` with the same value (API.md's name for it). */
export const AuditPage = z.object({ items: z.array(AuditEntry), next: z.string().optional(), cursor: z.string().optional() });

export const identityRoutes = {
  health: route({ method: 'GET', path: '/v1/health', fn: 'identity', auth: 'none', summary: '健康检查', response: Ok }),
  openapi: route({ method: 'GET', path: '/v1/openapi.json', fn: 'identity', auth: 'none', summary: 'OpenAPI 文档' }),
  loginWechat: route({
    method: 'POST', path: '/v1/auth/wechat', fn: 'identity', auth: 'none', summary: '微信登录 (code2Session)',
    body: WechatLogin, response: Session,
  }),
  loginDev: route({
    method: 'POST', path: '/v1/auth/dev', fn: 'identity', auth: 'none', summary: '开发登录（仅 local、test 环境）',
    body: DevLogin, response: Session,
  }),
  me: route({ method: 'GET', path: '/v1/me', fn: 'identity', auth: 'user', summary: '当前用户及其社区身份', response: User }),
  createCommunity: route({
    method: 'POST', path: '/v1/communities', fn: 'identity', auth: 'user', summary: '创建社区（平台管理员）',
    body: CommunityInput, response: Community, status: 201,
  }),
  listCommunities: route({
    method: 'GET', path: '/v1/communities', fn: 'identity', auth: 'none', summary: '查找社区（按名称、区、街道）',
    query: CommunitiesQuery, response: page(Community),
  }),
  updateCommunity: route({
    method: 'PATCH', path: '/v1/communities/{cid}', fn: 'identity', auth: 'user', summary: '修改社区信息（平台管理员）',
    body: CommunityPatch, response: Community,
  }),
  getCommunity: route({
    method: 'GET', path: '/v1/communities/{cid}', fn: 'identity', auth: 'none', summary: '社区公开信息', response: Community,
  }),
  join: route({
    method: 'POST', path: '/v1/communities/{cid}/members', fn: 'identity', auth: 'user', summary: '申请加入社区',
    body: JoinRequest, response: Member, status: 201,
  }),
  listMembers: route({
    method: 'GET', path: '/v1/communities/{cid}/members', fn: 'identity', auth: 'user', summary: '社区成员（工作人员）',
    query: MembersQuery, response: page(Member),
  }),
  verifyMember: route({
    method: 'POST', path: '/v1/communities/{cid}/members/{uid}/verify', fn: 'identity', auth: 'user',
    summary: '核实成员门牌（工作人员）', body: VerifyMember, response: Member,
  }),
  appointStaff: route({
    method: 'PUT', path: '/v1/communities/{cid}/staff/{uid}', fn: 'identity', auth: 'user',
    summary: '任命社区工作人员（主任或平台管理员）', body: AppointStaff, response: Member,
  }),
  revokeMember: route({
    method: 'DELETE', path: '/v1/communities/{cid}/members/{uid}', fn: 'identity', auth: 'user',
    summary: '撤销成员身份（工作人员）', body: RevokeMember, response: Ok,
  }),
  moveMember: route({
    method: 'POST', path: '/v1/communities/{cid}/members/{uid}/move', fn: 'identity', auth: 'user',
    summary: '成员迁至本社区另一门牌（工作人员）', body: MoveMember, response: Member,
  }),
  listStaff: route({
    method: 'GET', path: '/v1/communities/{cid}/staff', fn: 'identity', auth: 'user', summary: '社区工作人员名单（工作人员）',
    response: z.object({ items: z.array(StaffMember) }),
  }),
  removeStaff: route({
    method: 'DELETE', path: '/v1/communities/{cid}/staff/{uid}', fn: 'identity', auth: 'user',
    summary: '免去社区工作人员（主任或平台管理员）', response: Ok,
  }),
  joinCode: route({
    method: 'GET', path: '/v1/communities/{cid}/join-code', fn: 'identity', auth: 'user',
    summary: '加入社区的小程序码（工作人员，用于打印海报）', response: MiniProgramCode,
  }),
  audit: route({
    method: 'GET', path: '/v1/communities/{cid}/audit', fn: 'identity', auth: 'user', summary: '操作日志（工作人员）',
    query: ListQuery, response: AuditPage,
  }),
};
