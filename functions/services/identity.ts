/**
 * Login, users, communities and membership.
 */
import { AppError } from '@contract/errors';
import type { MiniProgramCode } from '@contract/common';
import type { AuditEntry, Community, EndedMembership, StaffMember, JoinRequest, Member, MemberStatus, Membership, Session, StaffRole, User } from '@contract/identity';
import type { Page } from '@contract/common';
import type * as z from '@contract/schema';
import type { CommunitiesQuery, CommunityInput, CommunityPatch } from '@contract/identity';
import { canonicalHousehold } from '../domain/household';
import { config } from '../lib/config';
import { newId } from '../lib/ids';
import { issueToken, type AuthUser } from '../lib/tokens';
import { miniProgramCodeUrl } from '../lib/mini-program-code';
import { joinCodeObjectKey } from '../lib/storage';
import { code2Session } from '../lib/wechat';
import { listAuditEntries } from '../store/audit';
import * as store from '../store/identity';
import { getVolunteer, registrationMoved } from '../store/volunteers';
import { isConditionFailed } from '../store/transaction';
import { requireDirector, requireStaff } from './access';
import { refuse } from './refusal';

/** Names as they are now (an admin may have renamed the community since the person joined). */
const toMembership = (m: store.MembershipRecord, names: Map<string, string>): Membership => ({
  communityId: m.communityId,
  communityName: names.get(m.communityId) ?? m.communityName,
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
  status: m.verified ? 'verified' : 'pending',
  household: m.household ?? '',
  realName: m.realName,
  phone: m.phone,
  requestedAt: m.requestedAt,
  verifiedAt: m.verifiedAt,
});

const endedMember = (m: store.EndedMembershipRecord): Member => ({
  userId: m.userId,
  communityId: m.communityId,
  role: 'resident',
  verified: false,
  status: m.status,
  reason: m.reason,
  endedAt: m.endedAt,
  household: m.household ?? '',
  realName: m.realName,
  phone: m.phone,
  requestedAt: m.requestedAt,
  verifiedAt: m.verifiedAt,
});

const toEnded = (m: store.EndedMembershipRecord, names: Map<string, string>): EndedMembership => ({
  communityId: m.communityId,
  communityName: names.get(m.communityId) ?? m.communityName,
  status: m.status,
  reason: m.reason,
  at: m.endedAt,
});

/** A person's memberships and ended memberships, with their communities' current names. */
async function standing(uid: string): Promise<Pick<User, 'memberships' | 'endedMemberships'>> {
  const [memberships, endedRecords] = await Promise.all([store.listUserMemberships(uid), store.listUserEndedMemberships(uid)]);
  const live = new Set(memberships.filter((m) => m.household !== undefined).map((m) => m.communityId));
  const ended = endedRecords.filter((m) => !live.has(m.communityId));
  const cids = [...new Set([...memberships, ...ended].map((m) => m.communityId))];
  const communities = await Promise.all(cids.map((cid) => store.getCommunity(cid)));
  const names = new Map(communities.flatMap((c) => (c ? [[c.id, c.name] as const] : [])));
  return { memberships: memberships.map((m) => toMembership(m, names)), endedMemberships: ended.map((m) => toEnded(m, names)) };
}

const publicFacts = ({ verifiedMembers: _m, verifiedHouseholds: _h, ...facts }: store.CommunityRecord): Community => facts;

