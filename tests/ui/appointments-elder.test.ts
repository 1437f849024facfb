/**
 * 预约办理 in elder mode (长辈模式), in a browser: the h5 build against the real API (real
 * handlers, DynamoDB Local), each appointment page at a phone's width with the switch on, as
 * elder-friendly pages must hold up: larger text that wraps instead of overflowing, tap targets
 * of at least 48px, nothing wider than the screen. Full-page screenshots land in
 * tests/artifacts/appointments-elder-*.png (look at them when a page changes).
 *
 * LINLI_H5_DIR points at the build (default dist/h5).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call, startApi } from '../support/stack';
import { ARTIFACTS, H5_DIR, launchBrowser, serveH5 } from '../support/web';

const UI_TIMEOUT = 20_000;
/** A phone's width; tall, so that a full-page screenshot holds the whole page. */
const TALL_PHONE = { width: 390, height: 3600 };

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

/** The page down to its last line (the viewport is taller than most pages). */
async function shot(page: Page, name: string): Promise<void> {
  const bottom = await page.evaluate(() => {
    const root = Array.from(document.querySelectorAll('.page')).find((el) => (el as HTMLElement).offsetParent !== null);
    // Parts pinned to the screen (the booking bar) sit at the viewport's bottom, not the page's.
    const inFlow = root ? Array.from(root.children).filter((child) => getComputedStyle(child).position !== 'fixed') : [];
    return root ? Math.max(...inFlow.map((child) => child.getBoundingClientRect().bottom)) : window.innerHeight;
  });
  const height = Math.min(TALL_PHONE.height, Math.ceil(bottom) + 16);
  await page.screenshot({ path: join(ARTIFACTS, `appointments-elder-${name}.png`), clip: { x: 0, y: 0, width: TALL_PHONE.width, height } });
}
const open = (page: Page, path: string) => page.goto(`${web.url}#${path}`);

/** A phone whose stored choice is elder mode on, as the 长辈模式 switch leaves it (Taro's storage format). */
async function elderPhone(): Promise<{ context: BrowserContext; page: Page }> {
  const phone = await browser.newPhone({ viewport: TALL_PHONE });
  await phone.context.addInitScript(() => localStorage.setItem('linli.elder', JSON.stringify({ data: true })));
  return phone;
}

async function devLogin(page: Page, openid: string): Promise<void> {
  await open(page, '/pages/login/index');
  await page.locator('.page:visible input[placeholder="字母、数字、- 或 _"]').fill(openid);
  await page.locator('.btn', { hasText: /^登录$/ }).click();
  await expect.poll(() => page.url(), { timeout: UI_TIMEOUT }).toContain('/pages/index/index');
}

async function shows(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.taro_page:visible, .page:visible').getByText(text).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
}

/**
 * What elder mode must hold on the visible page: the `elder` class, body text of at least 18px,
 * tap targets (buttons, chips) at least 48px high, and no element sticking out past the screen's
 * right edge or cutting its own text off.
 */
async function elderLayout(page: Page): Promise<{ elder: boolean; bodyFont: number; lowTaps: string[]; overflowing: string[] }> {
  return page.evaluate(() => {
    const root = Array.from(document.querySelectorAll('.page')).find((el) => (el as HTMLElement).offsetParent !== null) as HTMLElement;
    const name = (el: Element) => `${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} "${(el.textContent ?? '').trim().slice(0, 24)}"`;
    const width = document.documentElement.clientWidth;
    const lowTaps = Array.from(root.querySelectorAll('.btn, .appt-chip, [role="button"]'))
      .filter((el) => el.getBoundingClientRect().height > 0 && el.getBoundingClientRect().height < 48)
      .map(name);
    const overflowing = Array.from(root.querySelectorAll('*'))
      .filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || getComputedStyle(el).visibility === 'hidden') return false;
        const cut = el.scrollWidth > el.clientWidth + 1 && ['hidden', 'clip'].includes(getComputedStyle(el).overflowX) && el.clientWidth > 0;
        return box.right > width + 0.5 || cut;
      })
      .map(name);
    return { elder: root.classList.contains('elder'), bodyFont: parseFloat(getComputedStyle(root).fontSize), lowTaps, overflowing };
  });
}

async function checkElder(page: Page, name: string): Promise<void> {
  await shot(page, name);
  const layout = await elderLayout(page);
  expect.soft(layout.elder, name).toBe(true);
  expect.soft(layout.bodyFont, name).toBeGreaterThanOrEqual(18);
  expect.soft(layout.lowTaps, `${name}: tap targets under 48px`).toEqual([]);
  expect.soft(layout.overflowing, `${name}: wider than the screen or cut off`).toEqual([]);
}

const ALL_DAY = [['00:00', '23:30']];
/** A local date (Asia/Shanghai) some days ahead: after the booking window, so it blocks nothing. */
const daysAhead = (days: number): string => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

