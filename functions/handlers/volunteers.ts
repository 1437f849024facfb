import { volunteerRoutes } from '@contract/volunteers';
import type { LedgerRow } from '@contract/volunteers';
import { isoWithOffset } from '../domain/time';
import { createHandler, type RawResult } from '../http/handler';
import * as volunteers from '../services/volunteers';

/** A spreadsheet cell: quoted when it must be, and text that a spreadsheet would run as a formula made inert. */
const cell = (value: string | number | undefined): string => {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** RFC 5987 value: percent-encoded UTF-8, with the characters encodeURIComponent leaves but the header may not carry. */
const rfc5987 = (name: string): string => encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A month of the 台帐 as a CSV file Excel opens with its Chinese intact: UTF-8 with a byte-order
 * mark, CRLF lines, one row per entry and a 合计 row; named in Chinese (RFC 5987) with an ASCII fallback.
 */
function ledgerCsv(month: string, file: { communityName: string; timezone: string; rows: LedgerRow[] }): RawResult {
  const header = ['日期', '姓名', '门牌', '类别', '活动', '时长（小时）', '更正原因', '记录时间'];
  const lines = file.rows.map((r) => [
    r.date, r.name, r.household, r.kind === 'service' ? '服务' : '更正', r.title, r.hours, r.reason,
    isoWithOffset(new Date(r.at), file.timezone).slice(0, 16).replace('T', ' '),
  ]);
  const total = file.rows.reduce((sum, r) => sum + r.hours, 0);
  const text = [header, ...lines, ['合计', '', '', '', '', total, '', '']].map((line) => line.map(cell).join(',')).join('\r\n');
  const [year, mm] = month.split('-');
  const name = `${file.communityName}志愿服务台帐${year}年${Number(mm)}月.csv`;
  return {
    raw: {
      body: Buffer.from(`\uFEFF${text}\r\n`, 'utf8'),
      contentType: 'text/csv; charset=utf-8',
      headers: {
        'content-disposition': `attachment; filename="ledger-${month}.csv"; filename*=UTF-8''${rfc5987(name)}`,
        'access-control-expose-headers': 'Content-Disposition',
        'cache-control': 'no-store',
      },
    },
  };
}

export const handler = createHandler('volunteers', volunteerRoutes, {
  register: async ({ user, params, body, now }) => volunteers.register(user, params.cid, body, now),
  listVolunteers: async ({ user, params, query }) => volunteers.listVolunteers(user, params.cid, query),
  approve: async ({ user, params, now }) => volunteers.decide(user, params.cid, params.uid, 'approved', now),
  decline: async ({ user, params, body, now }) => volunteers.decide(user, params.cid, params.uid, 'declined', now, body.reason),
  createActivity: async ({ user, params, body, now }) => volunteers.createActivity(user, params.cid, body, now),
  getActivity: async ({ user, params }) => volunteers.getActivity(user, params.id),
  updateActivity: async ({ user, params, body, now }) => volunteers.updateActivity(user, params.id, body, now),
  cancelActivity: async ({ user, params, now }) => volunteers.cancelActivity(user, params.id, now),
  listActivities: async ({ params, query, now }) => volunteers.listActivities(params.cid, query, now),
  signUp: async ({ user, params, now }) => volunteers.signUp(user, params.id, now),
  listSignups: async ({ user, params, query }) => volunteers.listSignups(user, params.id, query),
  cancelSignUp: async ({ user, params, now }) => volunteers.cancelSignUp(user, params.id, now),
  mySignups: async ({ user, query }) => volunteers.mySignups(user, query),
  checkinCode: async ({ user, params, now }) => volunteers.checkinCode(user, params.id, now),
  checkIn: async ({ user, params, body, now }) => volunteers.recordScan(user, params.id, 'check_in', body.code, now),
  checkOut: async ({ user, params, body, now }) => volunteers.recordScan(user, params.id, 'check_out', body.code, now),
  recordAttendance: async ({ user, params, body, now }) => volunteers.recordAttendance(user, params.id, params.uid, body, now),
  verifyHours: async ({ user, params, body, now }) => volunteers.verifyHours(user, params.id, params.uid, body.hours, now),
  correct: async ({ user, params, body, now }) => volunteers.correct(user, params.cid, params.uid, body, now),
  volunteerLedger: async ({ user, params }) => volunteers.volunteerLedger(user, params.cid, params.uid),
  communityLedger: async ({ user, params, query }) =>
    query.format === 'csv'
      ? ledgerCsv(query.month, await volunteers.communityLedgerExport(user, params.cid, query.month))
      : volunteers.communityLedger(user, params.cid, query.month, query),
  myVolunteer: async ({ user, query }) => volunteers.myVolunteer(user, query.communityId),
});
