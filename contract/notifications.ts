import { ListQuery, page } from './common';
import { route } from './route';
import * as z from './schema';

/**
 * WeChat subscription messages (订阅消息). Each kind of message has one template, named by a
 * stable key; the template ids are configuration (WX_TEMPLATE_<NAME>, functions/lib/notifier.ts)
 * and reach the mini-program through GET /v1/notifications/templates.
 */
export const TemplateKey = z.enum([
  'appointmentReminder',
  'activityReminder',
  'activityChanged',
  'consultationPublished',
  'consultationResults',
  'queueNear',
  'queueCalled',
  'requestUpdate',
  'noticeAffairs',
  'noticeFinance',
  'noticeParty',
  'noticeGeneral',
  'noticeActivity',
  'escortMatched',
  'escortUnclaimed',
]);
export type TemplateKey = z.infer<typeof TemplateKey>;

/** The configured template id of each key; a key whose template is not configured is absent. */
export const Templates = z.object({ templates: z.record(z.string(), z.string()) });
export type Templates = z.infer<typeof Templates>;

/**
 * What the person accepted in the subscription dialog the page just showed: each key accepted
 * allows one message of that template (WeChat's one-time subscription).
 */
export const SubscriptionReport = z.object({ accepted: z.array(TemplateKey).max(TemplateKey.options.length) });
/** Messages each template may still send to the person. */
export const Subscriptions = z.object({ remaining: z.record(z.string(), z.number()) });

/** A message the outbox gave up on (attempts exhausted, or WeChat refused it for good). */
export const DeadMessage = z.object({
  id: z.string(),
  kind: z.enum(['wechat', 'board', 'fanout']),
  template: TemplateKey.optional(),
  communityId: z.string().optional(),
  attempts: z.number(),
  reason: z.string(),
  createdAt: z.string(),
  deadAt: z.string(),
});
export type DeadMessage = z.infer<typeof DeadMessage>;

export const notificationRoutes = {
  templates: route({
    method: 'GET', path: '/v1/notifications/templates', fn: 'notifications', auth: 'none',
    summary: '订阅消息模板（小程序请求订阅用）', response: Templates,
  }),
  reportSubscriptions: route({
    method: 'POST', path: '/v1/me/subscriptions', fn: 'notifications', auth: 'user',
    summary: '记录本人同意的订阅消息（每次同意可发一条）', body: SubscriptionReport, response: Subscriptions,
  }),
  deadMessages: route({
    method: 'GET', path: '/v1/outbox/dead', fn: 'notifications', auth: 'user',
    summary: '未能送达的消息（平台管理员）', query: ListQuery, response: page(DeadMessage),
  }),
};
