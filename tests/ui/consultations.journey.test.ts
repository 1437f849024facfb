/**
 * 议事协商 in a browser: the h5 build against the real API (real handlers, DynamoDB Local).
 *
 * A resident proposes a topic; staff turn it into a consultation (一户一票) whose close is set
 * about 90 seconds ahead, through the editor; two residents of one household try to vote (one
 * succeeds, the other is told the household has voted); the real clock passes the close (no
 * test-only path: the browser cannot send x-test-now, so the test waits and reloads); the results
 * page shows the bar chart; staff publish the decision.
 *
 * LINLI_H5_DIR points at the build (default dist/h5). Screenshots land in tests/artifacts/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newCommunity, nextHousehold, staffOf, verifiedResident } from '../support/actors';
import { UI_TIMEOUT, button, confirmModal, useJourney } from '../support/journey';

const CLOSE_AFTER_MS = 90_000;

/** Screenshots wait 700 ms first: Taro's page transition. */
const j = useJourney({ shots: 'consultations-', settleMs: 700 });
const { devLogin, open, shows, shot } = j;

const textarea = (page: Page, label: string) => page.locator('.page:visible .textbox', { hasText: label }).locator('textarea').first();

/** Beijing's wall clock of an instant: [year, month, day] and [hour, minute]. */
function beijing(instant: Date): { date: number[]; time: number[] } {
  const d = new Date(instant.getTime() + 8 * 3600_000);
  return { date: [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()], time: [d.getUTCHours(), d.getUTCMinutes()] };
}

/** One row of Taro's h5 picker wheel is 34 px high (picker-group.js LINE_HEIGHT). */
const WHEEL_ROW = 34;

/**
 * Opens the picker behind the control with that accessible name and turns each wheel to the
 * numbers given (2026, 12, 20 or 9, 30), by dragging it with the mouse as a person would, two
 * rows at a time (a longer drag leaves the wheel, which ends it), then taps 确定.
 */
async function pick(page: Page, control: string, numbers: number[]): Promise<void> {
  await page.locator(`.page:visible [aria-label^="${control}"]`).click();
  const sheet = page.locator('.weui-picker:visible');
  await sheet.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await page.waitForTimeout(400);
  for (const [column, target] of numbers.entries()) {
    const group = sheet.locator('.weui-picker__group').nth(column);
    for (let turn = 0; turn < 40; turn++) {
      // The row under the indicator, from the wheel's offset; the wanted row nearest to it.
      const { current, rows } = await group.evaluate((el) => {
        const content = el.querySelector('.weui-picker__content') as HTMLElement;
        const y = new DOMMatrix(getComputedStyle(content).transform).m42;
        return { current: Math.round((102 - y) / 34), rows: Array.from(content.children, (c) => Number((c.textContent ?? '').replace(/\D/g, ''))) };
      });
      const wanted = rows.map((n, i) => (n === target ? i : -1)).filter((i) => i >= 0).sort((a, b) => Math.abs(a - current) - Math.abs(b - current))[0];
      if (wanted === undefined) throw new Error(`${control}: no row ${target} in column ${column}`);
      const box = await group.boundingBox();
      if (!box || wanted === current) break;
      const rowsToMove = Math.max(-2, Math.min(2, wanted - current));
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x, y - rowsToMove * WHEEL_ROW, { steps: 6 });
      await page.mouse.up();
      await page.waitForTimeout(350);
    }
  }
  await sheet.locator('.weui-picker__action', { hasText: '确定' }).click();
  await sheet.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
}

