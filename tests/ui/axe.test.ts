/**
 * Every page of the app (app.config.ts: tab pages and every subpackage page) in Chromium on the
 * h5 build, in normal and in elder mode, each as someone who sees its real content (the demo
 * community, seeded as `npm start` seeds it): axe-core at WCAG 2.1 AA finds nothing, and the elder
 * mode's text size, line spacing and tap targets are measured for the MIIT 适老化 checklist.
 *
 * LINLI_H5_DIR points at the build (default dist/h5). LINLI_AXE_REPORT=<file> writes the figures
 * per page and mode as JSON (bench/axe.ts turns them into BENCHMARKS.md). Elder-mode screenshots
 * land in tests/artifacts/axe-elder-<page>.png.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMMUNITY, seedDemo } from '../../scripts/seed';
import { login, uniqueOpenid, type Actor } from '../support/actors';
import { axeViolations, elderApplied, legibility, setElderMode, type AxePageReport, type AxeViolation } from '../support/axe';
import { UI_TIMEOUT, useJourney } from '../support/journey';
import { call } from '../support/stack';
import { ROOT } from '../support/web';

const j = useJourney({ shots: 'axe-' });
const cid = DEMO_COMMUNITY;

/** Who looks at a page: demo people by openid, a newcomer (no community), a walk-in with a ticket, or nobody. */
type Role = 'staff-wang' | 'resident-li' | 'resident-zhang' | 'volunteer-chen' | 'newcomer' | 'walk-in' | 'nobody' | 'admin' | 'street-liu';

interface Ids {
  service: { id: string; name: string };
  appointment: { id: string; code: string; date: string };
  ticket: { id: string; number: string };
  upcoming: { id: string; title: string };
  /** Starts in 10 minutes: its check-in code is on offer. */
  soon: { id: string; title: string };
  past: { id: string; title: string };
  open: { id: string; title: string };
  done: { id: string; title: string };
  certificate: string;
  /** A request resident-li filed: its number shows on 我的诉求, its page, the queue and the public list. */
  request: { id: string; number: string };
  /** An escort resident-li asked for with a booking on a later day, taken by volunteer-chen. */
  escort: { id: string; date: string };
}

interface PageSpec {
  /** The page as app.config.ts names it. */
  page: string;
  as: Role;
  /** The hash path with its query. */
  path: (ids: Ids) => string;
  /** Text the page shows once its content has loaded. */
  ready: (ids: Ids) => string | RegExp;
  viewport?: { width: number; height: number };
  /**
   * false: the page has no elder mode (the hall's TV board is not a phone page: it is always
   * large, sized by the screen); it is still checked with the switch on.
   */
  elderMode?: false;
}

