/**
 * 志愿陪同 in a browser: the h5 build against the real API (real handlers, DynamoDB Local).
 *
 * A resident (elder mode) books a service with 需要志愿者陪同办事 (助老, a note); an approved
 * volunteer with the skill 助老 finds it first among the 陪同需求 on the 志愿 tab, takes it and
 * sees the resident's contact; another resident's 助残 escort, nobody's by the evening before, is
 * 无人认领 on the staff's list at a desk (1280 px) beside the taken one; staff complete the booking and
 * credit the volunteer's hours through the activity's own attendance and verification (API
 * calls on the test clock); the resident thanks the volunteer with five stars.
 *
 * Every new page and card passes axe-core; the resident's pages show no Latin word. Screenshots:
 * tests/artifacts/escort-*.png (390 px, normal and elder; the staff list at 1280 px).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { officialDay } from '../../functions/domain/holidays';
import { addDays, localDate } from '../../functions/domain/time';
import { flagUnclaimedEscorts } from '../../functions/services/escorts';
import { joined, login, newCommunity, nextHousehold, staffOf, type Actor } from '../support/actors';
import { axeViolations, elderApplied, setElderMode } from '../support/axe';
import { UI_TIMEOUT, button, confirmModal, field, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'escort-' });
const { devLogin, open, shows, shot } = j;

const ALL_DAY = [['00:00', '23:30']];
const BOOK_LABEL = /^预约 \d{1,2}月\d{1,2}日 周[一二三四五六日] 10:30$/;
const NOTE = '坐轮椅，请到小区门口接';
const ELDER = { realName: '王秀英', phone: '13800001111' };

/** Latin words (an id, an ISO time, an English label) on the visible page, apart from the booking's code shown to be read out. */
const latinWords = async (page: Page, code?: string) => {
  // The previous page (the dev login's) stays visible while the next one slides in.
  await j.settle(page);
  await expect.poll(() => page.locator('.page:visible').count(), { timeout: UI_TIMEOUT }).toBe(1);
  return (await page.locator('.page:visible').allInnerTexts()).join('\n').replaceAll(code ?? '\u0000', '').match(/[A-Za-z]{3,}|\d{4}-\d{2}-\d{2}/g);
};

/** The day the journeys book: tomorrow in Shanghai, or the first day after it that is not an official holiday (a holiday closes the service); and the day before it. */
function bookingDay(): { tomorrow: string; dayBefore: string } {
  let day = addDays(localDate(new Date()), 1);
  while (officialDay(day).kind === 'holiday') day = addDays(day, 1);
  return { tomorrow: day, dayBefore: addDays(day, -1) };
}

/** A verified member with a real name (and phone), verified by staff. */
async function verified(cid: string, staff: Actor, person: Record<string, unknown>, openid?: string, nickname?: string): Promise<Actor & { household: string }> {
  const who = openid ? await login(openid, nickname) : undefined;
  const member = who
    ? await call('POST', `/v1/communities/${cid}/members`, { token: who.token, body: { household: nextHousehold(), ...person } }).then((r) => {
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return { ...who, household: r.body.household as string };
    })
    : await joined(cid, undefined, person);
  const reply = await call('POST', `/v1/communities/${cid}/members/${member.id}/verify`, { token: staff.token, body: {} });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return member;
}

async function noViolations(page: Page, what: string): Promise<void> {
  await expect.poll(() => page.locator('.page:visible .state--loading').count(), { timeout: UI_TIMEOUT }).toBe(0);
  // A fading toast, or a page still sliding in, fails contrast: axe reads the page at rest.
  await page.locator('.taro__toast').first().waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  await j.settle(page);
  expect(await axeViolations(page), what).toEqual([]);
}

