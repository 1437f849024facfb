/** Family proxy rules: who may confirm or end a link, and how a link is named. Pure: `now` is passed in. */
import { LINK_CODE_MINUTES, type LinkStatus } from '@contract/family';

/** The link's public id names both sides, so the acting-as check and a route reach the same item. */
export const linkId = (elderId: string, proxyId: string): string => `${elderId}_${proxyId}`;

export function parseLinkId(id: string): { elderId: string; proxyId: string } | undefined {
  const [elderId, proxyId, ...rest] = id.split('_');
  return elderId && proxyId && rest.length === 0 ? { elderId, proxyId } : undefined;
}

export const linkCodeExpiry = (now: Date): Date => new Date(now.getTime() + LINK_CODE_MINUTES * 60_000);

/** A pending link is confirmed by the elder (on their own phone), never by the family member who asked. */
export const mayConfirm = (link: { elderId: string }, actorId: string): boolean => link.elderId === actorId;

/** Either side ends a link at any time; an ended link stays ended. */
export const mayEnd = (link: { elderId: string; proxyId: string; status: LinkStatus }, actorId: string): boolean =>
  link.status !== 'ended' && (link.elderId === actorId || link.proxyId === actorId);
