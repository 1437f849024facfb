/**
 * The WeChat build (dist/weapp, or LINLI_WEAPP_DIR) run by miniprogram-simulate with the official
 * wxml compiler: the app's own JS runs as WeChat would run it, against stand-ins for the few wx
 * APIs it needs (login, request, storage, toast, modal, navigation) and an API answered by the
 * test (`answer`), so a page can be rendered by its path and query and read as text.
 *
 *   const weapp = startWeapp(({ method, path }) => (path === '/v1/me' ? ok(user) : undefined));
 *   const page = await weapp.render('appointments/detail/index', { id: 'a1' });
 *   await page.waitForText('预约号');
 *
 * Use it from a test file with `// @vitest-environment jsdom`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { vi } from 'vitest';
import type { ResponseOf } from '@contract/route';
import { routes, type RouteName } from '@contract/routes';
import { WEAPP_DIR as DEFAULT_WEAPP_DIR } from './web';

const require = createRequire(import.meta.url);

/** The weapp build under test: LINLI_WEAPP_DIR, or dist/weapp. */
export const WEAPP_DIR = resolve(process.env.LINLI_WEAPP_DIR ?? DEFAULT_WEAPP_DIR);

export interface ApiRequest {
  method: string;
  /** The path without the query: /v1/services/s1/slots */
  path: string;
  query: URLSearchParams;
  body: unknown;
  header: Record<string, string>;
}
/** An HTTP answer: a status and a JSON body. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
/** Answers one request; `undefined` means "no such route" (404 ROUTE_NOT_FOUND). A promise: a real API behind it. */
export type Answerer = (request: ApiRequest) => Reply | undefined | Promise<Reply | undefined>;

export const ok = (body: unknown, status = 200): Reply => new Reply(status, body);
/** An error answer shaped like the API's (contract/errors.ts): `{ error: { code, message, details? } }`. */
export const fail = (status: number, code: string, message: string, details?: unknown): Reply =>
  new Reply(status, { error: { code, message, ...(details === undefined ? {} : { details }), requestId: 'req-weapp' } });
const notFound = (): Reply => fail(404, 'ROUTE_NOT_FOUND', '请求的接口不存在');

/** What a route's handler gets: the request and the path's parameters ({sid} → params.sid). */
export type RouteRequest = ApiRequest & { params: Record<string, string> };
export type RouteHandlers = {
  [K in RouteName]?: (request: RouteRequest) => ResponseOf<(typeof routes)[K]> | Reply;
};

/**
 * An API stand-in that answers by the contract's routes (contract/routes.ts): a request is
 * matched to its route by method and path; a handler's plain return value is the success body,
 * checked against the route's zod response schema and sent with the route's status, so the
 * stubs cannot drift from the contract; a `Reply` (`fail(...)`) is sent as it is. A request body
 * the route's body schema refuses, or a success body its response schema refuses, throws (the
 * request then answers 500 and the problem is listed in `weapp.problems`).
 */
