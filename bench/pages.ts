/**
 * Pages at WeChat's experience-score marks, on the h5 build (LINLI_H5_DIR, default dist/h5) in
 * Chromium at 390 × 844 with the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate): each page's
 * node count, deepest nesting and most children of one node once its content has loaded, and the
 * time from a tap to the next page's content on the three hottest transitions. The demo community
 * is seeded as `npm start` seeds it, against a DynamoDB Local of its own.
 *
 *   npx tsx bench/pages.ts
 */
import type { Page } from 'playwright-core';
import { ensureTable, startDynamoLocal, type LocalDynamo } from '../scripts/local/dynamo';
import { WECHAT_MARKS as MARKS } from '../tests/support/wechat-marks';
import { table, writeSection } from './report';

const STAGE = 'local';
const TABLE = `linli-${STAGE}`;
const CPU_SLOWDOWN = 4;
const TIMEOUT = 60_000;
const TAPS = 5;

interface PageSpec {
  page: string;
  as: string;
  path: string;
  /** A selector inside the page that exists once its content has loaded. */
  ready: string;
}

interface Shape {
  nodes: number;
  depth: number;
  children: number;
}

/** The page Taro's h5 router shows now (it keeps earlier pages and the tab pages in the document, hidden). */
function shapeOfVisiblePage(): Shape {
  const shown = (el: Element) => (el as HTMLElement).offsetParent !== null;
  const page = Array.from(document.querySelectorAll('.page')).find(shown);
  const root = page?.closest('.taro_page') ?? Array.from(document.querySelectorAll('.taro_page')).find(shown) ?? document.body;
  let nodes = 0;
  let depth = 0;
  let children = 0;
  const walk = (el: Element, level: number) => {
    nodes += 1;
    depth = Math.max(depth, level);
    children = Math.max(children, el.children.length);
    for (const child of Array.from(el.children)) walk(child, level + 1);
  };
  walk(root, 1);
  return { nodes, depth, children };
}

async function open(page: Page, base: string, path: string, ready: string): Promise<void> {
  await page.goto(`${base}#${path}`);
  // A fresh start on that page: a hash change alone leaves Taro's router on the page it was on.
  await page.reload();
  await page.locator(`.taro_page:visible ${ready}`).locator('visible=true').first().waitFor({ state: 'visible', timeout: TIMEOUT });
  await page.waitForTimeout(300);
}

/**
 * Milliseconds from the tap (the click event's time) to the first frame in which the newly pushed
 * page holds `ready`, measured in the page (no round trip to the test process in the figure).
 */
