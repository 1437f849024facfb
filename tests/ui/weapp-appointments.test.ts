// @vitest-environment jsdom
/**
 * 预约办理 in the real WeChat build (dist/weapp, or LINLI_WEAPP_DIR), rendered by
 * miniprogram-simulate with the official wxml compiler: each appointment page, from the 办事 tab
 * (main package) to the subpackage pages, against an API stand-in whose answers are checked
 * against the contract's zod schemas (byRoute in tests/support/weapp.ts), so they cannot drift
 * from what the real API sends. A text dump of each page lands in
 * tests/artifacts/appointments-weapp-*.txt; screenshots come from the Chromium journeys.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Appointment, BookableDate, Service, Slot } from '@contract/appointments';
import type { Hall } from '@contract/queue';
import type { User } from '@contract/identity';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { byRoute, fail, startWeapp, words, type RouteHandlers, type Weapp, type WeappPage } from '../support/weapp';
import { ARTIFACTS } from '../support/web';

const CID = 'c-appt';
const USER: User = {
  id: 'u-wang',
  nickname: '王主任',
  admin: false,
  memberships: [{ communityId: CID, communityName: '幸福里社区', role: 'staff', verified: true, household: '3-2-501' }],
};

const SERVICE: Service = {
  id: 'svc-card',
  communityId: CID,
  name: '社保卡办理',
  category: 'A',
  durationMin: 20,
  materials: ['本人居民身份证原件', '近 6 个月内白底免冠一寸彩色照片 1 张'],
  schedule: { weekly: { mon: [['09:00', '12:00'], ['14:00', '17:30']] }, slotMinutes: 30, capacityPerSlot: 3, bookAheadDays: 7, closures: ['2030-03-20'], openDays: [] },
  description: '社会保障卡申领、补换',
  kind: 'general',
  graceMinutes: 15,
  location: '一楼便民服务大厅 A 区',
  active: true,
  timezone: 'Asia/Shanghai',
};
const MEDIATION: Service = {
  ...SERVICE,
  id: 'svc-mediation',
  name: '邻里纠纷调解',
  category: 'B',
  kind: 'mediation',
  materials: [],
  description: undefined,
  location: undefined,
};
const RETIRED: Service = { ...SERVICE, id: 'svc-old', name: '老年优待证办理', active: false };

const DATES: BookableDate[] = [
  { date: '2030-03-04', weekday: 'mon', open: true, reason: 'weekly', available: 5 },
  { date: '2030-03-05', weekday: 'tue', open: false, reason: 'closed_weekly', available: 0 },
  { date: '2030-03-06', weekday: 'wed', open: false, reason: 'holiday', holiday: '清明节', available: 0 },
  { date: '2030-03-09', weekday: 'sat', open: true, reason: 'makeup_workday', holiday: '清明节', available: 0 },
];
const SLOTS: Slot[] = [
  // started: no place left although not full, so it is left out
  { start: '2030-03-04T08:30:00+08:00', end: '2030-03-04T09:00:00+08:00', capacity: 3, booked: 1, available: 0 },
  { start: '2030-03-04T09:00:00+08:00', end: '2030-03-04T09:30:00+08:00', capacity: 3, booked: 3, available: 0 },
  { start: '2030-03-04T09:30:00+08:00', end: '2030-03-04T10:00:00+08:00', capacity: 3, booked: 1, available: 2 },
  { start: '2030-03-04T10:00:00+08:00', end: '2030-03-04T10:30:00+08:00', capacity: 3, booked: 0, available: 3 },
];
const BOOKED: Appointment = {
  id: 'appt-1',
  code: 'K7M2QP',
  serviceId: SERVICE.id,
  serviceName: SERVICE.name,
  category: 'A',
  communityId: CID,
  userId: USER.id,
  start: '2030-03-04T09:30:00+08:00',
  end: '2030-03-04T10:00:00+08:00',
  status: 'booked',
  bookedAt: '2030-03-01T10:00:00+08:00',
  cancellable: true,
};
/** A resident with no upcoming booking: the service page marks days already booked and never pre-selects them. */
const NOTHING_BOOKED: RouteHandlers = { myAppointments: () => ({ items: [] }) };
const HALL: Hall = {
  communityId: CID,
  timezone: 'Asia/Shanghai',
  categories: [{ code: 'A', name: '社保医保' }, { code: 'B', name: '民政救助' }],
  windows: [{ no: 1, categories: ['A', 'B'], open: true }],
  priorityRatio: 2,
  maxWaitMin: 60,
  hours: [],
};
const DAY: Appointment[] = [
  { ...BOOKED, name: '李秀英', phone: '13812345678', household: '3-2-501' },
  { ...BOOKED, id: 'appt-2', code: 'R4T8WX', start: '2030-03-04T10:00:00+08:00', end: '2030-03-04T10:30:00+08:00', status: 'checked_in', name: '张建国', household: '6-1-1203', ticketId: 't-1' },
  { ...BOOKED, id: 'appt-3', code: 'H2N6ZB', start: '2030-03-04T14:00:00+08:00', end: '2030-03-04T14:30:00+08:00', status: 'completed', household: '1-1-101' },
];

