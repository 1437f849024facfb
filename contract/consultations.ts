import { Id, IsoDateTime, ListQuery, Text, page } from './common';
import { route } from './route';
import * as z from './schema';

export const TopicStatus = z.enum(['open', 'closed', 'adopted']);
export const TopicInput = z.object({ title: Text(60), body: Text(2000) });
export const Topic = TopicInput.extend({
  id: Id,
  communityId: Id,
  /** Members who seconded it, the proposer included. */
  support: z.number(),
  status: TopicStatus,
  reply: z.string().optional(),
  consultationId: Id.optional(),
  /** The proposer, masked (李*). */
  author: z.string().optional(),
  createdAt: IsoDateTime,
  closedAt: IsoDateTime.optional(),
});
export type Topic = z.infer<typeof Topic>;
/** Topics of a community: open ones first, each status ordered by support (most first). */
export const TopicQuery = ListQuery.extend({ status: TopicStatus.optional() });
export const CloseTopic = z.object({ reply: Text(1000) });

export const Eligibility = z.enum(['resident', 'household']);
export const OptionId = z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, '选项编号只能包含字母、数字、- 和 _（不超过 16 位）');
export const ConsultationInput = z.object({
  title: Text(60),
  body: Text(5000),
  options: z.array(z.object({ id: OptionId.optional(), label: Text(60) })).min(2).max(20),
  maxChoices: z.number().int().min(1).max(20).default(1),
  eligibility: Eligibility,
  opensAt: IsoDateTime,
  closesAt: IsoDateTime,
  quorumPercent: z.number().min(0).max(100).optional(),
  topicId: Id.optional(),
});
export type ConsultationInput = z.output<typeof ConsultationInput>;
export const ConsultationState = z.enum(['upcoming', 'open', 'closed', 'published']);
export type ConsultationState = z.infer<typeof ConsultationState>;
export const Results = z.object({
  /** Choices per option; with maxChoices 1 it sums to `ballots`. */
  tally: z.record(z.string(), z.number()),
  /** Voters (or households under `household`) who cast a ballot. */
  ballots: z.number(),
  /** Verified members (or verified households) of the community, snapshotted at the first read after the close. */
  eligible: z.number(),
  turnoutPercent: z.number(),
  quorumMet: z.boolean(),
  quorumPercent: z.number().optional(),
  /** Ballots the quorum needs: ceil(quorumPercent × eligible / 100). */
  requiredBallots: z.number().optional(),
});
export type Results = z.infer<typeof Results>;
export const ConsultationUpdate = z.object({ text: z.string(), at: IsoDateTime });
export const Consultation = z.object({
  id: Id,
  communityId: Id,
  title: z.string(),
  body: z.string(),
  options: z.array(z.object({ id: z.string(), label: z.string() })),
  maxChoices: z.number(),
  eligibility: Eligibility,
  opensAt: IsoDateTime,
  closesAt: IsoDateTime,
  quorumPercent: z.number().optional(),
  topicId: Id.optional(),
  state: ConsultationState,
  decision: z.string().optional(),
  publishedAt: IsoDateTime.optional(),
  updates: z.array(ConsultationUpdate).optional(),
  results: Results.optional(),
  createdAt: IsoDateTime.optional(),
});
export type Consultation = z.infer<typeof Consultation>;
export const ConsultationQuery = ListQuery.extend({ state: ConsultationState.optional() });
export const Ballot = z.object({ choices: z.array(OptionId).min(1).max(20) });
export const Receipt = z.object({ receipt: z.string(), votedAt: IsoDateTime.optional() });
export const EligibilityReason = z.enum(['NOT_OPEN', 'NOT_MEMBER', 'NOT_VERIFIED', 'ALREADY_VOTED', 'HOUSEHOLD_VOTED']);
export const EligibilityAnswer = z.object({
  canVote: z.boolean(),
  /** Why not, in Chinese. */
  reason: z.string().optional(),
  /** Why not, for programs. */
  code: EligibilityReason.optional(),
  state: ConsultationState,
  /** The caller's own receipt, once they have voted (never the choice). */
  receipt: z.string().optional(),
  votedAt: IsoDateTime.optional(),
});
export type EligibilityAnswer = z.infer<typeof EligibilityAnswer>;
export const CommentInput = z.object({ text: Text(500) });
export const Comment = z.object({
  id: Id,
  consultationId: Id,
  /** The author, masked for everyone but the community's staff; a staff member's name is never masked. */
  author: z.string(),
  /** Written by a staff member of the community (a reply from the committee, marked 工作人员). */
  byStaff: z.boolean(),
  /** Absent when hidden, except for staff. */
  text: z.string().optional(),
  hidden: z.boolean(),
  hiddenReason: z.string().optional(),
  createdAt: IsoDateTime,
});
export type Comment = z.infer<typeof Comment>;
export const HideComment = z.object({ reason: Text(200) });
export const Publish = z.object({ decision: Text(5000) });
export const UpdateInput = z.object({ text: Text(2000) });

