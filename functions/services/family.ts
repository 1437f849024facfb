/**
 * Family proxy (亲情代办): the elder shows a one-time code, the family member claims it in their
 * own session, the elder (or staff at the counter) confirms; either side ends the link. Staff
 * create a held member (户内成员) for an elder without a phone and link a family member to it.
 */
import { AppError } from '@contract/errors';
import type { FamilyLink, HeldMember, LinkCode, MyFamily } from '@contract/family';
import { linkCodeExpiry, linkId, mayConfirm, mayEnd, parseLinkId } from '../domain/family-link';
import { maskName } from '../domain/privacy';
import { shortCode, newId } from '../lib/ids';
import type { AuthUser } from '../lib/tokens';
import * as store from '../store/family';
import { displayNames } from '../store/identity';
import { isConditionFailed } from '../store/transaction';
import { isStaff, requireStaff, requireVerifiedMember } from './access';
import { join, verifyMember } from './identity';

/** Names as the viewer may see them: staff of the community in full, the two sides masked (李*). */
async function toLinks(links: store.FamilyLinkRecord[], fullNames: (link: store.FamilyLinkRecord) => boolean): Promise<FamilyLink[]> {
  const byCommunity = new Map<string, Map<string, string>>();
  for (const cid of new Set(links.map((l) => l.communityId))) {
    const people = links.filter((l) => l.communityId === cid).flatMap((l) => [l.elderId, l.proxyId]);
    byCommunity.set(cid, await displayNames(cid, people));
  }
  return links.map((l) => {
    const names = byCommunity.get(l.communityId);
    // Someone who gave no name is shown as 居民, never as an id.
    const shown = (uid: string) => {
      const name = names?.get(uid);
      return (fullNames(l) ? name : maskName(name)) ?? '居民';
    };
    return {
      id: linkId(l.elderId, l.proxyId),
      communityId: l.communityId,
      elderId: l.elderId,
      proxyId: l.proxyId,
      elderName: shown(l.elderId),
      proxyName: shown(l.proxyId),
      status: l.status,
      createdAt: l.createdAt,
      via: l.via,
      ...(l.confirmedAt ? { confirmedAt: l.confirmedAt } : {}),
      ...(l.endedAt ? { endedAt: l.endedAt } : {}),
    };
  });
}

/**
 * What a link act's failed part means to a person; `link` means something else to each act
 * (a live link already there, or the link moved on since it was read).
 */
async function linkAct<T>(write: () => Promise<T>, linkFailed: () => AppError): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isConditionFailed<store.LinkPart>(error)) throw error;
    if (error.has('code')) throw new AppError('LINK_CODE_INVALID');
    if (error.has('link')) throw linkFailed();
    if (error.has('place')) throw new AppError('PROXY_LIMIT');
    // A counter code whose issuer is no longer staff is no code.
    if (error.has('issuer')) throw new AppError('LINK_CODE_INVALID');
    throw error;
  }
}

const alreadyLinked = () => new AppError('ALREADY_LINKED');

const one = async (link: store.FamilyLinkRecord, full: boolean): Promise<FamilyLink> => (await toLinks([link], () => full))[0] as FamilyLink;

/**
 * The elder, a verified resident of the community, asks for a code to show their family member; or
 * staff at the counter make one for an elder of their community (`elderId`), whose claim by the
 * family member standing there links at once.
 */
export async function createLinkCode(actor: AuthUser, input: { communityId: string; elderId?: string }, now: Date): Promise<LinkCode> {
  const forElder = input.elderId !== undefined && input.elderId !== actor.id ? input.elderId : undefined;
  if (forElder) {
    await requireStaff(actor, input.communityId);
    await requireVerifiedMember({ id: forElder, admin: false }, input.communityId).catch(() => {
      throw new AppError('VALIDATION', '老人须是本社区已核实门牌的居民', { details: [{ path: 'body.elderId', message: '不是本社区已核实的居民' }] });
    });
  } else {
    await requireVerifiedMember(actor, input.communityId);
  }
  const expiresAt = linkCodeExpiry(now).toISOString();
  const code = shortCode(8);
  await store.putLinkCode({ code, elderId: forElder ?? actor.id, communityId: input.communityId, expiresAt, ...(forElder ? { issuedBy: actor.id } : {}) });
  return { code, expiresAt };
}

