/**
 * 诉求反映 in a browser: the h5 build against the real API (real handlers, DynamoDB Local).
 *
 * A director divides the community into a grid with its 网格员; a resident (phone, elder mode)
 * files a request, told the clock before filing; the grid worker (phone) accepts it from the
 * queue (首问负责) and hands it up to the street; the street's staff (desk, 1280 px) accept and
 * resolve it; the resident rates it 5; the street's table of the three rates shows it, and the
 * public list shows the resolution without the text. Screenshots: tests/artifacts/requests-*.png.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gpsPhoto } from '../fixtures/gps-photo';
import { admin, joined, login, newCommunity, uniqueOpenid, verifiedResident } from '../support/actors';
import { axeViolations, setElderMode } from '../support/axe';
import { UI_TIMEOUT, button, confirmModal, modal, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'requests-' });
const { devLogin, open, shows, shot } = j;

const DESK = { width: 1280, height: 900 };
const textarea = (page: Page, label: string) => page.locator('.page:visible .textbox', { hasText: label }).locator('textarea').first();
const input = (page: Page, label: string) => page.locator(`.page:visible input[aria-label="${label}"]`);
/** The colour class of the status tag that reads `text` (one word, one colour on every page). */
const tagClass = (page: Page, text: string) => page.locator('.page:visible .tag', { hasText: text }).first().getAttribute('class');
/** No Latin word (an id, an ISO time, an English label) on the visible page. */
const latinWords = async (page: Page) => (await page.locator('.page:visible').allInnerTexts()).join('\n').match(/[A-Za-z]{3,}/g);

/** Elder mode shows every message as a modal that stays until 知道了; a navigation right after it may close it first. */
async function dismissMessage(page: Page): Promise<void> {
  const shown = modal(page);
  if (await shown.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false)) await shown.getByText('知道了', { exact: true }).last().click();
  await shown.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
}

/** A normal-mode toast lasts 2 s (3 s for an error): screenshots wait for it to go. */
const toastGone = (page: Page) => page.waitForTimeout(2500);

async function phone(elder: boolean, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const device = await j.browser.newPhone(viewport ? { viewport } : {});
  device.page.setDefaultTimeout(UI_TIMEOUT);
  await setElderMode(device.context, elder);
  return device;
}

