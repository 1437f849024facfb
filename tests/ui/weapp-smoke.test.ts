// @vitest-environment jsdom
/**
 * The real WeChat build (dist/weapp) rendered by miniprogram-simulate with the official wxml
 * compiler: the app's JS runs as WeChat would run it, against stubbed wx APIs (login, request,
 * storage) that answer like the API would.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { WEAPP_DIR } from '../support/web';

const require = createRequire(import.meta.url);

interface WxRequest {
  url: string;
  method?: string;
  header?: Record<string, string>;
  data?: unknown;
  success?: (res: { statusCode: number; data: unknown; header: Record<string, string> }) => void;
  fail?: (err: { errMsg: string }) => void;
  complete?: () => void;
}

type Reply = { status: number; body: unknown };

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

/** What the stubbed API answers, by "METHOD path". */
function answer(method: string, url: string, requests: string[]): Reply {
  const path = new URL(url).pathname;
  requests.push(`${method} ${path}`);
  if (method === 'POST' && path === '/v1/auth/wechat') {
    return { status: 200, body: { token: 'token-smoke', expiresAt: '2999-01-01T00:00:00.000Z', user: USER } };
  }
  if (method === 'GET' && path === '/v1/me') return { status: 200, body: USER };
  if (method === 'GET' && path === `/v1/communities/${COMMUNITY.id}`) return { status: 200, body: COMMUNITY };
  if (method === 'GET' && path === `/v1/communities/${COMMUNITY.id}/members`) {
    return { status: 200, body: { items: [{ userId: 'u2', communityId: COMMUNITY.id, role: 'resident', verified: false, household: '1-1-101', requestedAt: '2025-01-01T00:00:00.000Z' }] } };
  }
  return { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND', message: '请求的接口不存在' } } };
}

describe('weapp build in miniprogram-simulate', () => {
  const requests: string[] = [];
  let simulate: typeof import('miniprogram-simulate');

  beforeAll(() => {
    if (!existsSync(join(WEAPP_DIR, 'app.js'))) throw new Error('dist/weapp is missing: run `npm run build:weapp` first');
    simulate = require('miniprogram-simulate');
    const g = globalThis as Record<string, any>;

    // wx: in-memory storage, a login code, and requests answered by the stub API.
    const store = new Map<string, unknown>();
    Object.assign(g.wx, {
      getStorageSync: (key: string) => (store.has(key) ? store.get(key) : ''),
      setStorageSync: (key: string, value: unknown) => void store.set(key, value),
      removeStorageSync: (key: string) => void store.delete(key),
      login: (options: { success?: (res: { code: string; errMsg: string }) => void }) =>
        setTimeout(() => options.success?.({ code: 'code-smoke', errMsg: 'login:ok' }), 0),
      request: (options: WxRequest) => {
        setTimeout(() => {
          const reply = answer(options.method ?? 'GET', options.url, requests);
          options.success?.({ statusCode: reply.status, data: reply.body, header: {} });
          options.complete?.();
        }, 0);
        return { abort() {} };
      },
    });

    // The app: Taro's app.js calls App(); pages reach it through getApp().
    let app: Record<string, any> | undefined;
    const pages: unknown[] = [];
    g.App = (config: Record<string, any>) => {
      app = config;
    };
    g.getApp = () => app;
    g.getCurrentPages = () => pages;

    // A Page runs as a Component whose lifetimes call the page's lifecycle.
    g.Page = (config: Record<string, any>) => {
      const { data, ...rest } = config;
      const methods: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(rest)) if (typeof value === 'function') methods[key] = value;
      g.Component({
        data,
        methods,
        lifetimes: {
          attached(this: Record<string, any>) {
            pages.push(this);
            this.route = 'pages/index/index';
            this.onLoad?.({});
            this.onShow?.();
          },
          ready(this: Record<string, any>) {
            this.onReady?.();
          },
        },
      });
    };

    require(join(WEAPP_DIR, 'app.js'));
    app?.onLaunch?.({ path: 'pages/index/index', query: {}, scene: 1001 });
    app?.onShow?.({ path: 'pages/index/index', query: {}, scene: 1001 });
  });

  it('shows the community, the four capabilities and 工作台 to a staff member after a silent WeChat login', async () => {
    // prepare
    const id = simulate.load(join(WEAPP_DIR, 'pages/index/index'), 'home', { compiler: 'official', rootPath: WEAPP_DIR });

    // act
    const page = simulate.render(id);
    page.attach(document.createElement('parent-wrapper'));

    // assess
    // Rendering waits for the login and its requests: wait for the last figure to appear.
    await vi.waitFor(() => expect(page.dom!.textContent).toContain('待核实 1 人'), { timeout: 10_000, interval: 25 });
    const text = page.dom!.textContent ?? '';
    for (const words of ['王老师，您好', '社区服务', '预约办理', '取号排队', '志愿服务', '议事协商', '工作台', '成员核实', '待核实 1 人', '门牌：3-2-501', '已核实', '工作人员']) {
      expect(text).toContain(words);
    }
    expect(requests).toContain('POST /v1/auth/wechat');
    expect(requests).toContain('GET /v1/me');
  });
});
