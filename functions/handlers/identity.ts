import { identityRoutes } from '@contract/identity';
import { openApiDocument } from '@contract/openapi';
import { createHandler } from '../http/handler';
import * as identity from '../services/identity';

export const handler = createHandler('identity', identityRoutes, {
  health: async () => ({ ok: true as const }),
  openapi: async () => openApiDocument(),
  loginWechat: async ({ body, now }) => identity.loginWithWechat(body.code, now),
  loginDev: async ({ body, now }) => identity.loginForDevelopment(body.openid, body.nickname, now),
  me: async ({ user }) => identity.me(user),
  createCommunity: async ({ user, body, now }) => identity.createCommunity(user, body, now),
  listCommunities: async ({ query }) => identity.listCommunities(query),
  updateCommunity: async ({ user, params, body, now }) => identity.updateCommunity(user, params.cid, body, now),
  getCommunity: async ({ params }) => identity.getCommunity(params.cid),
  join: async ({ user, params, body, now }) => identity.join(user, params.cid, body, now),
  listMembers: async ({ user, params, query }) => identity.listMembers(user, params.cid, query),
  verifyMember: async ({ user, params, body, now }) => identity.verifyMember(user, params.cid, params.uid, body.household, now),
  appointStaff: async ({ user, params, body, now }) => identity.appointStaff(user, params.cid, params.uid, body.role, now),
  revokeMember: async ({ user, params, body, now }) => identity.revokeMember(user, params.cid, params.uid, body.reason, now),
  moveMember: async ({ user, params, body, now }) => identity.moveMember(user, params.cid, params.uid, body.household, body.reason, now),
  listStaff: async ({ user, params }) => identity.listStaff(user, params.cid),
  removeStaff: async ({ user, params, now }) => identity.removeStaff(user, params.cid, params.uid, now),
  joinCode: async ({ user, params }) => identity.joinCode(user, params.cid),
  audit: async ({ user, params, query }) => identity.audit(user, params.cid, query),
});
