/**
 * What every browser journey sets up: the API (real handlers, DynamoDB Local), the h5 build
 * served against it, a headless Chromium; and the few steps every journey takes on a phone
 * (open a page of the hash router, log in on the dev-login page, wait for text, screenshot).
 *
 *   const j = useJourney({ shots: 'queue-' });   // registers beforeAll/afterAll
 *   const phone = await j.browser.newPhone();
 *   await j.devLogin(phone.page, openid);
 *   await j.open(phone.page, '/queue/take/index?cid=…');
 *   await j.shows(phone.page, '正在等候');
 *   await j.shot(phone.page, 'take');           // → tests/artifacts/queue-take.png
 *
 * The h5 build is LINLI_H5_DIR when set, else dist/h5 (see web.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startApi } from './stack';
import { ARTIFACTS, launchBrowser, serveH5 } from './web';

/** Playwright waits up to this long for each UI change (pages poll the API over HTTP). */
export const UI_TIMEOUT = 20_000;

export type Api = Awaited<ReturnType<typeof startApi>>;
export type Web = Awaited<ReturnType<typeof serveH5>>;
export type BrowserHandle = Awaited<ReturnType<typeof launchBrowser>>;

export interface JourneyOptions {
  /** Prefix of screenshot file names ('queue-' → tests/artifacts/queue-<name>.png). */
  shots?: string;
  /** Wait this long before a screenshot (Taro's page transition), in ms. */
  settleMs?: number;
}

export interface Journey {
  /** Set in beforeAll. */
  readonly api: Api;
  readonly web: Web;
  readonly browser: BrowserHandle;
  /** Opens the app on a page of its hash router ('/pages/me/index?x=1'). */
  open(page: Page, path: string): Promise<void>;
  /** Logs in on the dev-login page with an openid (and a nickname), then waits for the home page. */
  devLogin(page: Page, openid: string, nickname?: string): Promise<void>;
  /** Waits until the visible page shows the text. */
  shows(page: Page, text: string | RegExp): Promise<void>;
  /** A full-page screenshot to tests/artifacts/<prefix><name>.png. */
  shot(page: Page, name: string): Promise<void>;
  /** Waits until the h5 router's slide-in (and any other finite animation) has ended. */
  settle(page: Page): Promise<void>;
}

/** The text input with that placeholder on the visible page (Taro wraps <input> in its own element). */
export const field = (page: Page, placeholder: string) => page.locator(`.page:visible input[placeholder="${placeholder}"]`);

/** A button of the visible page by its text (the first match). */
export const button = (page: Page, text: string | RegExp) => page.locator('.page:visible .btn', { hasText: text }).first();

/** Taro's h5 modal while it is shown (Taro.showModal: a confirm() dialog, or any message in elder mode). */
export const modal = (page: Page) => page.locator('.taro__modal:visible, .taro-modal__content:visible').first();

/** Waits for Taro's h5 modal and taps its button with that text ('取消预约', '知道了'). */
export async function confirmModal(page: Page, text: string): Promise<void> {
  const shown = modal(page);
  await shown.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await shown.getByText(text, { exact: true }).last().click();
}

export function useJourney(options: JourneyOptions = {}): Journey {
  let api: Api | undefined;
  let web: Web | undefined;
  let browser: BrowserHandle | undefined;
  const ready = <T>(value: T | undefined, name: string): T => {
    if (!value) throw new Error(`journey: ${name} is not started (use it inside a test)`);
    return value;
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    api = await startApi();
    web = await serveH5(api.base);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await api?.close();
  });

  const journey: Journey = {
    get api() {
      return ready(api, 'api');
    },
    get web() {
      return ready(web, 'web');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    async open(page, path) {
      await page.goto(`${journey.web.url}#${path}`);
    },
    async devLogin(page, openid, nickname) {
      await journey.open(page, '/pages/login/index');
      await field(page, '字母、数字、- 或 _').fill(openid);
      if (nickname) await field(page, '如 李阿姨').fill(nickname);
      await page.locator('.btn', { hasText: /^登录$/ }).click();
      await expect.poll(() => page.url(), { timeout: UI_TIMEOUT }).toContain('/pages/index/index');
    },
    async shows(page, text) {
      await page.locator('.taro_page:visible, .page:visible').getByText(text).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    },
    async settle(page) {
      await page
        .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, { timeout: 3000 })
        .catch(() => undefined);
    },
    async shot(page, name) {
      // The h5 router slides each new page in: a screenshot waits for it.
      await journey.settle(page);
      if (options.settleMs) await page.waitForTimeout(options.settleMs);
      await page.screenshot({ path: join(ARTIFACTS, `${options.shots ?? ''}${name}.png`), fullPage: true });
    },
  };
  return journey;
}
