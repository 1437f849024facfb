/**
 * Family proxy (亲情代办). An elder (a verified resident) links up to three family members, who may
 * then act for the elder on appointments. Acting as proxy is explicit on every request: the header
 * `X-On-Behalf-Of: <elder's user id>` (a header rather than a body or query field, because it has
 * to ride on every method, including GET and DELETE routes without a body, and must not widen the
 * strict body of each route it applies to). Consultation routes refuse it (403 PROXY_NOT_ALLOWED):
 * a ballot, a comment or a topic is personal.
 */
import { Id, IsoDateTime, Text, Household } from './common';
import { route } from './route';
import * as z from './schema';

/** The header a proxy sends to act for an elder. */
export const ON_BEHALF_OF_HEADER = 'x-on-behalf-of';

/** At most this many family members act for one elder at once. */
export const MAX_PROXIES = 3;
/** A link code lives this long. */
export const LINK_CODE_MINUTES = 10;

export const LinkCodeInput = z.object({
  communityId: Id,
  /**
   * Staff at the counter make the code for an elder of their community (a 户内成员 without a phone,
   * or a resident whose phone is not at hand): the family member standing there claims it, and the
   * link is active at once (staff saw both). Absent: the caller's own code, for the elder to confirm.
   */
  elderId: Id.optional(),
});
export const LinkCode = z.object({
  /** Typed or scanned by the family member; single use. */
  code: z.string(),
  expiresAt: IsoDateTime,
});
export type LinkCode = z.infer<typeof LinkCode>;

export const ClaimInput = z.object({ code: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{8}$/, '代办码应为 8 位字母或数字') });

export const LinkStatus = z.enum(['pending', 'active', 'ended']);
export type LinkStatus = z.infer<typeof LinkStatus>;

export const FamilyLink = z.object({
  id: Id,
  communityId: Id,
  elderId: Id,
  proxyId: Id,
  /** Masked for the other side (李*); staff of the community see it in full. */
  elderName: z.string(),
  proxyName: z.string(),
  status: LinkStatus,
  createdAt: IsoDateTime,
  confirmedAt: IsoDateTime.optional(),
  endedAt: IsoDateTime.optional(),
  /** 'counter' when staff linked the two after seeing both. */
  via: z.enum(['code', 'counter']),
});
export type FamilyLink = z.infer<typeof FamilyLink>;

export const MyFamily = z.object({
  /** Family members who act (or asked to act) for me. */
  proxies: z.array(FamilyLink),
  /** Elders I act for (or asked to). */
  elders: z.array(FamilyLink),
});
export type MyFamily = z.infer<typeof MyFamily>;

export const HeldMemberInput = z.object({ realName: Text(20), household: Household });
export const HeldMember = z.object({ userId: Id, communityId: Id, realName: z.string(), household: z.string() });
export type HeldMember = z.infer<typeof HeldMember>;

export const CounterLinkInput = z.object({ elderId: Id, proxyId: Id });

export const familyRoutes = {
  createLinkCode: route({
    method: 'POST', path: '/v1/me/family/codes', fn: 'family', auth: 'user', summary: '生成亲情代办码（老人出示，或工作人员在窗口为老人生成；10 分钟内有效，仅用一次）',
    body: LinkCodeInput, response: LinkCode, status: 201,
  }),
  claimLinkCode: route({
    method: 'POST', path: '/v1/family/links', fn: 'family', auth: 'user', summary: '家人凭代办码申请代办，待老人确认',
    body: ClaimInput, response: FamilyLink, status: 201,
  }),
  confirmLink: route({ method: 'POST', path: '/v1/family/links/{id}/confirm', fn: 'family', auth: 'user', summary: '老人或工作人员确认代办关系', response: FamilyLink }),
  endLink: route({ method: 'DELETE', path: '/v1/family/links/{id}', fn: 'family', auth: 'user', summary: '任一方结束代办关系', response: FamilyLink }),
  myFamily: route({ method: 'GET', path: '/v1/me/family', fn: 'family', auth: 'user', summary: '我的亲情代办', response: MyFamily }),
  createHeldMember: route({
    method: 'POST', path: '/v1/communities/{cid}/held-members', fn: 'family', auth: 'user', summary: '为没有手机的老人建立户内成员记录（工作人员，现场核实）',
    body: HeldMemberInput, response: HeldMember, status: 201,
  }),
  counterLink: route({
    method: 'POST', path: '/v1/communities/{cid}/family/links', fn: 'family', auth: 'user', summary: '窗口现场核实双方后建立代办关系（工作人员）',
    body: CounterLinkInput, response: FamilyLink, status: 201,
  }),
};
