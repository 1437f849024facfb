import { describe, expect, it } from 'vitest';
import { login, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';
import { activity, approvedVolunteer, attended, world, type VolunteerWorld } from './volunteers-fixtures';

async function credit(w: VolunteerWorld, person: Actor, hours: number, title = '敬老院探访'): Promise<void> {
  const act = await activity(w, { title });
  await attended(w, act, person);
  const verified = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: { hours } });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
}

async function volunteerWithHours(realName = '陈晨') {
  const w = await world({ name: '幸福里社区' });
  const person = await approvedVolunteer(w, ['助老'], realName);
  await credit(w, person, 2);
  return { w, person };
}

const fetchPdf = (token: string, now?: Date) => call('GET', '/v1/me/volunteer/certificate', { token, now });
const codeOf = (reply: { headers: Record<string, unknown> }) => reply.headers['x-certificate-code'] as string;

describe('volunteer-service record certificate', () => {
  it('issues a PDF with the code in X-Certificate-Code, verifiable by anyone by that code', async () => {
    const { person } = await volunteerWithHours();
    const pdf = await fetchPdf(person.token);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = Buffer.from(String(pdf.raw.body), 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const code = codeOf(pdf);
    expect(code).toMatch(/^[A-Z0-9]{10}$/);
    // The CJK font is embedded as a subset, so Chinese renders anywhere.
    expect(bytes.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);

    const check = await call('GET', `/v1/certificates/${code}`);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ code, communityName: '幸福里社区', issuer: '幸福里社区居民委员会', totalHours: 2, services: 1, status: 'valid' });
    expect(check.calls.map((c) => c.command)).toEqual(['GetItemCommand']);
  });

  it('shows the full name as printed, so a namesake\'s real code does not verify a paper with another given name', async () => {
    const w = await world({ name: '幸福里社区' });
    const [chen, namesake] = await Promise.all([approvedVolunteer(w, ['助老'], '陈晨'), approvedVolunteer(w, ['助老'], '陈明')]);
    await credit(w, chen, 2);
    await credit(w, namesake, 2);
    const [mine, theirs] = await Promise.all([fetchPdf(chen.token), fetchPdf(namesake.token)]);
    const check = await call('GET', `/v1/certificates/${codeOf(theirs)}`);
    expect(check.body.name).toBe('陈明');
    expect(check.body.name).not.toBe((await call('GET', `/v1/certificates/${codeOf(mine)}`)).body.name);
    expect(check.body).toMatchObject({ totalHours: 2, communityName: '幸福里社区' });
    expect(check.body.issueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reuses the certificate while the hours are unchanged, and issues a new one after new hours; the old one stays verifiable as of its date', async () => {
    const { w, person } = await volunteerWithHours();
    const first = await fetchPdf(person.token);
    const again = await fetchPdf(person.token, new Date(Date.now() + 24 * 3600_000));
    expect(codeOf(again)).toBe(codeOf(first));
    const reprinted = await call('GET', `/v1/certificates/${codeOf(first)}`);

    await credit(w, person, 1.5, '社区义诊');
    const renewed = await fetchPdf(person.token);
    expect(codeOf(renewed)).not.toBe(codeOf(first));
    expect((await call('GET', `/v1/certificates/${codeOf(renewed)}`)).body).toMatchObject({ totalHours: 3.5, services: 2, status: 'valid' });
    const old = await call('GET', `/v1/certificates/${codeOf(first)}`);
    expect(old.body).toMatchObject({ totalHours: 2, services: 1, status: 'valid', issueDate: reprinted.body.issueDate });
  });

  it('stores one certificate when the PDF is fetched 10 times at once', async () => {
    const { person } = await volunteerWithHours();
    const replies = await Promise.all(Array.from({ length: 10 }, () => fetchPdf(person.token)));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(replies.map(codeOf)).size).toBe(1);
  });

  it('lets staff of the issuing community revoke a certificate: the check then says revoked, with the date', async () => {
    const { w, person } = await volunteerWithHours();
    const code = codeOf(await fetchPdf(person.token));
    const url = `/v1/certificates/${code}/revoke`;
    const body = { reason: '时长登记有误，已更正后重新出具' };
    const resident = await verifiedResident(w.cid);
    const elsewhere = await staffOf((await world()).cid);
    expect((await call('POST', url, { body })).status).toBe(401);
    expect((await call('POST', url, { token: person.token, body })).status).toBe(403);
    expect((await call('POST', url, { token: resident.token, body })).status).toBe(403);
    expect((await call('POST', url, { token: elsewhere.token, body })).status).toBe(403);
    expect((await call('GET', `/v1/certificates/${code}`)).body.status).toBe('valid');

    const revoked = await call('POST', url, { token: w.staff.token, body });
    expect(revoked.status).toBe(200);
    const check = await call('GET', `/v1/certificates/${code}`);
    expect(check.body).toMatchObject({ code, status: 'revoked', name: '陈晨', totalHours: 2 });
    expect(check.body.revokedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(check.body.revokeReason).toBeUndefined();
    expect((await call('POST', '/v1/certificates/NOSUCHCODE/revoke', { token: w.staff.token, body })).status).toBe(404);
    // The revocation is in the audit log, once: revoking again changes and records nothing.
    expect((await call('POST', url, { token: w.staff.token, body })).status).toBe(200);
    const audit = await call('GET', `/v1/communities/${w.cid}/audit`, { token: w.staff.token });
    const revocations = (audit.body.items as { act: string; actorId: string; subjectId?: string; detail?: Record<string, unknown> }[]).filter((e) => e.act === 'certificate.revoke');
    expect(revocations).toEqual([expect.objectContaining({ actorId: w.staff.id, subjectId: person.id, detail: { code, reason: body.reason } })]);

    const reissued = await fetchPdf(person.token);
    expect(codeOf(reissued)).not.toBe(code);
    expect((await call('GET', `/v1/certificates/${codeOf(reissued)}`)).body.status).toBe('valid');
  });

  it('answers 404 for an unknown code, and refuses a volunteer without verified hours', async () => {
    expect((await call('GET', '/v1/certificates/NOSUCHCODE')).status).toBe(404);
    const w = await world();
    const person = await approvedVolunteer(w);
    const reply = await fetchPdf(person.token);
    expect(reply.status).toBe(409);
    expect(reply.body.error.message).toMatch(/记录/);
    const stranger = await login();
    expect((await fetchPdf(stranger.token)).status).toBe(404);
    expect((await call('GET', '/v1/me/volunteer/certificate')).status).toBe(401);
  });
});
