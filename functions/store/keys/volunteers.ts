/**
 * Volunteers (志愿服务). Access patterns:
 *  - a registration by community + user (GetItem); a user's registrations (gsi1 USER#uid, VOLUNTEER#);
 *    a community's volunteers by status, oldest first (gsi2 COMMUNITY#cid#VOLUNTEERS, <status>#<at>#uid)
 *  - an activity by id (GetItem); a community's activities by start (gsi2 COMMUNITY#cid#ACTIVITIES, <startUtc>#id)
 *  - an activity's signups (Query pk ACTIVITY#id, SIGNUP#); a user's signups by start (gsi1 USER#uid, SIGNUP#<startUtc>#id)
 *  - a volunteer's ledger (Query pk LEDGER#cid#uid); the community's ledger (gsi2 COMMUNITY#cid#LEDGER, <at>#id),
 *    a month of it by the range of recording instants
 *  - counters: approved volunteers (COMMUNITY#cid / VOLUNTEER_STATS), verified hours per month
 *    (COMMUNITY#cid / VOLUNTEER_MONTH#YYYY-MM)
 *  - a certificate by its code (GetItem CERTIFICATE#code); a volunteer's latest certificate in a
 *    community (GetItem USER#uid / CERTIFICATE#cid), so fetching the PDF again reuses it
 *  - a spent attendance code (ACTIVITY#id / CODE#<mac>, TTL): put once, in the scan's transaction
 */
export const volunteerKey = (cid: string, uid: string) => ({ pk: `COMMUNITY#${cid}`, sk: `VOLUNTEER#${uid}` });
export const volunteerIndexes = (cid: string, uid: string, status: string, at: string) => ({
  gsi1pk: `USER#${uid}`,
  gsi1sk: `VOLUNTEER#${cid}`,
  gsi2pk: `COMMUNITY#${cid}#VOLUNTEERS`,
  gsi2sk: `${status}#${at}#${uid}`,
});
export const userVolunteersQuery = (uid: string) => ({ gsi1pk: `USER#${uid}`, gsi1skPrefix: 'VOLUNTEER#' });
export const communityVolunteersQuery = (cid: string, status?: string) => ({
  gsi2pk: `COMMUNITY#${cid}#VOLUNTEERS`,
  gsi2skPrefix: status ? `${status}#` : undefined,
});

export const volunteerStatsKey = (cid: string) => ({ pk: `COMMUNITY#${cid}`, sk: 'VOLUNTEER_STATS' });
export const volunteerMonthKey = (cid: string, month: string) => ({ pk: `COMMUNITY#${cid}`, sk: `VOLUNTEER_MONTH#${month}` });

export const activityKey = (id: string) => ({ pk: `ACTIVITY#${id}`, sk: 'META' });
export const activityIndexes = (cid: string, id: string, startUtc: string) => ({
  gsi2pk: `COMMUNITY#${cid}#ACTIVITIES`,
  gsi2sk: `${startUtc}#${id}`,
});
export const communityActivitiesQuery = (cid: string, fromUtc: string, toUtc: string) => ({
  gsi2pk: `COMMUNITY#${cid}#ACTIVITIES`,
  gsi2skFrom: fromUtc,
  // '~' sorts after '#' and every digit, so the last instant's ids are included.
  gsi2skTo: `${toUtc}~`,
});

export const signupKey = (activityId: string, uid: string) => ({ pk: `ACTIVITY#${activityId}`, sk: `SIGNUP#${uid}` });
export const signupUserIndex = (uid: string, activityId: string, startUtc: string) => ({
  gsi1pk: `USER#${uid}`,
  gsi1sk: `SIGNUP#${startUtc}#${activityId}`,
});
export const activitySignupsQuery = (activityId: string) => ({ pk: `ACTIVITY#${activityId}`, skPrefix: 'SIGNUP#' });
export const userSignupsQuery = (uid: string) => ({ gsi1pk: `USER#${uid}`, gsi1skPrefix: 'SIGNUP#' });

/** Ledger entries are only ever Put (append-only): see store/volunteers/ledger.ts. */
export const ledgerEntryKey = (cid: string, uid: string, at: string, id: string) => ({ pk: `LEDGER#${cid}#${uid}`, sk: `ENTRY#${at}#${id}` });
export const ledgerEntryIndexes = (cid: string, at: string, id: string) => ({ gsi2pk: `COMMUNITY#${cid}#LEDGER`, gsi2sk: `${at}#${id}` });
export const volunteerLedgerQuery = (cid: string, uid: string) => ({ pk: `LEDGER#${cid}#${uid}`, skPrefix: 'ENTRY#' });
/** The community's entries recorded in [fromUtc, toUtc): a month of the 台帐, oldest first. */
export const communityLedgerQuery = (cid: string, fromUtc: string, toUtc: string) => ({
  gsi2pk: `COMMUNITY#${cid}#LEDGER`,
  gsi2skFrom: fromUtc,
  // The sort key is `<at>#<id>`: every entry recorded before toUtc sorts below it.
  gsi2skBelow: toUtc,
});

export const certificateKey = (code: string) => ({ pk: `CERTIFICATE#${code}`, sk: 'CERTIFICATE' });
export const latestCertificateKey = (cid: string, uid: string) => ({ pk: `USER#${uid}`, sk: `CERTIFICATE#${cid}` });

export const spentCodeKey = (activityId: string, codeId: string) => ({ pk: `ACTIVITY#${activityId}`, sk: `CODE#${codeId}` });
