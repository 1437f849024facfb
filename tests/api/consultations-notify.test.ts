/**
 * Participants are told by subscription message when the decision (and each update) is public,
 * when the template is configured; nobody else is.
 */
import { describe, expect, it } from 'vitest';
import { getOutbox, outboxPut, putOutbox } from '../../functions/store/outbox';
import { newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';
import { accept, deliverOutbox, type WechatStub } from '../support/wechat-stub';
import { useWechatStub } from '../support/use-wechat-stub';

let wechat: WechatStub;
const BASE = Math.floor(Date.now() / 60_000) * 60_000;
const at = (ms: number) => new Date(BASE + ms);

useWechatStub({ WX_TEMPLATE_CONSULTATION_PUBLISHED: 'tpl-consultation' }, (stub) => {
  wechat = stub;
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

  /** A consultation open from at(0) to at(1 h) with one ballot. */
  async function consultationWithVoter(): Promise<{ staff: Actor; id: string }> {
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const voter = await verifiedResident(cid);
    const c = (
      await call('POST', `/v1/communities/${cid}/consultations`, {
        token: staff.token, now: at(0),
        body: { title: '电梯加装', body: '方案', options: [{ label: '同意' }, { label: '不同意' }], eligibility: 'resident', opensAt: at(0).toISOString(), closesAt: at(3600_000).toISOString() },
      })
    ).body;
    await call('POST', `/v1/consultations/${c.id}/ballots`, { token: voter.token, body: { choices: ['A'] }, now: at(60_000) });
    return { staff, id: c.id as string };
  }

  it('writes the publish and its message in one transaction, and a refused publish writes no message', async () => {
    const { staff, id } = await consultationWithVoter();

    const early = await call('POST', `/v1/consultations/${id}/publish`, { token: staff.token, body: { decision: '采用方案一' }, now: at(60_000) });
    const early2 = await getOutbox(`published-${id}`);
    const reply = await call('POST', `/v1/consultations/${id}/publish`, { token: staff.token, body: { decision: '采用方案一' }, now: at(3700_000) });
    const message = await getOutbox(`published-${id}`);
    const again = await call('POST', `/v1/consultations/${id}/publish`, { token: staff.token, body: { decision: '改为方案二' }, now: at(3800_000) });
    const after = await getOutbox(`published-${id}`);

    expect(early.status).toBe(409);
    expect(early2).toBeUndefined();
    expect(reply.status).toBe(200);
    expect(reply.calls.filter((c) => c.command === 'TransactWriteItemsCommand').map((c) => c.parts)).toEqual([['Update', 'Put']]);
    expect(reply.calls.some((c) => c.command === 'PutCommand' || c.command === 'UpdateCommand')).toBe(false);
    expect(message?.message).toMatchObject({ kind: 'fanout', consultationId: id, data: { thing2: '采用方案一', time3: expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/) } });
    expect(again.status).toBe(409);
    expect(after?.createdAt).toBe(message?.createdAt);
  });

  it('does not publish when its message cannot be written with it', async () => {
    const { staff, id } = await consultationWithVoter();
    await putOutbox([outboxPut(`published-${id}`, { kind: 'fanout', consultationId: id, template: 'consultationPublished', page: 'p', data: {} }, at(0))]);

    const reply = await call('POST', `/v1/consultations/${id}/publish`, { token: staff.token, body: { decision: '采用方案一' }, now: at(3700_000) });
    const read = await call('GET', `/v1/consultations/${id}`, { token: staff.token, now: at(3700_000) });

    expect(reply.status).toBe(409);
    expect(read.body.decision).toBeUndefined();
  });

  it('writes an implementation update and its message in one transaction', async () => {
    const { staff, id } = await consultationWithVoter();
    const before = await call('POST', `/v1/consultations/${id}/updates`, { token: staff.token, body: { text: '已开工' }, now: at(3650_000) });
    await call('POST', `/v1/consultations/${id}/publish`, { token: staff.token, body: { decision: '采用方案一' }, now: at(3700_000) });

    const reply = await call('POST', `/v1/consultations/${id}/updates`, { token: staff.token, body: { text: '已开工' }, now: at(3900_000) });

    expect(before.status).toBe(409);
    expect(await getOutbox(`update-${id}-${at(3650_000).getTime()}`)).toBeUndefined();
    expect(reply.status).toBe(201);
    expect(reply.body.updates.map((u: { text: string }) => u.text)).toEqual(['已开工']);
    expect(reply.calls.filter((c) => c.command === 'TransactWriteItemsCommand').map((c) => c.parts)).toEqual([['Update', 'Put']]);
    expect((await getOutbox(`update-${id}-${at(3900_000).getTime()}`))?.message).toMatchObject({ kind: 'fanout', data: { thing2: '已开工' } });
  });
});
