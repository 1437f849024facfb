import { notificationRoutes } from '@contract/notifications';
import { createHandler } from '../http/handler';
import * as notifications from '../services/notifications';

export const handler = createHandler('notifications', notificationRoutes, {
  templates: async () => notifications.templates(),
  reportSubscriptions: async ({ user, body, now }) => notifications.reportSubscriptions(user, body.accepted, now),
  deadMessages: async ({ user, query }) => notifications.deadMessages(user, query),
});
