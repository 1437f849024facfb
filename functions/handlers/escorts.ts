import { escortRoutes } from '@contract/escorts';
import { createHandler } from '../http/handler';
import * as escorts from '../services/escorts';

export const handler = createHandler('escorts', escortRoutes, {
  askEscort: async ({ user, params, body, now }) => escorts.askForBooking(user, params.id, body, now),
  listEscorts: async ({ user, params, query, now }) => escorts.listEscorts(user, params.cid, query, now),
  getEscort: async ({ user, params }) => escorts.getEscort(user, params.id),
  thankEscort: async ({ user, params, body, now }) => escorts.thank(user, params.id, body, now),
});
