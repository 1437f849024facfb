/**
 * Regions (街道, 区) and what hangs under them. Access patterns:
 *  - a region by id                                             → REGION#rid / META
 *  - a region by its level, parent and name (one of each name)  → REGIONNAME#level#parent#name / NAME
 *  - "this user is staff of this region"; a user's regions      → REGION#rid / STAFF#uid, GSI1 USER#uid / REGION#rid
 *  - a community's street and district                          → COMMUNITY#cid / REGION
 *  - the communities under a street or a district               → REGION#rid / COMMUNITY#cid
 *  - requests handed up to a region, newest first               → REGION#rid / REQUEST#<at>#<id> (keys/requests.ts)
 */
export const regionKey = (rid: string) => ({ pk: `REGION#${rid}`, sk: 'META' });
export const regionNameKey = (level: string, parentId: string | undefined, name: string) => ({
  pk: `REGIONNAME#${level}#${parentId ?? '-'}#${name}`,
  sk: 'NAME',
});
export const regionStaffKey = (rid: string, uid: string) => ({ pk: `REGION#${rid}`, sk: `STAFF#${uid}` });
export const regionStaffUserIndex = (rid: string, uid: string) => ({ gsi1pk: `USER#${uid}`, gsi1sk: `REGION#${rid}` });
export const userRegionsQuery = (uid: string) => ({ gsi1pk: `USER#${uid}`, gsi1skPrefix: 'REGION#' });
export const communityRegionKey = (cid: string) => ({ pk: `COMMUNITY#${cid}`, sk: 'REGION' });
export const regionCommunityKey = (rid: string, cid: string) => ({ pk: `REGION#${rid}`, sk: `COMMUNITY#${cid}` });
export const regionCommunitiesQuery = (rid: string) => ({ pk: `REGION#${rid}`, skPrefix: 'COMMUNITY#' });