const PAGES: PageSpec[] = [
  { page: 'pages/index/index', as: 'resident-li', path: () => '/pages/index/index', ready: () => '社区服务' },
  { page: 'pages/services/index', as: 'resident-li', path: () => '/pages/services/index', ready: (ids) => ids.service.name },
  { page: 'pages/volunteers/index', as: 'volunteer-chen', path: () => '/pages/volunteers/index', ready: (ids) => ids.upcoming.title },
  { page: 'pages/consult/index', as: 'resident-li', path: () => '/pages/consult/index', ready: (ids) => ids.open.title },
  { page: 'pages/me/index', as: 'resident-li', path: () => '/pages/me/index', ready: () => '3-2-501' },
  { page: 'pages/login/index', as: 'nobody', path: () => '/pages/login/index', ready: () => '开发登录' },
  { page: 'community/join/index', as: 'newcomer', path: () => `/community/join/index?cid=${cid}`, ready: () => '幸福里示范社区' },
  { page: 'community/join/index', as: 'newcomer', path: () => '/community/join/index', ready: () => '查找社区' },
  { page: 'community/poster/index', as: 'staff-wang', path: () => `/community/poster/index?cid=${cid}`, ready: () => '扫码加入幸福里示范社区' },
  { page: 'staff/staff/index', as: 'staff-wang', path: () => `/staff/staff/index?cid=${cid}`, ready: () => '任命工作人员' },
  { page: 'staff/audit/index', as: 'staff-wang', path: () => `/staff/audit/index?cid=${cid}`, ready: () => '核实成员' },
  { page: 'admin/communities/index', as: 'admin', path: () => '/admin/communities/index', ready: () => '新建社区' },
  { page: 'staff/members/index', as: 'staff-wang', path: () => `/staff/members/index?cid=${cid}`, ready: () => '赵丽' },
  { page: 'staff/stats/index', as: 'staff-wang', path: () => `/staff/stats/index?cid=${cid}`, ready: () => '社区成员' },
  { page: 'staff/hall/index', as: 'staff-wang', path: () => `/staff/hall/index?cid=${cid}`, ready: () => '保存大厅布局' },
  { page: 'staff/hall-poster/index', as: 'staff-wang', path: () => `/staff/hall-poster/index?cid=${cid}`, ready: () => '扫码取号' },
  { page: 'staff/workbench/index', as: 'staff-wang', path: () => `/staff/workbench/index?cid=${cid}`, ready: () => '窗口叫号' },
  { page: 'appointments/service/index', as: 'resident-li', path: (ids) => `/appointments/service/index?sid=${ids.service.id}`, ready: () => '选择时段' },
  { page: 'appointments/detail/index', as: 'resident-li', path: (ids) => `/appointments/detail/index?id=${ids.appointment.id}`, ready: (ids) => ids.appointment.code },
  { page: 'appointments/mine/index', as: 'resident-li', path: () => '/appointments/mine/index', ready: (ids) => ids.service.name },
  {
    page: 'appointments/staff/index', as: 'staff-wang',
    path: (ids) => `/appointments/staff/index?sid=${ids.service.id}&date=${ids.appointment.date}`, ready: (ids) => ids.appointment.code,
  },
  { page: 'appointments/editor/index', as: 'staff-wang', path: (ids) => `/appointments/editor/index?sid=${ids.service.id}`, ready: () => '每周开放时间' },
  { page: 'queue/take/index', as: 'newcomer', path: () => `/queue/take/index?cid=${cid}`, ready: () => '取 A 号' },
  { page: 'queue/ticket/index', as: 'walk-in', path: (ids) => `/queue/ticket/index?id=${ids.ticket.id}`, ready: (ids) => ids.ticket.number },
  { page: 'queue/window/index', as: 'staff-wang', path: () => `/queue/window/index?cid=${cid}&no=1`, ready: () => '1 号窗口' },
  { page: 'queue/board/index', as: 'nobody', path: () => `/queue/board/index?cid=${cid}`, ready: () => '点击开启语音播报', viewport: { width: 1280, height: 720 }, elderMode: false },
  { page: 'volunteers/register/index', as: 'resident-zhang', path: () => '/volunteers/register/index', ready: () => '我能提供的服务' },
  { page: 'volunteers/activity/index', as: 'volunteer-chen', path: (ids) => `/volunteers/activity/index?id=${ids.upcoming.id}`, ready: (ids) => ids.upcoming.title },
  { page: 'volunteers/signups/index', as: 'volunteer-chen', path: () => '/volunteers/signups/index', ready: (ids) => ids.past.title },
  { page: 'volunteers/hours/index', as: 'volunteer-chen', path: () => '/volunteers/hours/index', ready: () => '累计志愿服务时长' },
  { page: 'volunteers/approvals/index', as: 'staff-wang', path: () => '/volunteers/approvals/index', ready: () => '李秀英' },
  { page: 'volunteers/editor/index', as: 'staff-wang', path: (ids) => `/volunteers/editor/index?id=${ids.upcoming.id}`, ready: () => /保存|修改/ },
  { page: 'volunteers/attendance/index', as: 'staff-wang', path: (ids) => `/volunteers/attendance/index?id=${ids.past.id}`, ready: () => '陈晨' },
  { page: 'volunteers/qr/index', as: 'volunteer-chen', path: (ids) => `/volunteers/qr/index?id=${ids.soon.id}`, ready: () => '我的签到码' },
  { page: 'volunteers/roster/index', as: 'staff-wang', path: () => `/volunteers/roster/index?cid=${cid}`, ready: () => '查看 陈* 的台帐' },
  // the seed verifies the latest past activity's hours 5 days ago (Beijing time): that month of the 台帐 has them
  {
    page: 'volunteers/ledger/index', as: 'staff-wang',
    path: () => `/volunteers/ledger/index?cid=${cid}&month=${new Date(Date.now() - 5 * 86400_000 + 8 * 3600_000).toISOString().slice(0, 7)}`, ready: () => '陈晨',
  },
  { page: 'volunteers/certificate-check/index', as: 'nobody', path: (ids) => `/volunteers/certificate-check/index?code=${ids.certificate}`, ready: () => '证明真实有效' },
  { page: 'consultations/topics/index', as: 'resident-li', path: () => `/consultations/topics/index?cid=${cid}`, ready: () => '小区停车位规划' },
  { page: 'consultations/detail/index', as: 'resident-li', path: (ids) => `/consultations/detail/index?id=${ids.open.id}`, ready: () => '请选择一项' },
  { page: 'consultations/results/index', as: 'resident-li', path: (ids) => `/consultations/results/index?id=${ids.done.id}`, ready: () => '各选项得票' },
  { page: 'consultations/editor/index', as: 'staff-wang', path: () => `/consultations/editor/index?cid=${cid}`, ready: () => '发起协商' },
  { page: 'notices/list/index', as: 'resident-li', path: () => `/notices/list/index?cid=${cid}`, ready: () => '12月10日3号楼、5号楼停水通知' },
  { page: 'notices/detail/index', as: 'resident-li', path: () => '/notices/detail/index?id=demo-notice-finance', ready: () => '健身器材维修支出' },
  { page: 'notices/editor/index', as: 'staff-wang', path: () => `/notices/editor/index?cid=${cid}`, ready: () => '增加段落' },
  { page: 'requests/new/index', as: 'resident-li', path: () => '/requests/new/index', ready: () => '诉求类别' },
  { page: 'requests/mine/index', as: 'resident-li', path: () => '/requests/mine/index', ready: (ids) => ids.request.number },
  { page: 'requests/detail/index', as: 'resident-li', path: (ids) => `/requests/detail/index?id=${ids.request.id}`, ready: (ids) => ids.request.number },
  // the queue opens on the worker's own grids, which may not hold resident-li's building
  { page: 'requests/queue/index', as: 'staff-wang', path: () => `/requests/queue/index?cid=${cid}`, ready: () => '✓ 全部' },
  { page: 'requests/visits/index', as: 'staff-wang', path: () => `/requests/visits/index?cid=${cid}`, ready: () => '记录走访入户' },
  { page: 'requests/grids/index', as: 'staff-wang', path: () => `/requests/grids/index?cid=${cid}`, ready: () => '划分新网格' },
  { page: 'requests/public/index', as: 'nobody', path: () => `/requests/public/index?cid=${cid}`, ready: (ids) => ids.request.number },
  // street-liu works for the demo community's street (西司门街道): its table has the community's row
  { page: 'requests/region/index', as: 'street-liu', path: () => '/requests/region/index', ready: () => '幸福里示范社区', viewport: { width: 1280, height: 900 } },
  { page: 'escorts/detail/index', as: 'volunteer-chen', path: (ids) => `/escorts/detail/index?id=${ids.escort.id}`, ready: () => '居民联系方式' },
  { page: 'escorts/staff/index', as: 'staff-wang', path: (ids) => `/escorts/staff/index?cid=${cid}&from=${ids.escort.date}`, ready: () => '陈晨' },
  { page: 'family/index/index', as: 'resident-li', path: () => '/family/index/index', ready: () => '请家人帮我办事' },
  { page: 'family/link/index', as: 'resident-li', path: () => '/family/link/index', ready: () => '输入家人出示的代办码' },
  { page: 'family/counter/index', as: 'staff-wang', path: () => '/family/counter/index', ready: () => '第一步：老人' },
];

