/**
 * Inclusion: axe-core (WCAG 2.1 AA) on every h5 page in normal and elder mode, and the MIIT 2021
 * 适老化 checklist items that apply to a mini-program, with their evidence. Runs
 * tests/ui/axe.test.ts on the h5 build (LINLI_H5_DIR, default dist/h5) and reads its report.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AxePageReport } from '../tests/support/axe';
import { table, writeSection } from './report';

/** MIIT 《移动互联网应用（APP）适老化通用设计规范》(2021): 适老版 text ≥ 18 dp/pt, targets ≥ 60 × 60 dp/pt (others ≥ 44 × 44). */
const ELDER_MIN_FONT = 18;
const MIN_LINE_HEIGHT = 1.3;
const ELDER_MIN_TAP = 60;
const NORMAL_MIN_TAP = 44;

const fmt = (n: number | undefined, digits = 0): string => (n === undefined || n < 0 ? '–' : n.toFixed(digits));

export function axe(): void {
  const root = resolve(__dirname, '..');
  const report = join(mkdtempSync(join(tmpdir(), 'linli-axe-')), 'axe.json');
  let testsPassed = true;
  try {
    execSync('npx vitest run --project ui tests/ui/axe.test.ts', {
      cwd: root,
      env: { ...process.env, LINLI_AXE_REPORT: report },
      stdio: 'ignore',
    });
  } catch {
    // A page with violations fails the test; its figures are in the report all the same.
    testsPassed = false;
  }
  if (!existsSync(report)) throw new Error('tests/ui/axe.test.ts wrote no report: is the h5 build there (npm run build:h5)?');
  const results = JSON.parse(readFileSync(report, 'utf8')) as AxePageReport[];
  const pages = [...new Set(results.map((r) => r.page))];
  const find = (page: string, mode: AxePageReport['mode']) => results.find((r) => r.page === page && r.mode === mode);

  const rows = pages.map((page) => {
    const normal = find(page, 'normal');
    const elder = find(page, 'elder');
    const count = (r?: AxePageReport) => (r ? String(r.violations.length) : 'not run');
    const measured = elder?.elderMode ? elder.legibility : undefined;
    return [
      `\`${page}\``,
      normal?.as ?? elder?.as ?? '',
      count(normal),
      count(elder),
      measured ? fmt(measured.minFontPx, 1) : 'n/a',
      measured ? fmt(measured.minLineHeight, 2) : 'n/a',
      measured ? (measured.tapTargets ? fmt(measured.minTapPx, 0) : 'no targets') : 'n/a',
    ];
  });

  const phonePagesElder = results.filter((r) => r.mode === 'elder' && r.elderMode);
  const phonePagesNormal = results.filter((r) => r.mode === 'normal' && r.elderMode);
  const violations = results.flatMap((r) => r.violations.map((v) => ({ ...v, page: r.page, mode: r.mode })));
  const byRule = (ids: string[]) => violations.filter((v) => ids.includes(v.id));
  const worst = <K extends 'minFontPx' | 'minLineHeight' | 'minTapPx'>(list: AxePageReport[], key: K) => {
    const withValue = list.filter((r) => r.legibility[key] >= 0);
    return withValue.reduce<AxePageReport | undefined>((low, r) => (!low || r.legibility[key] < low.legibility[key] ? r : low), undefined);
  };
  const fontLow = worst(phonePagesElder, 'minFontPx');
  const lineLow = worst(results.filter((r) => r.elderMode), 'minLineHeight');
  const tapLowElder = worst(phonePagesElder.filter((r) => r.legibility.tapTargets > 0), 'minTapPx');
  const tapLowNormal = worst(phonePagesNormal.filter((r) => r.legibility.tapTargets > 0), 'minTapPx');
  const status = (ok: boolean, cause: string) => (ok ? 'met' : `not met: ${cause}`);
  const where = (r: AxePageReport | undefined, key: 'minFontText' | 'minLineHeightText' | 'minTapText') => (r ? `\`${r.page}\` (${r.mode}, «${r.legibility[key]}»)` : '–');

  const fontOk = !!fontLow && fontLow.legibility.minFontPx >= ELDER_MIN_FONT;
  const lineOk = !!lineLow && lineLow.legibility.minLineHeight >= MIN_LINE_HEIGHT;
  const tapOk = !!tapLowElder && tapLowElder.legibility.minTapPx >= ELDER_MIN_TAP && !!tapLowNormal && tapLowNormal.legibility.minTapPx >= NORMAL_MIN_TAP;
  const contrast = byRule(['color-contrast']);
  const colourOnly = byRule(['link-in-text-block']);
  const total = violations.length;

  const checklist = [
    [
      '1.1 字型大小调整：可调整字号；适老版主要文字 ≥ 18 dp/pt',
      status(fontOk, `smallest elder-mode text ${fmt(fontLow?.legibility.minFontPx, 1)} px`),
      `Switch 长辈模式 on 首页 and 我的 › 设置 (kept on the device; on by itself when the system font is ≥ 1.25×). ` +
        `Smallest visible text in elder mode over ${phonePagesElder.length} phone pages and the tab bar: ${fmt(fontLow?.legibility.minFontPx, 1)} px at ${where(fontLow, 'minFontText')}; body 20 px (16 px normal), titles 23–35 px.`,
    ],
    [
      '1.2 行间距：段落内行距 ≥ 1.3 倍',
      status(lineOk, `line height ${fmt(lineLow?.legibility.minLineHeight, 2)}× at ${where(lineLow, 'minLineHeightText')}`),
      `Smallest computed line-height ÷ font-size of any visible text, both modes: ${fmt(lineLow?.legibility.minLineHeight, 2)} at ${where(lineLow, 'minLineHeightText')} ` +
        `(body 1.5, 1.6 in elder mode). Paragraph spacing (段落间距 ≥ 1.3 × 行距) is not measured here: paragraphs are separate blocks with var(--gap) (12 px, 14 px elder) between them.`,
    ],
    [
      '1.3 对比度：文本 ≥ 4.5:1（大字 ≥ 3:1）',
      status(contrast.length === 0, `${contrast.length} colour-contrast failures`),
      `axe-core \`color-contrast\` on every page in both modes: ${contrast.length} failures. Elder mode also darkens text and the primary colour.`,
    ],
    [
      '1.4 颜色用途：颜色不是传达信息的唯一手段',
      status(colourOnly.length === 0, `${colourOnly.length} link-in-text-block failures`),
      'axe-core `link-in-text-block` (WCAG 1.4.1): ' + `${colourOnly.length} failures. By design every state is a word: status tags (待核实、已核实、投票中…), ` +
        'selected chips and choices are marked ✓ / ◉ / 已选 and carry aria-checked, the elder switch says 已开启 / 已关闭, form errors start with 错误：.',
    ],
    ['1.5 验证码：非文本验证码须有替代', 'not applicable', 'No verification codes: login is WeChat’s own (h5: dev login by openid).'],
    [
      '2.1 组件焦点大小：适老版 ≥ 60 × 60 dp/pt，其他 ≥ 44 × 44 dp/pt',
      status(tapOk, `smallest target ${fmt(tapLowElder?.legibility.minTapPx)} px elder / ${fmt(tapLowNormal?.legibility.minTapPx)} px normal`),
      `Smallest side (width or height) of any button, link, input, switch, chip or tab bar item: ${fmt(tapLowElder?.legibility.minTapPx)} px in elder mode at ${where(tapLowElder, 'minTapText')}, ` +
        `${fmt(tapLowNormal?.legibility.minTapPx)} px in normal mode at ${where(tapLowNormal, 'minTapText')}. var(--tap) is 44 px, 60 px in elder mode.`,
    ],
    ['2.2 手势操作：避免三指及以上手势', 'met', 'Every action is a single tap; no gestures are used.'],
    [
      '2.3 操作时间 / 无定时弹窗：非必要不限时，界面不在操作完成前变化；无广告、无临时弹窗',
      'met in elder mode',
      'No ads, plug-ins or pop-ups that open by themselves; confirmations (取消预约、投票) are modals that wait for 确定 / 取消. ' +
        'In elder mode every message (errors, successes, notes) is a modal that stays until 知道了 is tapped (`platform.toast`; tests/ui/elder-messages.test.ts); ' +
        'in normal mode toasts stay 2 s (errors 3 s) and form errors are repeated inline (错误：…). Timed content that is essential: ' +
        'the volunteers’ check-in QR code changes every 60 s (anti-cheating; the previous code stays valid) and a vote closes at its announced time.',
    ],
    [
      '3.1 适老版入口：首页显著入口，“设置”中提供长辈版入口',
      'met',
      'ElderSwitch 长辈模式 at the top of 首页 and under 我的 › 设置; weapp also follows WeChat’s font size (fontSizeScaleFactor ≥ 1.25 turns it on until the person chooses).',
    ],
  ];

  const body = `## Inclusion: accessibility (axe-core) and 适老化

Every page of \`app.config.ts\` (${pages.length}) opened in Chromium on the h5 build (390 × 844 phone; the hall board at 1280 × 720), logged in as someone who sees its real content
(the demo community as \`npm start\` seeds it), after its content has loaded; once in normal mode and once with elder mode switched on (the switch is read from
storage at start, as after a tap on 长辈模式). axe-core ${axeVersion(root)} with the WCAG 2.0/2.1 A and AA rules (\`wcag2a\`, \`wcag2aa\`, \`wcag21a\`, \`wcag21aa\`) on the
visible page and the tab bar. Font size and line height are computed styles of every visible text node; tap targets are buttons, links, inputs, switches,
chips, tappable cards and tab-bar items, measured by their smaller side in CSS px (≈ dp/pt). ${testsPassed ? 'The test passed: 0 violations on every page in both modes.' : '**The test failed**: see the counts below.'}
Violations in total: ${total}.

${table(['page', 'as', 'violations (normal)', 'violations (elder)', 'min font px (elder)', 'line height ÷ font (elder)', 'min tap target px (elder)'], rows)}

"n/a": the hall's TV board has no elder mode (it is sized for the room, 2–6 vw); "no targets": the page has nothing to tap.

### MIIT 2021 适老化 checklist (items that apply to a mini-program)

From 工业和信息化部《移动互联网应用（APP）适老化通用设计规范》(2021); the 适老版 is the elder mode.

${table(['item', 'status', 'evidence'], checklist)}`;
  writeSection('axe', 'npx tsx bench/axe.ts', body);
}

function axeVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules/axe-core/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
}

if (process.argv[1]?.endsWith('axe.ts')) axe();
