import { volunteerRoutes } from '@contract/volunteers';
import { createHandler } from '../http/handler';
import * as certificates from '../services/certificates';

export const handler = createHandler('certificates', volunteerRoutes, {
  certificate: async ({ user, query, now }) => certificates.issue(user, query.communityId, now),
  verifyCertificate: async ({ params }) => certificates.check(params.code),
});