type Mode = AxePageReport['mode'];

/**
 * Every page app.config.ts declares ('pages/index/index', 'queue/take/index', …), read from its
 * text (it calls Taro's defineAppConfig, which only exists in the build).
 */
function declaredPages(): string[] {
  const text = readFileSync(join(ROOT, 'miniprogram/src/app.config.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const list = (inner: string) => Array.from(inner.matchAll(/'([^']+)'/g), (m) => m[1]!);
  const main = /^\s*pages:\s*\[([^\]]*)\]/m.exec(text)?.[1] ?? '';
  const subs = Array.from(text.matchAll(/\{\s*root:\s*'([^']+)',\s*pages:\s*\[([^\]]*)\]\s*\}/g), (m) => list(m[2]!).map((page) => `${m[1]}/${page}`));
  return [...list(main), ...subs.flat()];
}

let ids: Ids;
const openids: Record<Role, string> = {
  'staff-wang': 'staff-wang',
  'resident-li': 'resident-li',
  'resident-zhang': 'resident-zhang',
  'volunteer-chen': 'volunteer-chen',
  newcomer: uniqueOpenid('newcomer'),
  'walk-in': uniqueOpenid('walkin'),
  nobody: '',
  admin: 'admin',
  'street-liu': 'street-liu',
};

beforeAll(async () => {
  await seedDemo();
  const as = async (openid: string): Promise<Actor> => login(openid);
  const get = async (url: string, actor?: Actor) => {
    const reply = await call('GET', url, { token: actor?.token });
    expect(reply.status, `${url}: ${JSON.stringify(reply.body)}`).toBe(200);
    return reply;
  };
  const staff = await as('staff-wang');
  const li = await as('resident-li');
  const chen = await as('volunteer-chen');

  const services = (await get(`/v1/communities/${cid}/services`)).body.items as { id: string; name: string }[];
  const mine = (await get('/v1/me/appointments?when=upcoming', li)).body.items as { id: string; code: string; start: string; serviceId: string; serviceName: string; status: string }[];
  const appointment = mine.find((a) => a.status === 'booked');
  if (!appointment) throw new Error('the demo has no upcoming appointment for resident-li');
  const service = services.find((s) => s.id === appointment.serviceId) ?? services[0]!;

  const walker = await as(openids['walk-in']);
  // A walk-in proves being in the hall with the day's QR token, as the hall poster gives it.
  const hallToken = (await get(`/v1/communities/${cid}/hall/qr`, staff)).body.token as string;
  const ticket = await call('POST', `/v1/communities/${cid}/tickets`, { token: walker.token, body: { category: 'A', hallToken } });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);

  const upcoming = (await get(`/v1/communities/${cid}/activities`, staff)).body.items as { id: string; title: string }[];
  const from = new Date(Date.now() - 40 * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
  const all = (await get(`/v1/communities/${cid}/activities?from=${from}`, staff)).body.items as { id: string; title: string; endsAt: string }[];
  const past = all.find((a) => Date.parse(a.endsAt) < Date.now());
  if (!upcoming[0] || !past) throw new Error('the demo has no activities');

  const start = new Date(Math.floor((Date.now() + 10 * 60_000) / 60_000) * 60_000);
  const soon = await call('POST', `/v1/communities/${cid}/activities`, {
    token: staff.token,
    body: { title: '楼道清扫', place: '3号楼', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3600_000).toISOString(), capacity: 5, hours: 1, skills: ['环境整治'] },
  });
  expect(soon.status, JSON.stringify(soon.body)).toBe(201);
  // The qr page shows the volunteer's own code, so chen signs up for the activity about to start.
  const signup = await call('POST', `/v1/activities/${soon.body.id}/signups`, { token: chen.token });
  expect(signup.status, JSON.stringify(signup.body)).toBe(201);

  const consultations = (await get(`/v1/communities/${cid}/consultations`)).body.items as { id: string; title: string; state: string }[];
  const open = consultations.find((c) => c.state === 'open');
  const done = consultations.find((c) => c.state === 'published');
  if (!open || !done) throw new Error('the demo has no consultations');

  const certificate = await call('GET', `/v1/me/volunteer/certificate?communityId=${cid}`, { token: chen.token });
  expect(certificate.status).toBe(200);

  const filed = await call('POST', `/v1/communities/${cid}/requests`, { token: li.token, body: { category: 'facilities', text: '3号楼楼道灯不亮', place: '3号楼2单元' } });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);

  // 志愿陪同: resident-li books a later day of a service with an escort, and chen takes it.
  const todayInChina = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const bookedDays = new Set(mine.map((a) => `${a.serviceId}/${a.start.slice(0, 10)}`));
  let escort: { id: string; date: string } | undefined;
  for (const s of services) {
    const dates = (await get(`/v1/services/${s.id}/dates`, li)).body.items as { date: string; open: boolean; available: number }[];
    for (const d of dates.filter((x) => x.open && x.available > 0 && x.date > todayInChina && !bookedDays.has(`${s.id}/${x.date}`))) {
      const slot = ((await get(`/v1/services/${s.id}/slots?date=${d.date}`, li)).body.items as { start: string; available: number }[]).find((x) => x.available > 0);
      if (!slot) continue;
      const booked = await call('POST', `/v1/services/${s.id}/appointments`, { token: li.token, body: { start: slot.start, escort: { need: '助老', note: '腿脚不便，请到楼下接' } } });
      expect(booked.status, JSON.stringify(booked.body)).toBe(201);
      escort = { id: booked.body.escortId, date: d.date };
      break;
    }
    if (escort) break;
  }
  if (!escort) throw new Error('the demo has no day to book with an escort');
  const took = await call('POST', `/v1/activities/${escort.id}/signups`, { token: chen.token });
  expect(took.status, JSON.stringify(took.body)).toBe(201);

  ids = {
    service: { id: service.id, name: service.name },
    appointment: { id: appointment.id, code: appointment.code, date: appointment.start.slice(0, 10) },
    ticket: { id: ticket.body.id, number: ticket.body.number },
    upcoming: upcoming[0],
    soon: { id: soon.body.id, title: soon.body.title },
    past,
    open,
    done,
    certificate: certificate.headers['x-certificate-code'] ?? '',
    request: { id: filed.body.id, number: filed.body.number },
    escort,
  };
  expect(ids.certificate).toMatch(/^[A-Z0-9]{10}$/);
});

