/**
 * Issue 18's front-end polish, in a browser on the h5 build against the real API: dates picked on
 * wheels in 发布活动; the household vote confirms first; 我的 and 首页 gather what is mine; one
 * 工作台 for staff with a day-by-day appointments list; one colour per status; the window
 * console and the hall board; a staff reply marked 工作人员. Screenshots land in tests/artifacts/polish-*.png.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMMUNITY, seedDemo } from '../../scripts/seed';
import { directorOf, joined, login, newCommunity, verifiedResident } from '../support/actors';
import { axeViolations, setElderMode } from '../support/axe';
import { UI_TIMEOUT, button, field, modal, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'polish-', settleMs: 500 });

beforeAll(async () => {
  await seedDemo();
});

const MODES = [false, true] as const;
const modeName = (elder: boolean) => (elder ? 'elder' : 'normal');
/** The text of the page in front, once the page it replaced has gone (both are visible while the page turns). */
async function visibleText(page: Page): Promise<string> {
  await expect.poll(() => page.locator('.page:visible').count(), { timeout: UI_TIMEOUT }).toBe(1);
  return page.locator('.page:visible').innerText();
}

async function phone(elder: boolean, width = 390): Promise<{ context: BrowserContext; page: Page }> {
  const handle = await j.browser.newPhone({ viewport: { width, height: 844 } });
  await setElderMode(handle.context, elder);
  return handle;
}

/** A demo activity still to come with places left. */
async function upcomingActivity(): Promise<{ id: string; title: string }> {
  const activities = await call('GET', `/v1/communities/${DEMO_COMMUNITY}/activities?limit=20`);
  const found = (activities.body.items as { id: string; title: string; status: string; startsAt: string; placesLeft: number }[])
    .find((a) => a.status === 'scheduled' && Date.parse(a.startsAt) > Date.now() && a.placesLeft > 0);
  if (!found) throw new Error('the demo has no upcoming activity with places left');
  return found;
}

/** What no page may show people: ISO times, zone names, field names or codes. */
function expectNoMachineWords(text: string): void {
  expect(text).not.toMatch(/ISO|UTC|8601|\d{4}-\d{2}-\d{2}|startsAt|endsAt|VALIDATION/);
}

describe('发布活动 (item 2)', () => {
  for (const elder of MODES) {
    it(`enters the start and end on date and time wheels and publishes with the weekday shown (${modeName(elder)})`, { timeout: 120_000 }, async () => {
      // prepare: a director of a fresh community
      const { id: cid } = await newCommunity();
      const director = await directorOf(cid);
      const { context, page } = await phone(elder);
      await j.devLogin(page, director.openid);

      // act
      await j.open(page, `/volunteers/editor/index?cid=${cid}`);
      await j.shows(page, '发布活动');
      const startDate = page.locator('.page:visible [aria-label^="开始时间日期："]');
      await startDate.waitFor({ timeout: UI_TIMEOUT });
      await j.shot(page, `activity-editor-390-${modeName(elder)}`);
      const text = await visibleText(page);
      await field(page, '如：敬老院探访').fill('楼道清洁');
      await field(page, '如：社区党群服务中心').fill('3号楼');
      await button(page, '发布活动').click();

      // assess: wheels instead of typed text; the default day is shown as people say it; the saved activity reads the same
      expect(await page.locator('.page:visible input[placeholder="2026-05-20 09:00"]').count()).toBe(0);
      expect(await startDate.innerText()).toMatch(/^\d{1,2}月\d{1,2}日 周[日一二三四五六]$/);
      expect(text).toContain('上午9:00');
      expectNoMachineWords(text);
      await j.shows(page, /时间：\d{1,2}月\d{1,2}日 周[日一二三四五六] 上午9:00 至 \d{1,2}月\d{1,2}日 周[日一二三四五六] 上午11:00/);
      expectNoMachineWords(await visibleText(page));
      await context.close();
    });
  }
});

