/**
 * The posters' mini-program codes. The join code: WeChat makes it once per community
 * (wxacode.getUnlimited, `scene` = the community's id, opening the join page), the bucket keeps
 * it, and staff read it by a signed link; when WeChat cannot make it, staff are told so in
 * Chinese. The hall's walk-in code: once a day, its scene the community and the day's hall token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { login, newCommunity, staffOf } from '../support/actors';
import { call } from '../support/stack';
import { startWechatStub, type WechatStub } from '../support/wechat-stub';

const CODE_PATH = '/wxa/getwxacodeunlimit';
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

let wechat: WechatStub;

beforeAll(async () => {
  wechat = await startWechatStub();
  process.env.WECHAT_API_BASE = wechat.base;
  resetConfig();
});

afterAll(async () => {
  delete process.env.WECHAT_API_BASE;
  resetConfig();
  await wechat?.close();
});

const codeRequestsFor = (cid: string) => wechat.requests.filter((r) => r.path === CODE_PATH && (r.body as { scene?: string }).scene === cid);

describe('the join code', () => {
  it('asks WeChat for a code that opens the join page with the community as its scene, and serves the image by a link', async () => {
    // prepare
    const community = await newCommunity();
    const worker = await staffOf(community.id);
    // act
    const reply = await call('GET', `/v1/communities/${community.id}/join-code`, { token: worker.token });
    // assess
    expect(reply.status).toBe(200);
    const image = new Uint8Array(await (await fetch(reply.body.url)).arrayBuffer());
    expect([...image.slice(0, 4)]).toEqual(PNG_MAGIC);
    expect(codeRequestsFor(community.id).map((r) => r.body)).toEqual([
      expect.objectContaining({ scene: community.id, page: 'community/join/index', check_path: false }),
    ]);
  });

  it('makes the code once: a second poster reads the kept image without asking WeChat', async () => {
    const community = await newCommunity();
    const worker = await staffOf(community.id);
    await call('GET', `/v1/communities/${community.id}/join-code`, { token: worker.token });
    const again = await call('GET', `/v1/communities/${community.id}/join-code`, { token: worker.token });
    expect(again.status).toBe(200);
    expect(codeRequestsFor(community.id)).toHaveLength(1);
  });

  it('tells staff in Chinese when WeChat will not make the code, and keeps nothing', async () => {
    const community = await newCommunity();
    const worker = await staffOf(community.id);
    wechat.codeErrcode = 45009;
    try {
      const refused = await call('GET', `/v1/communities/${community.id}/join-code`, { token: worker.token });
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatchObject({ code: 'UNAVAILABLE', message: '暂时无法生成小程序码，请稍后重试' });
    } finally {
      wechat.codeErrcode = undefined;
    }
    const later = await call('GET', `/v1/communities/${community.id}/join-code`, { token: worker.token });
    expect(later.status).toBe(200);
    expect(codeRequestsFor(community.id)).toHaveLength(2);
  });

  it('makes no code for a community that does not exist', async () => {
    const { admin } = await newCommunity();
    const reply = await call('GET', '/v1/communities/nosuchcommunity00/join-code', { token: admin.token });
    expect(reply.status).toBe(404);
    expect(codeRequestsFor('nosuchcommunity00')).toHaveLength(0);
  });
});

describe('the walk-in code', () => {
  const LAYOUT = { categories: [{ code: 'A', name: '社保' }], windows: [{ no: 1, categories: ['A'] }] };

  it("opens the take page with the community and the day's hall token as its scene, which takes a walk-in's number", async () => {
    // prepare: a hall, and the day's token as the web poster shows it
    const community = await newCommunity();
    const worker = await staffOf(community.id);
    expect((await call('PUT', `/v1/communities/${community.id}/hall`, { token: worker.token, body: LAYOUT })).status).toBe(200);
    const qr = await call('GET', `/v1/communities/${community.id}/hall/qr`, { token: worker.token });
    // act
    const reply = await call('GET', `/v1/communities/${community.id}/hall/code`, { token: worker.token });
    const again = await call('GET', `/v1/communities/${community.id}/hall/code`, { token: worker.token });
    // assess: one code a day, its scene within WeChat's 32 characters, and the token in it takes a number
    expect([reply.status, again.status]).toEqual([200, 200]);
    const asked = wechat.requests.filter((r) => r.path === CODE_PATH && (r.body as { page?: string }).page === 'queue/take/index' && (r.body as { scene: string }).scene.startsWith(community.id));
    expect(asked).toHaveLength(1);
    const scene = (asked[0]!.body as { scene: string }).scene;
    expect(scene).toBe(`${community.id}.${qr.body.token}`);
    expect(scene.length).toBeLessThanOrEqual(32);
    const [, token] = scene.split('.');
    const walkIn = await login();
    const taken = await call('POST', `/v1/communities/${community.id}/tickets`, { token: walkIn.token, body: { category: 'A', hallToken: token } });
    expect(taken.status).toBe(201);
  });
});
