import { Id, IsoDateTime, ListQuery, Text, page } from './common';
import { route } from './route';
import { z } from './schema';

export const TopicInput = z.object({ title: Text(60), body: Text(2000) });
export const Topic = TopicInput.extend({
  id: Id,
  communityId: Id,
  support: z.number(),
  status: z.enum(['open', 'closed', 'adopted']),
  reply: z.string().optional(),
  consultationId: Id.optional(),
  author: z.string().optional(),
  createdAt: IsoDateTime,
});
export const CloseTopic = z.object({ reply: Text(1000) });

export const Eligibility = z.enum(['resident', 'household']);
export const ConsultationInput = z.object({
  title: Text(60),
  body: Text(5000),
  options: z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/).optional(), label: Text(60) })).min(2).max(20),
  maxChoices: z.number().int().min(1).max(20).default(1),
  eligibility: Eligibility,
  opensAt: IsoDateTime,
  closesAt: IsoDateTime,
  quorumPercent: z.number().min(0).max(100).optional(),
  topicId: Id.optional(),
});
export const ConsultationState = z.enum(['upcoming', 'open', 'closed', 'published']);
export const Results = z.object({
  tally: z.record(z.string(), z.number()),
  ballots: z.number(),
  eligible: z.number(),
  turnoutPercent: z.number(),
  quorumMet: z.boolean(),
});
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
  updates: z.array(z.object({ text: z.string(), at: IsoDateTime })).optional(),
  results: Results.optional(),
});
export const Ballot = z.object({ choices: z.array(z.string().min(1).max(16)).min(1).max(20) });
export const Receipt = z.object({ receipt: z.string() });
export const CommentInput = z.object({ text: Text(500) });
export const Comment = z.object({
  id: Id,
  consultationId: Id,
  author: z.string(),
  text: z.string().optional(),
  hidden: z.boolean(),
  hiddenReason: z.string().optional(),
  createdAt: IsoDateTime,
});
export const HideComment = z.object({ reason: Text(200) });
export const Publish = z.object({ decision: Text(5000) });
export const UpdateInput = z.object({ text: Text(2000) });

export const consultationRoutes = {
  proposeTopic: route({
    method: 'POST', path: '/v1/communities/{cid}/topics', fn: 'consultations', auth: 'user', summary: '提出议题（征集）',
    body: TopicInput, response: Topic, status: 201,
  }),
  listTopics: route({
    method: 'GET', path: '/v1/communities/{cid}/topics', fn: 'consultations', auth: 'none', summary: '议题及附议数',
    query: ListQuery, response: page(Topic),
  }),
  supportTopic: route({ method: 'POST', path: '/v1/topics/{id}/support', fn: 'consultations', auth: 'user', summary: '附议', response: Topic }),
  closeTopic: route({ method: 'POST', path: '/v1/topics/{id}/close', fn: 'consultations', auth: 'user', summary: '答复并关闭议题', body: CloseTopic, response: Topic }),
  createConsultation: route({
    method: 'POST', path: '/v1/communities/{cid}/consultations', fn: 'consultations', auth: 'user', summary: '发起协商',
    body: ConsultationInput, response: Consultation, status: 201,
  }),
  listConsultations: route({
    method: 'GET', path: '/v1/communities/{cid}/consultations', fn: 'consultations', auth: 'none', summary: '协商列表',
    query: ListQuery, response: page(Consultation),
  }),
  getConsultation: route({ method: 'GET', path: '/v1/consultations/{id}', fn: 'consultations', auth: 'none', summary: '协商详情', response: Consultation }),
  eligibility: route({
    method: 'GET', path: '/v1/consultations/{id}/eligibility', fn: 'consultations', auth: 'user', summary: '投票资格',
    response: z.object({ canVote: z.boolean(), reason: z.string().optional() }),
  }),
  comment: route({
    method: 'POST', path: '/v1/consultations/{id}/comments', fn: 'consultations', auth: 'user', summary: '发表意见',
    body: CommentInput, response: Comment, status: 201,
  }),
  listComments: route({
    method: 'GET', path: '/v1/consultations/{id}/comments', fn: 'consultations', auth: 'none', summary: '讨论区',
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
