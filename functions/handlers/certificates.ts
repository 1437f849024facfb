import { volunteerRoutes } from '@contract/volunteers';
import { createHandler, type RawResult } from '../http/handler';
import { type CertificateContent, renderCertificate } from '../lib/certificate-pdf';
import * as certificates from '../services/certificates';

/** The certificate as the raw PDF response, its code in X-Certificate-Code. */
async function pdfResponse(content: CertificateContent): Promise<RawResult> {
  return {
    raw: {
      body: await renderCertificate(content),
      contentType: 'application/pdf',
      headers: {
        'x-certificate-code': content.code,
        'content-disposition': `inline; filename="certificate-${content.code}.pdf"`,
        'access-control-expose-headers': 'X-Certificate-Code',
        'cache-control': 'no-store',
      },
    },
  };
}

export const handler = createHandler('certificates', volunteerRoutes, {
  certificate: async ({ user, query, now }) => pdfResponse(await certificates.issue(user, query.communityId, now)),
  verifyCertificate: async ({ params }) => certificates.check(params.code),
  revokeCertificate: async ({ user, params, body, now }) => certificates.revoke(user, params.code, body.reason, now),
});
