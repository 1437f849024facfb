/**
 * At the close, the voters (and only they) are told once that the results are public, by the
 * scheduled run (functions/handlers/consultation-close.ts), however often the schedule fires;
 * nothing is sent before the close, and no message (nor any read of the run) touches a choice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { TEMPLATE_ENV } from '../../functions/lib/notifier';
import { sendResultsNotices } from '../../functions/services/consultations';
import { documentClient, withCallLog } from '../../functions/store/client';
import { getConsultation } from '../../functions/store/consultations';
import { newCommunity, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { accept, startWechatStub, type WechatStub } from '../support/wechat-stub';

let wechat: WechatStub;
// Three days ahead: the scheduled run reads every consultation closing in its last hour, so this
// file's closes must not share buckets with other files' consultations (tokens last seven days).
const BASE = Math.floor(Date.now() / 60_000) * 60_000 + 3 * 24 * 3600_000;
const at = (ms: number) => new Date(BASE + ms);
const CLOSE = 3600_000;

type Sent = { touser: string; template_id: string; page: string; data: Record<string, { value: string }> };
const sends = (from = 0): Sent[] =>
  wechat.requests.slice(from).filter((r) => r.path === '/cgi-bin/message/subscribe/send').map((r) => r.body as Sent);

beforeAll(async () => {
  wechat = await startWechatStub();
  process.env.WECHAT_API_BASE = wechat.base;
  process.env[TEMPLATE_ENV.consultationResults] = 'tpl-results';
  resetConfig();
});
afterAll(async () => {
  delete process.env[TEMPLATE_ENV.consultationResults];
  await wechat.close();
});
beforeEach(() => {
  wechat.behaviour = 'ok';
  wechat.sendBudget = undefined;
});

/** A consultation closing at CLOSE, with `n` voters (alternating choices) and one resident who did not vote. */
async function closedWithVoters(n: number) {
  const { id: cid } = await newCommunity();
  const staff = await staffOf(cid);
  const voters = await Promise.all(Array.from({ length: n }, () => verifiedResident(cid)));
  const abstainer = await verifiedResident(cid);
  const c = (
    await call('POST', `/v1/communities/${cid}/consultations`, {
      token: staff.token, now: at(0),
      body: { title: '加装电梯意见征询', body: '一单元', options: [{ label: '同意加装' }, { label: '暂不加装' }], eligibility: 'resident', opensAt: at(0).toISOString(), closesAt: at(CLOSE).toISOString() },
    })
  ).body as { id: string };
  for (const [i, v] of voters.entries()) {
    const r = await call('POST', `/v1/consultations/${c.id}/ballots`, { token: v.token, body: { choices: [i % 2 ? 'B' : 'A'] }, now: at(60_000) });
    expect(r.status).toBe(201);
    await accept(v, ['consultationResults']);
  }
  return { c, voters, abstainer };
}

const mine = (id: string, from = 0) => sends(from).filter((m) => m.page.includes(id));

describe('results notices at the close (scheduled)', () => {
  it('sends nothing before the close, then each voter exactly once when the schedule fires twice at once', async () => {
    const { c, voters, abstainer } = await closedWithVoters(3);
    const start = wechat.requests.length;

    const early = await Promise.all([sendResultsNotices(at(CLOSE - 60_000)), sendResultsNotices(at(CLOSE - 1))]);
    expect(mine(c.id, start)).toHaveLength(0);
    expect(early.every((r) => r.sent === 0)).toBe(true);
    expect((await getConsultation(c.id))?.eligibleAtClose).toBeUndefined();

    const { result: runs, calls } = await withCallLog(() => Promise.all([sendResultsNotices(at(CLOSE + 60_000)), sendResultsNotices(at(CLOSE + 60_000))]));
    expect(calls.some((x) => x.command === 'ScanCommand')).toBe(false);
    // later firings of the schedule send nothing more
    await sendResultsNotices(at(CLOSE + 5 * 60_000));
    await sendResultsNotices(at(CLOSE + 10 * 60_000));

    const sent = mine(c.id, start);
    expect(sent.map((m) => m.touser).sort()).toEqual(voters.map((v) => v.openid).sort());
    expect(sent.some((m) => m.touser === abstainer.openid)).toBe(false);
    expect(runs.reduce((s, r) => s + r.sent, 0)).toBeGreaterThanOrEqual(3);
    expect(sent.every((m) => m.template_id === 'tpl-results' && m.data.thing2?.value === '投票结果已公布')).toBe(true);
    // the eligible count was snapshotted at the close
    expect((await getConsultation(c.id))?.eligibleAtClose).toBe(4);
  });

  it('says nothing about choices, and never reads the tally', async () => {
    const { c } = await closedWithVoters(2);
    const start = wechat.requests.length;
    const inputs: string[] = [];
    const client = documentClient();
    const original = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
    const spy = vi.spyOn(client, 'send').mockImplementation(((...args: unknown[]) => {
      inputs.push(JSON.stringify((args[0] as { input: unknown }).input));
      return original(...args);
    }) as never);
    try {
      await sendResultsNotices(at(CLOSE + 60_000));
    } finally {
      spy.mockRestore();
    }
    const sent = mine(c.id, start);
    expect(sent).toHaveLength(2);
    for (const m of sent) {
      expect(Object.keys(m.data).sort()).toEqual(['thing1', 'thing2', 'time3']);
      const text = JSON.stringify(m);
      for (const forbidden of ['同意加装', '暂不加装', '"A"', '"B"', 'tally', 'ballots']) expect(text).not.toContain(forbidden);
    }
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.some((i) => i.includes('COUNT#'))).toBe(false);
  });

  it('keeps the notice for a later run when WeChat fails, without messaging anyone twice', async () => {
    const { c, voters } = await closedWithVoters(3);
    const start = wechat.requests.length;
    wechat.sendBudget = 1; // one send goes through, the others fail
    const first = await sendResultsNotices(at(CLOSE + 60_000));
    expect(first.failed).toBeGreaterThanOrEqual(1);
    const firstTry = mine(c.id, start);
    expect(firstTry).toHaveLength(3);
    const served = firstTry[0]!.touser; // the stub accepts in arrival order

    wechat.sendBudget = undefined;
    const middle = wechat.requests.length;
    const second = await sendResultsNotices(at(CLOSE + 6 * 60_000));
    expect(second.failed).toBe(0);
    const retried = mine(c.id, middle);
    expect(retried.map((m) => m.touser).sort()).toEqual(voters.map((v) => v.openid).filter((o) => o !== served).sort());

    await sendResultsNotices(at(CLOSE + 11 * 60_000));
    expect(mine(c.id, middle)).toHaveLength(2);
  });
});