async function session(openid: string, nickname: string | undefined, now: Date): Promise<Session> {
  const user =
    (await store.getUserByOpenid(openid)) ??
    (await store.createUser({ id: newId(now), openid, nickname, createdAt: now.toISOString() }));
  const { token, expiresAt, admin } = await issueToken({ id: user.id, openid }, now);
  return {
    token,
    expiresAt: expiresAt.toISOString(),
    user: { id: user.id, nickname: user.nickname, admin, ...(await standing(user.id)) },
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
  const [user, held] = await Promise.all([store.getUser(actor.id), standing(actor.id)]);
  if (!user) throw new AppError('UNAUTHENTICATED', '账号不存在，请重新登录');
  return { id: user.id, nickname: user.nickname, admin: actor.admin, ...held };
}

export async function createCommunity(actor: AuthUser, input: z.output<typeof CommunityInput>, now: Date): Promise<Community> {
  if (!actor.admin) throw new AppError('FORBIDDEN', '仅平台管理员可创建社区');
  const community: Community = { id: newId(now), ...input, createdAt: now.toISOString() };
  await store.putCommunity(community, actor.id);
  return community;
}

export async function updateCommunity(actor: AuthUser, cid: string, patch: z.output<typeof CommunityPatch>, now: Date): Promise<Community> {
  if (!actor.admin) throw new AppError('FORBIDDEN', '仅平台管理员可修改社区信息');
  const updated = await store
    .updateCommunity(cid, patch, { actorId: actor.id, at: now.toISOString() })
    // Other admins kept changing it while this change was tried.
    .catch(refuse(() => new AppError('STATE_CONFLICT', '社区信息正在被修改，请稍后重试')));
  if (!updated) throw new AppError('NOT_FOUND', '社区不存在');
  return publicFacts(updated);
}

/** Public: admins list communities, residents find theirs by name or street. */
export async function listCommunities(query: z.output<typeof CommunitiesQuery>): Promise<Page<Community>> {
  const page = await store.listCommunities({
    q: query.q || undefined, district: query.district || undefined, street: query.street || undefined, limit: query.limit, cursor: query.cursor,
  });
  return { items: page.items.map(publicFacts), next: page.next };
}

export async function getCommunity(cid: string): Promise<Community> {
  const community = await store.getCommunity(cid);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  return publicFacts(community);
}

/** A user waits on at most this many join requests at once: one's own community, and a move or two, never a sweep of them all. */
export const JOINS_PENDING = 3;

export async function join(actor: AuthUser, cid: string, input: JoinRequest, now: Date): Promise<Member> {
  // Read side by side: the community's name, and a staff role the request must keep.
  const [community, previous] = await Promise.all([getCommunity(cid), store.getMembership(cid, actor.id)]);
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
  }, { maxPending: JOINS_PENDING, previous }).catch(refuse<store.JoinPart>((failed) =>
    failed.has('membership')
      ? new AppError('ALREADY_MEMBER')
      : failed.has('pendingJoins')
        ? new AppError('JOIN_LIMIT', `每人最多同时有 ${JOINS_PENDING} 个待核实的加入申请，请等待社区核实后再申请`, { details: { maxPending: JOINS_PENDING } })
        : undefined,
  ));
  return toMember(membership);
}

export async function listMembers(
  actor: AuthUser,
  cid: string,
  query: { verified?: 'true' | 'false'; status?: MemberStatus; q?: string; limit: number; cursor?: string },
): Promise<Page<Member>> {
  await requireStaff(actor, cid);
  const options = { q: query.q || undefined, limit: query.limit, cursor: query.cursor };
  if (query.status === 'refused' || query.status === 'revoked') {
    const page = await store.listEndedMemberships(cid, query.status, options);
    return { items: page.items.map(endedMember), next: page.next };
  }
  const verified = query.status ? query.status === 'verified' : query.verified === undefined ? undefined : query.verified === 'true';
  const page = await store.listMembers(cid, { verified, ...options });
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
  let verified: store.MembershipRecord | undefined;
  try {
    verified = await store.verifyMembership(cid, uid, canonical, now.toISOString(), actor.id, membership.pendingCounted === true);
  } catch (error) {
    if (!isConditionFailed<store.VerifyPart>(error)) throw error;
    // Two staff verifying the same member at once: the second finds it done.
    const current = await store.getMembership(cid, uid);
    if (current?.verified && current.household === canonical) return toMember(current);
    throw error.has('membership') ? new AppError('STATE_CONFLICT', '该成员不存在或已核实') : error;
  }
  if (!verified) throw new AppError('NOT_FOUND');
  return toMember(verified);
}