describe('consultations journey (h5 against the real API)', () => {
  it('goes from a proposed topic to a published decision with one ballot per household', { timeout: 300_000 }, async () => {
    // prepare: a community, its staff, a proposer, and two residents of one household
    const community = await newCommunity({ name: '幸福里议事社区' });
    const staff = await staffOf(community.id);
    const proposer = await verifiedResident(community.id);
    const flat = nextHousehold();
    const li = await verifiedResident(community.id, flat);
    const zhang = await verifiedResident(community.id, flat);

    // act 1: the resident proposes a topic
    const resident = await j.browser.newPhone();
    await devLogin(resident.page, proposer.openid);
    await open(resident.page, '/consultations/topics/index');
    await button(resident.page, '提出议题').click();
    await resident.page.locator('.page:visible input[placeholder="例如：加装电梯"]').fill('3号楼加装电梯');
    await textarea(resident.page, '具体情况和建议').fill('3号楼老人多，上下楼不便，希望社区牵头征求意见。');
    await button(resident.page, '提交议题').click();
    await shows(resident.page, '1 人附议');
    await shot(resident.page, '1-topic-proposed');

    // act 2: staff turn the topic into a consultation that closes about 90 s from now
    const staffPhone = await j.browser.newPhone();
    await devLogin(staffPhone.page, staff.openid);
    await open(staffPhone.page, '/consultations/topics/index');
    await shows(staffPhone.page, '3号楼加装电梯');
    await button(staffPhone.page, '转为协商').click();
    await shows(staffPhone.page, '来自居民议题');
    await textarea(staffPhone.page, '说明').fill('电梯拟装在楼道北侧，费用按楼层分摊。请各户表达意见（一户一票）。');
    // The pickers choose whole minutes: the first whole minute at least 90 s from now.
    const closesAt = new Date(Math.ceil((Date.now() + CLOSE_AFTER_MS) / 60_000) * 60_000);
    await pick(staffPhone.page, '截止时间日期', beijing(closesAt).date);
    await pick(staffPhone.page, '截止时间时间', beijing(closesAt).time);
    const [, month, day] = beijing(closesAt).date;
    const [hour = 0, minute = 0] = beijing(closesAt).time;
    await staffPhone.page.locator(`.page:visible [aria-label^="截止时间日期：${month}月${day}日 "]`).waitFor({ timeout: UI_TIMEOUT });
    const clock = `${hour > 12 ? hour - 12 : hour}:${String(minute).padStart(2, '0')}，`;
    await staffPhone.page.locator(`.page:visible [aria-label^="截止时间时间："][aria-label*="${clock}"]`).waitFor({ timeout: UI_TIMEOUT });
    await shot(staffPhone.page, '2-editor');
    // times read as people say them: no format, zone, field name or code on the page
    expect(await staffPhone.page.locator('.page:visible').innerText()).not.toMatch(/ISO|UTC|格式|北京时间|[A-Za-z]{3,}|\d{4}-\d{2}-\d{2}/);
    await button(staffPhone.page, /^发起协商$/).click();
    await expect.poll(() => staffPhone.page.url(), { timeout: UI_TIMEOUT }).toContain('/consultations/detail/index');
    await shows(staffPhone.page, '投票中');
    const id = new URL(staffPhone.page.url().replace('#', '')).searchParams.get('id') as string;
    expect(id).toBeTruthy();

    // act 3: two residents of one household try to vote; the first succeeds
    const liPhone = await j.browser.newPhone();
    await devLogin(liPhone.page, li.openid);
    await open(liPhone.page, `/consultations/detail/index?id=${id}`);
    await liPhone.page.locator('.page:visible .choice', { hasText: '同意' }).first().click();
    await button(liPhone.page, '确认投票').click();
    // a household ballot is confirmed first (it binds the whole household and cannot be changed)
    await confirmModal(liPhone.page, '确认投票');
    await shows(liPhone.page, '我的投票凭证');
    await shot(liPhone.page, '3-receipt');

    const zhangPhone = await j.browser.newPhone();
    await devLogin(zhangPhone.page, zhang.openid);
    await open(zhangPhone.page, `/consultations/detail/index?id=${id}`);
    await shows(zhangPhone.page, '本次为一户一票，您家已有成员投票');
    await shot(zhangPhone.page, '4-household-voted');
    expect(await zhangPhone.page.locator('.page:visible .btn', { hasText: '确认投票' }).count()).toBe(0);

    // act 4: the close passes on the real clock; the page shows the new state after a reload
    const wait = closesAt.getTime() - Date.now() + 1500;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await liPhone.page.reload();
    await shows(liPhone.page, '已截止');
    await button(liPhone.page, '查看投票结果').click();
    await shows(liPhone.page, '各选项得票');
    expect(await liPhone.page.locator('.page:visible .bar').count()).toBe(3);
    await shows(liPhone.page, '1 票 · 100%');
    await shot(liPhone.page, '5-results');

    // act 5: staff publish the decision
    await staffPhone.page.reload();
    await shows(staffPhone.page, '公开决定（工作人员）');
    await textarea(staffPhone.page, '决定内容').fill('同意加装电梯，报街道审批后实施。');
    await button(staffPhone.page, /^公开决定$/).click();
    await confirmModal(staffPhone.page, '公开决定');
    await shows(staffPhone.page, '公开的决定');
    await shot(staffPhone.page, '6-published');

    // assess: the resident's list shows it under 两公开
    await open(liPhone.page, '/pages/consult/index');
    await shows(liPhone.page, '结果与落实（两公开）');
    await shot(liPhone.page, '7-list');
  });
});
