/**
 * Subscription messages of the queue: "your turn" when called, "3 ahead of you" once; template
 * ids from the environment; WeChat failing never fails a call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { instantOf } from '../../functions/domain/time';
import { login, newCommunity, staffOf } from '../support/actors';
import { call } from '../support/stack';
import { startWechatStub, type WechatStub } from '../support/wechat-stub';

let wechat: WechatStub;

beforeAll(async () => {
  wechat = await startWechatStub();
  process.env.WECHAT_API_BASE = wechat.base;
  process.env.WX_TPL_QUEUE_CALLED = 'tpl-called';
  process.env.WX_TPL_QUEUE_NEAR = 'tpl-near';
  resetConfig();
});
afterAll(async () => {
  delete process.env.WX_TPL_QUEUE_CALLED;
  delete process.env.WX_TPL_QUEUE_NEAR;
  await wechat.close();
});

const sent = (template: string, openid: string) =>
  wechat.requests.filter((r) => r.path === '/cgi-bin/message/subscribe/send' && (r.body as any)?.template_id === template && (r.body as any)?.touser === openid);

async function queueOf(n: number) {
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: { categories: [{ code: 'A', name: '社保' }], windows: [{ no: 1, categories: ['A'] }] } });
  await call('POST', `/v1/communities/${cid}/windows/1/open`, { token: staff.token });
  const people = [];
  for (let i = 0; i < n; i++) {
    const person = await login();
    await call('POST', `/v1/communities/${cid}/tickets`, { token: person.token, body: { category: 'A' }, now: instantOf('2026-11-23', '09:00') });
    people.push(person);
  }
  return { cid, staff, people };
}

describe('queue subscription messages', () => {
  it('tells the resident when called, and the one now 3 ahead of their turn, once', async () => {
    wechat.behaviour = 'ok';
    const { cid, staff, people } = await queueOf(6);
    const now = instantOf('2026-11-23', '09:10');
    await call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now });
    expect(sent('tpl-called', people[0]!.openid)).toHaveLength(1);
    expect((sent('tpl-called', people[0]!.openid)[0]?.body as any).data.thing2.value).toBe('请到 1 号窗口办理');
    // After A001 is called, A005 has three ahead of it (A002, A003, A004).
    expect(sent('tpl-near', people[4]!.openid)).toHaveLength(1);
    await call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now });
    expect(sent('tpl-near', people[5]!.openid)).toHaveLength(1);
    expect(sent('tpl-near', people[4]!.openid)).toHaveLength(1);
  });

  it('still calls the ticket when WeChat is down', async () => {
    const { cid, staff } = await queueOf(1);
    wechat.behaviour = 'http-error';
    const reply = await call('POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, now: instantOf('2026-11-23', '09:10') });
    wechat.behaviour = 'ok';
    expect(reply.status).toBe(200);
    expect(reply.body.number).toBe('A001');
  });
});
