/**
 * Participants are told by subscription message when the decision (and each update) is public,
 * when the template is configured; nobody else is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { newCommunity, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { accept, deliverOutbox, startWechatStub, type WechatStub } from '../support/wechat-stub';

let wechat: WechatStub;
const BASE = Math.floor(Date.now() / 60_000) * 60_000;
const at = (ms: number) => new Date(BASE + ms);

beforeAll(async () => {
  wechat = await startWechatStub();
  process.env.WECHAT_API_BASE = wechat.base;
  process.env.WX_TEMPLATE_CONSULTATION_PUBLISHED = 'tpl-consultation';
  resetConfig();
});
afterAll(async () => {
  delete process.env.WX_TEMPLATE_CONSULTATION_PUBLISHED;
  await wechat.close();
});

describe('publish notifications', () => {
  it('sends the voters, and only them, a subscription message when the decision is published', async () => {
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const voters = [await verifiedResident(cid), await verifiedResident(cid)];
    await verifiedResident(cid); // did not vote
    const c = (
      await call('POST', `/v1/communities/${cid}/consultations`, {
        token: staff.token, now: at(0),
        body: { title: '小区停车位规划', body: '划线方案', options: [{ label: '方案一' }, { label: '方案二' }], eligibility: 'resident', opensAt: at(0).toISOString(), closesAt: at(3600_000).toISOString() },
      })
    ).body;
    for (const v of voters) await call('POST', `/v1/consultations/${c.id}/ballots`, { token: v.token, body: { choices: ['A'] }, now: at(60_000) });
    for (const v of voters) await accept(v, ['consultationPublished']);
    wechat.requests.length = 0;
    const reply = await call('POST', `/v1/consultations/${c.id}/publish`, { token: staff.token, body: { decision: '采用方案一' }, now: at(3700_000) });
    expect(reply.status).toBe(200);
    await deliverOutbox(at(3700_000));
    const sent = wechat.requests.filter((r) => r.path === '/cgi-bin/message/subscribe/send').map((r) => r.body as { touser: string; template_id: string; page: string });
    expect(sent.map((m) => m.touser).sort()).toEqual(voters.map((v) => v.openid).sort());
    expect(sent.every((m) => m.template_id === 'tpl-consultation' && m.page.includes(c.id))).toBe(true);
    expect(JSON.stringify(sent)).not.toContain('"A"');
  });
});