/** The consultations section of GET /v1/communities/{cid}/stats. */
export const ConsultationStats = z.object({
  recent: z.array(
    z.object({ id: Id, title: z.string(), state: ConsultationState, ballots: z.number(), eligible: z.number(), turnoutPercent: z.number(), quorumMet: z.boolean() }),
  ),
  /** Mean turnout of the recent closed consultations, or null when there is none. */
  averageTurnoutPercent: z.number().nullable(),
  openConsultations: z.number(),
  openTopics: z.number(),
  topTopics: z.array(z.object({ id: Id, title: z.string(), support: z.number() })),
});
export type ConsultationStats = z.infer<typeof ConsultationStats>;

export const consultationRoutes = {
  proposeTopic: route({
    method: 'POST', path: '/v1/communities/{cid}/topics', fn: 'consultations', auth: 'user', summary: '提出议题（征集）',
    body: TopicInput, response: Topic, status: 201,
  }),
  listTopics: route({
    method: 'GET', path: '/v1/communities/{cid}/topics', fn: 'consultations', auth: 'none', summary: '议题及附议数',
    query: TopicQuery, response: page(Topic),
  }),
  supportTopic: route({ method: 'POST', path: '/v1/topics/{id}/support', fn: 'consultations', auth: 'user', summary: '附议', response: Topic }),
  closeTopic: route({ method: 'POST', path: '/v1/topics/{id}/close', fn: 'consultations', auth: 'user', summary: '答复并关闭议题', body: CloseTopic, response: Topic }),
  createConsultation: route({
    method: 'POST', path: '/v1/communities/{cid}/consultations', fn: 'consultations', auth: 'user', summary: '发起协商',
    body: ConsultationInput, response: Consultation, status: 201,
  }),
  listConsultations: route({
    method: 'GET', path: '/v1/communities/{cid}/consultations', fn: 'consultations', auth: 'none', summary: '协商列表',
    query: ConsultationQuery, response: page(Consultation),
  }),
  getConsultation: route({ method: 'GET', path: '/v1/consultations/{id}', fn: 'consultations', auth: 'none', summary: '协商详情', response: Consultation }),
  eligibility: route({
    method: 'GET', path: '/v1/consultations/{id}/eligibility', fn: 'consultations', auth: 'user', summary: '投票资格',
    response: EligibilityAnswer,
  }),
  comment: route({
    method: 'POST', path: '/v1/consultations/{id}/comments', fn: 'consultations', auth: 'user', summary: '发表意见',
    body: CommentInput, response: Comment, status: 201,
  }),
  listComments: route({
    method: 'GET', path: '/v1/consultations/{id}/comments', fn: 'consultations', auth: 'optional', summary: '讨论区',
    query: ListQuery, response: page(Comment),
  }),
  hideComment: route({ method: 'POST', path: '/v1/comments/{id}/hide', fn: 'consultations', auth: 'user', summary: '隐藏意见', body: HideComment, response: Comment }),
  vote: route({
    method: 'POST', path: '/v1/consultations/{id}/ballots', fn: 'consultations', auth: 'user', summary: '投票',
    body: Ballot, response: Receipt, status: 201, idempotency: 'own',
  }),
  results: route({ method: 'GET', path: '/v1/consultations/{id}/results', fn: 'consultations', auth: 'none', summary: '结果', response: Results }),
  publish: route({ method: 'POST', path: '/v1/consultations/{id}/publish', fn: 'consultations', auth: 'user', summary: '公开决定', body: Publish, response: Consultation }),
  addUpdate: route({
    method: 'POST', path: '/v1/consultations/{id}/updates', fn: 'consultations', auth: 'user', summary: '落实情况',
    body: UpdateInput, response: Consultation, status: 201,
  }),
};
