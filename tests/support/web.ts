/**
 * The browser side of the UI tests: a static server for the h5 build that points it at a test
 * API, and a headless Chromium with a phone-sized viewport.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumLaunch } from './chromium';

export const ROOT = resolve(__dirname, '../..');
/** The h5 build: LINLI_H5_DIR when set (a build of one's own, e.g. LINLI_OUT_DIR=/tmp/x → /tmp/x/h5), else dist/h5. */
export const H5_DIR = process.env.LINLI_H5_DIR ? resolve(process.env.LINLI_H5_DIR) : join(ROOT, 'dist/h5');
export const WEAPP_DIR = join(ROOT, 'dist/weapp');
export const ARTIFACTS = join(ROOT, 'tests/artifacts');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/**
 * Serves the h5 build (H5_DIR unless told otherwise) on a free port. index.html gets
 * `<script>window.__LINLI_API_BASE__="<apiBase>"</script>` before any bundle, so the build talks
 * to the given API whatever LINLI_API_BASE it was built with.
 */
export async function serveH5(apiBase: string, dir = H5_DIR): Promise<{ url: string; close(): Promise<void> }> {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm run build:h5\` first`);
  const inject = `<script>window.__LINLI_API_BASE__=${JSON.stringify(apiBase).replace(/</g, '\\u003c')}</script>`;
  const html = (await readFile(index, 'utf8')).replace(/<head>/i, `<head>${inject}`);

  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
      const file = normalize(join(dir, path));
      if (file !== dir && !file.startsWith(dir + sep)) {
        res.writeHead(403).end();
        return;
      }
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile() || file === index) {
        // The app routes by hash: every other path is the app itself.
        res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' }).end(html);
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export const PHONE = { width: 390, height: 844 };

/**
 * A headless Chromium (the one from npm, see chromium.ts) with its own fresh profile. `newPhone()`
 * opens an isolated context (its own storage, so each test user is a separate "phone") with a
 * 390×844 viewport.
 *
 * Playwright refuses a `--user-data-dir` argument on `launch()`; instead it gives every launch a
 * fresh temporary profile of its own (and deletes it on close), which is what we want.
 */
export async function launchBrowser(): Promise<{
  browser: Browser;
  newPhone(options?: { viewport?: { width: number; height: number } }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}> {
  const { executablePath, env, args } = await chromiumLaunch();
  const browser = await chromium.launch({ executablePath, env, args, headless: true });
  return {
    browser,
    async newPhone(options = {}) {
      const context = await browser.newContext({
        viewport: options.viewport ?? PHONE,
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      await browser.close();
    },
  };
}
