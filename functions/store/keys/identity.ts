export const userKey = (uid: string) => ({ pk: `USER#${uid}`, sk: 'PROFILE' });

/** One item per openid: makes "one user per WeChat account" a conditional write. */
export const openidKey = (openid: string) => ({ pk: `OPENID#${openid}`, sk: 'OPENID' });

export const communityKey = (cid: string) => ({ pk: `COMMUNITY#${cid}`, sk: 'META' });

export const membershipKey = (cid: string, uid: string) => ({ pk: `COMMUNITY#${cid}`, sk: `MEMBER#${uid}` });

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

/** One item per verified household: its existence makes the household count exact. */
export const householdKey = (cid: string, household: string) => ({ pk: `COMMUNITY#${cid}`, sk: `HOUSEHOLD#${household}` });

/** Idempotency records, scoped to caller + method + path + key; expire after 24 hours. */
export const idempotencyKey = (scope: string) => ({ pk: `IDEMPOTENCY#${scope}`, sk: 'IDEMPOTENCY' });
