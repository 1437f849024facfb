/**
 * 大厅布局 (staff) in the browser: a new community's staff member opens it from 工作台, lays out
 * two categories and two windows, sees the contract's Chinese message for a missing name, saves,
 * and the API holds the layout. At a desk (1280 px) and on a phone in elder mode; screenshots in
 * tests/artifacts/hall-<width>-<mode>-*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newCommunity, staffOf } from '../support/actors';
import { axeViolations, setElderMode } from '../support/axe';
import { UI_TIMEOUT, button, confirmModal, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'hall-' });

const input = (page: Page, label: string) => page.locator(`.page:visible input[aria-label="${label}"]`);
const chip = (page: Page, row: number, label: string) => page.locator('.page:visible .hall-row', { has: page.locator('.hall-chips') }).nth(row).locator('.hall-chip', { hasText: label });

describe('大厅布局 (staff)', () => {
  for (const [width, elder] of [[1280, false], [390, true]] as const) {
    const mode = elder ? 'elder' : 'normal';
    it(`lays out two categories and two windows at ${width} px in ${mode} mode`, { timeout: 150_000 }, async () => {
      // prepare: a community without a hall, its staff member's browser
      const { id: cid } = await newCommunity();
      const staff = await staffOf(cid);
      const { context, page } = await j.browser.newPhone({ viewport: { width, height: 800 } });
      await setElderMode(context, elder);
      await j.devLogin(page, staff.openid);

      // act: from 工作台 to the page; a second category left unnamed, then named and served
      await j.open(page, `/pages/index/index?cid=${cid}`);
      await page.locator('.page:visible .tile', { hasText: '工作台' }).click();
      await page.locator('.page:visible .tile', { hasText: '大厅布局' }).click();
      await j.shows(page, '本社区尚未设置服务大厅');
      await input(page, '第 1 类名称').fill('社保');
      await button(page, '增加业务类别').click();
      await expect.poll(() => input(page, '第 2 类代码').inputValue()).toBe('B');
      await button(page, '增加窗口').click();
      await button(page, '保存大厅布局').click();
      if (elder) await confirmModal(page, '知道了');
      await j.shows(page, '错误：不能为空');
      await j.shot(page, `${width}-${mode}-invalid`);
      await input(page, '第 2 类名称').fill('民政');
      await chip(page, 1, '民政（B）').click();
      await chip(page, 0, '民政（B）').click();
      await input(page, '优先号连续叫几个后，插入一个普通号').fill('3');
      expect(await axeViolations(page)).toEqual([]);
      await j.shot(page, `${width}-${mode}-filled`);
      await button(page, '保存大厅布局').click();

      // assess: the API holds exactly that layout; no English or code on the page
      await expect
        .poll(async () => (await call('GET', `/v1/communities/${cid}/hall`, { token: staff.token })).body.priorityRatio, { timeout: UI_TIMEOUT })
        .toBe(3);
      const hall = (await call('GET', `/v1/communities/${cid}/hall`, { token: staff.token })).body;
      expect(hall.categories).toEqual([{ code: 'A', name: '社保' }, { code: 'B', name: '民政' }]);
      expect(hall.windows.map((w: { no: number; categories: string[] }) => [w.no, w.categories])).toEqual([[1, ['A', 'B']], [2, ['B']]]);
      expect(hall.maxWaitMin).toBe(60);
      if (elder) await confirmModal(page, '知道了');
      await j.shows(page, '2 号窗口办理的业务');
      expect((await page.locator('.page:visible').innerText()).match(/[A-Za-z]{3,}/g)).toBeNull();
      await j.shot(page, `${width}-${mode}-saved`);

      if (width === 1280) {
        // at a desk the categories and the windows sit side by side
        const [left, right] = [await page.locator('.hall-panes > .card').nth(0).boundingBox(), await page.locator('.hall-panes > .card').nth(1).boundingBox()];
        expect(left && right && Math.abs(left.y - right.y) < 2 && right.x > left.x).toBe(true);
      }
      await context.close();
    });
  }
});
