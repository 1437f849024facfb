/**
 * Notices (居务公开). Access patterns:
 *  - a notice by id                                                      → NOTICE#id / NOTICE
 *  - a community's notices, pinned first, newest first (one backwards Query)
 *                                                                        → gsi2 COMMUNITY#cid#NOTICES / <1 pinned|0>#<displayFrom>#<id>
 *  - the same within one category                                        → gsi1 COMMUNITY#cid#NOTICES#<category> / the same sort key
 *  - "this person has opened it" (idempotent; a page's marks in one BatchGet) → NOTICE#id / READ#U#uid
 *  - "a verified household has opened it" (counted, never listed)        → NOTICE#id / OPENED#H#household
 * A withdrawn notice loses both list keys, so no list reads it again.
 */
export const noticeKey = (id: string) => ({ pk: `NOTICE#${id}`, sk: 'NOTICE' });

/** The list keys of a notice that is not withdrawn: both indexes share the sort key. */
export const noticeIndexes = (cid: string, n: { id: string; category: string; pinned: boolean; displayFrom: string }) => {
  const sort = `${n.pinned ? 1 : 0}#${n.displayFrom}#${n.id}`;
  return { gsi2pk: `COMMUNITY#${cid}#NOTICES`, gsi2sk: sort, gsi1pk: `COMMUNITY#${cid}#NOTICES#${n.category}`, gsi1sk: sort };
};
export const communityNoticesQuery = (cid: string, category?: string) =>
  category
    ? { index: 'gsi1', pkName: 'gsi1pk', pk: `COMMUNITY#${cid}#NOTICES#${category}` }
    : { index: 'gsi2', pkName: 'gsi2pk', pk: `COMMUNITY#${cid}#NOTICES` };

export const noticeReadKey = (noticeId: string, uid: string) => ({ pk: `NOTICE#${noticeId}`, sk: `READ#U#${uid}` });
export const noticeOpenedKey = (noticeId: string, household: string) => ({ pk: `NOTICE#${noticeId}`, sk: `OPENED#H#${household}` });
export const noticeOpensQuery = (noticeId: string) => ({ pk: `NOTICE#${noticeId}`, skPrefix: 'OPENED#H#' });

/** The notice that publishes a consultation's decision: one per consultation, so a retry cannot post it twice. */
export const decisionNoticeId = (consultationId: string) => `decision-${consultationId}`;
/** The notice of one implementation update (落实情况), by the update's time: a retry cannot post it twice. */
export const updateNoticeId = (consultationId: string, at: string) => `update-${consultationId}-${Date.parse(at)}`;