/** A membership that kept changing (another staff member's act) while an act on it was tried. */
const memberChanging = refuse(() => new AppError('STATE_CONFLICT', '该成员的身份正在变更，请稍后重试'));

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
  const outcome = await store.revokeMembership(cid, uid, { actorId: actor.id, reason: reason.trim(), at: now.toISOString() }).catch(memberChanging);
  if (outcome === 'absent') throw new AppError('NOT_FOUND', '该成员未申请加入本社区');
  if (outcome === 'staff') throw new AppError('STATE_CONFLICT', '该成员是本社区工作人员，请先免去其职务');
  return { ok: true };
}

/** Moves a verified member to another flat of the community; a repeat of the same move answers the member as it is. */
export async function moveMember(actor: AuthUser, cid: string, uid: string, household: string, reason: string, now: Date): Promise<Member> {
  await requireStaff(actor, cid);
  const to = canonicalHousehold(household);
  // A volunteer's registration shows staff the flat: it moves with the membership.
  const registration = await getVolunteer(cid, uid);
  const outcome = await store
    .moveMembership(cid, uid, to, { actorId: actor.id, reason: reason.trim(), at: now.toISOString() }, registration ? [registrationMoved(cid, uid, to)] : undefined)
    .catch(memberChanging);
  if (outcome === 'absent') throw new AppError('NOT_FOUND', '该成员未申请加入本社区');
  if (outcome === 'pending') throw new AppError('STATE_CONFLICT', '该成员尚未核实，请在核实时更正门牌');
  if (outcome === 'same') {
    const current = await store.getMembership(cid, uid);
    if (!current) throw new AppError('NOT_FOUND', '该成员未申请加入本社区');
    return toMember(current);
  }
  return toMember(outcome);
}

/** The join page in the mini-program, where the join code's `scene` (the community's id) lands. */
const JOIN_PAGE = 'community/join/index';

/**
 * The community's join code for its poster: a mini-program code WeChat makes once (on the first
 * poster shown, the only time this waits on WeChat) whose scene is the community's id.
 */
export async function joinCode(actor: AuthUser, cid: string): Promise<MiniProgramCode> {
  await requireStaff(actor, cid);
  await getCommunity(cid); // an admin may ask for any id: WeChat makes codes only for real communities
  return miniProgramCodeUrl(joinCodeObjectKey(cid), { scene: cid, page: JOIN_PAGE });
}

/** The staff roll with names, directors first: staff read it, directors change it. */
export async function listStaff(actor: AuthUser, cid: string): Promise<{ items: StaffMember[] }> {
  await requireStaff(actor, cid);
  const roll = await store.listStaff(cid);
  const [names, memberships] = await Promise.all([
    store.displayNames(cid, roll.map((s) => s.userId)),
    Promise.all(roll.map((s) => store.getMembership(cid, s.userId))),
  ]);
  const items = roll.map((s, i) => ({
    userId: s.userId,
    staffRole: s.staffRole,
    name: names.get(s.userId),
    household: memberships[i]?.household,
    appointedAt: s.appointedAt,
  }));
  items.sort((a, b) => (a.staffRole === b.staffRole ? a.appointedAt.localeCompare(b.appointedAt) : a.staffRole === 'director' ? -1 : 1));
  return { items };
}

export async function removeStaff(actor: AuthUser, cid: string, uid: string, now: Date): Promise<{ ok: true }> {
  await requireDirector(actor, cid);
  if (!(await store.removeStaff(cid, uid, { actorId: actor.id, at: now.toISOString() }).catch(memberChanging))) {
    throw new AppError('NOT_FOUND', '该用户不是本社区工作人员');
  }
  return { ok: true };
}

/** The community's audit log, newest first, with the names of the people in it: its staff and admins read it. */
export async function audit(
  actor: AuthUser,
  cid: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: AuditEntry[]; next?: string; cursor?: string }> {
  await requireStaff(actor, cid);
  const page = await listAuditEntries(cid, query);
  const names = await store.displayNames(cid, page.items.flatMap((e) => [e.actorId, ...(e.subjectId ? [e.subjectId] : [])]));
  const items = page.items.map((e) => ({
    ...e,
    ...(names.has(e.actorId) ? { actorName: names.get(e.actorId) } : {}),
    ...(e.subjectId && names.has(e.subjectId) ? { subjectName: names.get(e.subjectId) } : {}),
  }));
  return { items, next: page.next, cursor: page.next };
}