/** The family member claims the code in their own session: a pending link for the elder to confirm, or, made at the counter, an active one. */
export async function claimLinkCode(actor: AuthUser, input: { code: string }, now: Date): Promise<FamilyLink> {
  const code = await store.getLinkCode(input.code);
  if (!code || code.expiresAt <= now.toISOString()) throw new AppError('LINK_CODE_INVALID');
  if (code.elderId === actor.id) throw new AppError('VALIDATION', '不能为自己代办，请让家人用他们自己的微信扫码');
  const at = now.toISOString();
  const link: store.FamilyLinkRecord = code.issuedBy
    ? { elderId: code.elderId, proxyId: actor.id, communityId: code.communityId, status: 'active', via: 'counter', createdAt: at, confirmedAt: at, confirmedBy: code.issuedBy }
    : { elderId: code.elderId, proxyId: actor.id, communityId: code.communityId, status: 'pending', via: 'code', createdAt: at };
  await linkAct(() => store.claimLinkCode(code, link, now), alreadyLinked);
  return one(link, false);
}

/** A link by its id, for one of its two sides or staff of its community; anyone else learns nothing (404). */
async function loadLink(actor: AuthUser, id: string): Promise<{ link: store.FamilyLinkRecord; staff: boolean }> {
  const sides = parseLinkId(id);
  const link = sides && (await store.getLink(sides.elderId, sides.proxyId));
  if (!link) throw new AppError('NOT_FOUND', '代办关系不存在');
  if (link.elderId === actor.id || link.proxyId === actor.id) return { link, staff: false };
  if (await isStaff(actor, link.communityId)) return { link, staff: true };
  throw new AppError('NOT_FOUND', '代办关系不存在');
}

export async function confirmLink(actor: AuthUser, id: string, now: Date): Promise<FamilyLink> {
  const { link, staff } = await loadLink(actor, id);
  if (!staff && !mayConfirm(link, actor.id)) throw new AppError('FORBIDDEN', '需由老人本人确认，或到社区窗口由工作人员确认');
  if (link.status !== 'pending') throw new AppError('STATE_CONFLICT', link.status === 'active' ? '代办关系已确认' : '代办申请已结束');
  const confirmed = await linkAct(() => store.confirmLink(link, actor.id, now.toISOString()), () => new AppError('STATE_CONFLICT', '该代办申请已处理或已结束'));
  return one(confirmed, staff);
}

export async function endLink(actor: AuthUser, id: string, now: Date): Promise<FamilyLink> {
  const { link, staff } = await loadLink(actor, id);
  if (link.status === 'ended') throw new AppError('STATE_CONFLICT', '代办关系已结束');
  if (!staff && !mayEnd(link, actor.id)) throw new AppError('FORBIDDEN');
  const ended = await linkAct(() => store.endLink(link, actor.id, now.toISOString()), () => new AppError('STATE_CONFLICT', '代办关系已发生变化，请刷新后重试'));
  return one(ended, staff);
}

export async function myFamily(actor: AuthUser): Promise<MyFamily> {
  const [proxies, elders] = await Promise.all([store.listProxies(actor.id), store.listElders(actor.id)]);
  const live = (l: store.FamilyLinkRecord) => l.status !== 'ended';
  return {
    proxies: await toLinks(proxies.filter(live), () => false),
    elders: await toLinks(elders.filter(live), () => false),
  };
}

/**
 * A 户内成员 for an elder with no phone of their own: a user without a WeChat account, verified
 * by staff at the counter, who acts only through family members staff link to them.
 */
export async function createHeldMember(actor: AuthUser, cid: string, input: { realName: string; household: string }, now: Date): Promise<HeldMember> {
  await requireStaff(actor, cid);
  const held: AuthUser = { id: newId(now), admin: false };
  await join(held, cid, { household: input.household, realName: input.realName }, now);
  const member = await verifyMember(actor, cid, held.id, undefined, now);
  return { userId: held.id, communityId: cid, realName: input.realName, household: member.household ?? input.household };
}

/** Staff saw both at the counter: the elder is a verified member of cid, the link is active at once. */
export async function counterLink(actor: AuthUser, cid: string, input: { elderId: string; proxyId: string }, now: Date): Promise<FamilyLink> {
  await requireStaff(actor, cid);
  if (input.elderId === input.proxyId) throw new AppError('VALIDATION', '老人和代办家人不能是同一人');
  await requireVerifiedMember({ id: input.elderId, admin: false }, cid).catch(() => {
    throw new AppError('VALIDATION', '老人须是本社区已核实门牌的居民', { details: [{ path: 'body.elderId', message: '不是本社区已核实的居民' }] });
  });
  const link: store.FamilyLinkRecord = {
    elderId: input.elderId, proxyId: input.proxyId, communityId: cid, status: 'active', via: 'counter',
    createdAt: now.toISOString(), confirmedAt: now.toISOString(), confirmedBy: actor.id,
  };
  await linkAct(() => store.counterLink(link, actor.id), alreadyLinked);
  return one(link, true);
}
