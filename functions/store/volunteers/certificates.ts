/**
 * Certificates (志愿服务记录证明): a record under its code, and the volunteer's latest one in a
 * community (USER#uid / CERTIFICATE#cid), so fetching the PDF again reuses it.
 *
 *   issue    certificate (a new code) + latest (still the one read)   'stored' / 'code_taken' / 'raced'
 *   revoke   certificate (exists, not revoked) + audit entry           fails as `certificate`
 */
import { auditEntry } from '../audit';
import { isTransactionConflict } from '../client';
import { certificateKey, latestCertificateKey } from '../keys';
import { table } from '../table';
import { isConditionFailed, transact } from '../transaction';
import { getRecord } from './record';

export interface CertificateRecord {
  code: string;
  userId: string;
  communityId: string;
  communityName: string;
  issuer: string;
  /** The full name as printed (records issued before this was stored held a masked name). */
  name: string;
  totalHours: number;
  services: number;
  periodFrom?: string;
  periodTo?: string;
  issueDate: string;
  issuedAt: string;
  /** Digest of what the certificate states (name and ledger entries): equal digests, same certificate. */
  fingerprint?: string;
  revokedAt?: string;
  /** Community-local date of the revocation, as the public check shows it. */
  revokedOn?: string;
  revokeReason?: string;
  revokedBy?: string;
}

/** A volunteer's latest certificate in a community. */
export interface LatestCertificate {
  code: string;
  fingerprint: string;
}

export const getLatestCertificate = (cid: string, uid: string) => getRecord<LatestCertificate>(latestCertificateKey(cid, uid));

export const getCertificate = (code: string) => getRecord<CertificateRecord>(certificateKey(code));

/**
 * Stores a new certificate and makes it the volunteer's latest, in one transaction: the code must
 * be new, and the latest must still be `previousCode` (none when undefined). So of two
 * simultaneous issues of the same content one is stored; the other answers 'raced' and reuses it.
 */
export async function putCertificate(c: CertificateRecord & { fingerprint: string }, previousCode: string | undefined): Promise<'stored' | 'code_taken' | 'raced'> {
  try {
    await transact({
      certificate: { Put: { TableName: table(), Item: { ...certificateKey(c.code), type: 'Certificate', ...c }, ConditionExpression: 'attribute_not_exists(pk)' } },
      latest: {
        Put: {
          TableName: table(),
          Item: { ...latestCertificateKey(c.communityId, c.userId), type: 'LatestCertificate', code: c.code, fingerprint: c.fingerprint },
          ConditionExpression: previousCode ? 'code = :previous' : 'attribute_not_exists(pk)',
          ...(previousCode ? { ExpressionAttributeValues: { ':previous': previousCode } } : {}),
        },
      },
    });
    return 'stored';
  } catch (error) {
    if (isConditionFailed<'certificate' | 'latest'>(error)) return error.has('certificate') ? 'code_taken' : 'raced';
    // Still losing to a concurrent issue after the retries.
    if (isTransactionConflict(error)) return 'raced';
    throw error;
  }
}

/** Revokes a certificate once, with its audit entry in the same transaction; fails as `certificate` when it is missing or already revoked. */
export async function revokeCertificate(
  certificate: CertificateRecord,
  revocation: { at: string; on: string; reason: string; by: string },
): Promise<CertificateRecord> {
  await transact<'certificate' | 'audit'>({
    certificate: {
      Update: {
        TableName: table(),
        Key: certificateKey(certificate.code),
        UpdateExpression: 'SET revokedAt = :at, revokedOn = :on, revokeReason = :reason, revokedBy = :by',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':at': revocation.at, ':on': revocation.on, ':reason': revocation.reason, ':by': revocation.by },
      },
    },
    audit: auditEntry({
      communityId: certificate.communityId, actorId: revocation.by, act: 'certificate.revoke', subjectId: certificate.userId,
      detail: { code: certificate.code, reason: revocation.reason }, at: revocation.at,
    }),
  });
  return { ...certificate, revokedAt: revocation.at, revokedOn: revocation.on, revokeReason: revocation.reason, revokedBy: revocation.by };
}