/** The API as the contract describes it; a test overrides the routes it is about. */
function api(overrides: RouteHandlers = {}): RouteHandlers {
  return {
    loginWechat: () => ({ token: 'token-appt', expiresAt: '2999-01-01T00:00:00.000Z', user: USER }),
    me: () => USER,
    listServices: () => ({ items: [SERVICE, MEDIATION, RETIRED] }),
    getService: ({ params }) => [SERVICE, MEDIATION, RETIRED].find((s) => s.id === params.sid) ?? fail(404, 'NOT_FOUND', '未找到相关内容'),
    dates: () => ({ items: DATES }),
    slots: ({ query }) => ({ items: query.get('date') === '2030-03-04' ? SLOTS : [] }),
    book: ({ body }) => ({ ...BOOKED, start: (body as { start: string }).start }),
    myAppointments: ({ query }) => ({ items: query.get('when') === 'past' ? [] : [BOOKED, { ...BOOKED, id: 'appt-9', code: 'P9Q3LM', status: 'completed', serviceName: MEDIATION.name }] }),
    getAppointment: ({ params }) => (params.id === BOOKED.id ? BOOKED : fail(404, 'NOT_FOUND', '未找到相关内容')),
    cancel: () => ({ ...BOOKED, status: 'cancelled', cancellable: false }),
    dayAppointments: () => ({ items: DAY }),
    getHall: () => HALL,
    templates: () => ({ templates: { appointmentReminder: 'tpl-reminder', queueNear: 'tpl-near', queueCalled: 'tpl-called' } }),
    ...overrides,
  };
}

let weapp: Weapp;

beforeAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true });
  weapp = startWeapp(byRoute(api()));
});

afterEach(() => {
  // Every answer the app got was on the contract, and every body it sent was too.
  expect(weapp.problems).toEqual([]);
});

/** Renders a page with the given API, and keeps a text dump of it. */
async function render(name: string, path: string, query: Record<string, string>, handlers: RouteHandlers, ...expected: string[]): Promise<WeappPage> {
  weapp.answer(byRoute(api(handlers)));
  weapp.requests.length = 0;
  weapp.calls.length = 0;
  const page = await weapp.render(path, query);
  await page.waitForText(...expected);
  writeFileSync(join(ARTIFACTS, `appointments-weapp-${name}.txt`), `${path}?${new URLSearchParams(query)}\n\n${words(page.component.dom!)}\n\n${page.html()}\n`);
  return page;
}

/** The text of each element matching the selector, as read. */
const texts = (page: WeappPage, selector: string): string[] => page.all(selector).map(words);