/** The first date with places, and its first slot with places (the real clock decides). */
async function firstFreeSlot(sid: string, skip = 0): Promise<{ date: string; start: string }> {
  const dates = await call('GET', `/v1/services/${sid}/dates`);
  const date = dates.body.items.filter((d: { open: boolean; available: number }) => d.open && d.available > 0)[skip].date as string;
  const slots = await call('GET', `/v1/services/${sid}/slots?date=${date}`);
  const start = slots.body.items.find((s: { available: number }) => s.available > 0).start as string;
  return { date, start };
}

async function book(resident: Actor, sid: string, start: string): Promise<{ id: string; code: string }> {
  const reply = await call('POST', `/v1/services/${sid}/appointments`, { token: resident.token, body: { start }, idempotencyKey: `elder-${resident.id}` });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

describe('appointment pages in elder mode (h5 against the real API)', () => {
  it('services, service with slots, confirmation, mine, staff day and editor hold up in elder mode', { timeout: 300_000 }, async () => {
    // prepare: a service with long names and materials, two places a slot; two residents fill the first free slot
    const community = await newCommunity({ name: '幸福里长辈模式社区' });
    const staff = await staffOf(community.id);
    await call('PUT', `/v1/communities/${community.id}/hall`, {
      token: staff.token,
      body: { categories: [{ code: 'A', name: '社保医保' }, { code: 'B', name: '民政救助' }], windows: [{ no: 1, categories: ['A', 'B'] }] },
    });
    const service = await call('POST', `/v1/communities/${community.id}/services`, {
      token: staff.token,
      body: {
        name: '城乡居民基本医疗保险参保登记', category: 'A', durationMin: 20, location: '一楼便民服务大厅 A 区 3 号窗口',
        description: '新生儿、灵活就业人员及未参加职工医保的居民参保登记、信息变更。',
        materials: ['本人居民身份证原件（16 周岁以下可用户口簿）', '近 6 个月内白底免冠一寸彩色照片 1 张', '代办的，另需代办人身份证原件及委托书'],
        schedule: {
          weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
          slotMinutes: 30, capacityPerSlot: 2, bookAheadDays: 7, closures: [daysAhead(40)], openDays: [daysAhead(50)],
        },
      },
    });
    expect(service.status, JSON.stringify(service.body)).toBe(201);
    const sid = service.body.id as string;
    await call('POST', `/v1/communities/${community.id}/services`, {
      token: staff.token,
      body: { name: '邻里纠纷调解', category: 'B', kind: 'mediation', durationMin: 60, materials: [], schedule: { weekly: { mon: [['09:00', '12:00']] }, slotMinutes: 60, capacityPerSlot: 1, bookAheadDays: 14 } },
    });
    const resident = await verifiedResident(community.id);
    const neighbour = await verifiedResident(community.id);
    const filler = await verifiedResident(community.id);
    const { start } = await firstFreeSlot(sid);
    await book(neighbour, sid, start);
    await book(filler, sid, start);
    // The resident's own booking is on a later day: the page does not pre-select a day already booked.
    const { date, start: own } = await firstFreeSlot(sid, 1);
    const booked = await book(resident, sid, own);

    const { page, context } = await elderPhone();
    await devLogin(page, resident.openid);

    // 1. 办事: the services list
    await open(page, '/pages/services/index');
    await shows(page, '城乡居民基本医疗保险参保登记');
    await checkElder(page, '1-services');

    // 2. the service: materials, dates and slots (the first slot full), one slot chosen
    await open(page, `/appointments/service/index?sid=${sid}`);
    await shows(page, '选择时段');
    await shows(page, '已约满');
    await page.locator('.page:visible .appt-slots .appt-chip:not(.appt-chip--off)').first().click();
    await shows(page, /^预约 \d{1,2}月\d{1,2}日 周[一二三四五六日] \d\d:\d\d$/);
    await checkElder(page, '2-service');

    // 3. the confirmation with its QR code
    await open(page, `/appointments/detail/index?id=${booked.id}`);
    await shows(page, '到场出示二维码');
    await shows(page, booked.code);
    await checkElder(page, '3-confirmation');

    // 4. 我的预约
    await open(page, '/appointments/mine/index');
    await shows(page, '出示二维码 / 取消');
    await checkElder(page, '4-mine');
    await context.close();

    // 5. staff: the day's bookings
    const desk = await elderPhone();
    await devLogin(desk.page, staff.openid);
    await open(desk.page, `/appointments/staff/index?sid=${sid}&date=${date}`);
    await shows(desk.page, booked.code);
    await checkElder(desk.page, '5-staff-day');

    // 6. staff: the editor with the service, and its time picker open
    await open(desk.page, `/appointments/editor/index?sid=${sid}`);
    await shows(desk.page, '每周开放时间');
    await shows(desk.page, '保存修改');
    await checkElder(desk.page, '6-editor');
    await desk.page.getByRole('button', { name: /^周一第1段开始/ }).click();
    await desk.page.locator('.weui-picker:visible').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await desk.page.waitForTimeout(400); // the sheet slides up
    await desk.page.screenshot({ path: join(ARTIFACTS, 'appointments-elder-7-editor-time-picker.png'), clip: { x: 0, y: TALL_PHONE.height - 844, width: TALL_PHONE.width, height: 844 } });
    await desk.context.close();
  });
});
