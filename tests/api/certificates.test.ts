import { describe, expect, it } from 'vitest';
import { login } from '../support/actors';
import { call } from '../support/stack';
import { activity, approvedVolunteer, attended, world } from './volunteers-fixtures';

async function volunteerWithHours() {
  const w = await world({ name: '幸福里社区' });
  const act = await activity(w);
  const person = await approvedVolunteer(w);
  await attended(w, act, person);
  await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: { hours: 2 } });
  return { w, person };
}

describe('volunteer-service record certificate', () => {
  it('issues a PDF with the code in X-Certificate-Code, verifiable by anyone by that code', async () => {
    const { person } = await volunteerWithHours();
    const pdf = await call('GET', '/v1/me/volunteer/certificate', { token: person.token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = Buffer.from(String(pdf.raw.body), 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const code = pdf.headers['x-certificate-code'];
    expect(code).toMatch(/^[A-Z0-9]{10}$/);
    // The CJK font is embedded as a subset, so Chinese renders anywhere.
    expect(bytes.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);

    const check = await call('GET', `/v1/certificates/${code}`);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ code, communityName: '幸福里社区', issuer: '幸福里社区居民委员会', totalHours: 2, services: 1 });
    expect(check.body.name).toMatch(/\*/);
    expect(check.calls.map((c) => c.command)).toEqual(['GetItemCommand']);
  });

  it('answers 404 for an unknown code, and refuses a volunteer without verified hours', async () => {
    expect((await call('GET', '/v1/certificates/NOSUCHCODE')).status).toBe(404);
    const w = await world();
    const person = await approvedVolunteer(w);
    const reply = await call('GET', '/v1/me/volunteer/certificate', { token: person.token });
    expect(reply.status).toBe(409);
    expect(reply.body.error.message).toMatch(/记录/);
    const stranger = await login();
    expect((await call('GET', '/v1/me/volunteer/certificate', { token: stranger.token })).status).toBe(404);
    expect((await call('GET', '/v1/me/volunteer/certificate')).status).toBe(401);
  });
});
