/**
 * The back office in the browser, from a community that does not exist yet: the platform admin
 * creates it and appoints its director from the members who joined through its link; the director
 * verifies and appoints a worker; a resident opens the join link, joins and is verified; another
 * is refused and sees why; a member moves to another flat; the director lays out the hall and prints
 * its walk-in poster, a walk-in takes a number from the poster's link and the worker calls it; a
 * volunteer's hours are corrected on the roster and the month's 台帐 is exported as a CSV Excel
 * opens; 操作记录 lists these acts in Chinese. At a desk (1280 px, normal) and
 * on a phone (390 px, elder mode); screenshots in tests/artifacts/backoffice-<width>-<mode>-*.png.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { admin, joined, login, uniqueOpenid } from '../support/actors';
import { axeViolations, setElderMode } from '../support/axe';
import { UI_TIMEOUT, button, confirmModal, modal, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'backoffice-' });

const input = (page: Page, label: string) => page.locator(`.page:visible input[aria-label="${label}"]`);
/** No Latin word (an id, a key, an English label) on the visible page. */
/** A normal-mode toast lasts 2 s: checks and the next modal wait for it to go (a fading toast fails contrast). */
const toastGone = (page: Page) => page.waitForTimeout(2500);

/** What a person should never read: English words, and dates in ISO order (2026-12-07). */
const machineText = async (page: Page) => (await page.locator('.page:visible').allInnerTexts()).join('\n').match(/[A-Za-z]{3,}|\d{4}-\d{1,2}-\d{1,2}/g);
/** Opens a page in a fresh document, so the h5 router's stack holds no earlier copy of it. */
const openFresh = async (page: Page, path: string) => {
  await j.open(page, path);
  await page.reload();
};

/** The dark modules of a QR image the app drew (components/qr-code: an SVG path of runs `M<x> <y>h<n>`), as 'x,y'. */
function qrModules(src: string | null): string[] {
  const svg = Buffer.from((src ?? '').replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8');
  const dark: string[] = [];
  for (const [, x, y, n] of svg.matchAll(/M(\d+) (\d+)h(\d+)/g)) for (let i = 0; i < Number(n); i++) dark.push(`${Number(x) + i},${y}`);
  return dark.sort();
}

/** The dark modules of the QR of `text` (the same error correction and 2-module margin as the app). */
function expectedModules(text: string): string[] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const dark: string[] = [];
  for (let y = 0; y < modules.size; y++) for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) dark.push(`${x + 2},${y + 2}`);
  return dark.sort();
}

