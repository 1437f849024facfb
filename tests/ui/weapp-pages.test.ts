// @vitest-environment jsdom
/**
 * WeChat's experience-score marks on the real weapp build, rendered by miniprogram-simulate with
 * the official compiler against the real API (its handlers in a process of their own,
 * tests/support/api-process.ts, on the tests' DynamoDB Local) and the demo community as
 * `npm start` seeds it: each page's node count, deepest nesting and most children of
 * one node once its content has loaded, and its setData payloads (the largest must stay within
 * WeChat's 256 KB). Sizes only: no time is asserted. The figures land in
 * tests/artifacts/weapp-pages.json; `npx tsx bench/weapp-pages.ts` writes them to BENCHMARKS.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMMUNITY as cid } from '../../scripts/seed/identity';
import { DEMO_NOTICES } from '../../scripts/seed/notices';
import { ok, startWeapp, type Weapp } from '../support/weapp';
import { WECHAT_MARKS as MARKS, type WeappPageFigures } from '../support/wechat-marks';
import { ARTIFACTS } from '../support/web';

/** Who the app is signed in as: WeChat's login is answered with the dev login of this openid. */
let as = '';
const figures: WeappPageFigures[] = [];

/** The shape of the rendered page: every element, the deepest, the widest. */
function shape(root: Element): { nodes: number; depth: number; children: number } {
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

/** The most entries within any window of `ms`. */
function densest(times: number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** Waits until the app has made no request and no setData for `quietMs`. */
async function settled(app: Weapp, quietMs = 600): Promise<void> {
  let seen = -1;
  while (seen !== app.requests.length + app.setData.length) {
    seen = app.requests.length + app.setData.length;
    await new Promise((done) => setTimeout(done, quietMs));
  }
}

let api: ChildProcess;
let base = '';

/** A request to the API process, as the app's client would send it. */
async function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...options.headers, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text && response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  api = spawn(join('node_modules', '.bin', 'tsx'), [join('tests', 'support', 'api-process.ts')], { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    api.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!.trim());
    });
    api.on('exit', (code) => reject(new Error(`the API process ended (${code})`)));
  });
}, 120_000);

/** The app, fresh (no session), signed in by WeChat's login as `openid`. */
function appAs(openid: string): Weapp {
  as = openid;
  return startWeapp(async ({ method, path, query, body, header }) => {
    if (method === 'POST' && path === '/v1/auth/wechat') {
      const login = await call('POST', '/v1/auth/dev', { body: { openid: as } });
      return ok(login.body, login.status);
    }
    const headers = Object.fromEntries(Object.entries(header).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const search = query.toString();
    const reply = await call(method, `${path}${search ? `?${search}` : ''}`, { headers, ...(body === undefined || method === 'GET' ? {} : { body }) });
    return ok(reply.body, reply.status);
  });
}

afterAll(() => {
  api?.kill();
});

describe('weapp pages at WeChat’s marks (real API, demo community)', () => {
  it('keeps every page under 1,000 nodes, depth 30 and 60 children, and every setData under 256 KB', { timeout: 300_000 }, async () => {
    // prepare: the demo's ids the pages need
    const token = async (openid: string) => (await call('POST', '/v1/auth/dev', { body: { openid } })).body.token as string;
    const li = await token('resident-li');
    const services = (await call('GET', `/v1/communities/${cid}/services`)).body.items as { id: string }[];
    const appointment = ((await call('GET', '/v1/me/appointments?when=upcoming', { token: li })).body.items as { id: string; status: string; serviceId: string }[]).find((a) => a.status === 'booked');
    const consultation = ((await call('GET', `/v1/communities/${cid}/consultations`)).body.items as { id: string }[])[0];
    const sid = appointment?.serviceId ?? services[0]?.id ?? '';
    const request = ((await call('GET', '/v1/me/requests', { token: li })).body.items as { id: string }[])[0];
    const pages: { page: string; as: string; query?: Record<string, string> }[] = [
      { page: 'pages/index/index', as: 'resident-li' },
      { page: 'pages/services/index', as: 'resident-li' },
      { page: 'pages/volunteers/index', as: 'resident-li' },
      { page: 'pages/consult/index', as: 'resident-li' },
      { page: 'pages/me/index', as: 'resident-li' },
      { page: 'appointments/service/index', as: 'resident-li', query: { sid } },
      { page: 'appointments/detail/index', as: 'resident-li', query: { id: appointment?.id ?? '' } },
      { page: 'appointments/mine/index', as: 'resident-li' },
      { page: 'queue/take/index', as: 'resident-li', query: { cid } },
      { page: 'consultations/detail/index', as: 'resident-li', query: { id: consultation?.id ?? '' } },
      { page: 'notices/list/index', as: 'resident-li' },
      { page: 'notices/detail/index', as: 'resident-li', query: { id: DEMO_NOTICES.finance } },
      { page: 'requests/new/index', as: 'resident-li' },
      { page: 'requests/detail/index', as: 'resident-li', query: { id: request?.id ?? '' } },
      { page: 'volunteers/hours/index', as: 'volunteer-chen' },
      { page: 'appointments/editor/index', as: 'staff-wang', query: { sid } },
      { page: 'staff/workbench/index', as: 'staff-wang' },
      { page: 'requests/queue/index', as: 'staff-wang', query: { cid } },
      { page: 'queue/board/index', as: 'staff-wang', query: { cid } },
    ];

    // act: each page rendered afresh as its person, measured once it has settled
    let app: Weapp | undefined;
    for (const spec of pages) {
      if (!app || spec.as !== as) app = appAs(spec.as);
      app.setData.length = 0;
      app.requests.length = 0;
      const page = await app.render(spec.page, spec.query ?? {});
      await settled(app);
      const calls = app.setData.filter((c) => c.route === spec.page);
      figures.push({
        page: spec.page,
        as: spec.as,
        ...shape(page.component.dom!),
        setDataCalls: calls.length,
        largestSetDataBytes: Math.max(0, ...calls.map((c) => c.bytes)),
        setDataPerSecond: densest(calls.map((c) => c.at), 1000),
      });
      // measured with its content: not a sign-in prompt, a refusal or an error
      expect(page.text(), spec.page).not.toMatch(/加载失败|请先登录|仅.*可用|^\s*$/);
      expect(app.problems, spec.page).toEqual([]);
      page.detach();
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'weapp-pages.json'), `${JSON.stringify(figures, null, 2)}\n`);

    // assess
    for (const f of figures) {
      expect(f.nodes, f.page).toBeLessThan(MARKS.nodes);
      expect(f.depth, f.page).toBeLessThan(MARKS.depth);
      expect(f.children, f.page).toBeLessThanOrEqual(MARKS.children);
      expect(f.largestSetDataBytes, f.page).toBeLessThanOrEqual(MARKS.setDataBytes);
    }
  });
});
