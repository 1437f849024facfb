/**
 * The discussion (议). Access patterns:
 *  - a consultation's discussion, oldest first            → CONSULTATION#id / COMMENT#commentId
 *  - a member's comments in one minute (rate limit, TTL)  → USER#uid / RATE#COMMENT#minute
 * A comment's id names its consultation (domain/consultation-ids.ts), so a comment is one GetItem
 * away from its id alone.
 *
 * Named failures: `author` (no longer a verified member, or no longer staff for a reply written
 * as staff), `rate` (the minute's comments are used up), `comment` (it does not exist).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import { auditEntry } from '../audit';
import { send } from '../client';
import { staffMembershipCheck } from '../identity';
import { queryPage, stripKeys, table } from '../table';
import { transact } from '../transaction';
import { consultationPartition, verifiedMemberPart } from './partition';

export interface CommentRecord {
  id: string;
  consultationId: string;
  communityId: string;
  authorId: string;
  authorName?: string;
  /** The author was the community's staff when writing it. */
  byStaff?: boolean;
  text: string;
  hidden: boolean;
  hiddenReason?: string;
  hiddenBy?: string;
  hiddenAt?: string;
  createdAt: string;
}

export type CommentFailure = 'author' | 'rate' | 'comment';

const commentKey = (consultationId: string, commentId: string) => ({ pk: consultationPartition(consultationId), sk: `COMMENT#${commentId}` });

/** One item per member per minute, counting their comments; expires by TTL. */
const commentRateKey = (uid: string, minute: number) => ({ pk: `USER#${uid}`, sk: `RATE#COMMENT#${minute}` });

/**
 * A comment: the author's membership (verified, or staff for a reply as staff), the per-minute
 * counter (at most `perMinute`, expiring by TTL) and the comment, in one transaction.
 */
export async function createComment(comment: CommentRecord, limit: { minute: number; perMinute: number }): Promise<CommentRecord> {
  await transact({
    author: comment.byStaff ? staffMembershipCheck(comment.communityId, comment.authorId) : verifiedMemberPart(comment.communityId, comment.authorId),
    rate: {
      Update: {
        TableName: table(),
        Key: commentRateKey(comment.authorId, limit.minute),
        UpdateExpression: 'SET #type = :type, expiresAt = :expires ADD n :one',
        ConditionExpression: 'attribute_not_exists(n) OR n < :max',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'CommentRate', ':expires': (limit.minute + 2) * 60, ':one': 1, ':max': limit.perMinute },
      },
    },
    comment: {
      Put: {
        TableName: table(),
        Item: { ...commentKey(comment.consultationId, comment.id), type: 'Comment', ...comment },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  });
  return comment;
}

export async function listComments(consultationId: string, options: { limit: number; cursor?: string }): Promise<Page<CommentRecord>> {
  const { items, next } = await queryPage(
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': consultationPartition(consultationId), ':prefix': 'COMMENT#' },
      Limit: options.limit,
    },
    options.cursor,
  );
  return { items: items.map((item) => stripKeys<CommentRecord>(item)), next };
}

export async function getComment(consultationId: string, commentId: string): Promise<CommentRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: commentKey(consultationId, commentId), ConsistentRead: true }));
  return Item ? stripKeys<CommentRecord>(Item) : undefined;
}

/** Hides a comment (read by the caller) with its audit entry (comment.hide), one transaction. */
export async function hideComment(comment: CommentRecord, reason: string, by: string, at: string): Promise<CommentRecord> {
  await transact({
    comment: {
      Update: {
        TableName: table(),
        Key: commentKey(comment.consultationId, comment.id),
        UpdateExpression: 'SET #hidden = :true, hiddenReason = :reason, hiddenBy = :by, hiddenAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#hidden': 'hidden' },
        ExpressionAttributeValues: { ':true': true, ':reason': reason, ':by': by, ':at': at },
      },
    },
    audit: auditEntry({ communityId: comment.communityId, actorId: by, act: 'comment.hide', subjectId: comment.id, detail: { reason }, at }),
  });
  // Comments never change but for hiding, so the read one plus this change is the stored one.
  return { ...comment, hidden: true, hiddenReason: reason, hiddenBy: by, hiddenAt: at };
}
