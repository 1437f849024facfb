/**
 * The volunteer certificate as a person sees it: the PDF's text read back with pdfjs-dist, and
 * its first page drawn in the test Chromium to tests/artifacts/certificate-pdf.png (look at it
 * when the certificate changes: Chinese must render, not blank boxes). No poppler needed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activity, approvedVolunteer, attended, world } from '../api/volunteers-fixtures';
import { pdfText, renderPdfPage } from '../support/pdf';
import { call } from '../support/stack';
import { ARTIFACTS, launchBrowser } from '../support/web';

let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('volunteer certificate PDF', () => {
  it('names the community and the verified hours in its text, and draws its first page to a picture', async () => {
    const w = await world({ name: '桂花巷社区' });
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await attended(w, act, person);
    const verified = await call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: { hours: 2 } });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);

    const reply = await call('GET', '/v1/me/volunteer/certificate', { token: person.token });
    expect(reply.status).toBe(200);
    const pdf = Buffer.from(String(reply.raw.body), 'base64');

    const [firstPage] = await pdfText(pdf);
    // The paragraph wraps wherever the layout breaks it: compare without whitespace.
    const text = (firstPage ?? '').replace(/\s+/g, '');
    expect(text).toContain('志愿服务记录证明');
    expect(text).toContain('为桂花巷社区注册志愿者');
    expect(text).toContain('志愿服务时长累计2小时');
    expect(text).toContain('出具单位：桂花巷社区居民委员会');

    const png = await renderPdfPage(browser.browser, pdf);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    writeFileSync(join(ARTIFACTS, 'certificate-pdf.png'), png);
  });
});
