/**
 * 亲情代办 in a browser: the h5 build against the real API (real handlers, DynamoDB Local).
 *
 * The elder shows a one-time code on 亲情代办; her daughter enters it on her own phone; the elder
 * confirms; the daughter chooses 为TA办事, sees the banner, and books a service: the booking is the
 * elder's. At the counter, staff (1280 px) register an elder without a phone as a 户内成员 and show a
 * code that her son, standing there, enters on his phone: linked at once. Screenshots:
 * tests/artifacts/family-*.png, 390 px in normal and elder mode, the counter at 1280 px.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { login, newCommunity, staffOf, uniqueOpenid } from '../support/actors';
import { UI_TIMEOUT, button, confirmModal, field, useJourney } from '../support/journey';
import { axeViolations } from '../support/axe';
import { call } from '../support/stack';

const j = useJourney({ shots: 'family-' });
const { devLogin, open, shows, shot } = j;

const ALL_DAY = [['00:00', '23:30']];
const BOOK_LABEL = /^预约 \d{1,2}月\d{1,2}日 周[一二三四五六日] \d\d:\d\d$/;

async function elderMode(page: Page): Promise<void> {
  await page.evaluate(() => localStorage.setItem('linli.elder', JSON.stringify({ data: true })));
  await page.reload();
}

describe('family proxy journey (h5 against the real API)', () => {
  it('the elder links her daughter, who then books for her', { timeout: 300_000 }, async () => {
    // prepare: a community with a service open every day, a verified elder with a name, her daughter living there too
    const community = await newCommunity({ name: '幸福里亲情社区' });
    const staff = await staffOf(community.id);
    const service = await call('POST', `/v1/communities/${community.id}/services`, {
      token: staff.token,
      body: {
        name: '高龄津贴申领', category: 'A', durationMin: 20, materials: ['本人居民身份证原件'],
        schedule: { weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY }, slotMinutes: 30, capacityPerSlot: 3, bookAheadDays: 7 },
      },
    });
    expect(service.status).toBe(201);
    const elderOpenid = `elder-${Date.now().toString(36)}`;
    const elder = await login(elderOpenid, '李秀兰');
    const joined = await call('POST', `/v1/communities/${community.id}/members`, { token: elder.token, body: { household: '7-1-101', realName: '李秀兰' } });
    expect(joined.status).toBe(201);
    const verified = await call('POST', `/v1/communities/${community.id}/members/${elder.id}/verify`, { token: staff.token, body: {} });
    expect(verified.status).toBe(200);
    // The daughter lives elsewhere: she is no member of her mother's community.
    const daughter = await login(uniqueOpenid('daughter'), '王芳');

    // act 1: the elder shows a code
    const elderPhone = await j.browser.newPhone();
    await devLogin(elderPhone.page, elderOpenid);
    await open(elderPhone.page, '/family/index/index');
    await shows(elderPhone.page, '请家人帮我办事');
    await shot(elderPhone.page, '1-elder-empty');
    await button(elderPhone.page, '生成代办码').click();
    await shows(elderPhone.page, '只能使用一次');
    const code = (await elderPhone.page.locator('.page:visible .family-code__text').innerText()).trim();
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    await shot(elderPhone.page, '2-elder-code');

    // act 2: the daughter enters it on her own phone
    const daughterPhone = await j.browser.newPhone();
    await devLogin(daughterPhone.page, daughter.openid);
    // the QR's link opens the page with the code filled in
    await open(daughterPhone.page, `/family/link/index?code=${code}`);
    await expect.poll(() => field(daughterPhone.page, '8 位字母或数字').inputValue(), { timeout: UI_TIMEOUT }).toBe(code);
    await button(daughterPhone.page, '申请成为代办家人').click();
    await shows(daughterPhone.page, '已发送，等待确认');
    await shot(daughterPhone.page, '3-daughter-sent');

    // act 3: the elder confirms on her phone (in elder mode)
    await elderMode(elderPhone.page);
    await shows(elderPhone.page, '等待您确认');
    await shot(elderPhone.page, '4-elder-confirm-elder-mode');
    await button(elderPhone.page, /^确认$/).click();
    await shows(elderPhone.page, '代办中');

    // act 4: the daughter chooses 为TA办事 and books
    await open(daughterPhone.page, '/family/index/index');
    await daughterPhone.page.reload();
    await button(daughterPhone.page, '为TA办事').click();
    await shows(daughterPhone.page, '正在为 李** 代办');
    await shot(daughterPhone.page, '5-daughter-proxy-mode');
    await open(daughterPhone.page, `/appointments/service/index?sid=${service.body.id}`);
    await shows(daughterPhone.page, '选择时段');
    // every page says whom she is acting for
    await shows(daughterPhone.page, '正在为 李** 代办');
    await daughterPhone.page.locator('.page:visible .appt-slots .appt-chip:not(.appt-chip--off)').first().click();
    await button(daughterPhone.page, BOOK_LABEL).click();
    await shows(daughterPhone.page, '到场出示二维码');

    // assess: the booking is the elder's, not the daughter's
    await expect.poll(async () => (await call('GET', '/v1/me/appointments?when=upcoming', { token: elder.token })).body.items.length, { timeout: UI_TIMEOUT }).toBe(1);
    const own = await call('GET', '/v1/me/appointments?when=upcoming', { token: daughter.token });
    expect(own.body.items).toEqual([]);

    // the elder mode view of the family page for the daughter too
    await open(daughterPhone.page, '/family/index/index');
    await elderMode(daughterPhone.page);
    await shows(daughterPhone.page, '我帮助的家人');
    await shot(daughterPhone.page, '6-daughter-elder-mode');
  });

  it('staff register an elder without a phone at the counter, and her son who enters the code there is linked at once', { timeout: 300_000 }, async () => {
    // prepare: a community and its staff member; the son has Linli on his phone
    const community = await newCommunity({ name: '幸福里窗口社区' });
    const staff = await staffOf(community.id);
    const son = await login(uniqueOpenid('son'), '张强');

    // act 1: at the counter (desk), staff make a 户内成员 record for her and a code
    const desk = await j.browser.newPhone({ viewport: { width: 1280, height: 900 } });
    await devLogin(desk.page, staff.openid);
    await open(desk.page, '/family/counter/index');
    await shows(desk.page, '第一步：老人');
    await desk.page.locator('.page:visible input[aria-label="老人姓名"]').fill('王桂英');
    await desk.page.locator('.page:visible input[aria-label="门牌"]').fill('9-1-102');
    await button(desk.page, '建立户内成员记录').click();
    await confirmModal(desk.page, '建立');
    await shows(desk.page, '第二步：家人扫码');
    await button(desk.page, '生成代办码').click();
    await shows(desk.page, '只能使用一次');
    const code = (await desk.page.locator('.page:visible .family-code__text').innerText()).trim();
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(await axeViolations(desk.page)).toEqual([]);
    await desk.page.waitForTimeout(2500); // the 已建立 toast has gone
    await shot(desk.page, '6-counter-1280');

    // act 2: her son enters it on his phone
    const sonPhone = await j.browser.newPhone();
    await devLogin(sonPhone.page, son.openid);
    await open(sonPhone.page, `/family/link/index?code=${code}`);
    await expect.poll(() => field(sonPhone.page, '8 位字母或数字').inputValue(), { timeout: UI_TIMEOUT }).toBe(code);
    await button(sonPhone.page, '申请成为代办家人').click();

    // assess: linked at once, no confirmation asked of an elder who has no phone
    await shows(sonPhone.page, '代办关系已生效');
    await shot(sonPhone.page, '7-son-linked');
    const mine = await call('GET', '/v1/me/family', { token: son.token });
    expect(mine.body.elders).toMatchObject([{ elderName: '王**', status: 'active', via: 'counter' }]);
    // the committee's 操作记录 says how the link was made, in words
    await open(desk.page, '/staff/audit/index');
    await shows(desk.page, '建立亲情代办');
    await shows(desk.page, '方式 社区窗口登记');
    await shot(desk.page, '8-audit-1280');
  });
});