describe('back office (admin, director, residents)', () => {
  for (const [width, elder] of [[1280, false], [390, true]] as const) {
    const mode = elder ? 'elder' : 'normal';
    it(`onboards a community and its people at ${width} px in ${mode} mode`, { timeout: 300_000 }, async () => {
      // prepare: one browser; people take turns in it by the dev login
      const { context, page } = await j.browser.newPhone({ viewport: { width, height: 800 } });
      await setElderMode(context, elder);
      const okMessage = async () => {
        if (!elder) return;
        await confirmModal(page, '知道了');
        await modal(page).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      };
      const name = `幸福${String(Date.now()).slice(-6)}社区`;
      const director = { openid: uniqueOpenid('dir'), realName: '周建华' };
      const resident = { openid: uniqueOpenid('res'), realName: '李秀兰' };
      const refused = { openid: uniqueOpenid('ref'), realName: '孙错门' };

      // act 1: the admin creates the community
      await j.devLogin(page, 'admin');
      await openFresh(page, '/admin/communities/index');
      await button(page, '新建社区').click();
      await input(page, '社区名称').fill(name);
      await input(page, '所属区').fill('鼓楼区');
      await input(page, '所属街道').fill('西司门街道');
      await input(page, '常住人口（官方数）').fill('9000');
      await input(page, '户数（官方数）').fill('3000');
      expect(await axeViolations(page)).toEqual([]);
      await j.shot(page, `${width}-${mode}-admin-create`);
      await button(page, '创建社区').click();
      await okMessage();
      await j.shows(page, `修改 ${name}`);
      const found = await call('GET', `/v1/communities?q=${encodeURIComponent(name)}`);
      expect(found.body.items).toHaveLength(1);
      const cid: string = found.body.items[0].id;

      // act 2: the director-to-be opens the join link and joins
      await j.devLogin(page, director.openid);
      await openFresh(page, `/community/join/index?cid=${cid}`);
      await j.shows(page, name);
      await input(page, '门牌号').fill('1-1-101');
      await input(page, '真实姓名').fill(director.realName);
      expect(await axeViolations(page)).toEqual([]);
      await j.shot(page, `${width}-${mode}-join`);
      await button(page, '提交申请').click();
      await okMessage();
      // the join page goes back by itself: the next person's login must not be popped by it
      await expect.poll(() => page.url(), { timeout: UI_TIMEOUT }).not.toContain('/community/join/');
      await expect.poll(async () => (await call('GET', `/v1/communities/${cid}/members?status=pending`, { token: (await admin()).token })).body.items.length, { timeout: UI_TIMEOUT }).toBe(1);

      // act 3: the admin finds the community by its street and appoints the director from its members
      await j.devLogin(page, 'admin');
      await openFresh(page, '/admin/communities/index');
      await input(page, '名称或街道').fill(name);
      await button(page, '查找').click();
      await page.locator('.page:visible .adm-row', { hasText: name }).first().click();
      await button(page, `任命 ${director.realName} 为主任`).click();
      await confirmModal(page, '任命');
      await okMessage();
      await expect.poll(async () => (await call('GET', `/v1/communities/${cid}/staff`, { token: (await admin()).token })).body.items.length, { timeout: UI_TIMEOUT }).toBe(1);
      await j.shows(page, `现任主任：${director.realName}`);
      expect(await axeViolations(page)).toEqual([]);
      expect(await machineText(page)).toBeNull();
      await j.shot(page, `${width}-${mode}-admin-director`);

      // act 4: a resident opens the join link and joins; a worker-to-be and a wrong flat join too
      await j.devLogin(page, resident.openid);
      await openFresh(page, `/community/join/index?cid=${cid}`);
      await j.shows(page, name);
      await input(page, '门牌号').fill('3-2-501');
      await input(page, '真实姓名').fill(resident.realName);
      await button(page, '提交申请').click();
      await okMessage();
      // the join page goes back by itself: the next person's login must not be popped by it
      await expect.poll(() => page.url(), { timeout: UI_TIMEOUT }).not.toContain('/community/join/');
      const worker = await joined(cid, '2-2-202', { realName: '吴晓明' });
      const wrongFlat = await login(refused.openid);
      expect((await call('POST', `/v1/communities/${cid}/members`, { token: wrongFlat.token, body: { household: '9-9-909', realName: refused.realName } })).status).toBe(201);

      // act 5: the director verifies two, refuses one with a reason, and appoints a worker
      await j.devLogin(page, director.openid);
      await openFresh(page, `/staff/members/index?cid=${cid}`);
      await j.shows(page, resident.realName);
      expect(await axeViolations(page)).toEqual([]);
      await j.shot(page, `${width}-${mode}-members-pending`);
      // 核实 says what it grants and waits for a yes
      await button(page, `核实 ${resident.realName}`).click();
      await expect.poll(() => modal(page).innerText(), { timeout: UI_TIMEOUT }).toContain(`确认 ${resident.realName} 住在 3-2-501`);
      await page.waitForTimeout(500); // the modal fades in
      await j.shot(page, `${width}-${mode}-members-verify-confirm`);
      await confirmModal(page, '核实');
      await okMessage();
      await button(page, '核实 吴晓明').click();
      await confirmModal(page, '核实');
      await okMessage();
      await button(page, `核实 ${director.realName}`).click();
      await confirmModal(page, '核实');
      await okMessage();
      // only the wrong flat is left waiting
      await expect.poll(() => page.locator('.page:visible .bo-row').count(), { timeout: UI_TIMEOUT }).toBe(1);
      await button(page, '不通过…').click();
      await input(page, '不通过原因').fill('本社区没有 9 号楼');
      await button(page, '确认不通过').click();
      await confirmModal(page, '不通过');
      await okMessage();
      await expect.poll(async () => (await call('GET', `/v1/communities/${cid}/members?status=refused`, { token: (await admin()).token })).body.items?.length, { timeout: UI_TIMEOUT }).toBe(1);
      await page.locator('.page:visible .bo-tab', { hasText: '已拒绝' }).click();
      await j.shows(page, '原因：本社区没有 9 号楼');
      expect(await axeViolations(page)).toEqual([]);
      await j.shot(page, `${width}-${mode}-members-refused`);

      await openFresh(page, `/staff/staff/index?cid=${cid}`);
      await j.shows(page, director.realName);
      await input(page, '按门牌或姓名查找居民').fill('吴');
      await button(page, '查找').click();
      await button(page, '任命 吴晓明 为工作人员').click();
      await okMessage();
      await expect.poll(async () => (await call('GET', `/v1/communities/${cid}/staff`, { token: worker.token })).body.items?.length, { timeout: UI_TIMEOUT }).toBe(2);
      await j.shows(page, '免去 吴晓明');
      expect(await axeViolations(page)).toEqual([]);
      expect(await machineText(page)).toBeNull();
      await j.shot(page, `${width}-${mode}-staff`);

      await openFresh(page, `/community/poster/index?cid=${cid}`);
      await j.shows(page, `扫码加入${name}`);
      expect(await axeViolations(page)).toEqual([]);
      await j.shot(page, `${width}-${mode}-poster`);
      // the poster's QR holds this community's join page
      const joinLink = `${await page.evaluate(() => `${location.origin}${location.pathname}`)}#/community/join/index?cid=${encodeURIComponent(cid)}`;
      expect(qrModules(await page.locator('.page:visible .qr-code img, .page:visible img.qr-code').first().getAttribute('src'))).toEqual(expectedModules(joinLink));

      // act 5b: the director moves a member to another flat of the community, after a confirmation that says what happens
      await openFresh(page, `/staff/members/index?cid=${cid}`);
      await page.locator('.page:visible .bo-tab', { hasText: '已核实' }).click();
      await input(page, '按门牌或姓名查找').fill('3-2-501');
      await button(page, '查找').click();
      await expect.poll(() => page.locator('.page:visible .bo-row').count(), { timeout: UI_TIMEOUT }).toBe(1);
      await button(page, '迁移门牌…').click();
      await input(page, '新门牌').fill('3-2-502');
      await input(page, '迁移原因').fill('搬到同楼另一套房');
      await button(page, '确认迁移').click();
      await expect.poll(() => modal(page).innerText(), { timeout: UI_TIMEOUT }).toContain('将从 3-2-501 迁至 3-2-502');
      await confirmModal(page, '迁移');
      await okMessage();
      await j.shows(page, '门牌：3-2-502');
      expect(await axeViolations(page)).toEqual([]);
      await j.shot(page, `${width}-${mode}-members-moved`);
      const directorActor = await login(director.openid);
      expect((await call('GET', '/v1/me', { token: (await login(resident.openid)).token })).body.memberships[0]).toMatchObject({ household: '3-2-502', verified: true });

      // act 5c: the director lays out the hall with two categories and two windows, then prints its walk-in poster
      await openFresh(page, `/staff/hall/index?cid=${cid}`);
      await input(page, '第 1 类名称').fill('社保');
      await button(page, '增加业务类别').click();
      await input(page, '第 2 类名称').fill('民政');
      await button(page, '增加窗口').click();
      await page.locator('.page:visible .hall-chip', { hasText: '民政（B）' }).nth(1).click();
      // 办理时间: a working week as offered, and Saturday mornings
      await button(page, '增加办理时间').click();
      await button(page, '增加办理时间').click();
      const saturday = page.locator('.page:visible .hall-row--hours').nth(1);
      for (const day of ['周一', '周二', '周三', '周四', '周五', '周六']) await saturday.locator('.hall-chip', { hasText: day }).click();
      await button(page, '保存大厅布局').click();
      await okMessage();
      await expect.poll(async () => (await call('GET', `/v1/communities/${cid}/hall`, { token: directorActor.token })).body.windows?.length, { timeout: UI_TIMEOUT }).toBe(2);
      await button(page, '打印今天的取号海报').click();
      await j.shows(page, '扫码取号');
      await j.shows(page, 'A 社保、B 民政');
      await j.shows(page, '办理时间：周一至周五 09:00–17:00；周六 09:00–17:00');
      expect(await axeViolations(page)).toEqual([]);
      expect(await machineText(page)).toBeNull();
      await j.shot(page, `${width}-${mode}-hall-poster`);
      // the poster's QR holds the take-a-number page of this hall with today's hall token
      const qr = (await call('GET', `/v1/communities/${cid}/hall/qr`, { token: directorActor.token })).body;
      const takeLink = `${await page.evaluate(() => `${location.origin}${location.pathname}`)}#/${qr.path}`;
      expect(qrModules(await page.locator('.page:visible .qr-code img, .page:visible img.qr-code').first().getAttribute('src'))).toEqual(expectedModules(takeLink));

      // act 5d: a walk-in who never joined takes a number from the poster's link; the worker calls it
      const walkIn = uniqueOpenid('walkin');
      await j.devLogin(page, walkIn);
      await page.goto(takeLink);
      await page.reload();
      await button(page, '取 A 号').click();
      await j.shows(page, 'A001');
      await j.devLogin(page, worker.openid);
      await openFresh(page, `/queue/window/index?cid=${cid}&no=1`);
      await button(page, '开放本窗口').click();
      await j.shows(page, '已开放');
      await button(page, '叫下一个号').click();
      await j.shows(page, 'A001');
      // the list shows A001 while it waits too: read the call from the API once it has landed
      const walkInToken = (await login(walkIn)).token;
      const ticketsOfWalkIn = async () => (await call('GET', '/v1/me/tickets', { token: walkInToken })).body.items;
      await expect.poll(async () => (await ticketsOfWalkIn())[0]?.status, { timeout: UI_TIMEOUT }).toBe('called');
      const called = await ticketsOfWalkIn();
      expect(called).toEqual([expect.objectContaining({ number: 'A001', status: 'called', window: 1 })]);
      await j.devLogin(page, walkIn);
      await openFresh(page, `/queue/ticket/index?id=${called[0].id}`);
      await j.shows(page, '请到 1 号窗口办理');
      await j.shot(page, `${width}-${mode}-walk-in-called`);

      // act 5e: the resident volunteers; the director corrects her hours on the roster and exports the month's 台帐
      const residentActor = await login(resident.openid);
      expect((await call('POST', `/v1/communities/${cid}/volunteers`, { token: residentActor.token, body: { skills: ['助老'] } })).status).toBe(201);
      expect((await call('POST', `/v1/communities/${cid}/volunteers/${residentActor.id}/approve`, { token: directorActor.token })).status).toBe(200);
      await j.devLogin(page, director.openid);
      await openFresh(page, `/volunteers/roster/index?cid=${cid}`);
      await button(page, '查看 李*兰 的台帐').click();
      await j.shows(page, '暂无服务记录');
      await input(page, '更正时长（小时）').fill('2.5');
      await input(page, '更正原因').fill('补记社区义诊');
      await button(page, /^记入更正$/).click();
      await expect.poll(() => modal(page).innerText(), { timeout: UI_TIMEOUT }).toContain('增加 2.5 小时');
      await confirmModal(page, '记入更正');
      await okMessage();
      await j.shows(page, '更正：补记社区义诊');
      await j.shows(page, '累计 2.5 小时');
      expect(await axeViolations(page)).toEqual([]);
      expect(await machineText(page)).toBeNull();
      await j.shot(page, `${width}-${mode}-roster`);
      await button(page, '按月查看台帐').click();
      await j.shows(page, '补记社区义诊');
      await j.shows(page, '合计 2.5 小时');
      await toastGone(page);
      expect(await axeViolations(page)).toEqual([]);
      expect(await machineText(page)).toBeNull();
      await j.shot(page, `${width}-${mode}-ledger`);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: UI_TIMEOUT }), button(page, /^导出.*台帐/).click()]);
      expect(download.suggestedFilename()).toMatch(/^志愿服务台帐\d{4}年\d{1,2}月\.csv$/);
      const csv = readFileSync(await download.path()).toString('utf8');
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      const rows = csv.slice(1).trim().split('\r\n').map((line) => line.split(','));
      expect(rows[0]).toEqual(['日期', '姓名', '门牌', '类别', '活动', '时长（小时）', '更正原因', '记录时间']);
      expect(rows.slice(1).map((r) => [r[1], r[2], r[3], r[5], r[6]])).toEqual([
        [resident.realName, '3-2-502', '更正', '2.5', '补记社区义诊'],
        ['', '', '', '2.5', ''],
      ]);
      expect(rows.at(-1)?.[0]).toBe('合计');

      // act 5f: the director removes the worker from the staff and revokes the resident, who moved away
      await openFresh(page, `/staff/staff/index?cid=${cid}`);
      await button(page, '免去 吴晓明').click();
      await confirmModal(page, '免去职务');
      await okMessage();
      await expect.poll(async () => (await call('GET', `/v1/communities/${cid}/staff`, { token: directorActor.token })).body.items?.length, { timeout: UI_TIMEOUT }).toBe(1);
      await toastGone(page);
      await openFresh(page, `/staff/members/index?cid=${cid}`);
      await page.locator('.page:visible .bo-tab', { hasText: '已核实' }).click();
      await input(page, '按门牌或姓名查找').fill('3-2-502');
      await button(page, '查找').click();
      await expect.poll(() => page.locator('.page:visible .bo-row').count(), { timeout: UI_TIMEOUT }).toBe(1);
      await button(page, '撤销成员身份…').click();
      await input(page, '撤销原因').fill('已搬离本社区');
      await button(page, '确认撤销成员身份').click();
      await confirmModal(page, '撤销');
      await okMessage();
      await expect.poll(async () => (await call('GET', '/v1/me', { token: residentActor.token })).body.endedMemberships?.[0], { timeout: UI_TIMEOUT }).toMatchObject({ status: 'revoked', reason: '已搬离本社区' });

      // act 6: the refused person opens the join link again and reads why
      await j.devLogin(page, refused.openid);
      await openFresh(page, `/community/join/index?cid=${cid}`);
      await j.shows(page, '原因：本社区没有 9 号楼');
      await j.shot(page, `${width}-${mode}-refused-sees-why`);
      // and on 首页, where they land after logging in
      await openFresh(page, '/pages/index/index');
      await j.shows(page, `您加入${name}的申请未通过，原因：本社区没有 9 号楼`);
      await j.shows(page, '重新申请');

      // assess: the log names every act in Chinese, with people's names
      await j.devLogin(page, director.openid);
      await openFresh(page, `/staff/audit/index?cid=${cid}`);
      for (const act of ['创建社区', '任命工作人员', '核实成员', '拒绝加入申请', '免去工作人员', '撤销成员身份']) await j.shows(page, act);
      await j.shows(page, '原因 本社区没有 9 号楼');
      // the refused person is named as they gave their name, though their request is gone
      await expect.poll(() => page.locator('.page:visible').innerText(), { timeout: UI_TIMEOUT }).toContain(refused.realName);
      expect(await axeViolations(page)).toEqual([]);
      expect(await machineText(page)).toBeNull();
      await j.shot(page, `${width}-${mode}-audit`);
      const verified = await call('GET', `/v1/communities/${cid}/members?status=verified`, { token: directorActor.token });
      expect(verified.body.items.map((m: { realName: string }) => m.realName).sort()).toEqual(['吴晓明', director.realName].sort());
      await context.close();
    });
  }
});
