/**
 * Consultations (议事协商). Access patterns:
 *  - a topic by id; a community's topics, open first and by support    → TOPIC#id / gsi2 COMMUNITY#cid#TOPICS
 *  - "this member seconded this topic" (once)                          → TOPIC#id / SUPPORT#uid
 *  - a consultation by id; a community's consultations, newest first   → CONSULTATION#id META / gsi2 COMMUNITY#cid#CONSULTATIONS
 *  - the tally: every counter shard of a consultation in ONE Query     → CONSULTATION#id / COUNT#00..15
 *  - "this voter (or household) has voted": the ballot's idempotency record, no choice
 *                                                                      → CONSULTATION#id / VOTED#U#uid | VOTED#H#household
 *  - "this voter was sent the results notice" (once; voter id only)  → CONSULTATION#id / NOTIFIED#RESULTS#uid
 *  - consultations closing in a 10-minute bucket (results notices)     → REMIND#CONSULTATION#bucket / id (keys/reminders.ts)
 *  - a consultation's discussion, oldest first                         → CONSULTATION#id / COMMENT#commentId
 *  - a member's comments in one minute (rate limit, TTL)               → USER#uid / RATE#COMMENT#minute
 *  - a member's topics proposed on one day (limit, TTL)               → USER#uid / TOPICS#date
 */
import type { Voter } from '../../domain/consultation-eligibility';

const pad = (n: number, width: number) => String(Math.max(0, Math.min(n, 10 ** width - 1))).padStart(width, '0');

export const topicKey = (id: string) => ({ pk: `TOPIC#${id}`, sk: 'TOPIC' });

/**
 * GSI2 of a topic: within a status, most support first when read backwards. The status leads,
 * and 'open' > 'closed' > 'adopted', so a backwards read of the whole partition shows open
 * topics first. The support in the key is rewritten by each support (optimistically, see store).
 */
export const topicIndexes = (cid: string, t: { id: string; status: string; support: number; createdAt: string }) => ({
  gsi2pk: `COMMUNITY#${cid}#TOPICS`,
  gsi2sk: `${t.status}#${pad(t.support, 8)}#${t.createdAt}#${t.id}`,
});
export const communityTopicsQuery = (cid: string, status?: string) => ({
  gsi2pk: `COMMUNITY#${cid}#TOPICS`,
  gsi2skPrefix: status ? `${status}#` : undefined,
});

/** One item per member per community-local day, counting the topics they proposed; expires by TTL. */
export const topicQuotaKey = (uid: string, date: string) => ({ pk: `USER#${uid}`, sk: `TOPICS#${date}` });

export const topicSupportKey = (topicId: string, uid: string) => ({ pk: `TOPIC#${topicId}`, sk: `SUPPORT#${uid}` });

export const consultationKey = (id: string) => ({ pk: `CONSULTATION#${id}`, sk: 'META' });

/** GSI2 of a consultation: the community's consultations by opening time (read backwards: newest first). */
export const consultationIndexes = (cid: string, c: { id: string; opensAt: string }) => ({
  gsi2pk: `COMMUNITY#${cid}#CONSULTATIONS`,
  gsi2sk: `${c.opensAt}#${c.id}`,
});
export const communityConsultationsQuery = (cid: string) => ({ gsi2pk: `COMMUNITY#${cid}#CONSULTATIONS` });

/** Counter shards live under the consultation's pk, so one Query reads the whole tally. */
export const ballotCounterKey = (consultationId: string, shard: number) => ({ pk: `CONSULTATION#${consultationId}`, sk: `COUNT#${pad(shard, 2)}` });
export const ballotCountersQuery = (consultationId: string) => ({ pk: `CONSULTATION#${consultationId}`, skPrefix: 'COUNT#' });

export const voterMarkerKey = (consultationId: string, voter: Voter) => ({
  pk: `CONSULTATION#${consultationId}`,
  sk: voter.kind === 'household' ? `VOTED#H#${voter.household}` : `VOTED#U#${voter.userId}`,
});
export const voterMarkersQuery = (consultationId: string) => ({ pk: `CONSULTATION#${consultationId}`, skPrefix: 'VOTED#' });

/** Per-recipient record of the results notice: claimed before the send, so nobody gets it twice. */
export const resultsNoticeKey = (consultationId: string, uid: string) => ({ pk: `CONSULTATION#${consultationId}`, sk: `NOTIFIED#RESULTS#${uid}` });

/**
 * A comment's id carries its consultation's id ("<consultationId>_<suffix>"), so
 * POST /v1/comments/{id}/hide finds it with one GetItem and no index.
 */
export const newCommentId = (consultationId: string, suffix: string): string => `${consultationId}_${suffix}`;
export const consultationOfComment = (commentId: string): string | undefined => {
  const at = commentId.lastIndexOf('_');
  return at > 0 ? commentId.slice(0, at) : undefined;
};
export const commentKey = (consultationId: string, commentId: string) => ({ pk: `CONSULTATION#${consultationId}`, sk: `COMMENT#${commentId}` });
export const commentsQuery = (consultationId: string) => ({ pk: `CONSULTATION#${consultationId}`, skPrefix: 'COMMENT#' });

/** One item per member per minute, counting their comments; expires by TTL. */
export const commentRateKey = (uid: string, minute: number) => ({ pk: `USER#${uid}`, sk: `RATE#COMMENT#${minute}` });