describe('requests journey (h5 against the real API)', () => {
  it('files, accepts, hands up, resolves at the street, rates 5, and the rates show it', { timeout: 600_000 }, async () => {
    // prepare: a street, a community under it, its director, a grid worker with a name, a resident in the grid's building, the street's staff
    const root = await admin();
    const street = `幸福${String(Date.now()).slice(-6)}街道`;
    const community = await newCommunity({ name: '幸福里诉求社区', street });
    const region = await call('POST', '/v1/regions', { token: root.token, body: { name: street, level: 'street' } });
    expect(region.status, JSON.stringify(region.body)).toBe(201);
    const attached = await call('PUT', `/v1/regions/${region.body.id}/communities/${community.id}`, { token: root.token, body: {} });
    expect(attached.status, JSON.stringify(attached.body)).toBe(200);
    const director = await login(uniqueOpenid('dir'));
    expect((await call('PUT', `/v1/communities/${community.id}/staff/${director.id}`, { token: root.token, body: { role: 'director' } })).status).toBe(200);
    const worker = await joined(community.id, '1-1-101', { realName: '王芳' });
    expect((await call('PUT', `/v1/communities/${community.id}/staff/${worker.id}`, { token: root.token, body: { role: 'worker' } })).status).toBe(200);
    const resident = await verifiedResident(community.id, '7-2-501');
    const streetStaff = await login(uniqueOpenid('street'));
    expect((await call('PUT', `/v1/regions/${region.body.id}/staff/${streetStaff.id}`, { token: root.token, body: {} })).status).toBe(200);

    // act 1: the director divides building 7 into a grid with 王芳 as its worker
    const desk = await phone(false, DESK);
    await devLogin(desk.page, director.openid);
    await open(desk.page, `/requests/grids/index?cid=${community.id}`);
    await shows(desk.page, '还没有划分网格');
    await input(desk.page, '网格名称').fill('第七网格');
    await input(desk.page, '包含的楼栋').fill('7、8');
    await desk.page.locator('.page:visible .choice', { hasText: '王芳' }).click();
    await button(desk.page, '划分网格').click();
    await confirmModal(desk.page, '确认划分');
    await shows(desk.page, '7 号楼、8 号楼');
    await toastGone(desk.page);
    await shot(desk.page, 'grids-1280');
    const grids = await call('GET', `/v1/communities/${community.id}/grids`, { token: director.token });
    expect(grids.body.items).toMatchObject([{ name: '第七网格', buildings: ['7', '8'], workerId: worker.id }]);

    // act 2: the resident (elder mode) files a request; the clock is stated before filing
    const residentPhone = await phone(true);
    await devLogin(residentPhone.page, resident.openid);
    await open(residentPhone.page, '/requests/new/index');
    await residentPhone.page.locator('.page:visible .req-chip', { hasText: '环境卫生' }).click();
    await shows(residentPhone.page, '将在4小时内响应，3个工作日内办结');
    await textarea(residentPhone.page, '请说清楚').fill('7 号楼东侧垃圾桶满了三天没人清运，气味很大。');
    const [chooser] = await Promise.all([residentPhone.page.waitForEvent('filechooser', { timeout: UI_TIMEOUT }), button(residentPhone.page, '添加照片').click()]);
    await chooser.setFiles({ name: '垃圾桶.jpg', mimeType: 'image/jpeg', buffer: await gpsPhoto() });
    await shows(residentPhone.page, '已上传 1/1 张');
    await input(residentPhone.page, '地点').fill('7 号楼东侧');
    expect(await axeViolations(residentPhone.page)).toEqual([]);
    await shot(residentPhone.page, 'new-390-elder');
    await button(residentPhone.page, '提交诉求').click();
    await shows(residentPhone.page, '办理过程');
    await dismissMessage(residentPhone.page);
    await shows(residentPhone.page, '待受理');
    expect(await tagClass(residentPhone.page, '待受理')).toContain('tag--pending');
    const mine = await call('GET', '/v1/me/requests', { token: resident.token });
    expect(mine.body.items).toHaveLength(1);
    const filed = mine.body.items[0];
    expect(filed).toMatchObject({ status: 'submitted', gridName: '第七网格', category: 'sanitation' });
    await shows(residentPhone.page, filed.number);
    await expect.poll(() => residentPhone.page.locator('.page:visible .req-photo').count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await latinWords(residentPhone.page)).toBeNull();
    await shot(residentPhone.page, 'detail-390-elder-submitted');

    // act 3: the grid worker sees it in the queue with its time left, accepts it, and hands it up to the street
    const workerPhone = await phone(false);
    await devLogin(workerPhone.page, worker.openid);
    await open(workerPhone.page, `/requests/queue/index?cid=${community.id}`);
    await shows(workerPhone.page, filed.number);
    await shows(workerPhone.page, /响应期限：剩 \d/);
    await shot(workerPhone.page, 'queue-390');
    await button(workerPhone.page, /^受理$/).click();
    await confirmModal(workerPhone.page, '受理');
    await shows(workerPhone.page, '负责人：王芳（我）');
    await button(workerPhone.page, /^办理$/).click();
    await shows(workerPhone.page, '告知居民（一次告知）');
    await expect.poll(() => workerPhone.page.locator('.page:visible img[alt="现场照片 1"]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    await textarea(workerPhone.page, '上报理由').fill('垃圾清运合同由街道统一签订，社区无法调度清运车辆。');
    await shot(workerPhone.page, 'detail-390-owner');
    await button(workerPhone.page, '上报街道').click();
    await confirmModal(workerPhone.page, '确认上报');
    await shows(workerPhone.page, '已上报街道');
    expect(await tagClass(workerPhone.page, '已上报街道')).toContain('tag--pending');
    expect((await call('GET', `/v1/requests/${filed.id}`, { token: resident.token })).body).toMatchObject({ status: 'escalated', level: 'street' });

    // act 4: the street's staff (desk) accept it from the region page and resolve it
    const streetDesk = await phone(false, DESK);
    await devLogin(streetDesk.page, streetStaff.openid);
    await open(streetDesk.page, '/requests/region/index');
    await shows(streetDesk.page, filed.number);
    await shows(streetDesk.page, '幸福里诉求社区');
    expect(await axeViolations(streetDesk.page)).toEqual([]);
    await shot(streetDesk.page, 'region-1280-escalated');
    await button(streetDesk.page, /^受理$/).click();
    await confirmModal(streetDesk.page, '受理');
    await shows(streetDesk.page, /负责人：(.+（我）|我)$/);
    await button(streetDesk.page, /^办理$/).click();
    await shows(streetDesk.page, '办理结果（居民和公开栏可见）');
    await textarea(streetDesk.page, '办理结果').fill('已协调环卫所当日清运，并将该点位清运频次调整为每日一次。');
    await button(streetDesk.page, /^办结$/).click();
    await confirmModal(streetDesk.page, '确认办结');
    await shows(streetDesk.page, '已办结');
    expect(await tagClass(streetDesk.page, '已办结')).toContain('tag--ok');
    await toastGone(streetDesk.page);
    await shot(streetDesk.page, 'detail-1280-resolved');

    // act 5: the resident rates it 5 (large stars in elder mode)
    await open(residentPhone.page, `/requests/detail/index?id=${filed.id}`);
    await residentPhone.page.reload();
    await shows(residentPhone.page, '请为办理结果评分');
    await shows(residentPhone.page, '已协调环卫所当日清运');
    await residentPhone.page.locator('.page:visible [role="radio"][aria-label="5 分 非常满意"]').click();
    await shows(residentPhone.page, '5 分 · 非常满意');
    expect(await axeViolations(residentPhone.page)).toEqual([]);
    await shot(residentPhone.page, 'rate-390-elder');
    await button(residentPhone.page, '提交评价').click();
    await dismissMessage(residentPhone.page);
    await shows(residentPhone.page, '我的评价');
    await shot(residentPhone.page, 'detail-390-elder-rated');
    await open(residentPhone.page, '/requests/mine/index');
    await shows(residentPhone.page, filed.number);
    await shot(residentPhone.page, 'mine-390-elder');

    // assess: the street's three rates show the request (answered and resolved in time, rated 5)
    const stats = await call('GET', `/v1/regions/${region.body.id}/stats`, { token: streetStaff.token });
    expect(stats.body.communities).toMatchObject([{ communityId: community.id, filed: 1, responseRate: 1, satisfactionRate: 1, escalated: 1 }]);
    await open(streetDesk.page, '/requests/region/index');
    await streetDesk.page.reload();
    const row = streetDesk.page.locator('.page:visible .rates__row', { hasText: '幸福里诉求社区' });
    await expect.poll(() => row.innerText(), { timeout: UI_TIMEOUT }).toContain('100%');
    await shot(streetDesk.page, 'region-1280-rates');

    // assess: the public list shows the resolution, never the text or the person
    const visitor = await phone(false);
    await open(visitor.page, `/requests/public/index?cid=${community.id}`);
    await shows(visitor.page, '已协调环卫所当日清运');
    const shown = (await visitor.page.locator('.page:visible').allInnerTexts()).join('\n');
    expect(shown).not.toContain('垃圾桶满了三天');
    expect(shown).not.toContain('7-2-501');
    await shot(visitor.page, 'public-390');

    // act 6: the grid worker records a 走访入户 at the resident's door; the grid's visit rate counts it
    await open(workerPhone.page, `/requests/visits/index?cid=${community.id}`);
    await shows(workerPhone.page, '记录走访入户');
    await input(workerPhone.page, '门牌').fill('7-2-501');
    await textarea(workerPhone.page, '走访情况').fill('回访垃圾清运情况，居民表示已解决。');
    await button(workerPhone.page, '记录走访').click();
    await shows(workerPhone.page, '走访 7-2-501');
    await shows(workerPhone.page, '已走访 1 户');
    await toastGone(workerPhone.page);
    await shot(workerPhone.page, 'visits-390');

    // the same pages in the other mode and width: the resident in normal mode, staff in elder mode on a phone and at a desk
    const normalResident = await phone(false);
    await devLogin(normalResident.page, resident.openid);
    await open(normalResident.page, `/requests/detail/index?id=${filed.id}`);
    await shows(normalResident.page, '我的评价');
    await shot(normalResident.page, 'detail-390-normal-rated');
    await open(normalResident.page, '/requests/new/index');
    await shows(normalResident.page, '诉求类别');
    await shot(normalResident.page, 'new-390-normal');
    const elderWorker = await phone(true);
    await devLogin(elderWorker.page, worker.openid);
    await open(elderWorker.page, `/requests/queue/index?cid=${community.id}`);
    await shows(elderWorker.page, filed.number);
    await shot(elderWorker.page, 'queue-390-elder');
    await open(elderWorker.page, `/requests/visits/index?cid=${community.id}`);
    await shows(elderWorker.page, '已走访 1 户');
    await shot(elderWorker.page, 'visits-390-elder');
    const elderStreet = await phone(true);
    await devLogin(elderStreet.page, streetStaff.openid);
    await open(elderStreet.page, '/requests/region/index');
    await shows(elderStreet.page, '幸福里诉求社区');
    await shot(elderStreet.page, 'region-390-elder');
    await open(desk.page, `/requests/queue/index?cid=${community.id}`);
    await shows(desk.page, filed.number);
    await shot(desk.page, 'queue-1280');
  });
});
