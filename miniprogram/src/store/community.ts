import type { Membership, User } from '@contract/identity';
import { storage } from '../platform';
import { createStore, useStore } from './store';
import { useUser } from './session';

/**
 * Which community the app is showing. A person may belong to several; the choice is kept in
 * storage and falls back to the first membership.
 */
const KEY = 'linli.community';
export const communityChoice = createStore<string | undefined>(storage.get<string>(KEY));

export function chooseCommunity(cid: string): void {
  storage.set(KEY, cid);
  communityChoice.set(cid);
}

export function membershipOf(user: User | undefined, cid: string | undefined): Membership | undefined {
  return cid ? user?.memberships.find((m) => m.communityId === cid) : undefined;
}

/** Staff of that community, or a platform admin (who acts as staff everywhere). */
export function isStaff(user: User | undefined, cid: string | undefined): boolean {
  return Boolean(user && cid && (user.admin || membershipOf(user, cid)?.role === 'staff'));
}

/** The current community id: the stored choice when the person belongs to it (or is admin). */
export function currentCommunityId(user: User | undefined, choice: string | undefined): string | undefined {
  if (!user) return undefined;
  if (choice && (user.admin || membershipOf(user, choice))) return choice;
  return user.memberships[0]?.communityId;
}

export function useCurrentCommunity(): { cid: string | undefined; membership: Membership | undefined; staff: boolean } {
  const user = useUser();
  const choice = useStore(communityChoice);
  const cid = currentCommunityId(user, choice);
  return { cid, membership: membershipOf(user, cid), staff: isStaff(user, cid) };
}
