import { familyRoutes } from '@contract/family';
import { createHandler } from '../http/handler';
import * as family from '../services/family';

export const handler = createHandler('family', familyRoutes, {
  createLinkCode: async ({ user, body, now }) => family.createLinkCode(user, body, now),
  claimLinkCode: async ({ user, body, now }) => family.claimLinkCode(user, body, now),
  confirmLink: async ({ user, params, now }) => family.confirmLink(user, params.id, now),
  endLink: async ({ user, params, now }) => family.endLink(user, params.id, now),
  myFamily: async ({ user }) => family.myFamily(user),
  createHeldMember: async ({ user, params, body, now }) => family.createHeldMember(user, params.cid, body, now),
  counterLink: async ({ user, params, body, now }) => family.counterLink(user, params.cid, body, now),
});
