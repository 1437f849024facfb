/**
 * MIIT 2021 适老化, "no timed pop-ups": in elder mode a message stays until the person closes it.
 *
 * The dev login refuses an openid with a space; the page shows that error the one way every page
 * does (api/errors showError → platform toast()). In normal mode it is a toast that goes by itself
 * after 3 s; in elder mode it is a modal, still there well after a toast would have gone, that goes
 * when the person taps 知道了. No API data is needed: the refusal is a validation error.
 *
 * LINLI_H5_DIR points at the build (default dist/h5). Screenshots land in tests/artifacts/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setElderMode } from '../support/axe';
import { UI_TIMEOUT, button, confirmModal, field, modal, useJourney } from '../support/journey';

const j = useJourney({ shots: 'elder-messages-' });
const { open, shows, shot } = j;

/** Longer than any toast stays (errors 3 s, others 2 s: platform toast()). */
const LONGER_THAN_A_TOAST_MS = 6_000;

/** Taro's h5 toast box while it is shown (its wrapper has no size: the box is fixed-positioned). */
const toastShown = (page: Page) => page.locator('.taro__toast > div:last-child:visible').first();

/** Tries to log in as `bad openid`, which the dev login refuses. */
async function refusedLogin(page: Page): Promise<void> {
  await open(page, '/pages/login/index');
  await field(page, '字母、数字、- 或 _').fill('bad openid');
  await button(page, /^登录$/).click();
}

describe('messages in elder mode (h5)', () => {
  it('normal mode: an error is a toast that goes by itself', { timeout: 120_000 }, async () => {
    const { page } = await j.browser.newPhone();
    await refusedLogin(page);
    await toastShown(page).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    expect((await toastShown(page).innerText()).trim()).not.toBe('');
    expect(await modal(page).isVisible()).toBe(false);
    await toastShown(page).waitFor({ state: 'hidden', timeout: LONGER_THAN_A_TOAST_MS });
  });

  it('elder mode: an error is a modal that stays until the person taps 知道了', { timeout: 120_000 }, async () => {
    const { context, page } = await j.browser.newPhone();
    await setElderMode(context, true);
    await refusedLogin(page);
    await shows(page, '开发登录');
    const shown = modal(page);
    await shown.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const message = (await shown.locator('.taro-modal__text').innerText()).trim();
    expect(message).not.toBe('');
    expect(await shown.getByText('知道了', { exact: true }).isVisible()).toBe(true);
    expect(await shown.getByText('取消', { exact: true }).isVisible()).toBe(false);
    // large text: at least the elder body size (20px)
    expect(await shown.locator('.taro-modal__text').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(20);
    await shot(page, 'error');

    // still there after any toast would have gone, and no toast instead
    await page.waitForTimeout(LONGER_THAN_A_TOAST_MS);
    expect(await shown.isVisible()).toBe(true);
    expect((await shown.locator('.taro-modal__text').innerText()).trim()).toBe(message);
    expect(await toastShown(page).isVisible()).toBe(false);

    // closed by the person
    await confirmModal(page, '知道了');
    await shown.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  });
});
