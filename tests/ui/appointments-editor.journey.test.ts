/**
 * 服务事项编辑 in a browser: the h5 build against the real API (real handlers, DynamoDB Local).
 *
 * Staff open 预约办理, tap 新建服务事项, fill the form (two ranges on Monday, two materials), see a
 * field error next to the field they got wrong, fix it and save; the service is listed by the API
 * with those values and staff can open it again to edit.
 *
 * LINLI_H5_DIR points at the build (default dist/h5). Screenshots land in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCommunity, staffOf } from '../support/actors';
import { call, startApi } from '../support/stack';
import { ARTIFACTS, H5_DIR, launchBrowser, serveH5 } from '../support/web';

const UI_TIMEOUT = 20_000;

let api: Awaited<ReturnType<typeof startApi>>;
let web: Awaited<ReturnType<typeof serveH5>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  api = await startApi();
  web = await serveH5(api.base, process.env.LINLI_H5_DIR ?? H5_DIR);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await api?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `appointments-editor-${name}.png`), fullPage: true });
const open = (page: Page, path: string) => page.goto(`${web.url}#${path}`);

async function devLogin(page: Page, openid: string): Promise<void> {
  await open(page, '/pages/login/index');
  await page.locator('.page:visible input[placeholder="字母、数字、- 或 _"]').fill(openid);
  await page.locator('.btn', { hasText: /^登录$/ }).click();
  await expect.poll(() => page.url(), { timeout: UI_TIMEOUT }).toContain('/pages/index/index');
}

async function shows(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.taro_page:visible, .page:visible').getByText(text).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
}

const button = (page: Page, text: string | RegExp) => page.locator('.page:visible .btn', { hasText: text }).first();
const input = (page: Page, placeholder: string, nth = 0) => page.locator(`.page:visible input[placeholder="${placeholder}"]`).nth(nth);

describe('service editor journey (h5 against the real API)', () => {
  it('staff create a service with two Monday ranges and two materials', { timeout: 300_000 }, async () => {
    // prepare: a community with a hall of two categories, and its staff
    const community = await newCommunity({ name: '幸福里服务事项社区' });
    const staff = await staffOf(community.id);
    await call('PUT', `/v1/communities/${community.id}/hall`, {
      token: staff.token,
      body: { categories: [{ code: 'A', name: '社保医保' }, { code: 'B', name: '民政救助' }], windows: [{ no: 1, categories: ['A', 'B'] }] },
    });

    // act 1: from the staff day page to the editor; fill the form with a too-short slot
    // a tall 390px-wide phone, so that a full-page screenshot shows the whole form
    const { page } = await browser.newPhone({ viewport: { width: 390, height: 2600 } });
    await devLogin(page, staff.openid);
    await open(page, '/appointments/staff/index');
    await shows(page, '还没有服务事项');
    await button(page, '新建服务事项').click();
    await shows(page, '每周开放时间');
    await input(page, '如：社保卡办理').fill('低保申请');
    await page.locator('.page:visible .appt-chip', { hasText: '民政救助' }).click();
    await input(page, '如：本人居民身份证原件').fill('户口簿原件');
    await button(page, '添加一项材料').click();
    await input(page, '如：本人居民身份证原件', 1).fill('家庭收入证明');
    const monday = page.locator('.page:visible .svc-day').first();
    await monday.locator('.btn', { hasText: '添加时间段' }).click();
    await monday.locator('.btn', { hasText: '添加时间段' }).click();
    await monday.locator('input[placeholder="09:00"]').nth(0).fill('09:00');
    await monday.locator('input[placeholder="12:00"]').nth(0).fill('12:00');
    await monday.locator('input[placeholder="09:00"]').nth(1).fill('14:00');
    await monday.locator('input[placeholder="12:00"]').nth(1).fill('17:30');
    const slot = page.locator('.page:visible .field', { hasText: '每个时段分钟数' });
    await slot.locator('input').fill('3');
    await button(page, /^新建服务事项$/).click();

    // assess 1: the slot field shows the server's Chinese message next to it
    await slot.locator('.field__error').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    expect(await slot.locator('.field__error').innerText()).toMatch(/^错误：/);
    await shot(page, '1-error');

    // act 2: fix it and save
    await slot.locator('input').fill('30');
    await shot(page, '2-form');
    await button(page, /^新建服务事项$/).click();

    // assess 2: back on the staff page with the new service; the API lists it with those values
    await expect.poll(() => page.url(), { timeout: UI_TIMEOUT }).toContain('/appointments/staff/index');
    await shows(page, '低保申请');
    const list = await call('GET', `/v1/communities/${community.id}/services`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      name: '低保申请', category: 'B', kind: 'general', materials: ['户口簿原件', '家庭收入证明'],
      schedule: { weekly: { mon: [['09:00', '12:00'], ['14:00', '17:30']] }, slotMinutes: 30 },
    });
    await shot(page, '3-staff');

    // act 3: 编辑 opens the saved service
    await button(page, /^编辑$/).click();
    await expect.poll(() => input(page, '如：社保卡办理').inputValue(), { timeout: UI_TIMEOUT }).toBe('低保申请');
    await shows(page, '保存修改');
  });
});
