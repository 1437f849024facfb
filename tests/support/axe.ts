/**
 * Accessibility checks of the h5 build in Chromium: axe-core at WCAG 2.1 AA, and the
 * measurements the MIIT 适老化 checklist asks of the elder mode (text size, line spacing, tap
 * targets). Everything is measured on what the person sees: the visible Taro page and the tab bar
 * (Taro keeps the pages of the stack and the other tabs in the DOM, hidden).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG21AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  /** The rule, e.g. 'color-contrast'. */
  id: string;
  impact: string | null;
  help: string;
  /** CSS selectors of the failing elements, each with the start of its HTML. */
  targets: string[];
}

/** One page in one mode, as tests/ui/axe.test.ts reports it (LINLI_AXE_REPORT) for bench/axe.ts. */
export interface AxePageReport {
  /** As app.config.ts names it: 'queue/take/index'. */
  page: string;
  mode: 'normal' | 'elder';
  /** Who looked at it (a demo openid, 'newcomer', 'walk-in' or 'nobody'). */
  as: string;
  violations: AxeViolation[];
  legibility: Legibility;
  /** Elder mode was applied on the page. */
  elder: boolean;
  /** The page has an elder mode at all (the hall's TV board has not). */
  elderMode: boolean;
}

/** The storage key of the elder-mode switch (miniprogram/src/store/elder.ts). */
export const ELDER_KEY = 'linli.elder';

/**
 * Turns elder mode on (or off) for every page the context opens from now on, as the switch on
 * 我的 would: the choice is read from storage when the app starts. Taro's h5 storage keeps each
 * value as JSON {"data": value} in localStorage.
 */
export async function setElderMode(context: BrowserContext, on: boolean): Promise<void> {
  await context.addInitScript(
    ([key, value]) => {
      try {
        window.localStorage.setItem(key as string, JSON.stringify({ data: value }));
      } catch {
        // storage unavailable: the app starts in normal mode
      }
    },
    [ELDER_KEY, on] as const,
  );
}

/** Is elder mode applied on the visible page (PageShell's `elder` class)? */
export const elderApplied = (page: Page): Promise<boolean> =>
  page.evaluate(() => Array.from(document.querySelectorAll('.page')).some((el) => (el as HTMLElement).offsetParent !== null && el.classList.contains('elder')));

/**
 * Runs axe-core on the visible page (hidden Taro pages excluded) with the WCAG 2.1 AA rules, or
 * only the rules named.
 */
export async function axeViolations(page: Page, options: { rules?: string[] } = {}): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (rules) => {
    type Result = { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string }[] }[] };
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<Result> } }).axe;
    const hidden = Array.from(document.querySelectorAll('.taro_page')).filter((el) => {
      const style = getComputedStyle(el);
      return style.display === 'none' || style.visibility === 'hidden' || el.getClientRects().length === 0;
    });
    const runOnly = rules ? { type: 'rule', values: rules } : { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] };
    const result = await axe.run(hidden.length ? { exclude: hidden } : document, { runOnly, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.map(String).join(' ')} — ${n.html.slice(0, 120)}`),
    }));
  }, options.rules);
}

export interface Legibility {
  /** The smallest computed font size of any visible text, CSS px, and that text. */
  minFontPx: number;
  minFontText: string;
  /** The smallest line-height ÷ font-size of any visible text ('normal' counts as 1.2), and that text. */
  minLineHeight: number;
  minLineHeightText: string;
  /** The smallest side (min of width and height) of any visible tap target, CSS px, and that target. */
  minTapPx: number;
  minTapText: string;
  /** How many tap targets were measured. */
  tapTargets: number;
}

/**
 * What the elder-mode checklist measures on the visible page and the tab bar: text size, line
 * spacing and tap targets. Tap targets are buttons, links, inputs and anything with an
 * interactive role (Taro's <Button> renders taro-button-core; tappable Views carry role="button").
 */
export function legibility(page: Page): Promise<Legibility> {
  return page.evaluate(() => {
    const roots = Array.from(document.querySelectorAll('.taro_page, .taro-tabbar__tabbar')).filter((el) => {
      const style = getComputedStyle(el);
      return style.display !== 'none' && style.visibility !== 'hidden' && el.getClientRects().length > 0;
    });
    const shown = (el: Element): boolean => {
      const rect = el.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) return false;
      for (let node: Element | null = el; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return false;
      }
      return true;
    };
    const label = (el: Element) => (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || '').trim().replace(/\s+/g, ' ').slice(0, 40) || el.tagName.toLowerCase();

    let minFontPx = Infinity;
    let minFontText = '';
    let minLineHeight = Infinity;
    let minLineHeightText = '';
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent?.trim();
        const el = node.parentElement;
        if (!text || !el || !shown(el)) continue;
        const style = getComputedStyle(el);
        const size = parseFloat(style.fontSize);
        const lineHeight = style.lineHeight === 'normal' ? 1.2 * size : parseFloat(style.lineHeight);
        if (size < minFontPx) {
          minFontPx = size;
          minFontText = text.slice(0, 40);
        }
        const ratio = lineHeight / size;
        if (ratio < minLineHeight) {
          minLineHeight = ratio;
          minLineHeightText = text.slice(0, 40);
        }
      }
    }

    const TAPPABLE =
      'button, a[href], input:not([type=hidden]), textarea, select, taro-button-core, taro-checkbox-core, taro-radio-core, taro-switch-core, ' +
      '[role=button], [role=link], [role=checkbox], [role=radio], [role=switch], [role=tab], [role=option], [role=menuitem]';
    const targets = new Set<Element>();
    for (const root of roots) for (const el of Array.from(root.querySelectorAll(TAPPABLE))) if (shown(el)) targets.add(el);
    // A tab of the tab bar is one target, whatever its inner parts.
    for (const el of Array.from(document.querySelectorAll('.taro-tabbar__tabbar .weui-tabbar__item'))) if (shown(el)) targets.add(el);
    // A native control inside a Taro wrapper is the wrapper's target: measure the outermost one.
    const outermost = Array.from(targets).filter((el) => {
      for (let p = el.parentElement; p; p = p.parentElement) if (targets.has(p)) return false;
      return true;
    });
    let minTapPx = Infinity;
    let minTapText = '';
    for (const el of outermost) {
      const rect = el.getBoundingClientRect();
      const side = Math.min(rect.width, rect.height);
      if (side < minTapPx) {
        minTapPx = side;
        minTapText = label(el);
      }
    }
    const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 100) / 100 : -1);
    return {
      minFontPx: round(minFontPx),
      minFontText,
      minLineHeight: round(minLineHeight),
      minLineHeightText,
      minTapPx: round(minTapPx),
      minTapText,
      tapTargets: outermost.length,
    };
  });
}