export function byRoute(handlers: RouteHandlers): Answerer {
  const table = Object.entries(routes).map(([name, def]) => ({
    name: name as RouteName,
    def,
    // Paths are letters, digits, '/', '-', '.' and {params}.
    pattern: new RegExp(`^${def.path.replace(/\./g, '\\.').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`),
  }))
    // A literal segment wins over a parameter: /v1/me/appointments before /v1/me/{x}.
    .sort((a, b) => a.def.path.split('{').length - b.def.path.split('{').length);
  return (request) => {
    const found = table.find((r) => r.def.method === request.method && r.pattern.test(request.path));
    if (!found) return undefined;
    const handler = handlers[found.name] as ((r: RouteRequest) => unknown) | undefined;
    if (!handler) return undefined;
    const params = Object.fromEntries(
      Object.entries(found.pattern.exec(request.path)?.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
    );
    const def = found.def as { body?: { safeParse(v: unknown): { success: boolean; error?: unknown } }; response?: { parse(v: unknown): unknown }; status?: number };
    if (def.body && request.method !== 'GET') {
      const checked = def.body.safeParse(request.body);
      if (!checked.success) throw new Error(`${found.name}: the app sent a body the contract refuses: ${String(checked.error)}`);
    }
    const result = handler({ ...request, params });
    if (result instanceof Reply) return result;
    try {
      def.response?.parse(result);
    } catch (error) {
      throw new Error(`${found.name}: the stub's answer does not match the contract: ${String(error)}`);
    }
    return new Reply(def.status ?? 200, result);
  };
}

export interface WeappPage {
  /** The j-component instance (page.dom is the rendered DOM). */
  readonly component: { dom?: Element; detach(): void };
  text(): string;
  html(): string;
  /** Waits until every one of the words is on the page. */
  waitForText(...words: string[]): Promise<void>;
  /** Elements matching a selector (class names as written in the source: `.appt-chip`). */
  all(selector: string): Element[];
  /** Taps the first element matching the selector (and containing `text`), as WeChat would. */
  tap(selector: string, text?: string): Promise<void>;
  /** Sends a component event with its detail, as WeChat would: a picker's `change` with `{ value }`. */
  trigger(selector: string, name: string, detail: Record<string, unknown>, text?: string): Promise<void>;
  detach(): void;
}

export interface Weapp {
  /** Every request, "METHOD /path?query", in order. */
  readonly requests: string[];
  /** Stand-in failures (an answer off the contract, a handler that threw): should stay empty. */
  readonly problems: string[];
  /** Toasts, modals and navigations the app asked for: "toast 预约成功", "navigateTo /…". */
  readonly calls: string[];
  /** Every setData a page made: its route, the payload's size in bytes (as JSON, as WeChat counts it) and when. */
  readonly setData: SetDataCall[];
  /** Replaces the API stand-in. */
  answer(answerer: Answerer): void;
  /** The app's storage (wx.setStorageSync). */
  readonly storage: Map<string, unknown>;
  /** Loads (once) and renders the page at `path` (e.g. 'appointments/service/index') with its query. */
  render(path: string, query?: Record<string, string>): Promise<WeappPage>;
}

export interface SetDataCall {
  route: string;
  bytes: number;
  at: number;
}

interface WxRequest {
  url: string;
  method?: string;
  header?: Record<string, string>;
  data?: unknown;
  success?: (res: { statusCode: number; data: unknown; header: Record<string, string> }) => void;
  fail?: (err: { errMsg: string }) => void;
  complete?: () => void;
}

type Callbacks<T = Record<string, unknown>> = { success?: (res: T) => void; fail?: (err: { errMsg: string }) => void; complete?: () => void };

/** What lives as long as the process (several test files may share one worker). */
interface Shared {
  answerer: Answerer;
  requests: string[];
  problems: string[];
  calls: string[];
  setData: SetDataCall[];
  storage: Map<string, unknown>;
  /** The file being run by miniprogram-simulate, and what each file registered on its first run. */
  running?: string;
  registrations: Map<string, () => void>;
  /** route and query for the next page attached. */
  next: { route: string; query: Record<string, string> };
  pages: unknown[];
  app?: Record<string, any>;
  loadedDir?: string;
}

const g = globalThis as Record<string, any>;
const KEY = '__linliWeapp';

function later(fn: () => void): void {
  setTimeout(fn, 0);
}

function done<T>(options: Callbacks<T> | undefined, res: T): void {
  later(() => {
    options?.success?.(res);
    options?.complete?.();
  });
}

/**
 * Installs the wx stand-ins and loads the app (once per test file; a later file in the same
 * worker gets a fresh copy of the app), with `answerer` as the API.
 */
export function startWeapp(answerer: Answerer): Weapp {
  if (!existsSync(join(WEAPP_DIR, 'app.js'))) throw new Error(`${WEAPP_DIR}/app.js is missing: run \`npm run build:weapp\` first`);
  const simulate = require('miniprogram-simulate') as typeof import('miniprogram-simulate');
  const shared: Shared = (g[KEY] ??= {
    answerer,
    requests: [],
    problems: [],
    calls: [],
    setData: [],
    storage: new Map(),
    registrations: new Map(),
    next: { route: 'pages/index/index', query: {} },
    pages: [],
  } satisfies Shared);
  shared.answerer = answerer;
  shared.requests.length = 0;
  shared.problems.length = 0;
  shared.calls.length = 0;
  shared.setData.length = 0;
  shared.storage.clear();
  shared.pages.length = 0;

  installWx(shared);
  installConstructors(shared);
  loadApp(shared);

  const ids = new Map<string, string>();
  return {
    requests: shared.requests,
    problems: shared.problems,
    calls: shared.calls,
    setData: shared.setData,
    storage: shared.storage,
    answer(next) {
      shared.answerer = next;
    },
    async render(path, query = {}) {
      const tag = path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
      let id = ids.get(path);
      if (!id) {
        id = simulate.load(join(WEAPP_DIR, path), tag, { compiler: 'official', rootPath: WEAPP_DIR });
        ids.set(path, id);
      }
      shared.next = { route: path, query };
      const component = simulate.render(id) as unknown as WeappPage['component'] & { attach(parent: Element): void };
      component.attach(document.createElement('parent-wrapper'));
      return pageOf(component, tag);
    },
  };
}

/** wx: in-memory storage, a login code, requests answered by the stand-in, and UI calls recorded. */
function installWx(shared: Shared): void {
  const api = (g.wx ??= {}) as Record<string, unknown>;
  Object.assign(api, {
    getStorageSync: (key: string) => (shared.storage.has(key) ? shared.storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void shared.storage.set(key, value),
    removeStorageSync: (key: string) => void shared.storage.delete(key),
    getStorage: (o: Callbacks & { key: string }) =>
      shared.storage.has(o.key) ? done(o, { data: shared.storage.get(o.key), errMsg: 'getStorage:ok' }) : later(() => o.fail?.({ errMsg: 'getStorage:fail data not found' })),
    setStorage: (o: Callbacks & { key: string; data: unknown }) => {
      shared.storage.set(o.key, o.data);
      done(o, { errMsg: 'setStorage:ok' });
    },
    removeStorage: (o: Callbacks & { key: string }) => {
      shared.storage.delete(o.key);
      done(o, { errMsg: 'removeStorage:ok' });
    },
    login: (o: Callbacks<{ code: string; errMsg: string }>) => done(o, { code: 'code-weapp', errMsg: 'login:ok' }),
    request: (options: WxRequest) => {
      later(() => {
        const url = new URL(options.url);
        const method = (options.method ?? 'GET').toUpperCase();
        shared.requests.push(`${method} ${url.pathname}${url.search}`);
        let body = options.data;
        if (typeof body === 'string') {
          try {
            body = JSON.parse(body);
          } catch {
            // not JSON: keep the text
          }
        }
        void (async () => {
          let reply: Reply;
          try {
            reply = (await shared.answerer({ method, path: url.pathname, query: url.searchParams, body, header: options.header ?? {} })) ?? notFound();
          } catch (error) {
            shared.problems.push(`${method} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`);
            reply = fail(500, 'INTERNAL', '服务出现异常，请稍后再试');
          }
          options.success?.({ statusCode: reply.status, data: reply.body, header: {} });
          options.complete?.();
        })();
      });
      return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
    },
    showToast: (o: Callbacks & { title: string }) => {
      shared.calls.push(`toast ${o.title}`);
      done(o, { errMsg: 'showToast:ok' });
    },
    hideToast: (o?: Callbacks) => done(o, { errMsg: 'hideToast:ok' }),
    showLoading: (o?: Callbacks) => done(o, { errMsg: 'showLoading:ok' }),
    hideLoading: (o?: Callbacks) => done(o, { errMsg: 'hideLoading:ok' }),
    showModal: (o: Callbacks<{ confirm: boolean; cancel: boolean; errMsg: string }> & { title?: string; content?: string }) => {
      shared.calls.push(`modal ${o.title ?? ''}：${o.content ?? ''}`);
      done(o, { confirm: true, cancel: false, errMsg: 'showModal:ok' });
    },
    navigateTo: (o: Callbacks & { url: string }) => {
      shared.calls.push(`navigateTo ${o.url}`);
      done(o, { errMsg: 'navigateTo:ok' });
    },
    redirectTo: (o: Callbacks & { url: string }) => {
      shared.calls.push(`redirectTo ${o.url}`);
      done(o, { errMsg: 'redirectTo:ok' });
    },
    switchTab: (o: Callbacks & { url: string }) => {
      shared.calls.push(`switchTab ${o.url}`);
      done(o, { errMsg: 'switchTab:ok' });
    },
    navigateBack: (o?: Callbacks) => {
      shared.calls.push('navigateBack');
      done(o, { errMsg: 'navigateBack:ok' });
    },
    requestSubscribeMessage: (o: Callbacks & { tmplIds: string[] }) => {
      shared.calls.push(`subscribe ${o.tmplIds.join(',')}`);
      done(o, { errMsg: 'requestSubscribeMessage:ok', ...Object.fromEntries(o.tmplIds.map((t) => [t, 'reject'])) });
    },
    getAppBaseInfo: () => ({ fontSizeScaleFactor: 1, SDKVersion: '3.6.0', language: 'zh_CN', theme: 'light' }),
  });
}

/**
 * App, Page and Component as WeChat would provide them. A Page runs as a Component whose
 * lifetimes call the page's lifecycle, with the route and query of `render`. Each file's
 * registration is replayed when miniprogram-simulate loads it again (the build's webpack runtime
 * runs a module once, so a second run of a page's file would register nothing).
 */
function installConstructors(shared: Shared): void {
  const utils = require('miniprogram-simulate/src/utils') as { runJs: (file: string) => void };
  g.__simulateRunJs ??= utils.runJs;
  g.__simulateComponent ??= g.Component;
  const runJs = g.__simulateRunJs as (file: string) => void;
  const component = g.__simulateComponent as (options: Record<string, unknown>) => void;

  utils.runJs = (file: string) => {
    const replay = shared.registrations.get(file);
    if (replay) return replay();
    shared.running = file;
    try {
      runJs(file);
    } finally {
      shared.running = undefined;
    }
  };
  g.Component = (options: Record<string, unknown>) => {
    if (shared.running) shared.registrations.set(shared.running, () => component(options));
    component(options);
  };
  g.App = (config: Record<string, any>) => {
    shared.app = config;
  };
  g.getApp = () => shared.app;
  g.getCurrentPages = () => shared.pages;
  g.Page = (config: Record<string, any>) => {
    const { data, ...rest } = config;
    const methods: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) if (typeof value === 'function') methods[key] = value;
    g.Component({
      data,
      methods,
      lifetimes: {
        attached(this: Record<string, any>) {
          shared.pages.push(this);
          this.route = shared.next.route;
          this.__route__ = shared.next.route;
          // Taro renders through the page's setData: each payload recorded before it is applied.
          const setData = this.setData.bind(this);
          const route = shared.next.route;
          this.setData = (data: Record<string, unknown>, callback?: () => void) => {
            shared.setData.push({ route, bytes: Buffer.byteLength(JSON.stringify(data)), at: Date.now() });
            return setData(data, callback);
          };
          this.options = shared.next.query;
          this.onLoad?.({ ...shared.next.query });
          this.onShow?.();
        },
        ready(this: Record<string, any>) {
          this.onReady?.();
        },
        detached(this: Record<string, any>) {
          this.onUnload?.();
          shared.pages.splice(shared.pages.indexOf(this), 1);
        },
      },
    });
  };
}

/** Runs app.js and launches the app. A later test file in the same worker starts a fresh copy. */
function loadApp(shared: Shared): void {
  if (shared.loadedDir) {
    for (const key of Object.keys(require.cache)) if (key.startsWith(`${shared.loadedDir}/`)) delete require.cache[key];
    shared.registrations.clear();
    g.wx.webpackJsonp = [];
  }
  shared.loadedDir = WEAPP_DIR;
  require(join(WEAPP_DIR, 'app.js'));
  const launch = { path: 'pages/index/index', query: {}, scene: 1001 };
  shared.app?.onLaunch?.(launch);
  shared.app?.onShow?.(launch);
}

/**
 * An element's text as a person reads it: each element's own text is one piece, pieces are
 * separated by a space (textContent would run '3/4', '周一' and '余 5' together).
 */
export function words(el: Element): string {
  const pieces: string[] = [];
  const walk = (node: Element) => {
    let own = '';
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) own += child.textContent ?? '';
      else if (child.nodeType === 1) {
        if (own.trim()) pieces.push(own.trim());
        own = '';
        walk(child as Element);
      }
    }
    if (own.trim()) pieces.push(own.trim());
  };
  walk(el);
  return pieces.join(' ').replace(/\s+/g, ' ');
}

