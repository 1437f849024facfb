/**
 * 预约办理 in a browser: the h5 build against the real API (real handlers, DynamoDB Local).
 *
 * A resident opens 办事, reads the materials (一次告知), picks a date and a slot, books, sees the
 * QR code, cancels, and books again; staff mark it complete on the day list; the resident rates
 * it. The service opens every day around the clock so the real clock always has slots ahead.
 *
 * LINLI_H5_DIR points at the build (default dist/h5). Screenshots land in tests/artifacts/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newCommunity, staffOf, verifiedResident } from '../support/actors';
import { UI_TIMEOUT, button, confirmModal, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'appointments-' });
const { devLogin, open, shows, shot } = j;

const ALL_DAY = [['00:00', '23:30']];
/** The pinned bar's button names the chosen day and time. */
const BOOK_LABEL = /^预约 \d{1,2}月\d{1,2}日 周[一二三四五六日] \d\d:\d\d$/;

async function pickFirstSlot(page: Page): Promise<void> {
  await shows(page, '选择时段');
  await page.locator('.page:visible .appt-slots .appt-chip:not(.appt-chip--off)').first().click();
}

describe('appointments journey (h5 against the real API)', () => {
  it('books, shows the QR, cancels, books again; staff complete it; the resident rates it', { timeout: 300_000 }, async () => {
    // prepare: a community, its staff, a hall, a service open every day, a verified resident
    const community = await newCommunity({ name: '幸福里预约社区' });
    const staff = await staffOf(community.id);
    await call('PUT', `/v1/communities/${community.id}/hall`, {
      token: staff.token,
      body: { categories: [{ code: 'A', name: '社保医保' }], windows: [{ no: 1, categories: ['A'] }] },
    });
    const service = await call('POST', `/v1/communities/${community.id}/services`, {
      token: staff.token,
      body: {
        name: '社保卡办理', category: 'A', durationMin: 20, location: '一楼便民服务大厅 A 区',
        materials: ['本人居民身份证原件', '近 6 个月内白底免冠一寸彩色照片 1 张'],
        schedule: {
          weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
          slotMinutes: 30, capacityPerSlot: 3, bookAheadDays: 7, openDays: [],
        },
      },
    });
    expect(service.status).toBe(201);
    const resident = await verifiedResident(community.id);

    // act 1: the 办事 tab lists the service and the queue entry; the service page shows the materials
    const phone = await j.browser.newPhone();
    await devLogin(phone.page, resident.openid);
    await open(phone.page, '/pages/services/index');
    await shows(phone.page, '取号排队');
    await shows(phone.page, '社保卡办理');
    await shot(phone.page, '1-services');
    await button(phone.page, '查看材料并预约').click();
    await shows(phone.page, '本人居民身份证原件');
    await pickFirstSlot(phone.page);
    await shot(phone.page, '2-slots');
    await button(phone.page, BOOK_LABEL).click();

    // assess 1: the confirmation shows the QR code and the booking code
    await shows(phone.page, '到场出示二维码');
    await expect.poll(() => phone.page.locator('.page:visible .qr-code').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await shot(phone.page, '3-confirmation');

    // act 2: cancel, then book again
    await button(phone.page, '取消预约').click();
    await confirmModal(phone.page, '取消预约');
    await shows(phone.page, '已取消');
    await shot(phone.page, '4-cancelled');
    await button(phone.page, '重新预约').click();
    await pickFirstSlot(phone.page);
    await button(phone.page, BOOK_LABEL).click();
    await shows(phone.page, '到场出示二维码');

    // assess 2: 我的预约 lists one booked appointment
    await open(phone.page, '/appointments/mine/index');
    await shows(phone.page, '出示二维码 / 取消');
    await shot(phone.page, '5-mine');
    const mine = await call('GET', '/v1/me/appointments?when=upcoming', { token: resident.token });
    const booked = mine.body.items.filter((a: { status: string }) => a.status === 'booked');
    expect(booked).toHaveLength(1);

    // act 3: staff mark it complete on the day list
    const staffPhone = await j.browser.newPhone();
    await devLogin(staffPhone.page, staff.openid);
    await open(staffPhone.page, `/appointments/staff/index?sid=${service.body.id}&date=${booked[0].start.slice(0, 10)}`);
    await shows(staffPhone.page, booked[0].code);
    await shot(staffPhone.page, '6-staff-day');
    await button(staffPhone.page, '办结').click();
    await confirmModal(staffPhone.page, '确认办结');
    await shows(staffPhone.page, '已办结');

    // act 4: the resident rates it
    await open(phone.page, `/appointments/detail/index?id=${booked[0].id}`);
    await phone.page.reload();
    await shows(phone.page, '满意度测评');
    await button(phone.page, '5 分').click();
    await button(phone.page, '提交评价').click();
    await shows(phone.page, '您的评价：5 分');
    await shot(phone.page, '7-rated');
    const after = await call('GET', `/v1/appointments/${booked[0].id}`, { token: resident.token });
    expect(after.body).toMatchObject({ status: 'completed', rating: 5 });
  });
});