describe('志愿陪同 journey (h5 against the real API)', () => {
  it('books with an escort, a volunteer takes it, staff see it and credit the hours, the resident thanks', { timeout: 420_000 }, async () => {
    // prepare: a community, its staff, a service open all day every day, the elder, another resident, an approved 助老 volunteer
    const community = await newCommunity({ name: '幸福里陪同社区' });
    const cid = community.id;
    const staff = await staffOf(cid);
    const service = await call('POST', `/v1/communities/${cid}/services`, {
      token: staff.token,
      body: {
        name: '高龄津贴申领', category: 'A', durationMin: 20, location: '社区服务中心一楼', materials: ['本人居民身份证原件'],
        schedule: { weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY }, slotMinutes: 30, capacityPerSlot: 3, bookAheadDays: 7 },
      },
    });
    expect(service.status, JSON.stringify(service.body)).toBe(201);
    const sid = service.body.id as string;
    const elderOpenid = `escort-elder-${Date.now().toString(36)}`;
    const elder = await verified(cid, staff, ELDER, elderOpenid, '王阿姨');
    const other = await verified(cid, staff, { realName: '李建国', phone: '13900002222' });
    const volunteerOpenid = `escort-vol-${Date.now().toString(36)}`;
    const volunteer = await verified(cid, staff, { realName: '张志远' }, volunteerOpenid, '小张');
    const registered = await call('POST', `/v1/communities/${cid}/volunteers`, { token: volunteer.token, body: { skills: ['助老'] } });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const approved = await call('POST', `/v1/communities/${cid}/volunteers/${volunteer.id}/approve`, { token: staff.token });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    // Another resident's 助残 escort half an hour earlier: the volunteer's skill puts the elder's first all the same.
    const { tomorrow } = bookingDay();
    const disabled = await call('POST', `/v1/services/${sid}/appointments`, { token: other.token, body: { start: `${tomorrow}T10:00:00+08:00`, escort: { need: '助残', note: '听力不好' } } });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(201);

    // act 1: the resident, in elder mode, books tomorrow 10:30 with an escort
    const residentPhone = await j.browser.newPhone();
    await setElderMode(residentPhone.context, true);
    await devLogin(residentPhone.page, elderOpenid);
    await open(residentPhone.page, `/appointments/service/index?sid=${sid}`);
    await shows(residentPhone.page, '需要志愿者陪同办事');
    expect(await elderApplied(residentPhone.page)).toBe(true);
    const day = new RegExp(`^(✓ )?${Number(tomorrow.slice(5, 7))}/${Number(tomorrow.slice(8, 10))}$`);
    await residentPhone.page.locator('.page:visible .appt-dates--grid .appt-chip__main', { hasText: day }).click();
    await shows(residentPhone.page, '10:30–11:00');
    await residentPhone.page.locator('.page:visible .appt-slots .appt-chip', { hasText: '10:30–11:00' }).click();
    const check = residentPhone.page.locator('.page:visible .esc-check');
    await expect.poll(() => check.getAttribute('aria-checked')).toBe('false');
    await check.click();
    await expect.poll(() => check.getAttribute('aria-checked')).toBe('true');
    await field(residentPhone.page, '如：坐轮椅、听力不好、在家门口等').fill(NOTE);
    await shows(residentPhone.page, `含志愿陪同（助老）：${NOTE}`);
    await noViolations(residentPhone.page, 'the booking page with the escort chosen (elder mode)');
    expect(await latinWords(residentPhone.page)).toBeNull();
    await shot(residentPhone.page, '1-book-elder');
    await button(residentPhone.page, BOOK_LABEL).click();

    // assess 1: the booking carries the escort, waiting for a volunteer
    await shows(residentPhone.page, '等待志愿者认领');
    await shows(residentPhone.page, '到场出示二维码');
    const mine = await call('GET', '/v1/me/appointments?when=upcoming', { token: elder.token });
    const booking = mine.body.items.find((a: { status: string }) => a.status === 'booked');
    expect(booking.escortId).toEqual(expect.any(String));
    const escortId = booking.escortId as string;
    const escort = await call('GET', `/v1/escorts/${escortId}`, { token: elder.token });
    expect(escort.body).toMatchObject({ need: '助老', note: NOTE, state: 'open', startsAt: `${tomorrow}T10:00:00+08:00` });
    await noViolations(residentPhone.page, 'the booking with its escort (elder mode)');
    expect(await latinWords(residentPhone.page, booking.code)).toBeNull();
    await residentPhone.page.locator('.page:visible .esc-resident').scrollIntoViewIfNeeded();
    await shot(residentPhone.page, '2-booked-elder');

    // act 2: the volunteer finds it first on the 志愿 tab and takes it
    const volunteerPhone = await j.browser.newPhone();
    await devLogin(volunteerPhone.page, volunteerOpenid);
    await open(volunteerPhone.page, '/pages/volunteers/index');
    await shows(volunteerPhone.page, '陪同需求');
    await shows(volunteerPhone.page, NOTE);
    const items = volunteerPhone.page.locator('.page:visible .esc-item');
    await expect.poll(() => items.count(), { timeout: UI_TIMEOUT }).toBe(2);
    await expect.poll(() => items.first().innerText(), { timeout: UI_TIMEOUT }).toContain('符合我的技能');
    await expect.poll(() => items.first().innerText(), { timeout: UI_TIMEOUT }).toContain(NOTE);
    await expect.poll(() => items.first().innerText(), { timeout: UI_TIMEOUT }).toMatch(/周[一二三四五六日] 上午10:00 至 上午11:30/);
    await expect.poll(() => items.nth(1).innerText(), { timeout: UI_TIMEOUT }).toContain('听力不好');
    await expect.poll(() => items.nth(1).innerText(), { timeout: UI_TIMEOUT }).not.toContain('符合我的技能');
    expect((await volunteerPhone.page.locator('.page:visible').allInnerTexts()).join('\n')).not.toContain(ELDER.phone);
    await noViolations(volunteerPhone.page, 'the 志愿 tab with 陪同需求');
    await shot(volunteerPhone.page, '3-volunteer-needs');
    await items.first().locator('.btn', { hasText: /^认领$/ }).click();
    await confirmModal(volunteerPhone.page, '认领');

    // assess 2: the escort's page now shows the resident's contact, the phone to tap
    await shows(volunteerPhone.page, '居民联系方式');
    await shows(volunteerPhone.page, ELDER.realName);
    await shows(volunteerPhone.page, ELDER.phone);
    expect(await volunteerPhone.page.locator('.page:visible .esc-phone').getAttribute('role')).toBe('link');
    await shows(volunteerPhone.page, '放弃认领');
    await noViolations(volunteerPhone.page, 'the escort page of the volunteer who took it');
    await shot(volunteerPhone.page, '4-volunteer-taken');
    // the other escort's page: no one's contact, 认领 on offer
    await open(volunteerPhone.page, `/escorts/detail/index?id=${disabled.body.escortId}`);
    await shows(volunteerPhone.page, '认领这次陪同');
    await shows(volunteerPhone.page, '听力不好');
    expect((await volunteerPhone.page.locator('.page:visible').allInnerTexts()).join('\n')).not.toMatch(/居民联系方式|13900002222|李建国/);

    // act 3: the evening before, nobody has taken the 助残 one: it is flagged 无人认领
    const eveningBefore = new Date(`${bookingDay().dayBefore}T18:05:00+08:00`);
    const flagAt = new Date(Math.max(eveningBefore.getTime(), Date.now() + 2 * 60_000));
    await flagUnclaimedEscorts(flagAt);

    // assess 3: staff at a desk see both from the 工作台, the taken one with the volunteer's name, the other 无人认领
    const desk = await j.browser.newPhone({ viewport: { width: 1280, height: 900 } });
    await devLogin(desk.page, staff.openid);
    await open(desk.page, `/staff/workbench/index?cid=${cid}`);
    await shows(desk.page, '陪同需求');
    await shows(desk.page, '无人认领 1 项');
    await desk.page.locator('.page:visible .tile', { hasText: '陪同需求' }).click();
    await shows(desk.page, '张志远');
    await shows(desk.page, ELDER.phone);
    const cards = desk.page.locator('.page:visible .card');
    await expect.poll(() => cards.filter({ hasText: '李建国' }).innerText(), { timeout: UI_TIMEOUT }).toContain('无人认领');
    expect(await cards.filter({ hasText: '李建国' }).getAttribute('class')).toMatch(/esc-card--warn/);
    await expect.poll(() => cards.filter({ hasText: ELDER.realName }).innerText(), { timeout: UI_TIMEOUT }).toContain('已认领');
    await noViolations(desk.page, 'the staff list of escorts');
    await shot(desk.page, '5-staff-list-1280');

    // act 4: staff complete the booking and credit the volunteer's hours (the activity's own routes, after the appointment)
    const evening = new Date(`${tomorrow}T17:00:00+08:00`);
    const completed = await call('POST', `/v1/appointments/${booking.id}/complete`, { token: staff.token, now: evening });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    const attended = await call('POST', `/v1/activities/${escortId}/signups/${volunteer.id}/attendance`, {
      token: staff.token, now: evening,
      body: { checkedInAt: `${tomorrow}T10:00:00+08:00`, checkedOutAt: `${tomorrow}T11:25:00+08:00`, reason: '陪同老人办事，工作人员补录' },
    });
    expect(attended.status, JSON.stringify(attended.body)).toBe(200);
    const credited = await call('POST', `/v1/activities/${escortId}/signups/${volunteer.id}/verify`, { token: staff.token, body: {}, now: evening });
    expect(credited.status, JSON.stringify(credited.body)).toBe(200);
    expect(credited.body).toMatchObject({ activityId: escortId, title: '陪同办事：高龄津贴申领' });
    const record = await call('GET', `/v1/me/volunteer?communityId=${cid}`, { token: volunteer.token, now: evening });
    expect(record.body.totalHours).toBe(escort.body.hours);
    // the volunteer's page says it is over: 已办结, and nothing left to give back
    await open(volunteerPhone.page, `/escorts/detail/index?id=${escortId}`);
    await volunteerPhone.page.reload();
    await shows(volunteerPhone.page, '预约已办结，工作人员会按您的到场记录认定服务时长');
    expect(await volunteerPhone.page.locator('.page:visible .tag').allInnerTexts()).toContain('已办结');
    expect(await volunteerPhone.page.locator('.page:visible').innerText()).not.toContain('放弃认领');
    await shot(volunteerPhone.page, '5b-volunteer-completed');

    // act 5: the resident thanks the volunteer with five stars
    await open(residentPhone.page, `/appointments/detail/index?id=${booking.id}`);
    await residentPhone.page.reload();
    await shows(residentPhone.page, '张**志愿者 已陪同您办理完毕');
    await shows(residentPhone.page, '点星星表达谢意');
    await residentPhone.page.locator('.page:visible .star[aria-label^="5 颗星"]').click();
    await field(residentPhone.page, '如：谢谢您，很耐心').fill('谢谢小张，一路推着轮椅');
    await noViolations(residentPhone.page, 'the completed booking with 感谢志愿者 (elder mode)');
    await button(residentPhone.page, /^感谢志愿者$/).click();
    await confirmModal(residentPhone.page, '知道了');

    // assess 5: thanked once, shown to the resident, counted for the volunteer
    await shows(residentPhone.page, '已感谢');
    await shows(residentPhone.page, '5 颗星');
    expect(await latinWords(residentPhone.page, booking.code)).toBeNull();
    await residentPhone.page.locator('.page:visible .esc-resident').scrollIntoViewIfNeeded();
    await shot(residentPhone.page, '6-thanked-elder');
    const thanked = await call('GET', `/v1/escorts/${escortId}`, { token: volunteer.token });
    expect(thanked.body.thanks).toMatchObject({ score: 5, text: '谢谢小张，一路推着轮椅' });

    // the resident's booking in normal mode, at 390 px
    const normal = await j.browser.newPhone();
    await devLogin(normal.page, elderOpenid);
    await open(normal.page, `/appointments/detail/index?id=${booking.id}`);
    await shows(normal.page, '已感谢');
    expect(await elderApplied(normal.page)).toBe(false);
    expect(await latinWords(normal.page, booking.code)).toBeNull();
    await normal.page.locator('.page:visible .esc-resident').scrollIntoViewIfNeeded();
    await shot(normal.page, '7-thanked-normal');
  });

  it('a daughter acting for her mother books with an escort, and both see who is coming once a volunteer takes it', { timeout: 300_000 }, async () => {
    // prepare: the mother (verified), her daughter linked as family proxy, an approved 助老 volunteer
    const community = await newCommunity({ name: '幸福里代办陪同社区' });
    const cid = community.id;
    const staff = await staffOf(cid);
    const service = await call('POST', `/v1/communities/${cid}/services`, {
      token: staff.token,
      body: {
        name: '老年优待证办理', category: 'A', durationMin: 20, materials: ['本人居民身份证原件'],
        schedule: { weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY }, slotMinutes: 30, capacityPerSlot: 3, bookAheadDays: 7 },
      },
    });
    expect(service.status, JSON.stringify(service.body)).toBe(201);
    const mother = await verified(cid, staff, { realName: '赵淑芬' });
    const daughter = await login(`escort-daughter-${Date.now().toString(36)}`, '小赵');
    const code = await call('POST', '/v1/me/family/codes', { token: mother.token, body: { communityId: cid } });
    const claimed = await call('POST', '/v1/family/links', { token: daughter.token, body: { code: code.body.code } });
    expect((await call('POST', `/v1/family/links/${claimed.body.id}/confirm`, { token: mother.token })).status).toBe(200);
    const volunteer = await verified(cid, staff, { realName: '孙志愿' });
    expect((await call('POST', `/v1/communities/${cid}/volunteers`, { token: volunteer.token, body: { skills: ['助老'] } })).status).toBe(201);
    expect((await call('POST', `/v1/communities/${cid}/volunteers/${volunteer.id}/approve`, { token: staff.token })).status).toBe(200);

    // act 1: the daughter chooses 为TA办事 and books tomorrow 10:30 for her mother, with an escort
    const phone = await j.browser.newPhone();
    await devLogin(phone.page, daughter.openid);
    await open(phone.page, '/family/index/index');
    await button(phone.page, '为TA办事').click();
    await shows(phone.page, '正在为 赵** 代办');
    await open(phone.page, `/appointments/service/index?sid=${service.body.id}`);
    await shows(phone.page, '需要志愿者陪同办事');
    const { tomorrow } = bookingDay();
    const day = new RegExp(`^(✓ )?${Number(tomorrow.slice(5, 7))}/${Number(tomorrow.slice(8, 10))}$`);
    await phone.page.locator('.page:visible .appt-dates--grid .appt-chip__main', { hasText: day }).click();
    await phone.page.locator('.page:visible .appt-slots .appt-chip', { hasText: '10:30–11:00' }).click();
    await phone.page.locator('.page:visible .esc-check').click();
    await field(phone.page, '如：坐轮椅、听力不好、在家门口等').fill('请到 5 号楼楼下接');
    await button(phone.page, BOOK_LABEL).click();
    await shows(phone.page, '等待志愿者认领');

    // assess 1: the booking and its escort are the mother's
    const hers = (await call('GET', '/v1/me/appointments?when=upcoming', { token: mother.token })).body.items.find((a: { status: string }) => a.status === 'booked');
    expect(hers?.escortId).toEqual(expect.any(String));
    expect((await call('GET', '/v1/me/appointments?when=upcoming', { token: daughter.token })).body.items).toEqual([]);

    // act 2: the volunteer takes it
    expect((await call('POST', `/v1/activities/${hers.escortId}/signups`, { token: volunteer.token })).status).toBe(201);

    // assess 2: the daughter's page names who is coming (masked) and whom they accompany (her mother), and so does the mother's
    await phone.page.reload();
    await shows(phone.page, /孙\*+志愿者 将陪同赵\*\*/);
    await phone.page.locator('.page:visible .esc-resident').scrollIntoViewIfNeeded();
    await shot(phone.page, '8-proxy-matched');
    expect((await call('GET', `/v1/escorts/${hers.escortId}`, { token: mother.token })).body).toMatchObject({ state: 'matched', volunteerName: expect.stringMatching(/^孙\*+志愿者$/) });
  });
});