describe('appointment pages of the weapp build (miniprogram-simulate)', () => {
  it('办事 tab: the queue entry, 我的预约, and only the active services with their materials count', async () => {
    // act
    const page = await render('services', 'pages/services/index', {}, {}, '社保卡办理', '邻里纠纷调解');

    // assess
    const text = page.text();
    for (const words of ['取号排队', '我的预约', '今日预约（工作人员）', '预约办理', '社保卡办理', '社会保障卡申领、补换', '需带材料 2 项 · 约 20 分钟', '邻里纠纷调解', '预约调解', '需带材料 0 项', '查看材料并预约']) {
      expect(text).toContain(words);
    }
    expect(text).not.toContain(RETIRED.name);
    expect(weapp.requests).toContain(`GET /v1/communities/${CID}/services?limit=50`);
    page.detach();
  });

  it('办事 tab: an empty state when no service is open, and the API error in Chinese', async () => {
    // act + assess: nothing active
    const empty = await render('services-empty', 'pages/services/index', {}, { listServices: () => ({ items: [RETIRED] }) }, '社区还没有开放预约的事项');
    expect(empty.text()).toContain('可以直接到便民服务大厅取号办理。');
    empty.detach();

    // act + assess: the API is down
    const down = await render('services-error', 'pages/services/index', {}, { listServices: () => fail(503, 'UNAVAILABLE', '服务暂时不可用，请稍后再试') }, '加载失败');
    expect(down.text()).toContain('服务暂时不可用，请稍后再试');
    expect(down.text()).toContain('重试');
    down.detach();
  });

  it('service page: materials, dates (holiday, closed, 调休), slots with places left, a full slot that cannot be chosen; booking', async () => {
    // act
    const page = await render('service', 'appointments/service/index', { sid: SERVICE.id }, NOTHING_BOOKED, '请带齐以下材料（一次告知）', '选择时段', '09:30–10:00');

    // assess: the service and its materials
    const text = page.text();
    expect(texts(page, '.card')[0]).toBe('社保卡办理 社会保障卡申领、补换 办理时长 约 20 分钟 办理地点 一楼便民服务大厅 A 区 迟到超过 15 分钟需按普通号排队。');
    expect(texts(page, '.appt-materials__item')).toEqual(['1. 本人居民身份证原件', '2. 近 6 个月内白底免冠一寸彩色照片 1 张']);
    // dates: the first open one with places is chosen; closed days say why and cannot be chosen
    expect(texts(page, '.appt-dates .appt-chip')).toEqual(['✓ 3/4 周一 余 5', '3/5 周二 不办理', '3/6 周三 清明节', '3/9 周六 调休上班 已约满']);
    expect(page.all('.appt-dates .appt-chip')[0]!.className).toContain('appt-chip--on');
    expect(page.all('.appt-dates .appt-chip--off')).toHaveLength(3);
    // slots: places left; the full one is there but disabled; the started one is left out
    expect(texts(page, '.appt-slots .appt-chip')).toEqual(['09:00–09:30 已约满', '09:30–10:00 剩余 2 个名额', '10:00–10:30 剩余 3 个名额']);
    expect(page.all('.appt-slots .appt-chip')[0]!.className).toContain('appt-chip--off');
    expect(text).not.toContain('08:30');
    expect(text).toContain('请先选择日期和时段');
    expect(weapp.requests).toContain(`GET /v1/services/${SERVICE.id}/slots?date=2030-03-04`);
    // the resident's upcoming bookings are read so a day already booked is never offered first
    expect(weapp.requests).toContain('GET /v1/me/appointments?when=upcoming');

    // act: tap the full slot (nothing happens), then one with places
    await page.tap('.appt-slots .appt-chip', '09:00–09:30');
    await new Promise((ok) => setTimeout(ok, 100));
    expect(page.text()).toContain('请先选择日期和时段');
    await page.tap('.appt-slots .appt-chip', '09:30–10:00');
    await page.waitForText('预约 3月4日 周一 09:30');
    expect(page.all('.appt-slots .appt-chip')[1]!.className).toContain('appt-chip--on');
    expect(texts(page, '.appt-slots .appt-chip')[1]).toBe('09:30–10:00 剩余 2 个名额 ✓ 已选择');

    // act: book
    await page.tap('.btn', '预约 3月4日 周一 09:30');

    // assess: the reminder and the queue's messages (a check-in at the counter takes a number) are
    // asked for at the tap, then the booking is sent as the contract wants it and the confirmation opens
    await expect.poll(() => weapp.calls).toContain(`navigateTo /appointments/detail/index?id=${BOOKED.id}`);
    expect(weapp.calls[0]).toBe('subscribe tpl-reminder,tpl-near,tpl-called');
    expect(weapp.requests).toContain(`POST /v1/services/${SERVICE.id}/appointments`);
    expect(weapp.calls).toContain('toast 预约成功');
    page.detach();
  });

  it('service page: a refused booking (slot full) is told in Chinese and the slots are read again', async () => {
    // prepare
    const page = await render('service-full', 'appointments/service/index', { sid: SERVICE.id }, { ...NOTHING_BOOKED, book: () => fail(409, 'SLOT_FULL', '该时段已约满') }, '10:00–10:30');
    await page.tap('.appt-slots .appt-chip', '10:00–10:30');
    await page.waitForText('预约 3月4日 周一 10:00');
    const before = weapp.requests.filter((r) => r.includes('/slots')).length;

    // act
    await page.tap('.btn', '预约 3月4日 周一 10:00');

    // assess
    await expect.poll(() => weapp.calls).toContain('toast 该时段已约满');
    await expect.poll(() => weapp.requests.filter((r) => r.includes('/slots')).length).toBeGreaterThan(before);
    expect(weapp.calls.some((c) => c.startsWith('navigateTo'))).toBe(false);
    page.detach();
  });

  it('service page: an unknown service shows the API message in Chinese', async () => {
    const page = await render('service-missing', 'appointments/service/index', { sid: 'svc-nope' }, {}, '未找到相关内容');
    expect(page.text()).toContain('加载失败');
    page.detach();
  });

  it('confirmation: time, booking code, a QR code, check-in and cancel; cancelling asks first, then shows 已取消 and 重新预约', async () => {
    // act
    const page = await render('detail', 'appointments/detail/index', { id: BOOKED.id }, {}, '到场出示二维码');

    // assess
    const text = page.text();
    for (const words of ['社保卡办理', '待办理', '预约时间', '3月4日 09:30–10:00', '预约号', 'K7M2QP', '到场出示二维码', '开始前 30 分钟至结束前可签到', '我已到场，签到取号', '取消预约']) {
      expect(text).toContain(words);
    }
    expect(page.all('.appt-code').map((el) => el.textContent)).toEqual(['K7M2QP']);
    expect(page.all('.qr-code')).toHaveLength(1);

    // act: cancel (the stand-in modal confirms)
    let cancelled = false;
    weapp.answer(byRoute(api({
      cancel: () => {
        cancelled = true;
        return { ...BOOKED, status: 'cancelled', cancellable: false };
      },
      getAppointment: () => (cancelled ? { ...BOOKED, status: 'cancelled', cancellable: false } : BOOKED),
    })));
    await page.tap('.btn', '取消预约');

    // assess
    await page.waitForText('已取消', '重新预约');
    expect(weapp.calls).toContain('modal 取消这次预约？：3月4日 09:30–10:00 的预约取消后，名额将释放给其他居民，不能恢复；如仍需办理，请重新预约。');
    expect(weapp.requests).toContain(`DELETE /v1/appointments/${BOOKED.id}`);
    expect(page.text()).not.toContain('到场出示二维码');
    expect(page.all('.qr-code')).toHaveLength(0);
    page.detach();
  });

  it('confirmation: a completed appointment asks for a rating; an unknown one shows the error in Chinese', async () => {
    const done = await render('detail-completed', 'appointments/detail/index', { id: BOOKED.id }, { getAppointment: () => ({ ...BOOKED, status: 'completed', cancellable: false }) }, '满意度测评');
    expect(done.text()).toContain('已办结');
    expect(done.text()).toContain('5 分 非常满意');
    expect(done.text()).not.toContain('取消预约');
    done.detach();

    const missing = await render('detail-missing', 'appointments/detail/index', { id: 'appt-nope' }, {}, '加载失败');
    expect(missing.text()).toContain('未找到相关内容');
    missing.detach();
  });

  it('我的预约: upcoming bookings with their code and the next step; an empty history', async () => {
    // act
    const page = await render('mine', 'appointments/mine/index', {}, {}, 'K7M2QP', 'P9Q3LM');

    // assess
    const text = page.text();
    for (const words of ['待办理', '历史预约', '社保卡办理', '3月4日 09:30–10:00', '出示二维码 / 取消', '邻里纠纷调解', '已办结', '去评价']) {
      expect(text).toContain(words);
    }
    expect(weapp.requests).toContain('GET /v1/me/appointments?when=upcoming&limit=50');

    // act: the history tab is empty
    await page.tap('.btn', '历史预约');

    // assess
    await page.waitForText('暂无历史预约', '去预约');
    expect(weapp.requests).toContain('GET /v1/me/appointments?when=past&limit=50');
    page.detach();
  });

  it('我的预约: the API error in Chinese', async () => {
    const page = await render('mine-error', 'appointments/mine/index', {}, { myAppointments: () => fail(429, 'RATE_LIMITED', '操作太频繁，请稍后再试') }, '加载失败');
    expect(page.text()).toContain('操作太频繁，请稍后再试');
    page.detach();
  });

  it('staff day: the services, each booking with household, phone and code, and the actions its status allows', async () => {
    // act
    const page = await render('staff', 'appointments/staff/index', { sid: SERVICE.id, date: '2030-03-04' }, {}, '李秀英', 'H2N6ZB');

    // assess
    const text = page.text();
    for (const words of ['服务事项', '编辑', '新建服务事项', '3月4日 周一', '当天的预约', '扫码签到']) {
      expect(text).toContain(words);
    }
    // every service, the chosen one ticked, a retired one said so
    expect(texts(page, '.appt-dates .appt-chip')).toEqual(['✓ 社保卡办理', '邻里纠纷调解', '老年优待证办理 已停用']);
    const cards = page.all('.card').filter((el) => (el.textContent ?? '').includes('预约号'));
    expect(cards.map(words)).toEqual([
      '09:30 李秀英 待办理 门牌 3-2-501 电话 13812345678 预约号 K7M2QP 到场 办结 爽约',
      '10:00 张建国 已签到 门牌 6-1-1203 电话 — 预约号 R4T8WX 办结',
      '14:00 居民 已办结 门牌 1-1-101 电话 — 预约号 H2N6ZB',
    ]);
    expect(weapp.requests).toContain(`GET /v1/services/${SERVICE.id}/appointments?date=2030-03-04&limit=100`);
    page.detach();
  });

  it('staff day: an empty day, and the API error in Chinese', async () => {
    const empty = await render('staff-empty', 'appointments/staff/index', { sid: SERVICE.id, date: '2030-03-05' }, { dayAppointments: () => ({ items: [] }) }, '当天还没有预约');
    empty.detach();

    const denied = await render('staff-error', 'appointments/staff/index', { sid: SERVICE.id, date: '2030-03-04' }, { dayAppointments: () => fail(403, 'FORBIDDEN', '没有权限进行此操作') }, '加载失败');
    expect(denied.text()).toContain('没有权限进行此操作');
    denied.detach();
  });

  it('editor: the saved service with its hall categories, weekly ranges and dates on pickers; a refused save shows the field error', async () => {
    // prepare: the API refuses the save with a field error, and keeps what it was sent
    const sent: unknown[] = [];
    const page = await render('editor', 'appointments/editor/index', { sid: SERVICE.id }, {
      updateService: ({ body }) => {
        sent.push(body);
        return fail(400, 'VALIDATION', '提交的内容有误，请检查后重试', [{ path: 'body.schedule.slotMinutes', message: '每个时段至少 5 分钟' }]);
      },
    }, '修改服务事项', '每周开放时间');

    // assess: the form holds the service
    const text = page.text();
    for (const words of ['名称', '业务类别', '✓ A', '社保医保', '民政救助', '类型', '✓ 普通', '预约调解', '所需材料（一次告知）', '每周开放时间', '填入工作日', '预约规则', '停办日期', '添加停办日期', '加开日期', '添加加开日期', '保存修改']) {
      expect(text).toContain(words);
    }
    // Monday has its two ranges, each end on a time picker; the other days are closed
    expect(words(page.all('.svc-day')[0]!)).toBe('周一 添加时间段 09:00 至 12:00 删除 14:00 至 17:30 删除');
    expect(page.all('.svc-range wx-picker')).toHaveLength(4);
    expect(page.all('.svc-day').slice(1).every((el) => (el.textContent ?? '').includes('（不开放）'))).toBe(true);
    // the closure date on a date picker, with its weekday
    expect(texts(page, '.svc-list-row wx-picker')).toEqual(['2030年3月20日 周三', '添加停办日期', '添加加开日期']);

    // act: the pickers answer (as WeChat's wheel would): Monday opens at 08:30; a closure and an open day are added
    await page.trigger('.svc-range wx-picker', 'change', { value: '08:30' }, '09:00');
    await page.trigger('wx-picker', 'change', { value: '2030-03-11' }, '添加停办日期');
    await page.trigger('wx-picker', 'change', { value: '2030-04-05' }, '添加加开日期');
    await page.waitForText('08:30', '2030年3月11日 周一', '2030年4月5日 周五');
    expect(texts(page, '.svc-list-row wx-picker')).toEqual(['2030年3月11日 周一', '2030年3月20日 周三', '添加停办日期', '2030年4月5日 周五', '添加加开日期']);
    await page.tap('.btn', '保存修改');

    // assess: what the pickers chose is what was sent; the refused field shows its error, and the toast says it in Chinese
    await page.waitForText('错误：每个时段至少 5 分钟');
    expect(weapp.requests).toContain(`PATCH /v1/services/${SERVICE.id}`);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      schedule: { weekly: { mon: [['08:30', '12:00'], ['14:00', '17:30']] }, closures: ['2030-03-11', '2030-03-20'], openDays: ['2030-04-05'] },
    });
    expect(weapp.calls).toContain('toast 每个时段至少 5 分钟');
    page.detach();
  });

  it('editor: a new service starts empty; the hall cannot be read → the category is typed', async () => {
    const page = await render('editor-new', 'appointments/editor/index', {}, { getHall: () => fail(404, 'NOT_FOUND', '未找到相关内容') }, '新建服务事项', '一个大写字母');
    const text = page.text();
    for (const words of ['周一（不开放）', '周日（不开放）', '添加一项材料', '添加停办日期', '新建服务事项']) expect(text).toContain(words);
    expect(text).not.toContain('保存修改');
    page.detach();
  });
});
