import { noticeRoutes } from '@contract/notices';
import { createHandler } from '../http/handler';
import * as notices from '../services/notices';

export const handler = createHandler('notices', noticeRoutes, {
  postNotice: async ({ user, params, body, now }) => notices.postNotice(user, params.cid, body, now),
  listNotices: async ({ user, params, query, now }) => notices.listNotices(user, params.cid, query, now),
  getNotice: async ({ user, params, now }) => notices.getNotice(user, params.id, now),
  editNotice: async ({ user, params, body, now }) => notices.editNotice(user, params.id, body, now),
  withdrawNotice: async ({ user, params, now }) => notices.withdrawNotice(user, params.id, now),
  readNotice: async ({ user, params, now }) => notices.readNotice(user, params.id, now),
});