async function tapToContent(page: Page, tap: () => Promise<void>, ready: string): Promise<number> {
  await page.evaluate((selector) => {
    const w = window as unknown as { __tapToContent?: Promise<number> };
    w.__tapToContent = new Promise<number>((resolve) => {
      let tappedAt = 0;
      const before = new Set(Array.from(document.querySelectorAll('.taro_page')));
      document.addEventListener(
        'click',
        (event) => {
          tappedAt = event.timeStamp;
        },
        { capture: true, once: true },
      );
      const poll = () => {
        const fresh = Array.from(document.querySelectorAll('.taro_page')).filter((p) => !before.has(p));
        const hit = fresh.some((p) => p.querySelector(selector));
        if (tappedAt && hit) resolve(performance.now() - tappedAt);
        else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    });
  }, ready);
  await tap();
  return page.evaluate(() => (window as unknown as { __tapToContent: Promise<number> }).__tapToContent);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export async function pages(): Promise<void> {
  let dynamo: LocalDynamo | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  try {
    dynamo = await startDynamoLocal();
    Object.assign(process.env, { STAGE, DEV_LOGIN: '1', TABLE_NAME: TABLE, DYNAMODB_ENDPOINT: dynamo.endpoint, RATE_LIMIT_PER_MINUTE: '1000000' });
    await ensureTable(dynamo.endpoint, TABLE);
    // After the environment is set: the product's configuration is read when these load.
    const { startApi, call } = await import('../tests/support/stack');
    const { serveH5, launchBrowser } = await import('../tests/support/web');
    const { DEMO_COMMUNITY: cid, seedDemo } = await import('../scripts/seed');
    const api = await startApi();
    closers.push(() => api.close());
    await seedDemo();
    const web = await serveH5(api.base);
    closers.push(() => web.close());
    const browser = await launchBrowser();
    closers.push(() => browser.close());

    const token = async (openid: string) => (await call('POST', '/v1/auth/dev', { body: { openid } })).body.token as string;
    const li = await token('resident-li');
    const services = (await call('GET', `/v1/communities/${cid}/services`)).body.items as { id: string }[];
    const appointment = ((await call('GET', '/v1/me/appointments?when=upcoming', { token: li })).body.items as { id: string; status: string; serviceId: string }[]).find((a) => a.status === 'booked');
    const consultation = ((await call('GET', `/v1/communities/${cid}/consultations`)).body.items as { id: string; state: string }[])[0];
    const sid = appointment?.serviceId ?? services[0]?.id ?? '';

    const specs: PageSpec[] = [
      { page: 'pages/index/index', as: 'resident-li', path: '/pages/index/index', ready: '.card' },
      { page: 'pages/services/index', as: 'resident-li', path: '/pages/services/index', ready: '.btn:has-text("查看材料并预约")' },
      { page: 'pages/volunteers/index', as: 'resident-li', path: '/pages/volunteers/index', ready: '.card' },
      { page: 'pages/consult/index', as: 'resident-li', path: '/pages/consult/index', ready: '.consult__action .btn' },
      { page: 'pages/me/index', as: 'resident-li', path: '/pages/me/index', ready: '.card' },
      { page: 'appointments/service/index', as: 'resident-li', path: `/appointments/service/index?sid=${sid}`, ready: '.appt-slots .appt-chip' },
      { page: 'appointments/detail/index', as: 'resident-li', path: `/appointments/detail/index?id=${appointment?.id ?? ''}`, ready: '.qr-code' },
      { page: 'appointments/mine/index', as: 'resident-li', path: '/appointments/mine/index', ready: '.card' },
      { page: 'queue/take/index', as: 'resident-li', path: `/queue/take/index?cid=${cid}`, ready: '.btn' },
      { page: 'consultations/detail/index', as: 'resident-li', path: `/consultations/detail/index?id=${consultation?.id ?? ''}`, ready: '.card .h1' },
      { page: 'appointments/editor/index', as: 'staff-wang', path: `/appointments/editor/index?sid=${sid}`, ready: '.btn:has-text("保存修改")' },
      { page: 'queue/board/index', as: 'nobody', path: `/queue/board/index?cid=${cid}`, ready: '*' },
    ];

    const phone = await browser.newPhone();
    // tsx compiles with esbuild's keepNames: functions sent to the page call its __name helper.
    await phone.context.addInitScript('globalThis.__name = (fn) => fn;');
    const cdp = await phone.context.newCDPSession(phone.page);
    const login = async (openid: string) => {
      await phone.page.goto(`${web.url}#/pages/login/index`);
      await phone.page.locator('.page:visible input[placeholder="字母、数字、- 或 _"]').fill(openid);
      await phone.page.locator('.btn', { hasText: /^登录$/ }).click();
      await phone.page.waitForURL(/pages\/index\/index/, { timeout: TIMEOUT });
    };
    let as = '';
    const rows: (string | number)[][] = [];
    for (const spec of specs) {
      if (spec.as !== as && spec.as !== 'nobody') {
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
        await login(spec.as);
        as = spec.as;
      }
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      await open(phone.page, web.url, spec.path, spec.ready);
      const shape = await phone.page.evaluate(shapeOfVisiblePage);
      const ok = shape.nodes < MARKS.nodes && shape.depth < MARKS.depth && shape.children <= MARKS.children;
      rows.push([`\`${spec.page}\``, spec.as, shape.nodes, shape.depth, shape.children, ok ? 'met' : 'not met']);
      console.log(spec.page, shape);
    }

    // Tap to content, as resident-li, from each tab page with its content loaded.
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    if (as !== 'resident-li') await login('resident-li');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const transitions: { name: string; from: string; fromReady: string; tap: (p: Page) => Promise<void>; ready: string }[] = [
      {
        name: '办事 → 预约办理 (appointments/service)', from: '/pages/services/index', fromReady: '.btn:has-text("查看材料并预约")',
        tap: (p) => p.locator('.page:visible .btn', { hasText: '查看材料并预约' }).first().click(), ready: '.appt-slots .appt-chip',
      },
      {
        name: '取号 → 号码 (queue/ticket)', from: `/queue/take/index?cid=${cid}`, fromReady: '.btn',
        tap: async (p) => {
          const held = p.locator('.page:visible .btn', { hasText: /^查看 / });
          await ((await held.count()) ? held.first() : p.locator('.page:visible .btn', { hasText: /^取 A 号$/ }).first()).click();
        },
        ready: '.card .h2',
      },
      {
        name: '议事 → 协商详情 (consultations/detail)', from: '/pages/consult/index', fromReady: '.consult__action .btn',
        tap: (p) => p.locator('.page:visible .consult__action .btn').first().click(), ready: '.card .h1',
      },
    ];
    const tapRows: (string | number)[][] = [];
    for (const t of transitions) {
      const times: number[] = [];
      for (let i = 0; i < TAPS; i++) {
        await open(phone.page, web.url, t.from, t.fromReady);
        times.push(await tapToContent(phone.page, () => t.tap(phone.page), t.ready));
      }
      const mid = median(times);
      tapRows.push([t.name, Math.round(mid), Math.round(Math.max(...times)), mid <= MARKS.tapMs ? 'met' : 'not met']);
      console.log(t.name, times.map(Math.round));
    }

    const body = `## Pages: nodes and tap to content (h5, CPU 4× slower)

The h5 build in Chromium at 390 × 844 with \`Emulation.setCPUThrottlingRate\` ${CPU_SLOWDOWN}, the demo community as \`npm start\` seeds it. Shape of the
page Taro shows (its \`.taro_page\` element and everything in it) once its content has loaded; WeChat's marks: < ${MARKS.nodes} nodes,
depth < ${MARKS.depth}, ≤ ${MARKS.children} children per node.

${table(['page', 'as', 'nodes', 'max depth', 'max children of a node', 'marks'], rows)}

Tap to content: from the click event to the first frame in which the new page holds its content (the selector the page renders once its data
has come), measured in the page; ${TAPS} taps each, the page opened afresh before each. Mark: ≤ ${MARKS.tapMs} ms.

${table(['transition', 'median ms', 'slowest ms', 'mark'], tapRows)}`;
    writeSection('pages', 'npx tsx bench/pages.ts', body);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await dynamo?.stop().catch(() => undefined);
  }
}

if (process.argv[1]?.endsWith('pages.ts')) {
  pages().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
