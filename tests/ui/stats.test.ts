/**
 * 社区指标 as the demo staff member sees it, on a phone and at a desk, in normal and elder mode:
 * every indicator named in Chinese with its period and (for volunteers) its target; no raw key,
 * English word or ISO date on the page; groups side by side at 1280 px. Screenshots land in
 * tests/artifacts/stats-<width>-<mode>[-escorts|-lower].png.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMMUNITY, seedDemo } from '../../scripts/seed';
import { axeViolations, setElderMode } from '../support/axe';
import { UI_TIMEOUT, useJourney } from '../support/journey';

const j = useJourney({ shots: 'stats-' });

beforeAll(async () => {
  await seedDemo();
});

const visibleText = (page: Page) => page.locator('.page:visible').innerText();

describe('社区指标 (staff)', () => {
  for (const width of [390, 1280]) {
    for (const elder of [false, true]) {
      const mode = elder ? 'elder' : 'normal';
      it(`names every indicator in Chinese with its period and target at ${width} px in ${mode} mode`, { timeout: 120_000 }, async () => {
        // prepare: the demo staff member's browser at that width and mode
        const { context, page } = await j.browser.newPhone({ viewport: { width, height: 800 } });
        await setElderMode(context, elder);
        await j.devLogin(page, 'staff-wang');

        // act
        await j.open(page, `/staff/stats/index?cid=${DEMO_COMMUNITY}`);
        await j.shows(page, '注册志愿者占居民比例');
        await expect.poll(() => page.locator('.page:visible .state--loading').count(), { timeout: UI_TIMEOUT }).toBe(0);
        await j.shot(page, `${width}-${mode}`);
        await page.locator('.page:visible .card', { hasText: '志愿陪同' }).scrollIntoViewIfNeeded();
        await j.shot(page, `${width}-${mode}-escorts`);
        await page.locator('.page:visible .card', { hasText: '议事协商' }).scrollIntoViewIfNeeded();
        await j.shot(page, `${width}-${mode}-lower`);

        // assess: the policy's names, periods and target; the hall's category names
        const text = await visibleText(page);
        for (const words of ['预约办理', '取号叫号', '志愿服务', '志愿陪同', '陪同申请', '无人认领', '议事协商', '爽约率', '平均等候时长', '平均办理时长', '满意度测评平均分', '平均投票率', '诉求反映', '响应率', '解决率', '满意率', '走访入户率', '目标 ≥ 15%', '未达标', '今日', '截至目前', '社保（A 号）', '1 号窗口']) {
          expect(text, words).toContain(words);
        }
        expect(text).toMatch(/本月（\d{4}年\d{1,2}月）/);
        // no raw key, English word, ISO date or id
        expect(text.match(/[A-Za-z]{3,}/g)).toBeNull();
        expect(text).not.toMatch(/\d{4}-\d{2}(-\d{2})?/);
        expect(await axeViolations(page)).toEqual([]);

        if (width === 1280) {
          // at a desk the capability groups sit side by side
          const cards = page.locator('.page:visible .stats-groups > .card');
          const [first, second] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
          expect(first && second && Math.abs(first.y - second.y) < 2 && second.x > first.x + first.width - 1).toBe(true);
        }
        await context.close();
      });
    }
  }
});
