/**
 * Who may do what in a community. Roles are per community and read from the membership item
 * on every call (strongly consistent), so an appointment, a removal or a verification takes
 * effect at the caller's next request, whatever tokens they hold. Admin status is re-checked
 * against ADMIN_OPENIDS when the token is verified (lib/tokens.ts).
 */
import { AppError } from '@contract/errors';
import type { AuthUser } from '../lib/tokens';
import { getLink, type FamilyLinkRecord } from '../store/family';
import { getMembership, staffMembershipCheck, type MembershipRecord } from '../store/identity';
import type { TransactItem } from '../store/transaction';

const notStaff = () => new AppError('FORBIDDEN', '仅限本社区工作人员操作');

/** Staff of the community, or a platform admin (who acts as staff everywhere). */
export async function requireStaff(actor: AuthUser, cid: string): Promise<void> {
  if (actor.admin) return;
  const membership = await getMembership(cid, actor.id);
  if (membership?.role !== 'staff') throw notStaff();
}

/**
 * The same check as a part of the act's own transaction (none for a platform admin): the act
 * reads no membership first. A service names the part `staff` and answers its failure with
 * `staffRefusal()`.
 */
export const staffPart = (actor: AuthUser, cid: string): TransactItem | undefined => (actor.admin ? undefined : staffMembershipCheck(cid, actor.id));
export const staffRefusal = notStaff;

/** A director (主任) of the community, or a platform admin: who appoints and removes staff. */
export async function requireDirector(actor: AuthUser, cid: string): Promise<void> {
  if (actor.admin) return;
  const membership = await getMembership(cid, actor.id);
  if (membership?.role !== 'staff' || membership.staffRole !== 'director') throw new AppError('FORBIDDEN', '仅限本社区主任或平台管理员任免工作人员');
}

export async function isStaff(actor: AuthUser, cid: string): Promise<boolean> {
  if (actor.admin) return true;
  return (await getMembership(cid, actor.id))?.role === 'staff';
}

/** A member whose household staff have verified; the membership is returned for its household. */
export async function requireVerifiedMember(actor: AuthUser, cid: string): Promise<MembershipRecord & { household: string }> {
  const membership = await getMembership(cid, actor.id);
  if (!membership?.household) throw new AppError('FORBIDDEN', '请先申请加入本社区');
  if (!membership.verified) throw new AppError('FORBIDDEN', '您的门牌尚待社区工作人员核实');
  return membership as MembershipRecord & { household: string };
}

/** The link ended (between the read and the act, when the act's `proxy` part fails). */
export const proxyRefusal = () => new AppError('PROXY_NOT_LINKED');

/**
 * Who a request acts for. Without X-On-Behalf-Of: the caller. With it: the elder, only while the
 * caller is their active family proxy; the returned guard goes into the act's own transaction, so
 * a link ended between this read and the write cancels the act.
 */
export async function actingFor(actor: AuthUser): Promise<{ userId: string; link?: FamilyLinkRecord }> {
  if (!actor.onBehalfOf) return { userId: actor.id };
  const link = await getLink(actor.onBehalfOf, actor.id);
  if (link?.status !== 'active') throw proxyRefusal();
  return { userId: link.elderId, link };
}

/** Personal acts (a ballot, a comment, a topic) are never done by a proxy. */
export function refuseProxy(actor: AuthUser | undefined): void {
  if (actor?.onBehalfOf) throw new AppError('PROXY_NOT_ALLOWED');
}
