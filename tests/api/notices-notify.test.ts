/**
 * A notice sent as a subscription message: it reaches the community's residents who accepted its
 * category's template, once each, from the outbox (never on the request path); nobody else.
 */
import { describe, expect, it } from 'vitest';
import { newCommunity, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { accept, deliverOutbox, type WechatStub } from '../support/wechat-stub';
import { useWechatStub } from '../support/use-wechat-stub';

let wechat: WechatStub;
const BASE = Math.floor(Date.now() / 60_000) * 60_000;
const at = (ms: number) => new Date(BASE + ms);

useWechatStub({ WX_TEMPLATE_NOTICE_FINANCE: 'tpl-notice-finance' }, (stub) => {
  wechat = stub;
});

const finance = (notify: boolean) => ({
  title: '第三季度公共收益收支公开',
  category: 'finance',
  body: [{ type: 'paragraph', runs: [{ text: '现将收支公布如下。' }] }],
  table: [{ item: '场地租赁', amountFen: 3_600_000 }],
  notify,
});

const sentTo = () =>
  wechat.requests.filter((r) => r.path === '/cgi-bin/message/subscribe/send').map((r) => r.body as { touser: string; template_id: string; page: string });

describe('notices sent to subscribers', () => {
  it('messages the residents who accepted the category, and only them, once', async () => {
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const subscribed = [await verifiedResident(cid), await verifiedResident(cid)];
    const other = await verifiedResident(cid);
    for (const r of subscribed) await accept(r, ['noticeFinance']);
    await accept(other, ['noticeParty']);
    wechat.requests.length = 0;

    const posted = await call('POST', `/v1/communities/${cid}/notices`, { token: staff.token, body: finance(true), now: at(0) });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    await deliverOutbox(at(0));
    await deliverOutbox(at(60_000));

    const sent = sentTo();
    expect(sent.map((m) => m.touser).sort()).toEqual(subscribed.map((r) => r.openid).sort());
    expect(sent.every((m) => m.template_id === 'tpl-notice-finance' && m.page.includes(posted.body.id))).toBe(true);
  });

  it('sends nothing when staff do not ask for it', async () => {
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const resident = await verifiedResident(cid);
    await accept(resident, ['noticeFinance']);
    wechat.requests.length = 0;

    const posted = await call('POST', `/v1/communities/${cid}/notices`, { token: staff.token, body: finance(false), now: at(0) });
    expect(posted.status).toBe(201);
    await deliverOutbox(at(0));
    expect(sentTo().filter((m) => m.touser === resident.openid)).toEqual([]);
  });
});
