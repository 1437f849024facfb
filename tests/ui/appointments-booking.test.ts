/**
 * The booking page and the booking detail prevent errors before the tap (issue 18, items 4–6):
 * the 预约 button sits in a bar pinned to the screen naming the chosen day and time, slots come
 * under 上午 / 下午; a member whose household is not verified is told so before choosing, with
 * every control off; a day already booked is not pre-selected; check-in is off, with its reason,
 * until 30 minutes before the slot, and its result shows beside the QR, not over it; the cancel
 * dialog says what happens, 保留预约 / 取消预约, the destructive choice in the warning colour; the
 * QR is one image, not a node per run of modules. The detail lists the materials and the place.
 *
 * Screenshots at 390 px, normal and elder mode: tests/artifacts/appointments-booking-*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { joined, newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { UI_TIMEOUT, button, modal, useJourney } from '../support/journey';
import { call } from '../support/stack';
import { ARTIFACTS, PHONE } from '../support/web';

const j = useJourney({ shots: 'appointments-booking-' });
const { devLogin, open, shows } = j;

const ALL_DAY = [['00:00', '23:59']];
const MATERIALS = ['本人居民身份证原件', '近 6 个月内白底免冠一寸彩色照片 1 张'];
const BAR_LABEL = /^预约 \d{1,2}月\d{1,2}日 周[一二三四五六日] \d\d:\d\d$/;

/** What a phone screen shows without scrolling (the pinned bar is on it). */
const screen = (page: Page, name: string) => j.settle(page).then(() => page.screenshot({ path: `${ARTIFACTS}/appointments-booking-${name}.png` }));

async function elderPhone() {
  const phone = await j.browser.newPhone();
  await phone.context.addInitScript(() => localStorage.setItem('linli.elder', JSON.stringify({ data: true })));
  return phone;
}

/** A community with a hall and a service open around the clock (the real clock always has slots ahead; with 5-minute slots one starts within 10 minutes at any hour). */
async function setup(slotMinutes = 30): Promise<{ cid: string; sid: string }> {
  const community = await newCommunity({ name: '幸福里预约防错社区' });
  const staff = await staffOf(community.id);
  await call('PUT', `/v1/communities/${community.id}/hall`, {
    token: staff.token,
    body: { categories: [{ code: 'A', name: '社保医保' }], windows: [{ no: 1, categories: ['A'] }] },
  });
  const service = await call('POST', `/v1/communities/${community.id}/services`, {
    token: staff.token,
    body: {
      name: '社保卡办理', category: 'A', durationMin: 20, location: '一楼便民服务大厅 A 区 3 号窗口', materials: MATERIALS,
      schedule: {
        weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
        slotMinutes, capacityPerSlot: 3, bookAheadDays: 7,
      },
    },
  });
  expect(service.status, JSON.stringify(service.body)).toBe(201);
  return { cid: community.id, sid: service.body.id };
}

