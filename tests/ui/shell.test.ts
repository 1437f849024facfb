/**
 * The h5 title bar (PageShell): a browser draws no title or back arrow, so every h5 sub-page
 * starts with its title and a 返回 button; the five tab pages have the tab bar instead, and the
 * hall's TV board (a full-screen page nobody taps) has none. 返回 goes to the previous page, or
 * to 首页 when the page was opened directly (a link, a QR code). Screenshots at 390 px in normal
 * and elder mode land in tests/artifacts/shell-*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newCommunity, staffOf, verifiedResident } from '../support/actors';
import { UI_TIMEOUT, button, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'shell-' });
const { devLogin, open, shows, shot } = j;

/** The visible page's title bar: its title, or undefined when the page has none. */
async function titleBar(page: Page): Promise<string | undefined> {
  const bar = page.locator('.page:visible .shell-bar');
  if ((await bar.count()) === 0) return undefined;
  return (await bar.first().locator('.shell-bar__title').innerText()).trim();
}

async function tapBack(page: Page): Promise<void> {
  await page.locator('.page:visible .shell-bar__back').click();
}

/** The back button is a tap target that says what it does, and sits at the top of the screen. */
async function expectBarOnTop(page: Page, title: string): Promise<void> {
  await expect.poll(() => titleBar(page), { timeout: UI_TIMEOUT }).toBe(title);
  const back = page.locator('.page:visible .shell-bar__back');
  expect(await back.getAttribute('role')).toBe('button');
  expect(await back.getAttribute('aria-label')).toBe('返回上一页');
  const box = await back.boundingBox();
  expect(box?.y).toBeLessThan(8);
  expect(box?.height).toBeGreaterThanOrEqual(44);
}

describe('h5 title bar on sub-pages (PageShell)', () => {
  it('shows the title and a back button on sub-pages, none on tab pages or the TV board; back returns, or goes home without history', { timeout: 300_000 }, async () => {
    // prepare: a community with a service, a verified resident signed in
    const community = await newCommunity({ name: '幸福里标题栏社区' });
    const resident = await verifiedResident(community.id);
    const staff = await staffOf(community.id);
    await call('PUT', `/v1/communities/${community.id}/hall`, {
      token: staff.token,
      body: { categories: [{ code: 'A', name: '社保医保' }], windows: [{ no: 1, categories: ['A'] }] },
    });
    const service = await call('POST', `/v1/communities/${community.id}/services`, {
      token: staff.token,
      body: { name: '社保卡办理', category: 'A', durationMin: 20, materials: [], schedule: { weekly: { mon: [['09:00', '12:00']] }, slotMinutes: 30, capacityPerSlot: 1, bookAheadDays: 7 } },
    });
    expect(service.status, JSON.stringify(service.body)).toBe(201);
    const phone = await j.browser.newPhone();
    await devLogin(phone.page, resident.openid);

    // act 1: a sub-page opened from a tab page
    await open(phone.page, '/pages/services/index');
    await shows(phone.page, '社保卡办理');
    // (the login page's bar stays in view until its slide-out ends)
    await expect.poll(() => titleBar(phone.page), { timeout: UI_TIMEOUT }).toBeUndefined();
    await button(phone.page, '查看材料并预约').click();
    await shows(phone.page, '选择日期');
    // assess 1: its title bar, and 返回 goes back to 办事
    await expectBarOnTop(phone.page, '预约办理');
    await shot(phone.page, '1-service');
    await tapBack(phone.page);
    await expect.poll(() => phone.page.url(), { timeout: UI_TIMEOUT }).toContain('/pages/services/index');
    await shows(phone.page, '查看材料并预约');

    // act 2: a sub-page opened directly (a link): no history, so 返回 goes to 首页
    await open(phone.page, '/appointments/mine/index');
    await phone.page.reload();
    await expectBarOnTop(phone.page, '我的预约');
    await shot(phone.page, '2-mine-direct');
    await tapBack(phone.page);
    await expect.poll(() => phone.page.url(), { timeout: UI_TIMEOUT }).toContain('/pages/index/index');
    await expect.poll(() => titleBar(phone.page), { timeout: UI_TIMEOUT }).toBeUndefined();

    // act 3: public pages, signed out: the certificate check has the bar, the TV board none
    const anyone = await j.browser.newPhone();
    await open(anyone.page, '/volunteers/certificate-check/index?code=NOSUCHCODE');
    await expectBarOnTop(anyone.page, '证明核验');
    await shot(anyone.page, '3-certificate-check');
    await open(anyone.page, `/queue/board/index?cid=${community.id}`);
    await anyone.page.reload();
    await shows(anyone.page, '点击开启语音播报');
    expect(await anyone.page.locator('.shell-bar:visible').count()).toBe(0);

    // act 4: elder mode: the same bar, larger, still a one-tap way back
    const elder = await j.browser.newPhone();
    await elder.context.addInitScript(() => localStorage.setItem('linli.elder', JSON.stringify({ data: true })));
    await devLogin(elder.page, resident.openid);
    await open(elder.page, '/appointments/mine/index');
    await elder.page.reload();
    await expectBarOnTop(elder.page, '我的预约');
    const backHeight = (await elder.page.locator('.page:visible .shell-bar__back').boundingBox())?.height ?? 0;
    expect(backHeight).toBeGreaterThanOrEqual(60);
    await shot(elder.page, '4-mine-elder');
    await open(elder.page, '/volunteers/certificate-check/index?code=NOSUCHCODE');
    await expectBarOnTop(elder.page, '证明核验');
    await shot(elder.page, '5-certificate-check-elder');
  });
});