/** One phone per role and mode, logged in once. */
const phones = new Map<string, { context: BrowserContext; page: Page }>();
const phoneKey = (role: Role, mode: Mode, viewport?: { width: number; height: number }) =>
  `${role}/${mode}/${viewport ? `${viewport.width}x${viewport.height}` : 'phone'}`;
function forgetPhone(role: Role, mode: Mode, viewport?: { width: number; height: number }): void {
  const key = phoneKey(role, mode, viewport);
  void phones.get(key)?.context.close().catch(() => undefined);
  phones.delete(key);
}
async function phoneFor(role: Role, mode: Mode, viewport?: { width: number; height: number }): Promise<Page> {
  const key = phoneKey(role, mode, viewport);
  const known = phones.get(key);
  if (known) return known.page;
  const phone = await j.browser.newPhone(viewport ? { viewport } : {});
  phone.page.setDefaultTimeout(UI_TIMEOUT);
  await setElderMode(phone.context, mode === 'elder');
  if (role !== 'nobody') await j.devLogin(phone.page, openids[role]);
  phones.set(key, phone);
  return phone.page;
}

/** Opens the page afresh (a new load, not a hash change on the previous page) and waits for its content. */
async function visit(spec: PageSpec, mode: Mode): Promise<Page> {
  const page = await phoneFor(spec.as, mode, spec.viewport);
  await page.goto('about:blank');
  await j.open(page, spec.path(ids));
  try {
    await j.shows(page, spec.ready(ids));
  } catch (error) {
    await j.shot(page, `failed-${name(spec)}-${mode}`);
    // What the page showed and whom the phone was logged in as, so a failure in CI explains itself;
    // the phone is dropped, so the retry starts from a fresh login.
    const shown = await page.locator('body').innerText().catch(() => '');
    const session = await page.evaluate(() => Object.entries(localStorage).map(([k, v]) => `${k}=${v.slice(0, 400)}`).join('\n')).catch(() => '');
    forgetPhone(spec.as, mode, spec.viewport);
    throw new Error(`${spec.page} (${mode}) never showed ${String(spec.ready(ids))}.\nShown: ${shown.slice(0, 600)}\nStorage: ${session}`, { cause: error });
  }
  // No loading state left on the visible page, and Taro's page transition done.
  await expect.poll(() => page.locator('.page:visible .state--loading').count(), { timeout: UI_TIMEOUT }).toBe(0);
  await page.waitForTimeout(400);
  return page;
}

