import { consultationRoutes } from '@contract/consultations';
import { createHandler } from '../http/handler';
import * as consultations from '../services/consultations';

export const handler = createHandler('consultations', consultationRoutes, {
  proposeTopic: async ({ user, params, body, now }) => consultations.proposeTopic(user, params.cid, body, now),
  listTopics: async ({ params, query }) => consultations.listTopics(params.cid, query),
  supportTopic: async ({ user, params, now }) => consultations.supportTopic(user, params.id, now),
  closeTopic: async ({ user, params, body, now }) => consultations.closeTopic(user, params.id, body.reply, now),
  createConsultation: async ({ user, params, body, now }) => consultations.createConsultation(user, params.cid, body, now),
  listConsultations: async ({ params, query, now }) => consultations.listConsultations(params.cid, query, now),
  getConsultation: async ({ params, now }) => consultations.getConsultation(params.id, now),
  eligibility: async ({ user, params, now }) => consultations.eligibility(user, params.id, now),
  comment: async ({ user, params, body, now }) => consultations.comment(user, params.id, body.text, now),
  listComments: async ({ user, params, query }) => consultations.listComments(user, params.id, query),
  hideComment: async ({ user, params, body, now }) => consultations.hideComment(user, params.id, body.reason, now),
  vote: async ({ user, params, body, idempotencyKey, now }) => consultations.vote(user, params.id, body.choices, idempotencyKey, now),
  results: async ({ params, now }) => consultations.results(params.id, now),
  publish: async ({ user, params, body, now }) => consultations.publish(user, params.id, body.decision, now),
  addUpdate: async ({ user, params, body, now }) => consultations.addUpdate(user, params.id, body.text, now),
});
