// @vitest-environment jsdom
/**
 * 诉求反映 in the real WeChat build (dist/weapp, or LINLI_WEAPP_DIR), rendered by
 * miniprogram-simulate with the official wxml compiler, against an API stand-in checked against
 * the contract (byRoute): a resident files a request, follows its timeline and rates it; a grid
 * worker reads the queue by time left. Text dumps land in tests/artifacts/requests-weapp-*.txt.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { User } from '@contract/identity';
import type { ServiceRequest } from '@contract/requests';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WEAPP_DIR, byRoute, startWeapp, words, type RouteHandlers, type Weapp, type WeappPage } from '../support/weapp';
import { ARTIFACTS } from '../support/web';

const CID = 'c-req';
const RESIDENT: User = {
  id: 'u-li',
  nickname: '李阿姨',
  admin: false,
  memberships: [{ communityId: CID, communityName: '幸福里社区', role: 'resident', verified: true, household: '7-2-501' }],
};
const WORKER: User = { ...RESIDENT, id: 'u-wang', nickname: '王芳', memberships: [{ ...RESIDENT.memberships[0]!, role: 'staff', household: '1-1-101' }] };

const FILED: ServiceRequest = {
  id: 'r-1',
  number: '2030-0000012',
  communityId: CID,
  category: 'sanitation',
  status: 'resolved',
  level: 'street',
  gridId: 'g-7',
  gridName: '第七网格',
  text: '7 号楼东侧垃圾桶满了三天没人清运。',
  place: '7 号楼东侧',
  resident: '李秀英',
  household: '7-2-501',
  ownerName: '街道工作人员 张*',
  respondBy: '2030-03-04T13:00:00+08:00',
  resolveBy: '2030-03-07T18:00:00+08:00',
  respondedAt: '2030-03-04T10:00:00+08:00',
  resolvedAt: '2030-03-05T16:00:00+08:00',
  overdue: false,
  resolution: '已协调环卫所当日清运。',
  reopenUntil: '2099-03-12T16:00:00+08:00',
  createdAt: '2030-03-04T09:00:00+08:00',
  timeline: [
    { at: '2030-03-04T09:00:00+08:00', kind: 'filed', level: 'community', by: '我' },
    { at: '2030-03-04T10:00:00+08:00', kind: 'accepted', level: 'community', by: '社区工作人员 王*' },
    { at: '2030-03-04T11:00:00+08:00', kind: 'escalated', level: 'street', by: '社区工作人员 王*', text: '清运合同由街道统一签订。' },
    { at: '2030-03-05T16:00:00+08:00', kind: 'resolved', level: 'street', by: '街道工作人员 张*', text: '已协调环卫所当日清运。' },
  ],
};
const WAITING: ServiceRequest = { ...FILED, id: 'r-2', number: '2030-0000013', status: 'submitted', level: 'community', respondBy: '2020-01-01T08:00:00+08:00', overdue: true, timeline: undefined, ownerName: undefined, respondedAt: undefined, resolvedAt: undefined, resolution: undefined, reopenUntil: undefined };

/** The bodies the app sent, by route. */
const sent: Record<string, unknown[]> = {};
const record = (route: string, body: unknown) => (sent[route] ??= []).push(body);

function api(user: User, overrides: RouteHandlers = {}): RouteHandlers {
  return {
    loginWechat: () => ({ token: 'token-req', expiresAt: '2999-01-01T00:00:00.000Z', user }),
    me: () => user,
    templates: () => ({ templates: { requestUpdate: 'tpl-request' } }),
    fileRequest: ({ body }) => {
      record('fileRequest', body);
      return { ...WAITING, id: 'r-new', overdue: false };
    },
    getRequest: () => FILED,
    rateRequest: ({ body }) => {
      record('rateRequest', body);
      return { ...FILED, status: 'closed', rating: body as { score: number } };
    },
    listGrids: () => ({ items: [{ id: 'g-7', communityId: CID, name: '第七网格', buildings: ['7'], workerId: WORKER.id, workerName: '王芳', households: 120, createdAt: '2030-01-01T00:00:00+08:00' }] }),
    communityRequests: () => ({ items: [FILED, WAITING] }),
    ...overrides,
  };
}

