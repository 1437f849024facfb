import { volunteerRoutes } from '@contract/volunteers';
import { createHandler, type RawResult } from '../http/handler';
import * as certificates from '../services/certificates';

/** The certificate as the raw PDF response, its code in X-Certificate-Code. */
const pdfResponse = (file: certificates.CertificateFile): RawResult => ({
  raw: {
    body: file.pdf,
    contentType: 'application/pdf',
    headers: {
      'x-certificate-code': file.code,
      'content-disposition': `inline; filename="${file.fileName}"`,
      'access-control-expose-headers': 'X-Certificate-Code',
      'cache-control': 'no-store',
    },
  },
});

export const handler = createHandler('certificates', volunteerRoutes, {
  certificate: async ({ user, query, now }) => pdfResponse(await certificates.certificatePdf(user, query.communityId, now)),
  verifyCertificate: async ({ params }) => certificates.check(params.code),
  revokeCertificate: async ({ user, params, body, now }) => certificates.revoke(user, params.code, body.reason, now),
});
