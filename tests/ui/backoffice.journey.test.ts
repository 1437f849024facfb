/**
 * The back office in the browser, from a community that does not exist yet: the platform admin
 * creates it and appoints its director from the members who joined through its link; the director
 * verifies and appoints a worker; a resident opens the join link, joins and is verified; another
 * is refused and sees why; 操作记录 lists these acts in Chinese. At a desk (1280 px, normal) and
 * on a phone (390 px, elder mode); screenshots in tests/artifacts/backoffice-<width>-<mode>-*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { admin, joined, login, uniqueOpenid } from '../support/actors';
import { axeViolations, setElderMode } from '../support/axe';
import { UI_TIMEOUT, button, confirmModal, modal, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'backoffice-' });

const input = (page: Page, label: string) => page.locator(`.page:visible input[aria-label="${label}"]`);
/** No Latin word (an id, a key, an English label) on the visible page. */
const latinWords = async (page: Page) => (await page.locator('.page:visible').allInnerTexts()).join('\n').match(/[A-Za-z]{3,}/g);
/** Opens a page in a fresh document, so the h5 router's stack holds no earlier copy of it. */
const openFresh = async (page: Page, path: string) => {
  await j.open(page, path);
  await page.reload();
};

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
      expect(await latinWords(page)).toBeNull();
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
      await button(page, `核实 ${resident.realName}`).click();
      await okMessage();
      await button(page, '核实 吴晓明').click();
      await okMessage();
      await button(page, `核实 ${director.realName}`).click();
      await okMessage();
      // only the wrong flat is left waiting
      await expect.poll(() => page.locator('.page:visible .bo-row').count(), { timeout: UI_TIMEOUT }).toBe(1);
      await button(page, '拒绝申请…').click();
      await input(page, '拒绝原因').fill('本社区没有 9 号楼');
      await button(page, '确认拒绝申请').click();
      await confirmModal(page, '拒绝申请');
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
      expect(await latinWords(page)).toBeNull();
      await j.shot(page, `${width}-${mode}-staff`);

      await openFresh(page, `/community/poster/index?cid=${cid}`);
      await j.shows(page, `扫码加入${name}`);
      expect(await axeViolations(page)).toEqual([]);
      await j.shot(page, `${width}-${mode}-poster`);

      // act 6: the refused person opens the join link again and reads why
      await j.devLogin(page, refused.openid);
      await openFresh(page, `/community/join/index?cid=${cid}`);
      await j.shows(page, '原因：本社区没有 9 号楼');
      await j.shot(page, `${width}-${mode}-refused-sees-why`);

      // assess: the log names every act in Chinese, with people's names
      await j.devLogin(page, director.openid);
      await openFresh(page, `/staff/audit/index?cid=${cid}`);
      for (const act of ['创建社区', '任命工作人员', '核实成员', '拒绝加入申请']) await j.shows(page, act);
      await j.shows(page, '原因 本社区没有 9 号楼');
      expect(await axeViolations(page)).toEqual([]);
      expect(await latinWords(page)).toBeNull();
      await j.shot(page, `${width}-${mode}-audit`);
      const verified = await call('GET', `/v1/communities/${cid}/members?status=verified`, { token: worker.token });
      expect(verified.body.items.map((m: { realName: string }) => m.realName).sort()).toEqual(['吴晓明', director.realName, resident.realName].sort());
      await context.close();
    });
  }
});
