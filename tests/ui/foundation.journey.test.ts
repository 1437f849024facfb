/**
 * The foundation in a browser: the h5 build against the real API (real handlers, DynamoDB
 * Local). A resident joins a community, a staff member verifies the household, the resident
 * sees it; elder mode is switched on and survives a reload.
 *
 * Screenshots land in tests/artifacts/ for people to look at.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newCommunity, staffOf, uniqueOpenid } from '../support/actors';
import { axeViolations } from '../support/axe';
import { UI_TIMEOUT, confirmModal, field, useJourney } from '../support/journey';

const j = useJourney();
const { devLogin, open, shows, shot } = j;

async function tab(page: Page, name: '首页' | '办事' | '志愿' | '议事' | '我的'): Promise<void> {
  await page.locator('.weui-tabbar__label', { hasText: name }).click();
}

describe('foundation journey (h5 against the real API)', () => {
  it('shows 已核实 on 我的 once staff verify the household', async () => {
    // prepare: a fresh community with its own staff member, and a new resident's phone
    const suffix = uniqueOpenid('x').slice(2, 8);
    const community = await newCommunity({ name: `幸福里社区${suffix}` });
    const staff = await staffOf(community.id);
    const residentOpenid = uniqueOpenid('resident');
    const resident = await j.browser.newPhone();
    const staffPhone = await j.browser.newPhone();

    // act 1: the resident logs in and asks to join with their household
    await devLogin(resident.page, residentOpenid, '李阿姨');
    await shows(resident.page, '加入您的社区');
    await shot(resident.page, '01-home-new-resident');
    await resident.page.locator('.btn', { hasText: '加入社区' }).click();
    // No id is typed: the resident finds the community by its name.
    await shows(resident.page, '查找社区');
    await field(resident.page, '如 幸福里 或 西司门').fill(`幸福里社区${suffix}`);
    await resident.page.locator('.btn', { hasText: '查找社区' }).click();
    // The innermost card that names it: the search card around the results names it too.
    await resident.page.locator('.taro_page:visible .card, .page:visible .card', { hasText: `幸福里社区${suffix}` }).last().click();
    await shows(resident.page, '填写住户信息');
    await shows(resident.page, `幸福里社区${suffix}`);
    await field(resident.page, '如 3-2-501').fill('3-2-501');
    await field(resident.page, '便于工作人员核实').fill('李秀英');
    await field(resident.page, '11 位手机号').fill('13812345678');
    await shot(resident.page, '02-join-form');
    await resident.page.locator('.btn', { hasText: '提交申请' }).click();
    await expect.poll(() => resident.page.url(), { timeout: UI_TIMEOUT }).toContain('/pages/index/index');
    await shows(resident.page, '待核实');
    await shot(resident.page, '03-home-pending');

    // act 2: staff open 成员核实 from 工作台 and verify the household
    await devLogin(staffPhone.page, staff.openid, '王老师');
    await shows(staffPhone.page, '工作台');
    await shows(staffPhone.page, '待核实 1 人');
    await shot(staffPhone.page, '04-home-staff');
    await staffPhone.page.locator('.page:visible .tile', { hasText: '工作台' }).click();
    // 首页's 工作台 tile names 成员核实 too: tap the workbench's own tile, once its count has arrived
    const members = staffPhone.page.locator('.page:visible .tile', { hasText: '核实居民的门牌' });
    await members.filter({ hasText: '待核实 1 人' }).waitFor({ timeout: UI_TIMEOUT });
    await members.click();
    await shows(staffPhone.page, '李秀英');
    await shows(staffPhone.page, '手机号：13812345678');
    await shot(staffPhone.page, '05-members-pending');
    await staffPhone.page.locator('.btn', { hasText: '核实 李秀英' }).click();
    await confirmModal(staffPhone.page, '核实');
    await shows(staffPhone.page, '没有待核实的成员');
    await open(staffPhone.page, `/staff/stats/index?cid=${community.id}`);
    await shows(staffPhone.page, '已核实户数');
    await shot(staffPhone.page, '05b-stats');

    // assess: the resident's 我的 shows the verified household
    await tab(resident.page, '我的');
    await shows(resident.page, '已核实');
    await shows(resident.page, '门牌：3-2-501');
    await expect.poll(() => resident.page.locator('.page:visible').innerText()).not.toContain('待核实');
    await shot(resident.page, '06-me-verified');

    await resident.context.close();
    await staffPhone.context.close();
  });

  it('keeps elder mode on across a reload and enlarges text and tap targets', async () => {
    // prepare
    const { page, context } = await j.browser.newPhone();
    await devLogin(page, uniqueOpenid('elder'), '张大爷');
    await tab(page, '我的');
    await shows(page, '长辈模式（大字、高对比）');
    const normal = await metrics(page);

    // act
    await page.locator('.elder-switch', { hasText: '长辈模式（大字、高对比）' }).click();
    await shows(page, '已开启');
    await page.reload();
    await tab(page, '我的');

    // assess (polling: the page re-renders after the stored choice is read)
    await shows(page, '已开启');
    await expect.poll(() => metrics(page).then((m) => m.elder)).toBe(true);
    const elder = await metrics(page);
    expect(elder.fontSize / normal.fontSize).toBeGreaterThanOrEqual(1.25);
    expect(elder.lineHeight / elder.fontSize).toBeGreaterThanOrEqual(1.3);
    expect(normal.lineHeight / normal.fontSize).toBeGreaterThanOrEqual(1.3);
    expect(elder.minTap).toBeGreaterThanOrEqual(48);
    await shot(page, '07-me-elder');
    await tab(page, '首页');
    await shows(page, '社区服务');
    await shot(page, '08-home-elder');

    await context.close();
  });

  it('logs in again silently when the stored token is no longer accepted', async () => {
    // prepare: a signed-in resident whose stored token the API will refuse (401)
    const { page, context } = await j.browser.newPhone();
    await devLogin(page, uniqueOpenid('relogin'), '赵奶奶');
    await page.evaluate(() => {
      const raw = localStorage.getItem('linli.session');
      if (!raw) throw new Error('no stored session');
      const stored = JSON.parse(raw) as { data: { token: string } };
      stored.data.token = 'not-a-valid-token';
      localStorage.setItem('linli.session', JSON.stringify(stored));
    });

    // act
    await page.reload();
    await tab(page, '我的');

    // assess: the page loads as the same person, and a fresh token is stored
    await shows(page, '赵奶奶');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('linli.session') ?? '')).not.toContain('not-a-valid-token');
    await expect.poll(() => page.locator('.page:visible').innerText()).not.toContain('请先登录');

    await context.close();
  });

  it('meets WCAG 2.1 AA colour contrast in normal and elder mode', async () => {
    // prepare
    const { page, context } = await j.browser.newPhone();
    await devLogin(page, uniqueOpenid('contrast'));
    await shows(page, '加入您的社区');

    // act + assess: normal mode, then elder mode
    expect(await contrastViolations(page)).toEqual([]);
    await page.locator('.elder-switch:visible').click();
    await shows(page, '已开启');
    expect(await contrastViolations(page)).toEqual([]);

    await context.close();
  });
});

/** Body text size and line height of the 我的 page, and its smallest button height. */
async function metrics(page: Page): Promise<{ elder: boolean; fontSize: number; lineHeight: number; minTap: number }> {
  return page.locator('.page:visible', { hasText: '长辈模式（大字、高对比）' }).evaluate((root) => {
    const style = getComputedStyle(root);
    const heights = Array.from(root.querySelectorAll('.btn, .elder-switch, .tile')).map((el) => el.getBoundingClientRect().height).filter((h) => h > 0);
    return {
      elder: root.classList.contains('elder'),
      fontSize: parseFloat(style.fontSize),
      lineHeight: parseFloat(style.lineHeight),
      minTap: Math.min(...heights),
    };
  });
}

/** axe-core's colour-contrast rule on the visible page: the failing elements. */
async function contrastViolations(page: Page): Promise<string[]> {
  return (await axeViolations(page, { rules: ['color-contrast'] })).flatMap((v) => v.targets);
}
