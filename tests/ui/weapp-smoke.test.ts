// @vitest-environment jsdom
/**
 * The real WeChat build (dist/weapp, or LINLI_WEAPP_DIR) rendered by miniprogram-simulate with the
 * official wxml compiler: the app's JS runs as WeChat would run it, against stubbed wx APIs
 * (login, request, storage) that answer like the API would (tests/support/weapp.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ok, startWeapp, type ApiRequest, type Reply, type Weapp } from '../support/weapp';

const COMMUNITY = {
  id: 'c-smoke',
  name: '幸福里社区',
  district: '鼓楼区',
  street: '西司门街道',
  residents: 10000,
  households: 3500,
  timezone: 'Asia/Shanghai',
  createdAt: '2025-01-01T00:00:00.000Z',
};
const USER = {
  id: 'u-smoke',
  nickname: '王老师',
  admin: false,
  memberships: [{ communityId: COMMUNITY.id, communityName: COMMUNITY.name, role: 'staff', verified: true, household: '3-2-501' }],
};

const JOIN_CODE_URL = 'https://files.example/join-codes/c-smoke.png';
const HALL_TOKEN = 'ABCDEFGHJKMNPQ';
const BOARD = {
  communityId: COMMUNITY.id, communityName: COMMUNITY.name, date: '2030-03-04', categories: [{ code: 'A', name: '社保' }],
  hours: [{ days: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' }], windows: [{ no: 1, open: true, categories: ['A'] }], waiting: { A: 2 }, recent: [], seq: 0,
};
const TICKET = { id: 't-smoke', communityId: COMMUNITY.id, date: '2030-03-04', number: 'A003', category: 'A', status: 'waiting', priority: false, issuedAt: '2030-03-04T09:00:00+08:00' };
/** The bodies the take page sent. */
const taken: unknown[] = [];

/** What the stubbed API answers, by method and path. */
function answer({ method, path, body }: ApiRequest): Reply | undefined {
  if (method === 'POST' && path === '/v1/auth/wechat') return ok({ token: 'token-smoke', expiresAt: '2999-01-01T00:00:00.000Z', user: USER });
  if (method === 'GET' && path === '/v1/me') return ok(USER);
  if (method === 'GET' && path === `/v1/communities/${COMMUNITY.id}`) return ok(COMMUNITY);
  if (method === 'GET' && path === `/v1/communities/${COMMUNITY.id}/join-code`) return ok({ url: JOIN_CODE_URL });
  if (method === 'GET' && path === `/v1/communities/${COMMUNITY.id}/hall/board`) return ok(BOARD);
  if (method === 'GET' && path === '/v1/me/tickets') return ok({ items: [] });
  if (method === 'GET' && path === `/v1/communities/${COMMUNITY.id}/hall`) {
    return ok({ communityId: COMMUNITY.id, timezone: 'Asia/Shanghai', categories: BOARD.categories, windows: [{ no: 1, categories: ['A'], open: true }], priorityRatio: 2, maxWaitMin: 60, hours: BOARD.hours });
  }
  if (method === 'GET' && path === `/v1/communities/${COMMUNITY.id}/hall/qr`) {
    return ok({ date: '2030-03-04', token: HALL_TOKEN, path: `queue/take/index?cid=${COMMUNITY.id}&t=${HALL_TOKEN}`, url: 'https://linli.example/#/queue/take/index' });
  }
  if (method === 'GET' && path === `/v1/communities/${COMMUNITY.id}/hall/code`) return ok({ url: 'https://files.example/hall-codes/c-smoke/2030-03-04.png' });
  if (method === 'POST' && path === `/v1/communities/${COMMUNITY.id}/tickets`) {
    taken.push(body);
    return ok(TICKET, 201);
  }
  if (method === 'GET' && path === `/v1/communities/${COMMUNITY.id}/members`) {
    return ok({ items: [{ userId: 'u2', communityId: COMMUNITY.id, role: 'resident', verified: false, household: '1-1-101', requestedAt: '2025-01-01T00:00:00.000Z' }] });
  }
  return undefined;
}

describe('weapp build in miniprogram-simulate', () => {
  let weapp: Weapp;

  beforeAll(() => {
    weapp = startWeapp(answer);
  });

  it('shows the community, the four capabilities and 工作台 to a staff member after a silent WeChat login', async () => {
    // act
    const page = await weapp.render('pages/index/index');

    // assess
    // Rendering waits for the login and its requests: wait for the last figure to appear.
    await page.waitForText('待核实 1 人');
    const text = page.text();
    for (const words of ['王老师，您好', '社区服务', '预约办理', '取号排队', '志愿服务', '议事协商', '工作台', '成员核实', '待核实 1 人', '门牌：3-2-501', '已核实', '工作人员']) {
      expect(text).toContain(words);
    }
    expect(weapp.requests).toContain('POST /v1/auth/wechat');
    expect(weapp.requests).toContain('GET /v1/me');
  });

  it('prints the community mini-program code on the join poster, not a link that WeChat cannot open', async () => {
    // act
    const page = await weapp.render('community/poster/index', { cid: COMMUNITY.id });
    // assess
    await page.waitForText('扫码加入幸福里社区');
    expect(weapp.requests).toContain(`GET /v1/communities/${COMMUNITY.id}/join-code`);
    expect(page.text()).toContain('用微信扫描上方小程序码');
  });

  it('opens the join page of the community a scanned code names in its scene', async () => {
    // act: WeChat opens the page with the code's scene in its options
    const page = await weapp.render('community/join/index', { scene: COMMUNITY.id });
    // assess
    await page.waitForText('幸福里社区', '鼓楼区 · 西司门街道');
    expect(page.text()).not.toContain('查找社区');
  });

  it("takes a walk-in's number with the day's hall token from a scanned walk-in code's scene", async () => {
    // act: WeChat opens the take page with the code's scene, and the walk-in taps 取 A 号
    const page = await weapp.render('queue/take/index', { scene: `${COMMUNITY.id}.${HALL_TOKEN}` });
    await page.waitForText('取 A 号', '办理时间：周一至周五 08:30–17:30');
    await page.tap('.btn', '取 A 号');
    // assess
    await expect.poll(() => taken).toEqual([{ category: 'A', hallToken: HALL_TOKEN }]);
  });

  it("prints the day's walk-in mini-program code on the hall poster, with the hall's 办理时间", async () => {
    const page = await weapp.render('staff/hall-poster/index', { cid: COMMUNITY.id });
    await page.waitForText('扫码取号', '用微信扫描上方小程序码', '办理时间：周一至周五 08:30–17:30', '本二维码限 3月4日 当天使用');
    expect(weapp.requests).toContain(`GET /v1/communities/${COMMUNITY.id}/hall/code`);
  });
});
