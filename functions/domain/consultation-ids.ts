/**
 * Ids derived from a consultation's. Pure rules about what an id says, so they live here rather
 * than with the keys: a comment's id names its consultation (POST /v1/comments/{id}/hide carries
 * the comment's id alone, and the consultation it belongs to follows from it, with no index and no
 * read), and the notice that publishes a decision or an update has an id fixed by what it tells,
 * so a retried publish cannot post it twice.
 */

/** A comment's id: "<consultationId>_<unique>". */
export const commentIdOf = (consultationId: string, unique: string): string => `${consultationId}_${unique}`;

/** The consultation a comment id names; undefined for an id that names none. */
export const consultationOfComment = (commentId: string): string | undefined => {
  const at = commentId.lastIndexOf('_');
  return at > 0 ? commentId.slice(0, at) : undefined;
};

/** The notice that publishes a consultation's decision: one per consultation. */
export const decisionNoticeId = (consultationId: string): string => `decision-${consultationId}`;

/** The notice of one implementation update (落实情况), by the update's time. */
export const updateNoticeId = (consultationId: string, at: string): string => `update-${consultationId}-${Date.parse(at)}`;
