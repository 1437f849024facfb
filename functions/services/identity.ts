/**
 * Login, users, communities and membership.
 */
import { AppError } from '@contract/errors';
import type { AuditEntry, Community, JoinRequest, Member, Membership, Session, StaffRole, User } from '@contract/identity';
import type { Page } from '@contract/common';
import type * as z from '@contract/schema';
import type { CommunityInput } from '@contract/identity';
import { canonicalHousehold } from '../domain/household';
import { config } from '../lib/config';
import { newId } from '../lib/ids';
import { issueToken, type AuthUser } from '../lib/tokens';
import { code2Session } from '../lib/wechat';
import { listAuditEntries } from '../store/audit';
import * as store from '../store/identity';
import { requireDirector, requireStaff } from './access';

const toMembership = (m: store.MembershipRecord): Membership => ({
  communityId: m.communityId,
  communityName: m.communityName,
  role: m.role,
  staffRole: m.staffRole,
  verified: m.verified,
  household: m.household,
});

/** Staff see the real name and phone of their community's members: verifying them needs it. */
const toMember = (m: store.MembershipRecord): Member => ({
  userId: m.userId,
  communityId: m.communityId,
  role: m.role,
  staffRole: m.staffRole,
  verified: m.verified,
  household: m.household ?? '',
  realName: m.realName,
  phone: m.phone,
  requestedAt: m.requestedAt,
  verifiedAt: m.verifiedAt,
});

async function session(openid: string, nickname: string | undefined, now: Date): Promise<Session> {
  const user =
    (await store.getUserByOpenid(openid)) ??
    (await store.createUser({ id: newId(now), openid, nickname, createdAt: now.toISOString() }));
  const { token, expiresAt, admin } = await issueToken({ id: user.id, openid }, now);
  const memberships = await store.listUserMemberships(user.id);
  return {
    token,
    expiresAt: expiresAt.toISOString(),
    user: { id: user.id, nickname: user.nickname, admin, memberships: memberships.map(toMembership) },
  };
}

export async function loginWithWechat(code: string, now: Date): Promise<Session> {
  const { openid } = await code2Session(code);
  return session(openid, undefined, now);
}

/** The dev login exists only on `local` and `test` with DEV_LOGIN=1; elsewhere the route answers as unknown. */
export async function loginForDevelopment(openid: string, nickname: string | undefined, now: Date): Promise<Session> {
  if (!config().devLogin) throw new AppError('ROUTE_NOT_FOUND');
  return session(openid, nickname, now);
}

export async function me(actor: AuthUser): Promise<User> {
  const [user, memberships] = await Promise.all([store.getUser(actor.id), store.listUserMemberships(actor.id)]);
  if (!user) throw new AppError('UNAUTHENTICATED', '账号不存在，请重新登录');
  return { id: user.id, nickname: user.nickname, admin: actor.admin, memberships: memberships.map(toMembership) };
}

export async function createCommunity(actor: AuthUser, input: z.output<typeof CommunityInput>, now: Date): Promise<Community> {
  if (!actor.admin) throw new AppError('FORBIDDEN', '仅平台管理员可创建社区');
  const community: Community = { id: newId(now), ...input, createdAt: now.toISOString() };
  await store.putCommunity(community);
  return community;
}

export async function getCommunity(cid: string): Promise<Community> {
  const community = await store.getCommunity(cid);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  const { verifiedMembers: _m, verifiedHouseholds: _h, ...publicFacts } = community;
  return publicFacts;
}

export async function join(actor: AuthUser, cid: string, input: JoinRequest, now: Date): Promise<Member> {
  const community = await getCommunity(cid);
  const membership = await store.requestMembership({
    communityId: cid,
    communityName: community.name,
    userId: actor.id,
    role: 'resident',
    verified: false,
    household: canonicalHousehold(input.household),
    realName: input.realName,
    phone: input.phone,
    requestedAt: now.toISOString(),
  });
  return toMember(membership);
}

export async function listMembers(
  actor: AuthUser,
  cid: string,
  query: { verified?: 'true' | 'false'; limit: number; cursor?: string },
): Promise<Page<Member>> {
  await requireStaff(actor, cid);
  const verified = query.verified === undefined ? undefined : query.verified === 'true';
  const page = await store.listMembers(cid, { verified, limit: query.limit, cursor: query.cursor });
  return { items: page.items.map(toMember), next: page.next };
}

export async function verifyMember(actor: AuthUser, cid: string, uid: string, household: string | undefined, now: Date): Promise<Member> {
  await requireStaff(actor, cid);
  const membership = await store.getMembership(cid, uid);
  if (!membership?.household) throw new AppError('NOT_FOUND', '该成员未申请加入本社区');
  const canonical = canonicalHousehold(household ?? membership.household);
  if (membership.verified) {
    if (membership.household === canonical) return toMember(membership);
    throw new AppError('STATE_CONFLICT', `该成员已核实，门牌为 ${membership.household}`);
  }
  try {
    return toMember(await store.verifyMembership(cid, uid, canonical, now.toISOString(), actor.id));
  } catch (error) {
    // Two staff verifying the same member at once: the second finds it done.
    const current = await store.getMembership(cid, uid);
    if (error instanceof AppError && current?.verified && current.household === canonical) return toMember(current);
    throw error;
  }
}

export async function appointStaff(actor: AuthUser, cid: string, uid: string, role: StaffRole, now: Date): Promise<Member> {
  await requireDirector(actor, cid);
  const [community, user] = await Promise.all([store.getCommunity(cid), store.getUser(uid)]);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  if (!user) throw new AppError('NOT_FOUND', '用户不存在');
  const appointed =
    (await store.setStaff(cid, community.name, uid, role, { actorId: actor.id, at: now.toISOString() })) ?? (await store.getMembership(cid, uid));
  if (!appointed) throw new AppError('NOT_FOUND', '用户不存在');
  return toMember(appointed);
}

/** Ends a member's membership (a request declined, or a verified member who left); staff are removed as staff first. */
export async function revokeMember(actor: AuthUser, cid: string, uid: string, reason: string, now: Date): Promise<{ ok: true }> {
  await requireStaff(actor, cid);
  const outcome = await store.revokeMembership(cid, uid, { actorId: actor.id, reason, at: now.toISOString() });
  if (outcome === 'absent') throw new AppError('NOT_FOUND', '该成员未申请加入本社区');
  if (outcome === 'staff') throw new AppError('STATE_CONFLICT', '该成员是本社区工作人员，请先免去其职务');
  return { ok: true };
}

export async function removeStaff(actor: AuthUser, cid: string, uid: string, now: Date): Promise<{ ok: true }> {
  await requireDirector(actor, cid);
  if (!(await store.removeStaff(cid, uid, { actorId: actor.id, at: now.toISOString() }))) {
    throw new AppError('NOT_FOUND', '该用户不是本社区工作人员');
  }
  return { ok: true };
}

/** The community's audit log, newest first: its staff and admins read it. */
export async function audit(
  actor: AuthUser,
  cid: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: AuditEntry[]; next?: string; cursor?: string }> {
  await requireStaff(actor, cid);
  const page = await listAuditEntries(cid, query);
  return { items: page.items, next: page.next, cursor: page.next };
}
