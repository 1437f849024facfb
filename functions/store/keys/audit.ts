/**
 * A community's audit log: one partition per community, entries sorted by time, so the newest
 * come first from one Query. Entries are only ever written by conditional puts.
 */
export const auditEntryKey = (cid: string, at: string, id: string) => ({ pk: `AUDIT#${cid}`, sk: `${at}#${id}` });
export const communityAuditQuery = (cid: string) => ({ pk: `AUDIT#${cid}` });