describe('一户一票 (item 6)', () => {
  for (const elder of MODES) {
    it(`confirms a household ballot first, naming the household and the choice, and casts nothing when the person thinks again (${modeName(elder)})`, { timeout: 120_000 }, async () => {
      // prepare: an open household consultation and a verified resident
      const { id: cid } = await newCommunity();
      const director = await directorOf(cid);
      const resident = await verifiedResident(cid);
      const opened = await call('POST', `/v1/communities/${cid}/consultations`, {
        token: director.token,
        body: {
          title: '楼顶防水维修', body: '费用由维修基金支出', options: [{ label: '同意维修' }, { label: '暂不维修' }], eligibility: 'household',
          opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
        idempotencyKey: `polish-${resident.id}`,
      });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      const { context, page } = await phone(elder);
      await j.devLogin(page, resident.openid);

      // act
      await j.open(page, `/consultations/detail/index?id=${opened.body.id}`);
      await j.shows(page, '请选择一项');
      await page.locator('.page:visible').getByText('同意维修', { exact: true }).first().click();
      await button(page, '确认投票').click();
      const dialog = modal(page);
      await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await j.shot(page, `vote-confirm-390-${modeName(elder)}`);
      const said = await dialog.innerText();
      await dialog.getByText('再想想', { exact: true }).last().click();

      // assess: the household and the choice are named, and nothing was cast
      expect(said).toContain(`本户（${resident.household}）`);
      expect(said).toContain('“同意维修”');
      expect(said).toContain('不能更改');
      const eligibility = await call('GET', `/v1/consultations/${opened.body.id}/eligibility`, { token: resident.token });
      expect(eligibility.body).toMatchObject({ canVote: true });
      expect(eligibility.body.receipt).toBeUndefined();
      await context.close();
    });
  }
});

describe('我的 and 首页 (item 7)', () => {
  for (const elder of MODES) {
    it(`gathers my bookings, numbers, volunteering and votes on 我的 without any id (${modeName(elder)})`, { timeout: 120_000 }, async () => {
      // prepare
      const { context, page } = await phone(elder);
      await j.devLogin(page, 'resident-li');

      // act
      await j.open(page, '/pages/me/index');
      await j.shows(page, '我的预约');
      await j.shows(page, '今天的号码');
      await j.shows(page, /累计服务|还不是志愿者/);
      await j.shows(page, '3号楼加装电梯意见征询');
      await j.shot(page, `me-390-${modeName(elder)}`);

      // assess
      const text = await visibleText(page);
      for (const words of ['我的预约', '今天的号码', '我的志愿服务', '我参与的协商', '我的诉求', '亲情代办', '通知公告', '3-2-501']) expect(text, words).toContain(words);
      expect(text).not.toContain('用户编号');
      expect(text.match(/[A-Za-z0-9]{12,}/g)).toBeNull();
      expectNoMachineWords(text);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });

    it(`invites a resident who is no volunteer to register, instead of offering hours and a certificate (${modeName(elder)})`, { timeout: 120_000 }, async () => {
      // prepare: 张先生 lives with 李阿姨 and never registered as a volunteer
      const { context, page } = await phone(elder);
      await j.devLogin(page, 'resident-zhang');

      // act
      await j.open(page, '/pages/me/index');
      await j.shows(page, '您还不是志愿者');
      await j.shot(page, `me-not-volunteer-390-${modeName(elder)}`);

      // assess
      const card = page.locator('.page:visible .card', { hasText: '您还不是志愿者' });
      expect(await card.innerText()).toContain('注册志愿者');
      expect(await card.innerText()).not.toContain('时长与证明');
      await card.getByText('注册志愿者', { exact: true }).click();
      await j.shows(page, '我能提供的服务（可多选）');
      await context.close();
    });

    it(`answers "what do I have today" on 首页: the next booking, today's number and the open vote (${modeName(elder)})`, { timeout: 120_000 }, async () => {
      // prepare
      const { context, page } = await phone(elder);
      await j.devLogin(page, 'resident-li');

      // act
      await j.open(page, '/pages/index/index');
      await j.shows(page, '下一个预约');
      await j.shows(page, '正在投票');
      await j.shows(page, '今天的号码');
      await j.shot(page, `home-390-${modeName(elder)}`);

      // assess
      const text = await visibleText(page);
      expect(text).toMatch(/\d{1,2}月\d{1,2}日 周[日一二三四五六] (上午|中午|下午)/);
      expect(text).toContain('3号楼加装电梯意见征询');
      expectNoMachineWords(text);
      await context.close();
    });
  }
});

describe('工作台 (item 9)', () => {
  for (const [width, elder] of [[1280, false], [1280, true], [390, false], [390, true]] as const) {
    it(`gathers every staff tool on one page reached from 首页 at ${width} px (${modeName(elder)})`, { timeout: 120_000 }, async () => {
      // prepare
      const { context, page } = await phone(elder, width);
      await j.devLogin(page, 'staff-wang');

      // act
      await j.shows(page, '工作台');
      await page.locator('.page:visible .tile', { hasText: '工作台' }).click();
      await j.shows(page, '窗口叫号');
      await j.shot(page, `workbench-${width}-${modeName(elder)}`);

      // assess: every tool, and a grid at a desk
      const text = await visibleText(page);
      for (const tool of ['成员核实', '工作人员', '操作记录', '大厅布局', '窗口叫号', '预约名单', '新建服务事项', '志愿者审核', '发布活动', '社区指标', '发起协商', '取号海报', '志愿者名册', '服务台帐', '诉求办理', '发布公告']) {
        expect(text, tool).toContain(tool);
      }
      if (width === 1280) {
        const tops = await page.locator('.page:visible .wb-group').nth(1).locator('.tile').evaluateAll((tiles) => tiles.map((t) => Math.round(t.getBoundingClientRect().top)));
        expect(tops.filter((top) => top === tops[0]).length).toBeGreaterThanOrEqual(3);
      }
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }

  it('moves the appointments list a day at a time', { timeout: 120_000 }, async () => {
    // prepare
    const { context, page } = await phone(false, 1280);
    await j.devLogin(page, 'staff-wang');
    const todayDay = new Date(Date.now() + 8 * 3600_000);
    const tomorrow = new Date(todayDay.getTime() + 86_400_000);
    const cn = (d: Date) => `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;

    // act
    await j.open(page, `/appointments/staff/index?cid=${DEMO_COMMUNITY}`);
    await j.shows(page, `${cn(todayDay)} `);
    await button(page, '后一天').click();
    await j.shows(page, `${cn(tomorrow)} `);
    await j.shot(page, 'appointments-staff-1280-normal');

    // assess: the day moved, named as people say it, and there is no typed-in code on h5
    const text = await visibleText(page);
    expect(text).toMatch(new RegExp(`${cn(tomorrow)} 周[日一二三四五六]`));
    expect(text).not.toContain('扫码签到');
    expectNoMachineWords(text);
    await context.close();
  });
});

describe('polish (item 10)', () => {
  it('colours 已报名 as under way, not like 已取消 or 待核实, and dates volunteer activities with their weekday', { timeout: 120_000 }, async () => {
    // prepare: a fresh approved volunteer of the demo community, signed up for an upcoming activity
    const root = await login('admin');
    const volunteer = await verifiedResident(DEMO_COMMUNITY);
    expect((await call('POST', `/v1/communities/${DEMO_COMMUNITY}/volunteers`, { token: volunteer.token, body: { skills: ['助老'] } })).status).toBe(201);
    expect((await call('POST', `/v1/communities/${DEMO_COMMUNITY}/volunteers/${volunteer.id}/approve`, { token: root.token })).status).toBe(200);
    const activity = await upcomingActivity();
    expect((await call('POST', `/v1/activities/${activity.id}/signups`, { token: volunteer.token, idempotencyKey: `polish-${volunteer.id}` })).status).toBe(201);
    const { context, page } = await phone(false);
    await j.devLogin(page, volunteer.openid);

    // act
    await j.open(page, '/volunteers/signups/index');
    await j.shows(page, activity.title);

    // assess
    expect(await page.locator('.page:visible .tag', { hasText: /^已报名$/ }).first().getAttribute('class')).toContain('tag--info');
    expect(await visibleText(page)).toMatch(/\d{1,2}月\d{1,2}日 周[日一二三四五六]/);
    await context.close();
  });

  it('offers staff no 报名参加 on an activity', { timeout: 120_000 }, async () => {
    // prepare
    const upcoming = await upcomingActivity();
    const { context, page } = await phone(false);
    await j.devLogin(page, 'staff-wang');

    // act
    await j.open(page, `/volunteers/activity/index?id=${upcoming.id}`);
    await j.shows(page, '扫码考勤与认定时长');

    // assess
    expect(await page.locator('.page:visible .btn', { hasText: '报名参加' }).count()).toBe(0);
    await context.close();
  });

  it("marks a staff member's reply 工作人员 by name, while residents stay masked", { timeout: 120_000 }, async () => {
    // prepare: an open consultation, a resident's question and a worker's answer
    const { id: cid } = await newCommunity();
    const director = await directorOf(cid);
    const resident = await verifiedResident(cid);
    const worker = await joined(cid, undefined, { realName: '王芳' });
    expect((await call('PUT', `/v1/communities/${cid}/staff/${worker.id}`, { token: director.token, body: { role: 'worker' } })).status).toBe(200);
    const opened = await call('POST', `/v1/communities/${cid}/consultations`, {
      token: director.token,
      body: {
        title: '加装电梯', body: '一单元加装电梯方案', options: [{ label: '同意' }, { label: '不同意' }], eligibility: 'resident',
        opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      idempotencyKey: `polish-reply-${worker.id}`,
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect((await call('POST', `/v1/consultations/${opened.body.id}/comments`, { token: resident.token, body: { text: '电梯噪音怎么办？' } })).status).toBe(201);
    expect((await call('POST', `/v1/consultations/${opened.body.id}/comments`, { token: worker.token, body: { text: '已要求选用低噪音机型' } })).status).toBe(201);
    const { context, page } = await phone(false);
    await j.devLogin(page, resident.openid);

    // act
    await j.open(page, `/consultations/detail/index?id=${opened.body.id}`);
    await j.shows(page, '已要求选用低噪音机型');

    // assess
    const reply = page.locator('.page:visible .comment', { hasText: '已要求选用低噪音机型' });
    expect(await reply.locator('.comment__head').innerText()).toMatch(/王芳\s*工作人员/);
    const question = page.locator('.page:visible .comment', { hasText: '电梯噪音怎么办？' });
    expect(await question.locator('.tag').count()).toBe(0);
    await j.shot(page, 'staff-reply-390-normal');
    await context.close();
  });

  for (const elder of MODES) {
    it(`keeps 叫下一个号 disabled while a number is at the window, and picks a priority reason on the row (${modeName(elder)})`, { timeout: 120_000 }, async () => {
      // prepare: the demo's window 2 is serving A002
      const { context, page } = await phone(elder, 1280);
      await j.devLogin(page, 'staff-wang');

      // act
      await j.open(page, `/queue/window/index?cid=${DEMO_COMMUNITY}&no=2`);
      await j.shows(page, '重呼');
      await j.shows(page, '设为优先…');
      await j.shot(page, `window-1280-${modeName(elder)}`);

      // assess
      const next = button(page, '叫下一个号');
      expect(await next.evaluate((el) => el.hasAttribute('disabled') || el.getAttribute('aria-disabled') === 'true' || el.className.includes('disabled'))).toBe(true);
      await j.shows(page, /请先为 A\d+ 号办结或过号/);
      expect(await page.locator('.page:visible [aria-label$="设为优先，点按选择原因"]').count()).toBeGreaterThan(0);
      await context.close();
    });
  }

  it('fills the board’s bottom with a clock and, opened by staff, the hall’s take-a-number QR', { timeout: 120_000 }, async () => {
    // prepare
    const { context, page } = await j.browser.newPhone({ viewport: { width: 1280, height: 720 } });
    await j.devLogin(page, 'staff-wang');

    // act
    await j.open(page, `/queue/board/index?cid=${DEMO_COMMUNITY}`);
    await page.locator('.tv__voice').click();
    await page.locator('.tv__foot .qr-code').waitFor({ timeout: UI_TIMEOUT });
    await j.shot(page, 'board-1280');

    // assess: the clock reads the hall's time and the foot reaches the screen's last quarter
    expect(await page.locator('.tv__clock-time').innerText()).toMatch(/^\d{2}:\d{2}$/);
    const foot = await page.locator('.tv__foot').boundingBox();
    expect(foot && foot.y + foot.height).toBeGreaterThan(720 * 0.9);
    expect(foot && foot.y).toBeLessThan(720 * 0.8);
    await context.close();
  });
});

describe('staff pages opened by anyone else', () => {
  const GATED = [
    [`/staff/stats/index?cid=${DEMO_COMMUNITY}`, '此页面展示社区的各项指标。'],
    ['/staff/workbench/index', '此页面汇集社区工作人员的各项工具。'],
    ['/volunteers/approvals/index', '此页面用于社区工作人员审核志愿者注册申请。'],
  ] as const;
  for (const [width, elder] of [[390, false], [390, true], [1280, false]] as const) {
    it(`tells a resident whom a staff page is for and what it does, instead of the tool (${width} px, ${modeName(elder)})`, { timeout: 120_000 }, async () => {
      // prepare: a verified resident of the demo community, no staff role
      const { context, page } = await phone(elder, width);
      await j.devLogin(page, 'resident-li');

      for (const [path, purpose] of GATED) {
        // act
        await j.open(page, path);
        await j.shows(page, purpose);
        await j.settle(page); // axe reads the page at rest, not while it slides in

        // assess
        const text = await visibleText(page);
        expect(text).toContain('仅社区工作人员可用');
        expectNoMachineWords(text);
        expect(await axeViolations(page)).toEqual([]);
      }
      await j.shot(page, `staff-only-${width}-${modeName(elder)}`);
      await context.close();
    });
  }
});
