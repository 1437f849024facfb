import { queueRoutes } from '@contract/queue';
import { createHandler } from '../http/handler';
import * as boards from '../services/boards';
import * as queue from '../services/queue';

export const handler = createHandler('queue', queueRoutes, {
  putHall: async ({ user, params, body, now }) => queue.putHall(user, params.cid, body, now),
  getHall: async ({ user, params, now }) => queue.getHall(user, params.cid, now),
  openWindow: async ({ user, params }) => queue.setWindow(user, params.cid, params.no, true),
  closeWindow: async ({ user, params }) => queue.setWindow(user, params.cid, params.no, false),
  takeTicket: async ({ user, params, body, now }) => queue.takeTicket(user, params.cid, body, now),
  waitingTickets: async ({ user, params, now }) => queue.waitingTickets(user, params.cid, now),
  getTicket: async ({ user, params, now }) => queue.getTicket(user, params.id, now),
  myTickets: async ({ user, now }) => queue.myTickets(user, now),
  cancelTicket: async ({ user, params, now }) => queue.cancelTicket(user, params.id, now),
  callNext: async ({ user, params, now }) => queue.callNext(user, params.cid, params.no, now),
  recall: async ({ user, params, now }) => queue.recall(user, params.id, now),
  skip: async ({ user, params, now }) => queue.skip(user, params.id, now),
  completeTicket: async ({ user, params, now }) => queue.complete(user, params.id, now),
  transfer: async ({ user, params, body, now }) => queue.transfer(user, params.id, body.category, now),
  priority: async ({ user, params, body, now }) => queue.markPriority(user, params.id, body.reason, now),
  rateTicket: async ({ user, params, body, now }) => queue.rate(user, params.id, body, now),
  hallQr: async ({ user, params, now }) => queue.hallQr(user, params.cid, now),
  hallCode: async ({ user, params, now }) => queue.hallCode(user, params.cid, now),
  board: async ({ params, now }) => queue.board(params.cid, now),
  pairBoard: async ({ user, params, body, now }) => boards.pairBoard(user, params.cid, body.code, now),
  pairedBoards: async ({ user, params, now }) => boards.pairedBoards(user, params.cid, now),
  unpairBoard: async ({ user, params }) => boards.unpairBoard(user, params.cid, params.id),
});