let weapp: Weapp;

beforeAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true });
  weapp = startWeapp(byRoute(api(RESIDENT)));
});

afterEach(() => {
  expect(weapp.problems).toEqual([]);
});

async function render(name: string, path: string, query: Record<string, string>, handlers: RouteHandlers, ...expected: string[]): Promise<WeappPage> {
  weapp.answer(byRoute(handlers));
  weapp.requests.length = 0;
  weapp.calls.length = 0;
  const page = await weapp.render(path, query);
  await page.waitForText(...expected);
  writeFileSync(join(ARTIFACTS, `requests-weapp-${name}.txt`), `${path}?${new URLSearchParams(query)}\n\n${words(page.component.dom!)}\n\n${page.html()}\n`);
  return page;
}

const texts = (page: WeappPage, selector: string): string[] => page.all(selector).map(words);

/** Every JS file of the build, with its path. */
function scripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? scripts(path) : path.endsWith('.js') ? [path] : [];
  });
}

describe('诉求反映 pages of the weapp build (miniprogram-simulate)', () => {
  it('files a request: the category states its clock first, and the request goes out with the text and place', async () => {
    // prepare
    const page = await render('new', 'requests/new/index', {}, api(RESIDENT), '诉求类别', '环境卫生');

    // act
    await page.tap('.req-chip', '环境卫生');
    await page.waitForText('将在4小时内响应，3个工作日内办结');
    await page.trigger('wx-textarea', 'input', { value: '7 号楼东侧垃圾桶满了三天没人清运。' });
    await page.trigger('wx-input', 'input', { value: '7 号楼东侧' });
    await page.tap('.btn', '提交诉求');

    // assess
    await expect.poll(() => weapp.calls).toContain('redirectTo /requests/detail/index?id=r-new');
    expect(sent.fileRequest).toEqual([{ category: 'sanitation', text: '7 号楼东侧垃圾桶满了三天没人清运。', place: '7 号楼东侧' }]);
    expect(weapp.calls[0]).toBe('subscribe tpl-request');
  });

  it('shows the resident the timeline with who acted at which level, and takes a rating of the resolution', async () => {
    // prepare
    const page = await render('detail', 'requests/detail/index', { id: FILED.id }, api(RESIDENT), '办理过程', '请为办理结果评分');

    // assess: the state, the number and each event in words, signed by level
    expect(page.text()).toContain('2030-0000012');
    expect(texts(page, '.tag')).toContain('已办结');
    expect(texts(page, '.req-event__what')).toEqual(['提交诉求', '已受理', '上报上级：转街道办理', '已办结']);
    expect(page.text()).toContain('社区工作人员 王*');
    expect(page.text()).not.toMatch(/\d{4}-\d{2}-\d{2}T/);

    // act: five stars, then submit
    await page.tap('.star:last-child');
    await page.waitForText('5 分 · 非常满意');
    await page.tap('.btn', '提交评价');

    // assess
    await expect.poll(() => sent.rateRequest).toEqual([{ score: 5 }]);
  });

  it("lists a grid worker's queue with the overdue one first, marked 超期", async () => {
    // act
    weapp.answer(byRoute(api(WORKER)));
    const page = await render('queue', 'requests/queue/index', { cid: CID }, api(WORKER), '2030-0000013', '2030-0000012');

    // assess
    const cards = texts(page, '.card');
    expect(cards[0]).toContain('2030-0000013');
    expect(cards[0]).toContain('超期');
    expect(cards[0]).toContain('待受理');
    expect(cards[1]).toContain('已办结');
  });

  it('keeps the schema library out of every page and subpackage bundle', () => {
    const withZod = scripts(WEAPP_DIR).filter((file) => /ZodError|invalid_type/.test(readFileSync(file, 'utf8')));
    expect(withZod).toEqual([]);
  });
});
