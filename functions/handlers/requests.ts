import { requestRoutes } from '@contract/requests';
import { createHandler } from '../http/handler';
import * as grids from '../services/grids';
import * as requests from '../services/requests';

export const handler = createHandler('requests', requestRoutes, {
  fileRequest: async ({ user, params, body, now }) => requests.fileRequest(user, params.cid, body, now),
  getRequest: async ({ user, params, now }) => requests.getRequest(user, params.id, now),
  myRequests: async ({ user, query, now }) => requests.myRequests(user, query, now),
  communityRequests: async ({ user, params, query, now }) => requests.communityRequests(user, params.cid, query, now),
  publicRequests: async ({ params, query, now }) => requests.publicRequests(params.cid, query, now),
  acceptRequest: async ({ user, params, now }) => requests.acceptRequest(user, params.id, now),
  addRequestNote: async ({ user, params, body, now }) => requests.addNote(user, params.id, body.text, now),
  escalateRequest: async ({ user, params, body, now }) => requests.escalateRequest(user, params.id, body.reason, now),
  resolveRequest: async ({ user, params, body, now }) => requests.resolveRequest(user, params.id, body.summary, now),
  rateRequest: async ({ user, params, body, now }) => requests.rateRequest(user, params.id, body, now),
  reopenRequest: async ({ user, params, body, now }) => requests.reopenRequest(user, params.id, body.reason, now),
  requestCategories: async ({ params }) => requests.requestCategories(params.cid),
  setRequestCategories: async ({ user, params, body, now }) => requests.setRequestCategories(user, params.cid, body, now),
  createGrid: async ({ user, params, body, now }) => grids.createGrid(user, params.cid, body, now),
  listGrids: async ({ user, params }) => grids.listGrids(user, params.cid),
  recordVisit: async ({ user, params, body, now }) => grids.recordVisit(user, params.cid, body, now),
});
