export const userKey = (uid: string) => ({ pk: `USER#${uid}`, sk: 'PROFILE' });

/** One item per openid: makes "one user per WeChat account" a conditional write. */
export const openidKey = (openid: string) => ({ pk: `OPENID#${openid}`, sk: 'OPENID' });

export const communityKey = (cid: string) => ({ pk: `COMMUNITY#${cid}`, sk: 'META' });

export const membershipKey = (cid: string, uid: string) => ({ pk: `COMMUNITY#${cid}`, sk: `MEMBER#${uid}` });

/** How many join requests a user has pending across communities: the ceiling is a conditional ADD. */
export const pendingJoinsKey = (uid: string) => ({ pk: `USER#${uid}`, sk: 'JOINPENDING' });

/** GSI1: a user's memberships. */
export const membershipUserIndex = (cid: string, uid: string) => ({ gsi1pk: `USER#${uid}`, gsi1sk: `MEMBER#${cid}` });

/** GSI2: a community's members, pending ones by request time, verified ones by household. */
export const membershipIndexes = (
  cid: string,
  uid: string,
  state: { verified: boolean; household: string; requestedAt: string },
) => ({
  ...membershipUserIndex(cid, uid),
  gsi2pk: `COMMUNITY#${cid}#MEMBERS`,
  gsi2sk: state.verified ? `V#${state.household}#${uid}` : `P#${state.requestedAt}#${uid}`,
});
export const userMembershipsQuery = (uid: string) => ({ gsi1pk: `USER#${uid}`, gsi1skPrefix: 'MEMBER#' });
export const communityMembersQuery = (cid: string, verified?: boolean) => ({
  gsi2pk: `COMMUNITY#${cid}#MEMBERS`,
  gsi2skPrefix: verified === undefined ? undefined : verified ? 'V#' : 'P#',
});

/** The community's staff roll: one small item per staff member, written with the role itself. */
export const staffRollKey = (cid: string, uid: string) => ({ pk: `COMMUNITY#${cid}`, sk: `STAFF#${uid}` });
export const staffRollQuery = (cid: string) => ({ pk: `COMMUNITY#${cid}`, skPrefix: 'STAFF#' });

/** One item per verified household: its existence makes the household count exact. */
export const householdKey = (cid: string, household: string) => ({ pk: `COMMUNITY#${cid}`, sk: `HOUSEHOLD#${household}` });

/** Idempotency records, scoped to caller + method + path + key; expire after 24 hours. */
export const idempotencyKey = (scope: string) => ({ pk: `IDEMPOTENCY#${scope}`, sk: 'IDEMPOTENCY' });

/** GSI2: every community, by district, street and name (the admins' list and the residents' search). */
export const communityIndexes = (c: { id: string; name: string; district: string; street: string }) => ({
  gsi2pk: 'COMMUNITIES',
  gsi2sk: `${c.district}#${c.street}#${c.name}#${c.id}`,
});
export const communitiesQuery = (narrow: { district?: string; street?: string }) => ({
  gsi2pk: 'COMMUNITIES',
  gsi2skPrefix: narrow.district ? `${narrow.district}#${narrow.street ? `${narrow.street}#` : ''}` : undefined,
});

/**
 * A membership staff ended (refused or revoked): kept apart from the membership item so it grants
 * nothing and counts nowhere; the person reads it by GSI1, staff list it by GSI2, newest first.
 */
export const endedMembershipKey = (cid: string, uid: string) => ({ pk: `COMMUNITY#${cid}`, sk: `ENDED#${uid}` });
export const endedMembershipIndexes = (cid: string, uid: string, status: 'refused' | 'revoked', at: string) => ({
  gsi1pk: `USER#${uid}`,
  gsi1sk: `ENDED#${cid}`,
  gsi2pk: `COMMUNITY#${cid}#ENDED`,
  gsi2sk: `${status}#${at}#${uid}`,
});
export const userEndedMembershipsQuery = (uid: string) => ({ gsi1pk: `USER#${uid}`, gsi1skPrefix: 'ENDED#' });
export const communityEndedQuery = (cid: string, status: 'refused' | 'revoked') => ({ gsi2pk: `COMMUNITY#${cid}#ENDED`, gsi2skPrefix: `${status}#` });
