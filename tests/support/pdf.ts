/**
 * Checking PDFs without poppler: text through pdfjs-dist in Node, pictures through pdfjs-dist in
 * the test Chromium (a canvas needs a browser; Node has none).
 */
import { readFile } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import type { Browser } from 'playwright-core';

const PDFJS = resolve(__dirname, '../../node_modules/pdfjs-dist');

/** The text of every page, in reading order; a line break where the PDF ends a line. */
export async function pdfText(pdf: Uint8Array): Promise<string[]> {
  // The legacy build is the one that runs in Node.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs takes ownership of (detaches) the buffer it is given: give it a copy.
  const doc = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl: `${join(PDFJS, 'standard_fonts')}/` }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** An origin of our own inside the browser: pdfjs-dist's files and the PDF itself, served by request interception. */
const ORIGIN = 'http://pdf.test';

/**
 * The page that draws: pdfjs-dist's browser build on a canvas. It lives in HTML, not in a function
 * given to page.evaluate, because vitest rewrites `import()` in test code for Node.
 */
const RENDERER = `<!doctype html><canvas></canvas><script type="module">
import * as pdfjs from '/build/pdf.min.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = '/build/pdf.worker.min.mjs';
window.renderPdfPage = async (pageNumber, scale) => {
  const doc = await pdfjs.getDocument({ url: '/document.pdf', cMapUrl: '/cmaps/', standardFontDataUrl: '/standard_fonts/' }).promise;
  const page = await doc.getPage(pageNumber);
  const viewport = page.getViewport({ scale });
  const canvas = document.querySelector('canvas');
  canvas.width = Math.ceil(viewport.width);
  canvas.height = Math.ceil(viewport.height);
  await page.render({ canvas, viewport, background: '#ffffff' }).promise;
  return canvas.toDataURL('image/png');
};
</script>`;

/** Renders one page of a PDF to a PNG (`scale` device pixels per PDF point) in a fresh browser context. */
export async function renderPdfPage(browser: Browser, pdf: Uint8Array, pageNumber = 1, scale = 2): Promise<Buffer> {
  const context = await browser.newContext();
  try {
    await context.route(`${ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: RENDERER });
      if (path === '/document.pdf') return route.fulfill({ contentType: 'application/pdf', body: Buffer.from(pdf) });
      const file = normalize(join(PDFJS, path));
      const body = file.startsWith(PDFJS + sep) ? await readFile(file).catch(() => undefined) : undefined;
      if (!body) return route.fulfill({ status: 404 });
      return route.fulfill({ contentType: file.endsWith('.mjs') ? 'text/javascript' : 'application/octet-stream', body });
    });
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => 'renderPdfPage' in window);
    const dataUrl: string = await page.evaluate(
      ([n, s]) => (window as unknown as { renderPdfPage(n: number, s: number): Promise<string> }).renderPdfPage(n, s),
      [pageNumber, scale] as const,
    );
    return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  } finally {
    await context.close();
  }
}
