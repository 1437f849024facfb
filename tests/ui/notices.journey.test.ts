/**
 * 居务公开 in a browser: the h5 build against the real API (real handlers, DynamoDB Local).
 *
 * Staff post a 财务公开 with a money table and a PDF through the editor; a resident sees it unread
 * in the list and opens it (the table in yuan with its total, the PDF through its signed link);
 * staff see the open count rise; in elder mode the resident has it read aloud. Screenshots of each
 * page, the editor also at a 1280 px desk and in elder mode, land in tests/artifacts/notices-*.png.
 *
 * LINLI_H5_DIR points at the build (default dist/h5).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newCommunity, staffOf, verifiedResident } from '../support/actors';
import { TINY_PDF } from '../fixtures/gps-photo';
import { setElderMode } from '../support/axe';
import { UI_TIMEOUT, button, useJourney } from '../support/journey';

const j = useJourney({ shots: 'notices-', settleMs: 700 });
const { devLogin, open, shows, shot } = j;

const input = (page: Page, label: string) => page.locator('.page:visible .field', { hasText: label }).locator('input').first();
const chip = (page: Page, text: string) => page.locator('.page:visible .tab', { hasText: text }).first();

describe('notices journey (h5 against the real API)', () => {
  it('takes a 财务公开 with a table and a PDF from the editor to a resident, and the open count rises', { timeout: 240_000 }, async () => {
    // prepare: a community, its staff and a verified resident
    const community = await newCommunity({ name: '幸福里公开社区' });
    const staff = await staffOf(community.id);
    const resident = await verifiedResident(community.id);

    // act 1: staff write the notice: title, category, two paragraphs (one bold), two table rows
    const staffPhone = await j.browser.newPhone();
    await devLogin(staffPhone.page, staff.openid);
    await open(staffPhone.page, '/notices/editor/index');
    await shows(staffPhone.page, '增加段落');
    await input(staffPhone.page, '标题').fill('第三季度公共收益收支公开');
    await chip(staffPhone.page, '财务公开').click();
    await staffPhone.page.locator('.page:visible textarea[aria-label="第 1 段内容"]').fill('现将本季度公共收益收支公布如下，请居民监督。');
    await button(staffPhone.page, '增加段落').click();
    await staffPhone.page.locator('.page:visible textarea[aria-label="第 2 段内容"]').fill('如有疑问请到社区服务站反映。');
    await staffPhone.page.locator('.page:visible [role="radiogroup"][aria-label="第 2 段样式"] .tab', { hasText: '加粗' }).click();
    await input(staffPhone.page, '第 1 行 项目').fill('场地租赁收入');
    await input(staffPhone.page, '第 1 行 金额').fill('36000');
    await button(staffPhone.page, '增加一行').click();
    await input(staffPhone.page, '第 2 行 项目').fill('绿化养护支出');
    await input(staffPhone.page, '第 2 行 金额').fill('-12500.5');
    await shows(staffPhone.page, '合计：23,499.50 元');
    const [chooser] = await Promise.all([staffPhone.page.waitForEvent('filechooser', { timeout: UI_TIMEOUT }), button(staffPhone.page, '添加附件').click()]);
    await chooser.setFiles({ name: '收支明细.pdf', mimeType: 'application/pdf', buffer: TINY_PDF });
    await shows(staffPhone.page, '已上传');
    await shot(staffPhone.page, 'editor');
    // amounts and dates read as people say them: no code, zone or raw date on the page
    expect(await staffPhone.page.locator('.page:visible').innerText()).not.toMatch(/ISO|UTC|fen|[A-Za-z]{4,}|\d{4}-\d{2}-\d{2}/);
    await button(staffPhone.page, /^发布公告$/).click();
    await expect.poll(() => staffPhone.page.url(), { timeout: UI_TIMEOUT }).toContain('/notices/detail/index');
    await shows(staffPhone.page, '已有 0 户查看');
    const id = new URL(staffPhone.page.url().replace('#', '')).searchParams.get('id') as string;
    expect(id).toBeTruthy();

    // act 2: the resident finds it unread in the list and opens it
    const residentPhone = await j.browser.newPhone();
    await devLogin(residentPhone.page, resident.openid);
    await open(residentPhone.page, '/notices/list/index');
    await shows(residentPhone.page, '第三季度公共收益收支公开');
    await shows(residentPhone.page, '未读');
    await shot(residentPhone.page, 'list');
    await residentPhone.page.locator('.page:visible [role="link"]', { hasText: '第三季度公共收益收支公开' }).click();
    await shows(residentPhone.page, '23,499.50 元');
    await shows(residentPhone.page, '-12,500.50 元');
    expect(await residentPhone.page.locator('.page:visible .notice__bold', { hasText: '如有疑问请到社区服务站反映。' }).count()).toBe(1);
    expect(await residentPhone.page.locator('.page:visible').innerText()).not.toContain('户查看');
    // the PDF opens through its signed link (h5 saves it)
    const [download] = await Promise.all([residentPhone.page.waitForEvent('download', { timeout: UI_TIMEOUT }), button(residentPhone.page, '打开附件：附件 1').click()]);
    expect(download.suggestedFilename()).toBe('附件 1.pdf');
    await shot(residentPhone.page, 'detail');

    // assess: staff see one household has opened it; the resident's list no longer marks it
    await expect
      .poll(async () => {
        await staffPhone.page.reload();
        return staffPhone.page.locator('.page:visible').getByText('已有 1 户查看').count();
      }, { timeout: UI_TIMEOUT })
      .toBe(1);
    await shot(staffPhone.page, 'staff-opens');
    await open(residentPhone.page, '/notices/list/index');
    await shows(residentPhone.page, '第三季度公共收益收支公开');
    expect(await residentPhone.page.locator('.page:visible .unread').count()).toBe(0);

    // act 3: in elder mode the resident has it read aloud (what the page hands to speech is recorded)
    const elder = await j.browser.newPhone();
    await setElderMode(elder.context, true);
    await elder.context.addInitScript(() => {
      const spoken: string[] = [];
      (window as unknown as { spoken: string[] }).spoken = spoken;
      window.speechSynthesis.speak = (utterance: SpeechSynthesisUtterance) => void spoken.push(utterance.text);
    });
    await devLogin(elder.page, resident.openid);
    await open(elder.page, `/notices/detail/index?id=${id}`);
    await shows(elder.page, '23,499.50 元');
    await button(elder.page, '朗读公告').click();
    await shows(elder.page, '停止朗读');
    const spoken = await elder.page.evaluate(() => (window as unknown as { spoken: string[] }).spoken.join(''));
    expect(spoken).toContain('第三季度公共收益收支公开');
    expect(spoken).toContain('合计，23,499.50 元');
    await shot(elder.page, 'detail-elder');
    await open(elder.page, '/notices/list/index');
    await shows(elder.page, '第三季度公共收益收支公开');
    await shot(elder.page, 'list-elder');

    // the editor at a desk, and in elder mode on a phone
    const desk = await j.browser.newPhone({ viewport: { width: 1280, height: 800 } });
    await devLogin(desk.page, staff.openid);
    await open(desk.page, '/notices/editor/index');
    await chip(desk.page, '财务公开').click();
    await shows(desk.page, '收支明细表');
    await shot(desk.page, 'editor-1280');
    const elderStaff = await j.browser.newPhone();
    await setElderMode(elderStaff.context, true);
    await devLogin(elderStaff.page, staff.openid);
    await open(elderStaff.page, '/notices/editor/index');
    await chip(elderStaff.page, '财务公开').click();
    await shows(elderStaff.page, '收支明细表');
    await shot(elderStaff.page, 'editor-elder');
  });
});
