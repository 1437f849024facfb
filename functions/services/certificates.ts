/**
 * 志愿服务记录证明: the volunteer-service record certificate, issued on demand by the community
 * that recorded the service (居民委员会), as the Ministry of Civil Affairs' Order No. 67
 * (《志愿服务记录与证明出具办法（试行）》) has it.
 *
 * A certificate is a record under its code: `GET /v1/certificates/{code}` answers from one
 * GetItem with what the paper states (full name, hours, issue date, community), so a verifier
 * can match it line by line. Fetching the PDF again reuses the latest certificate while the
 * ledger and the name are unchanged (same code, same issue date); new hours issue a new one, and
 * the old one stays verifiable as of its own date. Staff of the community can revoke one.
 * The PDF is drawn by lib/certificate-pdf.ts; the handler only wraps it in the HTTP response.
 */
import { createHash } from 'node:crypto';
import { AppError } from '@contract/errors';
import type { CertificateCheck } from '@contract/volunteers';
import { period } from '../domain/volunteer-ledger';
import { DEFAULT_TIMEZONE, localDate } from '../domain/time';
import { renderCertificate, type CertificateContent } from '../lib/certificate-pdf';
import { shortCode } from '../lib/ids';
import type { AuthUser } from '../lib/tokens';
import { getCommunity } from '../store/identity';
import { isConditionFailed } from '../store/transaction';
import * as store from '../store/volunteers';
import { requireStaff } from './access';
import { ownRegistration } from './volunteers';

/** Attempts at storing a new certificate: a code collision or a concurrent issue costs one. */
const ISSUE_ATTEMPTS = 4;

const certificateNotFound = () => new AppError('NOT_FOUND', '未找到该证明，请核对证明编号');

/** A certificate as a file: its code (which the paper states) and the PDF. */
export interface CertificateFile {
  code: string;
  fileName: string;
  pdf: Buffer;
}

/** The caller's certificate as a PDF. */
export async function certificatePdf(actor: AuthUser, cid: string | undefined, now: Date): Promise<CertificateFile> {
  const content = await issue(actor, cid, now);
  return { code: content.code, fileName: `certificate-${content.code}.pdf`, pdf: await renderCertificate(content) };
}

/** The caller's certificate in a community: the latest one if it still states the same, else a new one. */
async function issue(actor: AuthUser, cid: string | undefined, now: Date): Promise<CertificateContent> {
  const registration = await ownRegistration(actor, cid);
  const [entries, community, latest] = await Promise.all([
    store.listLedger(registration.communityId, registration.userId),
    getCommunity(registration.communityId),
    store.getLatestCertificate(registration.communityId, registration.userId),
  ]);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  if (entries.length === 0) throw new AppError('STATE_CONFLICT', '暂无已认定的志愿服务记录，无法出具证明');
  const name = registration.realName ?? registration.nickname ?? '志愿者';
  const totalHours = registration.totalHours ?? 0;
  const fingerprint = createHash('sha256').update(JSON.stringify([name, totalHours, entries.map((e) => e.id)])).digest('base64url');
  const rows = entries.map((e) => ({
    date: e.date,
    text: e.kind === 'service' ? (e.title ?? '志愿服务') : `时长更正：${e.reason ?? ''}`,
    hours: e.hours,
  }));
  const { from, to } = period(entries);

  let current = latest;
  for (let attempt = 0; attempt < ISSUE_ATTEMPTS; attempt++) {
    if (current?.fingerprint === fingerprint) {
      const existing = await store.getCertificate(current.code);
      if (existing && !existing.revokedAt) return { ...existing, rows };
    }
    const record = {
      code: shortCode(10), userId: registration.userId, communityId: community.id, communityName: community.name, issuer: `${community.name}居民委员会`,
      name, totalHours, services: entries.filter((e) => e.kind === 'service').length, periodFrom: from, periodTo: to,
      issueDate: localDate(now, community.timezone), issuedAt: now.toISOString(), fingerprint,
    };
    const outcome = await store.putCertificate(record, current?.code);
    if (outcome === 'stored') return { ...record, rows };
    // Another request issued one at the same moment: read it, and reuse it if it states the same.
    if (outcome === 'raced') current = await store.getLatestCertificate(community.id, registration.userId);
  }
  throw new AppError('UNAVAILABLE', '证明正在出具中，请稍后重试');
}

const toCheck = (record: store.CertificateRecord): CertificateCheck => ({
  code: record.code,
  name: record.name,
  communityName: record.communityName,
  issuer: record.issuer,
  totalHours: record.totalHours,
  services: record.services,
  periodFrom: record.periodFrom,
  periodTo: record.periodTo,
  issueDate: record.issueDate,
  status: record.revokedAt ? 'revoked' : 'valid',
  revokedOn: record.revokedOn,
});

export async function check(code: string): Promise<CertificateCheck> {
  const record = await store.getCertificate(code.toUpperCase());
  if (!record) throw certificateNotFound();
  return toCheck(record);
}

/** Staff of the issuing community (or an admin) withdraw a certificate; the public check then says 已撤销. */
export async function revoke(actor: AuthUser, code: string, reason: string, now: Date): Promise<CertificateCheck> {
  const record = await store.getCertificate(code.toUpperCase());
  if (!record) throw certificateNotFound();
  const [, community] = await Promise.all([requireStaff(actor, record.communityId), getCommunity(record.communityId)]);
  try {
    return toCheck(await store.revokeCertificate(record, { at: now.toISOString(), on: localDate(now, community?.timezone ?? DEFAULT_TIMEZONE), reason, by: actor.id }));
  } catch (error) {
    if (!isConditionFailed<'certificate' | 'audit'>(error) || !error.has('certificate')) throw error;
    // Revoked already (it is answered as it is, and nothing more is recorded), or gone.
    const current = await store.getCertificate(record.code);
    if (!current) throw certificateNotFound();
    return toCheck(current);
  }
}