/** 'queue/take/index' → 'queue-take' (screenshot names). */
const name = (spec: PageSpec) => spec.page.replace(/\/index$/, '').replace(/\//g, '-');

const reports: AxePageReport[] = [];

describe('accessibility of every page (axe-core, WCAG 2.1 AA) in normal and elder mode', () => {
  it('covers every page of app.config.ts', () => {
    const declared = declaredPages();
    expect(declared.length).toBeGreaterThan(25);
    // A page may be walked in more than one state (the join page with and without its community).
    expect([...new Set(PAGES.map((p) => p.page))].sort()).toEqual(declared.sort());
  });

  for (const spec of PAGES) {
    it(`${spec.page}: 0 violations in normal and elder mode`, { timeout: 180_000 }, async () => {
      const found: Record<Mode, AxeViolation[]> = { normal: [], elder: [] };
      for (const mode of ['normal', 'elder'] as const) {
        const page = await visit(spec, mode);
        const elder = await elderApplied(page);
        expect(elder, `${spec.page} in ${mode} mode`).toBe(mode === 'elder' && spec.elderMode !== false);
        found[mode] = await axeViolations(page);
        const measured = await legibility(page);
        if (mode === 'elder') await j.shot(page, `elder-${name(spec)}`);
        const report: AxePageReport = { page: spec.page, mode, as: spec.as, violations: found[mode], legibility: measured, elder, elderMode: spec.elderMode !== false };
        const previous = reports.findIndex((r) => r.page === spec.page && r.mode === mode);
        if (previous >= 0) reports.splice(previous, 1, report);
        else reports.push(report);
        if (process.env.LINLI_AXE_REPORT) writeFileSync(process.env.LINLI_AXE_REPORT, JSON.stringify(reports, null, 2));
      }
      expect(found).toEqual({ normal: [], elder: [] });
    });
  }
});
