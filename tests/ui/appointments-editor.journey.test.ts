/**
 * 服务事项编辑 in a browser: the h5 build against the real API (real handlers, DynamoDB Local).
 *
 * Staff open 预约办理, tap 新建服务事项, fill the form (two ranges on Monday chosen on the time
 * pickers, two materials, a closure chosen on the date picker), see a field error next to the field
 * they got wrong, fix it and save; the service is listed by the API with those values and staff can
 * open it again to edit.
 *
 * LINLI_H5_DIR points at the build (default dist/h5). Screenshots land in tests/artifacts/.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newCommunity, staffOf } from '../support/actors';
import { UI_TIMEOUT, button, field, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'appointments-editor-' });
const { devLogin, open, shows, shot } = j;

const area = (page: Page, placeholder: string, nth = 0) => page.locator(`.page:visible textarea[placeholder="${placeholder}"]`).nth(nth);

/** Waits for the element's animations and transitions (the sheet sliding up, a wheel settling). */
const settled = (locator: Locator) => locator.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));

/**
 * Chooses on a Taro h5 picker as a person would: taps its box, turns each wheel until the wanted
 * row ('08', '30'; '2026年', '05月', '20日') sits in the middle band (a mouse drag of at most three
 * rows at a time, so the pointer stays on the wheel), then taps 确定.
 */
async function pick(page: Page, opener: Locator, wanted: string[]): Promise<void> {
  await opener.click();
  const sheet = page.locator('.weui-picker:visible');
  await sheet.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await settled(sheet);
  for (const [column, text] of wanted.entries()) {
    const wheel = sheet.locator('.weui-picker__group').nth(column);
    for (let turn = 0; ; turn++) {
      // how far the nearest row with that text is from the middle band, in px (+ below it)
      const offset = await wheel.evaluate((group, label) => {
        const band = group.querySelector('.weui-picker__indicator')!.getBoundingClientRect();
        const rows = Array.from(group.querySelectorAll('.weui-picker__item')).filter((row) => row.textContent === label);
        const gaps = rows.map((row) => row.getBoundingClientRect().top - band.top);
        return gaps.length ? gaps.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a)) : null;
      }, text);
      if (offset === null) throw new Error(`the picker has no row ${text}`);
      if (Math.abs(offset) < 2) break;
      if (turn > 40) throw new Error(`the picker does not turn to ${text}`);
      const move = Math.max(-102, Math.min(102, -offset));
      const box = (await wheel.boundingBox())!;
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2 - move / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x, y + move, { steps: 6 });
      await page.mouse.up();
      await settled(wheel);
    }
  }
  await sheet.locator('.weui-picker__action', { hasText: '确定' }).click();
  await page.locator('.weui-picker__overlay:visible').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
}

/** A date some weeks ahead on the phone's calendar (Asia/Shanghai), as the date picker's rows say it. */
function weeksAhead(weeks: number): { iso: string; text: string; rows: string[] } {
  const day = new Date(Date.now() + 8 * 3600_000 + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
  const [y, m, d] = day.split('-');
  return { iso: day, text: `${y}年${Number(m)}月${Number(d)}日`, rows: [`${y}年`, `${m}月`, `${d}日`] };
}

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
    const { page } = await j.browser.newPhone({ viewport: { width: 390, height: 2600 } });
    await devLogin(page, staff.openid);
    await open(page, '/appointments/staff/index');
    await shows(page, '还没有服务事项');
    await button(page, '新建服务事项').click();
    await shows(page, '每周开放时间');
    await field(page, '如：社保卡办理').first().fill('低保申请');
    await page.locator('.page:visible .appt-chip', { hasText: '民政救助' }).click();
    await area(page, '如：本人居民身份证原件').fill('户口簿原件');
    await button(page, '添加一项材料').click();
    await area(page, '如：本人居民身份证原件', 1).fill('家庭收入证明');
    // Monday 08:30–12:00 and 14:00–17:30 on the time pickers (each opens at 09:00, 12:00, 14:00, 17:30)
    const monday = page.locator('.page:visible .svc-day').first();
    await monday.locator('.btn', { hasText: '添加时间段' }).click();
    await monday.locator('.btn', { hasText: '添加时间段' }).click();
    await pick(page, page.getByRole('button', { name: /^周一第1段开始：未选择/ }), ['08', '30']);
    await pick(page, page.getByRole('button', { name: /^周一第1段结束：未选择/ }), ['12', '00']);
    await pick(page, page.getByRole('button', { name: /^周一第2段开始：未选择/ }), ['14', '00']);
    await pick(page, page.getByRole('button', { name: /^周一第2段结束：未选择/ }), ['17', '30']);
    await expect.poll(() => monday.locator('.svc-range').allInnerTexts()).toEqual([
      expect.stringMatching(/^08:30\s*至\s*12:00\s*删除$/),
      expect.stringMatching(/^14:00\s*至\s*17:30\s*删除$/),
    ]);
    // a closure some weeks ahead on the date picker
    const closure = weeksAhead(6);
    await pick(page, button(page, '添加停办日期'), closure.rows);
    await page.getByRole('button', { name: new RegExp(`^停办日期1：${closure.text}`) }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
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
      schedule: { weekly: { mon: [['08:30', '12:00'], ['14:00', '17:30']] }, slotMinutes: 30, closures: [closure.iso] },
    });
    await shot(page, '3-staff');

    // act 3: 编辑 opens the saved service
    await button(page, /^编辑$/).click();
    await expect.poll(() => field(page, '如：社保卡办理').first().inputValue(), { timeout: UI_TIMEOUT }).toBe('低保申请');
    await shows(page, '保存修改');
  });
});
