/**
 * Requests (诉求反映), grids and visits. Access patterns:
 *  - a request with its whole timeline in ONE Query                 → REQUEST#id / META, EVENT#<at>#<n>
 *  - a resident's requests, newest first                            → GSI1 USER#uid / REQUEST#<createdAt>#<id>
 *  - a community's requests by community-local month, newest first  → GSI2 COMMUNITY#cid#REQUESTS / <month>#<createdAt>#<id>
 *  - requests handed up to a region, newest first                   → REGION#rid / REQUEST#<at>#<id>
 *  - the year's request numbers (2026-0001234)                      → COUNTER#REQUEST / <year>
 *  - requests whose clock runs out on a UTC day, by due time        → REQUESTDUE#<day> / <dueAt>#<id>#<level>[#respond]
 *  - a community's grids; the grid a building belongs to (one)      → COMMUNITY#cid / GRID#gid, GRIDBUILDING#<building>
 *  - a community's visits by local date                             → COMMUNITY#cid / VISIT#<date>#<id>
 *  - a community's category clocks (defaults until staff set them)   → COMMUNITY#cid / REQUESTCLOCKS
 */
export const requestKey = (id: string) => ({ pk: `REQUEST#${id}`, sk: 'META' });
export const requestEventKey = (id: string, at: string, seq: string) => ({ pk: `REQUEST#${id}`, sk: `EVENT#${at}#${seq}` });
export const requestItemsQuery = (id: string) => ({ pk: `REQUEST#${id}` });

export const requestIndexes = (r: { id: string; communityId: string; residentId: string; createdAt: string; month: string }) => ({
  gsi1pk: `USER#${r.residentId}`,
  gsi1sk: `REQUEST#${r.createdAt}#${r.id}`,
  gsi2pk: `COMMUNITY#${r.communityId}#REQUESTS`,
  gsi2sk: `${r.month}#${r.createdAt}#${r.id}`,
});
export const userRequestsQuery = (uid: string) => ({ gsi1pk: `USER#${uid}`, gsi1skPrefix: 'REQUEST#' });
export const communityRequestsQuery = (cid: string, month?: string) => ({
  gsi2pk: `COMMUNITY#${cid}#REQUESTS`,
  gsi2skPrefix: month ? `${month}#` : undefined,
});

export const regionRequestKey = (rid: string, at: string, id: string) => ({ pk: `REGION#${rid}`, sk: `REQUEST#${at}#${id}` });
export const regionRequestsQuery = (rid: string, month?: string) => ({ pk: `REGION#${rid}`, skPrefix: month ? `REQUEST#${month}` : 'REQUEST#' });

export const requestCounterKey = (year: string) => ({ pk: 'COUNTER#REQUEST', sk: year });

/** The escalation schedule reads one partition per UTC day up to now, never the whole table. */
/** The resolution clock's item keeps the shape it always had; the response clock's is marked. */
export const requestDueKey = (dueAt: string, id: string, level: string, clock: 'respond' | 'resolve' = 'resolve') => ({
  pk: `REQUESTDUE#${dueAt.slice(0, 10)}`,
  sk: `${dueAt}#${id}#${level}${clock === 'respond' ? '#respond' : ''}`,
});
export const requestDueDayQuery = (day: string) => ({ pk: `REQUESTDUE#${day}` });

export const gridKey = (cid: string, gid: string) => ({ pk: `COMMUNITY#${cid}`, sk: `GRID#${gid}` });
export const gridsQuery = (cid: string) => ({ pk: `COMMUNITY#${cid}`, skPrefix: 'GRID#' });
export const gridBuildingKey = (cid: string, building: string) => ({ pk: `COMMUNITY#${cid}`, sk: `GRIDBUILDING#${building}` });
/** Verified households of a building: identity's HOUSEHOLD#<building>-… items. */
export const buildingHouseholdsQuery = (cid: string, building: string) => ({ pk: `COMMUNITY#${cid}`, skPrefix: `HOUSEHOLD#${building}-` });

export const visitKey = (cid: string, date: string, id: string) => ({ pk: `COMMUNITY#${cid}`, sk: `VISIT#${date}#${id}` });
export const monthVisitsQuery = (cid: string, month: string) => ({ pk: `COMMUNITY#${cid}`, skPrefix: `VISIT#${month}` });

export const categoryClocksKey = (cid: string) => ({ pk: `COMMUNITY#${cid}`, sk: 'REQUESTCLOCKS' });
