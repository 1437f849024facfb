/**
 * Volunteers in a browser (h5 build, real handlers, DynamoDB Local): a resident registers, staff
 * approve, the resident signs up and shows their personal code on the activity page, staff record
 * the check-in and the check-out from it on the attendance page (h5 has no camera: the code under
 * the QR is typed in), staff give the hours, the resident sees them and downloads the
 * certificate, which verifies by its code with the full name.
 * Build first: LINLI_OUT_DIR=/tmp/dist-volunteers npm run build:h5, then LINLI_H5_DIR=/tmp/dist-volunteers/h5.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { joined, newCommunity, staffOf } from '../support/actors';
import { UI_TIMEOUT, field, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'volunteers-' });
const { devLogin, open, shot } = j;
const button = (page: Page, text: string | RegExp) => page.locator('.page:visible .btn', { hasText: text }).last();
const visible = (page: Page, text: string | RegExp) => page.locator('.page:visible', { hasText: text }).last();

describe('volunteer journey', () => {
  it('register → approved → sign up → staff scan the personal code in and out → staff give the hours → hours → certificate verified', async () => {
    // prepare: a community, its staff, a verified resident (through the API)
    const { id: cid } = await newCommunity({ name: '幸福里社区' });
    const staff = await staffOf(cid);
    const resident = await joined(cid, undefined, { realName: '陈晨' });
    await call('POST', `/v1/communities/${cid}/members/${resident.id}/verify`, { token: staff.token, body: {} });

    const { page: phone } = await j.browser.newPhone();
    const { page: desk } = await j.browser.newPhone();
    phone.setDefaultTimeout(UI_TIMEOUT);
    desk.setDefaultTimeout(UI_TIMEOUT);

    // register
    await devLogin(phone, resident.openid);
    await open(phone, '/pages/volunteers/index');
    await button(phone, '注册志愿者').click();
    await expect.poll(() => phone.url(), { timeout: UI_TIMEOUT }).toContain('/volunteers/register/index');
    // A tap while the page still slides in can miss: settle, tap, and see the chip checked.
    await j.settle(phone);
    const helpElders = phone.locator('.page:visible .vol-chip', { hasText: '助老' }).last();
    await helpElders.click();
    await expect.poll(() => helpElders.getAttribute('aria-checked'), { timeout: UI_TIMEOUT }).toBe('true');
    await button(phone, '提交注册').click();
    await expect.poll(async () => (await call('GET', `/v1/communities/${cid}/volunteers?status=pending`, { token: staff.token })).body.items.length, { timeout: UI_TIMEOUT }).toBe(1);

    // approved by staff on the approvals page
    await devLogin(desk, staff.openid);
    await open(desk, '/volunteers/approvals/index');
    await visible(desk, '陈晨').waitFor();
    await shot(desk, '1-approvals');
    await button(desk, '通过 陈晨').click();
    await visible(desk, '暂无待审核的志愿者').waitFor();

    // an activity starting in 10 minutes: signup still open, check-in already open
    const start = new Date(Date.now() + 10 * 60_000);
    const created = await call('POST', `/v1/communities/${cid}/activities`, {
      token: staff.token,
      body: { title: '敬老院探访', place: '福寿敬老院', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 2 * 3600_000).toISOString(), capacity: 5, hours: 2, skills: ['助老'] },
    });
    const activityId = created.body.id as string;

    // sign up from the list
    await open(phone, '/pages/volunteers/index');
    await phone.reload();
    await phone.locator('.page:visible .card', { hasText: '敬老院探访' }).last().click();
    await button(phone, '报名参加').click();
    // On site (check-in is open 30 minutes before the start): the page shows my personal code.
    const myCode = phone.locator('.page:visible .vol-code').last();
    await visible(phone, '我的签到码').waitFor();
    await shot(phone, '2-my-checkin-code');
    const checkInCode = (await myCode.innerText()).trim();

    // staff record the check-in from it on the attendance page
    await open(desk, `/volunteers/attendance/index?id=${activityId}`);
    await visible(desk, '扫码考勤').waitFor();
    await j.settle(desk);
    await field(desk, '二维码下方的码').fill(checkInCode);
    await button(desk, '确认签到').click();
    await visible(desk, '陈晨 已签到').waitFor();
    await shot(desk, '3-scanned-in');

    // the same code never checks out: the volunteer's page brings a check-out code
    await phone.reload();
    await visible(phone, '我的签退码').waitFor();
    const checkOutCode = (await myCode.innerText()).trim();
    expect(checkOutCode).not.toBe(checkInCode);
    await desk.locator('.page:visible .vol-chip', { hasText: '扫码签退' }).last().click();
    await field(desk, '二维码下方的码').fill(checkInCode);
    await button(desk, '确认签退').click();
    await visible(desk, /不能混用/).waitFor();
    await field(desk, '二维码下方的码').fill(checkOutCode);
    await button(desk, '确认签退').click();
    await visible(desk, '陈晨 已签退').waitFor();

    // minutes on site round to no hours: staff give the hours they credit
    await desk.locator('.page:visible .field', { hasText: '认定时长（小时）' }).last().locator('input').fill('2');
    await button(desk, '认定 陈晨 的时长').click();
    await visible(desk, '已认定 2 小时').waitFor();
    await shot(desk, '4-verified');

    // hours shown, certificate downloaded and verified by its code
    await open(phone, '/volunteers/hours/index');
    await visible(phone, '2 小时').waitFor();
    await button(phone, '下载志愿服务记录证明').click();
    await visible(phone, '证明编号').waitFor();
    await shot(phone, '5-hours');
    const certificateCode = (await phone.locator('.page:visible .vol-code').innerText()).trim();
    expect(certificateCode).toMatch(/^[A-Z0-9]{10}$/);
    await button(phone, '核验此证明').click();
    await visible(phone, '证明真实有效').waitFor();
    await expect.poll(() => visible(phone, '证明真实有效').innerText()).toContain('志愿者姓名：陈晨');
    await shot(phone, '6-certificate-check');

    // the public check needs no login
    const { page: anyone } = await j.browser.newPhone();
    await open(anyone, `/volunteers/certificate-check/index?code=${certificateCode}`);
    await visible(anyone, '证明真实有效').waitFor({ timeout: UI_TIMEOUT });
  });
});