let exparser: { Event: { create(name: string, detail: unknown, options: unknown): unknown; dispatchEvent(target: unknown, event: unknown): void } } | undefined;

/**
 * miniprogram-simulate prefixes each class with its component's tag (`<page tag>--card`,
 * `comp--card` inside Taro's recursive `comp`): selectors run on a copy with the prefixes taken
 * off, so they read as the source does (`.appt-slots .appt-chip`), and answer the real elements.
 */
function pageOf(component: WeappPage['component'], tag: string): WeappPage {
  const root = (): Element => {
    if (!component.dom) throw new Error('the page has no DOM');
    return component.dom;
  };
  const prefix = new RegExp(`^(?:${tag}|comp)--`);
  const select = (selector: string): Element[] => {
    const original = root();
    const copy = original.cloneNode(true) as Element;
    const from = [original, ...Array.from(original.querySelectorAll('*'))];
    const to = [copy, ...Array.from(copy.querySelectorAll('*'))];
    to.forEach((el) => {
      const cls = el.getAttribute('class');
      if (cls) el.setAttribute('class', cls.split(/\s+/).map((c) => c.replace(prefix, '')).join(' '));
    });
    const found = new Set(Array.from(copy.querySelectorAll(selector)));
    return to.flatMap((el, i) => (found.has(el) ? [from[i]!] : []));
  };
  const text = () => (root().textContent ?? '').replace(/\s+/g, ' ');
  /** As j-component's dispatchEvent does: the DOM event, then the exparser (WeChat) event. */
  const dispatch = async (selector: string, name: string, detail: Record<string, unknown>, words?: string): Promise<void> => {
    const target = select(selector).find((el) => !words || (el.textContent ?? '').includes(words));
    if (!target) throw new Error(`nothing to ${name}: ${selector}${words ? ` with ${words}` : ''}\npage: ${text().slice(0, 2000)}`);
    exparser ??= createRequire(require.resolve('j-component'))('miniprogram-exparser');
    const event = new CustomEvent(name, { detail });
    target.dispatchEvent(event);
    const wxElement = (target as Element & { __wxElement?: unknown }).__wxElement;
    if (!wxElement) throw new Error(`${selector} is not a mini-program element`);
    exparser!.Event.dispatchEvent(
      wxElement,
      exparser!.Event.create(name, detail, { originalEvent: event, bubbles: true, capturePhase: true, composed: true, extraFields: { touches: {}, changedTouches: {} } }),
    );
    await new Promise((ok) => setTimeout(ok, 0));
  };
  return {
    component,
    text,
    html: () => root().outerHTML,
    all: select,
    async waitForText(...words) {
      await vi.waitFor(
        () => {
          const now = text();
          const missing = words.filter((w) => !now.includes(w));
          if (missing.length) throw new Error(`not on the page: ${missing.join('、')}\npage: ${now.slice(0, 2000)}`);
        },
        { timeout: 10_000, interval: 25 },
      );
    },
    tap: (selector, words) => dispatch(selector, 'tap', {}, words),
    trigger: (selector, name, detail, words) => dispatch(selector, name, detail, words),
    detach: () => component.detach(),
  };
}