/** Open dates with places, first to last, and a date's slots with places. */
async function freeDates(sid: string): Promise<string[]> {
  const dates = await call('GET', `/v1/services/${sid}/dates`);
  return dates.body.items.filter((d: { open: boolean; available: number }) => d.open && d.available > 0).map((d: { date: string }) => d.date);
}
async function freeStarts(sid: string, date: string): Promise<string[]> {
  const slots = await call('GET', `/v1/services/${sid}/slots?date=${date}`);
  return slots.body.items.filter((s: { available: number }) => s.available > 0).map((s: { start: string }) => s.start);
}
async function book(resident: Actor, sid: string, start: string): Promise<{ id: string; code: string; start: string }> {
  const reply = await call('POST', `/v1/services/${sid}/appointments`, { token: resident.token, body: { start }, idempotencyKey: `b-${resident.id}-${start}` });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

const chosenDate = (page: Page) => page.locator('.page:visible .appt-dates .appt-chip--on').first();

describe('booking page and detail prevent errors before the tap (h5 against the real API)', () => {
  it('pins the 预约 bar on screen with the chosen day and time, slots under 上午 and 下午', { timeout: 300_000 }, async () => {
    // prepare
    const { cid, sid } = await setup();
    const resident = await verifiedResident(cid);
    const later = (await freeDates(sid))[1] as string;

    for (const [mode, phone] of [['normal', await j.browser.newPhone()], ['elder', await elderPhone()]] as const) {
      // act: a later day (a whole day of slots), then an afternoon slot
      await devLogin(phone.page, resident.openid);
      await open(phone.page, `/appointments/service/index?sid=${sid}`);
      await shows(phone.page, '选择时段');
      await phone.page.locator('.page:visible .appt-dates .appt-chip', { hasText: `${Number(later.slice(5, 7))}/${Number(later.slice(8, 10))}` }).click();
      await shows(phone.page, '下午');
      const parts = await phone.page.locator('.page:visible .appt-part__title').allInnerTexts();
      await phone.page.locator('.page:visible .appt-part', { hasText: '下午' }).locator('.appt-chip:not(.appt-chip--off)').first().click();

      // assess: parts of the day in order; the button names date, weekday and time and is on screen without scrolling
      expect(parts.slice(0, 2), mode).toEqual(['上午', '下午']);
      const bar = button(phone.page, BAR_LABEL);
      await bar.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect((await bar.innerText()).trim(), mode).toMatch(new RegExp(`^预约 ${Number(later.slice(5, 7))}月${Number(later.slice(8, 10))}日 周. 12:00$`));
      const box = await bar.boundingBox();
      expect(box && box.y + box.height, mode).toBeLessThanOrEqual(PHONE.height);
      await screen(phone.page, `1-service-${mode}`);
      await phone.context.close();
    }
  });

  it('tells a member awaiting verification before any choice, with dates, slots and the button off', { timeout: 300_000 }, async () => {
    // prepare: a member whose household staff have not verified
    const { cid, sid } = await setup();
    const pending = await joined(cid);

    for (const [mode, phone] of [['normal', await j.browser.newPhone()], ['elder', await elderPhone()]] as const) {
      // act
      await devLogin(phone.page, pending.openid);
      await open(phone.page, `/appointments/service/index?sid=${sid}`);
      await shows(phone.page, '选择时段');

      // assess: the reason is on the page and on the button; nothing can be chosen
      await shows(phone.page, '暂不能预约');
      await shows(phone.page, '等待工作人员核实');
      const onChips = await phone.page.locator('.page:visible .appt-slots .appt-chip:not(.appt-chip--off)').count();
      expect(onChips, mode).toBe(0);
      expect(await button(phone.page, '核实后可预约').getAttribute('class'), mode).toMatch(/btn--disabled/);
      await screen(phone.page, `2-pending-${mode}`);
      await phone.context.close();
    }
  });

  it('does not pre-select a day the resident already booked, and marks it', { timeout: 300_000 }, async () => {
    // prepare: the resident holds a booking on the first free day
    const { cid, sid } = await setup();
    const resident = await verifiedResident(cid);
    const first = (await freeDates(sid))[0] as string;
    await book(resident, sid, (await freeStarts(sid, first))[0] as string);

    // act
    const phone = await j.browser.newPhone();
    await devLogin(phone.page, resident.openid);
    await open(phone.page, `/appointments/service/index?sid=${sid}`);
    await shows(phone.page, '选择时段');

    // assess: another day is chosen; the booked one says so
    const label = `${Number(first.slice(5, 7))}/${Number(first.slice(8, 10))}`;
    await shows(phone.page, '您已预约');
    expect(await chosenDate(phone.page).innerText()).not.toContain(label);
    expect(await phone.page.locator('.page:visible .appt-dates .appt-chip', { hasText: label }).first().innerText()).toContain('您已预约');
    await screen(phone.page, '3-booked-day');
  });

  it('detail: materials and place, one-image QR, check-in off with its reason before the window, a plain cancel dialog', { timeout: 300_000 }, async () => {
    // prepare: a booking two days ahead (check-in not open yet)
    const { cid, sid } = await setup();
    const resident = await verifiedResident(cid);
    const ahead = (await freeDates(sid))[2] as string;
    const booked = await book(resident, sid, (await freeStarts(sid, ahead)).find((start) => start.includes('T10:00')) as string);

    for (const [mode, phone] of [['normal', await j.browser.newPhone()], ['elder', await elderPhone()]] as const) {
      // act
      await devLogin(phone.page, resident.openid);
      await open(phone.page, `/appointments/detail/index?id=${booked.id}`);
      await shows(phone.page, '到场出示二维码');

      // assess 1: what to bring and where; the QR is one image; check-in is off and says when it opens
      await shows(phone.page, MATERIALS[1] as string);
      await shows(phone.page, '一楼便民服务大厅 A 区 3 号窗口');
      const qr = phone.page.locator('.page:visible .qr-code');
      expect(await qr.count(), mode).toBe(1);
      expect(await qr.locator('*').count()).toBeLessThanOrEqual(1);
      expect(await qr.evaluate((el) => (el.querySelector('img') ?? el).getAttribute('src') ?? '')).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(await button(phone.page, '我已到场，签到取号').getAttribute('class'), mode).toMatch(/btn--disabled/);
      await shows(phone.page, `还未到签到时间：${Number(ahead.slice(5, 7))}月${Number(ahead.slice(8, 10))}日 09:30起可签到`);
      await j.settle(phone.page);
      await phone.page.screenshot({ path: `${ARTIFACTS}/appointments-booking-4-detail-${mode}.png`, fullPage: true });

      // act 2: 取消预约 opens the dialog
      await button(phone.page, '取消预约').click();
      const dialog = modal(phone.page);
      await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });

      // assess 2: it says what happens; 保留预约 / 取消预约, the latter in the warning colour
      expect(await dialog.innerText(), mode).toContain('名额将释放给其他居民');
      const destructive = dialog.getByText('取消预约', { exact: true }).last();
      const color = await destructive.evaluate((el) => getComputedStyle(el).color);
      expect(color, mode).toBe(mode === 'elder' ? 'rgb(143, 28, 18)' : 'rgb(180, 35, 24)');
      await screen(phone.page, `5-cancel-dialog-${mode}`);
      await dialog.getByText('保留预约', { exact: true }).click();
      await shows(phone.page, '待办理');
      await phone.context.close();
    }
    const after = await call('GET', `/v1/appointments/${booked.id}`, { token: resident.token });
    expect(after.body.status).toBe('booked');
  });

  it('check-in within the window shows the number beside the QR, which stays in sight', { timeout: 300_000 }, async () => {
    // prepare: a booking of the next slot (it starts within 30 minutes, also late in the evening)
    const { cid, sid } = await setup(5);
    const resident = await verifiedResident(cid);
    const today = (await freeDates(sid))[0] as string;
    const booked = await book(resident, sid, (await freeStarts(sid, today))[0] as string);

    // act
    const phone = await j.browser.newPhone();
    await devLogin(phone.page, resident.openid);
    await open(phone.page, `/appointments/detail/index?id=${booked.id}`);
    await shows(phone.page, '到场出示二维码');
    await button(phone.page, '我已到场，签到取号').click();

    // assess: the number on the page, the QR still shown and not covered by a toast
    await shows(phone.page, /已签到，您的号码 A\d{3}/);
    expect(await phone.page.locator('.page:visible .qr-code').isVisible()).toBe(true);
    expect(await phone.page.locator('.taro__toast:visible').count()).toBe(0);
    await j.settle(phone.page);
    await phone.page.screenshot({ path: `${ARTIFACTS}/appointments-booking-6-checked-in.png`, fullPage: true });
  });
});
