/**
 * Consultations and votes (议事协商) against DynamoDB Local: topics, discussion, secret ballots,
 * results after the close, the published decision. Times are relative to the real clock (tokens
 * are checked against the request's clock) and passed to each request as `now`.
 */
import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/store/client';
import { idempotencyKey as idempotencyItemKey } from '../../functions/store/keys';
import { admin, joined, login, newCommunity, nextHousehold, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';

const HOUR = 3600_000;
/** A fixed base near the real clock, on a whole minute. */
const BASE = Math.floor(Date.now() / 60_000) * 60_000;
const at = (offsetMs: number) => new Date(BASE + offsetMs);
const OPENS = at(HOUR);
const CLOSES = at(2 * HOUR);
const DURING = at(1.5 * HOUR);
const AFTER = at(2 * HOUR + 60_000);

interface Setup {
  cid: string;
  staff: Actor;
}

async function community(): Promise<Setup> {
  const { id } = await newCommunity();
  return { cid: id, staff: await staffOf(id) };
}

async function consultation(s: Setup, overrides: Record<string, unknown> = {}): Promise<any> {
  const reply = await call('POST', `/v1/communities/${s.cid}/consultations`, {
    token: s.staff.token,
    now: at(0),
    body: {
      title: '是否在3号楼加装电梯',
      body: '3号楼居民提出加装电梯，请各位业主表达意见。',
      options: [{ label: '同意' }, { label: '不同意' }, { label: '弃权' }],
      maxChoices: 1,
      eligibility: 'resident',
      opensAt: OPENS.toISOString(),
      closesAt: CLOSES.toISOString(),
      ...overrides,
    },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

async function named(cid: string, realName: string): Promise<Actor> {
  const member = await joined(cid, nextHousehold(), { realName });
  const reply = await call('POST', `/v1/communities/${cid}/members/${member.id}/verify`, { token: (await admin()).token, body: {} });
  expect(reply.status).toBe(200);
  return member;
}

const vote = (id: string, who: Actor, choices: string[], options: { now?: Date; key?: string } = {}) =>
  call('POST', `/v1/consultations/${id}/ballots`, { token: who.token, body: { choices }, now: options.now ?? DURING, idempotencyKey: options.key });

describe('topics (征)', () => {
  it('lets a verified resident propose a topic, seconded by its author', async () => {
    const s = await community();
    const li = await verifiedResident(s.cid);
    const reply = await call('POST', `/v1/communities/${s.cid}/topics`, { token: li.token, body: { title: '加装电梯', body: '3号楼老人多，上下楼不便。' } });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ title: '加装电梯', support: 1, status: 'open', communityId: s.cid });
    expect(reply.body.createdAt).toMatch(/\+08:00$/);
  });

  it('refuses topics from members who are not verified, with 403', async () => {
    const s = await community();
    const pending = await joined(s.cid);
    const stranger = await login();
    for (const who of [pending, stranger]) {
      const reply = await call('POST', `/v1/communities/${s.cid}/topics`, { token: who.token, body: { title: '停车', body: '车位不够' } });
      expect(reply.status).toBe(403);
    }
  });

  it('validates title and body with field paths', async () => {
    const s = await community();
    const li = await verifiedResident(s.cid);
    const reply = await call('POST', `/v1/communities/${s.cid}/topics`, { token: li.token, body: { title: '', body: 'x'.repeat(2001) } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.title', 'body.body']));
  });

  it('counts support once per member and answers a second support with 409 ALREADY_SUPPORTED', async () => {
    const s = await community();
    const [li, zhang] = [await verifiedResident(s.cid), await verifiedResident(s.cid)];
    const topic = (await call('POST', `/v1/communities/${s.cid}/topics`, { token: li.token, body: { title: '停车位规划', body: '晚上车位紧张' } })).body;
    const first = await call('POST', `/v1/topics/${topic.id}/support`, { token: zhang.token });
    const again = await call('POST', `/v1/topics/${topic.id}/support`, { token: zhang.token });
    const own = await call('POST', `/v1/topics/${topic.id}/support`, { token: li.token });
    expect(first.status).toBe(200);
    expect(first.body.support).toBe(2);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_SUPPORTED');
    expect(own.body.error.code).toBe('ALREADY_SUPPORTED');
    expect(first.calls.length).toBeLessThanOrEqual(2);
  });

  it('counts exactly one support per member when 15 members support at once, twice each', async () => {
    const s = await community();
    const author = await verifiedResident(s.cid);
    const members = await Promise.all(Array.from({ length: 15 }, () => verifiedResident(s.cid)));
    const topic = (await call('POST', `/v1/communities/${s.cid}/topics`, { token: author.token, body: { title: '增设快递柜', body: '快递堆放在门口' } })).body;
    const replies = await Promise.all([...members, ...members].map((m) => call('POST', `/v1/topics/${topic.id}/support`, { token: m.token })));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(15);
    expect(replies.filter((r) => r.status === 409 && r.body.error.code === 'ALREADY_SUPPORTED')).toHaveLength(15);
    const list = await call('GET', `/v1/communities/${s.cid}/topics`);
    expect(list.body.items.find((t: { id: string }) => t.id === topic.id).support).toBe(16);
  });

  it('lists open topics first, the most supported first, with masked authors', async () => {
    const s = await community();
    const a = await named(s.cid, '李秀英');
    const others = await Promise.all([verifiedResident(s.cid), verifiedResident(s.cid)]);
    const propose = async (title: string) => (await call('POST', `/v1/communities/${s.cid}/topics`, { token: a.token, body: { title, body: '内容' } })).body;
    const low = await propose('少人附议');
    const high = await propose('多人附议');
    const closed = await propose('已答复');
    for (const o of others) await call('POST', `/v1/topics/${high.id}/support`, { token: o.token });
    await call('POST', `/v1/topics/${closed.id}/close`, { token: s.staff.token, body: { reply: '已纳入年度计划' } });
    const list = await call('GET', `/v1/communities/${s.cid}/topics`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([high.id, low.id, closed.id]);
    expect(list.body.items[0].author).toBe('李**');
    const openOnly = await call('GET', `/v1/communities/${s.cid}/topics?status=open`);
    expect(openOnly.body.items).toHaveLength(2);
    expect(list.calls.map((c) => c.command)).toEqual(['QueryCommand']);
  });

  it('lets only staff close a topic with a reply, once', async () => {
    const s = await community();
    const li = await verifiedResident(s.cid);
    const topic = (await call('POST', `/v1/communities/${s.cid}/topics`, { token: li.token, body: { title: '垃圾分类', body: '分类亭太远' } })).body;
    const refused = await call('POST', `/v1/topics/${topic.id}/close`, { token: li.token, body: { reply: '好' } });
    const closed = await call('POST', `/v1/topics/${topic.id}/close`, { token: s.staff.token, body: { reply: '已协调物业增设分类亭' } });
    const again = await call('POST', `/v1/topics/${topic.id}/close`, { token: s.staff.token, body: { reply: '再次' } });
    const support = await call('POST', `/v1/topics/${topic.id}/support`, { token: (await verifiedResident(s.cid)).token });
    expect(refused.status).toBe(403);
    expect(closed.body).toMatchObject({ status: 'closed', reply: '已协调物业增设分类亭' });
    expect(again.status).toBe(409);
    expect(support.status).toBe(409);
    expect((await call('POST', '/v1/topics/nope/close', { token: s.staff.token, body: { reply: 'x' } })).status).toBe(404);
  });

  it('marks a topic adopted with the consultation made from it', async () => {
    const s = await community();
    const li = await verifiedResident(s.cid);
    const topic = (await call('POST', `/v1/communities/${s.cid}/topics`, { token: li.token, body: { title: '加装电梯', body: '老人多' } })).body;
    const c = await consultation(s, { topicId: topic.id });
    const list = await call('GET', `/v1/communities/${s.cid}/topics`);
    expect(list.body.items[0]).toMatchObject({ id: topic.id, status: 'adopted', consultationId: c.id });
    const twice = await call('POST', `/v1/communities/${s.cid}/consultations`, {
      token: s.staff.token, now: at(0),
      body: { title: 't', body: 'b', options: [{ label: '是' }, { label: '否' }], eligibility: 'resident', opensAt: OPENS.toISOString(), closesAt: CLOSES.toISOString(), topicId: topic.id },
    });
    expect(twice.status).toBe(409);
  });
});

describe('creating consultations', () => {
  it('lets only staff create one, with option ids assigned and local times', async () => {
    const s = await community();
    const li = await verifiedResident(s.cid);
    const refused = await call('POST', `/v1/communities/${s.cid}/consultations`, {
      token: li.token, now: at(0),
      body: { title: 't', body: 'b', options: [{ label: '是' }, { label: '否' }], eligibility: 'resident', opensAt: OPENS.toISOString(), closesAt: CLOSES.toISOString() },
    });
    expect(refused.status).toBe(403);
    const c = await consultation(s);
    expect(c.options).toEqual([{ id: 'A', label: '同意' }, { id: 'B', label: '不同意' }, { id: 'C', label: '弃权' }]);
    expect(c).toMatchObject({ state: 'upcoming', maxChoices: 1, eligibility: 'resident' });
    expect(c.opensAt).toMatch(/\+08:00$/);
    expect(c.results).toBeUndefined();
  });

  it('answers 400 for a close before the open, more choices than options, or duplicate option ids', async () => {
    const s = await community();
    const base = { title: 't', body: 'b', eligibility: 'resident', options: [{ id: 'x', label: '是' }, { id: 'x', label: '否' }], maxChoices: 3 };
    const reply = await call('POST', `/v1/communities/${s.cid}/consultations`, {
      token: s.staff.token, now: at(0), body: { ...base, opensAt: CLOSES.toISOString(), closesAt: OPENS.toISOString() },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.closesAt', 'body.options', 'body.maxChoices']));
    const bad = await call('POST', `/v1/communities/${s.cid}/consultations`, { token: s.staff.token, body: { title: 't' } });
    expect(bad.status).toBe(400);
  });

  it('lists consultations with their state derived from the times, filterable by state', async () => {
    const s = await community();
    const a = await consultation(s);
    const b = await consultation(s, { opensAt: at(-HOUR).toISOString(), closesAt: at(10 * 60_000).toISOString() });
    const list = await call('GET', `/v1/communities/${s.cid}/consultations`, { now: at(30 * 60_000) });
    const states = Object.fromEntries(list.body.items.map((c: { id: string; state: string }) => [c.id, c.state]));
    expect(states).toEqual({ [a.id]: 'upcoming', [b.id]: 'closed' });
    const later = await call('GET', `/v1/communities/${s.cid}/consultations?state=open`, { now: DURING });
    expect(later.body.items.map((c: { id: string }) => c.id)).toEqual([a.id]);
    expect(list.calls.map((c) => c.command)).toEqual(['QueryCommand']);
  });
});

describe('eligibility', () => {
  it('tells each caller whether they can vote and why not', async () => {
    const s = await community();
    const c = await consultation(s, { eligibility: 'household' });
    const household = nextHousehold();
    const li = await verifiedResident(s.cid, household);
    const zhang = await verifiedResident(s.cid, household);
    const pending = await joined(s.cid);
    const stranger = await login();
    const ask = (who: Actor, now = DURING) => call('GET', `/v1/consultations/${c.id}/eligibility`, { token: who.token, now });
    expect((await ask(li, at(0))).body).toMatchObject({ canVote: false, code: 'NOT_OPEN', state: 'upcoming' });
    expect((await ask(li)).body).toEqual({ canVote: true, state: 'open' });
    expect((await ask(pending)).body).toMatchObject({ canVote: false, code: 'NOT_VERIFIED' });
    expect((await ask(stranger)).body).toMatchObject({ canVote: false, code: 'NOT_MEMBER' });
    const receipt = (await vote(c.id, li, ['A'])).body.receipt;
    expect((await ask(li)).body).toMatchObject({ canVote: false, code: 'ALREADY_VOTED', receipt });
    const other = (await ask(zhang)).body;
    expect(other).toMatchObject({ canVote: false, code: 'HOUSEHOLD_VOTED', reason: expect.stringMatching(/一户一票/) });
    expect(other.receipt).toBeUndefined();
    expect((await ask(li, AFTER)).body).toMatchObject({ canVote: false, code: 'ALREADY_VOTED', state: 'closed' });
  });
});

describe('ballots (决)', () => {
  it('accepts one ballot from a verified resident with a receipt, and refuses a second with 409 ALREADY_VOTED', async () => {
    const s = await community();
    const c = await consultation(s);
    const li = await verifiedResident(s.cid);
    const first = await vote(c.id, li, ['A']);
    const second = await vote(c.id, li, ['B']);
    expect(first.status).toBe(201);
    expect(first.body.receipt).toMatch(/^[A-Z2-9]{10}$/);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('ALREADY_VOTED');
  });

  it('casts a ballot in one round trip once the instance knows the consultation', async () => {
    const s = await community();
    const c = await consultation(s);
    const resident = await verifiedResident(s.cid);
    const reply = await vote(c.id, resident, ['A']);
    expect(reply.calls.map((x) => x.command)).toEqual(['TransactWriteItemsCommand']);
    const h = await consultation(s, { eligibility: 'household' });
    const household = await vote(h.id, resident, ['A']);
    expect(household.calls.map((x) => x.command)).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
  });

  it('answers 409 NOT_OPEN before the open and at or after the close', async () => {
    const s = await community();
    const c = await consultation(s);
    const li = await verifiedResident(s.cid);
    for (const now of [at(0), CLOSES, AFTER]) {
      const reply = await vote(c.id, li, ['A'], { now });
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('NOT_OPEN');
    }
    expect((await vote(c.id, li, ['A'], { now: OPENS })).status).toBe(201);
  });

  it('answers 403 NOT_ELIGIBLE to members not yet verified, strangers and other communities\' residents', async () => {
    const s = await community();
    const c = await consultation(s);
    const elsewhere = await community();
    for (const who of [await joined(s.cid), await login(), await verifiedResident(elsewhere.cid)]) {
      const reply = await vote(c.id, who, ['A']);
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('NOT_ELIGIBLE');
    }
    const h = await consultation(s, { eligibility: 'household' });
    expect((await vote(h.id, await joined(s.cid), ['A'])).body.error.code).toBe('NOT_ELIGIBLE');
  });

  it('answers 400 for unknown options, repeated options and more choices than allowed', async () => {
    const s = await community();
    const c = await consultation(s);
    const multi = await consultation(s, { maxChoices: 2 });
    const li = await verifiedResident(s.cid);
    expect((await vote(c.id, li, ['Z'])).status).toBe(400);
    expect((await vote(c.id, li, ['A', 'B'])).status).toBe(400);
    expect((await vote(multi.id, li, ['A', 'A'])).status).toBe(400);
    expect((await vote(multi.id, li, ['A', 'B', 'C'])).status).toBe(400);
    expect((await vote(c.id, li, [])).status).toBe(400);
    expect((await vote(multi.id, li, ['A', 'C'])).status).toBe(201);
    expect((await vote('nope', li, ['A'])).status).toBe(404);
  });

  it('returns the same receipt to a retry with the same Idempotency-Key and counts it once', async () => {
    const s = await community();
    const c = await consultation(s);
    const li = await verifiedResident(s.cid);
    const first = await vote(c.id, li, ['B'], { key: 'ballot-1' });
    const retries = await Promise.all(Array.from({ length: 5 }, () => vote(c.id, li, ['B'], { key: 'ballot-1' })));
    const otherKey = await vote(c.id, li, ['B'], { key: 'ballot-2' });
    expect(first.status).toBe(201);
    expect(retries.map((r) => [r.status, r.body.receipt])).toEqual(Array(5).fill([201, first.body.receipt]));
    expect(otherKey.status).toBe(409);
    expect(otherKey.body.error.code).toBe('ALREADY_VOTED');
    // Another member cannot replay someone else's key.
    const zhang = await verifiedResident(s.cid);
    expect((await vote(c.id, zhang, ['A'], { key: 'ballot-1' })).status).toBe(201);
    const results = await call('GET', `/v1/consultations/${c.id}/results`, { now: AFTER });
    expect(results.body).toMatchObject({ ballots: 2, tally: { A: 1, B: 1, C: 0 } });
    // The generic idempotency store never saw the ballot.
    const scope = createHash('sha256').update(`${li.id}#POST#/v1/consultations/${c.id}/ballots#ballot-1`).digest('base64url');
    const { Items = [] } = await documentClient().send(
      new QueryCommand({ TableName: 'linli-test', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': idempotencyItemKey(scope).pk } }),
    );
    expect(Items).toEqual([]);
  });

  it('takes exactly one ballot per household when 30 residents of 10 households vote at once', async () => {
    const s = await community();
    const c = await consultation(s, { eligibility: 'household' });
    const households = Array.from({ length: 10 }, () => nextHousehold());
    const residents = await Promise.all(households.flatMap((h) => [0, 1, 2].map(() => verifiedResident(s.cid, h))));
    const replies = await Promise.all(residents.map((r, i) => vote(c.id, r, [['A', 'B', 'C'][i % 3] as string])));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(10);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(20);
    expect(refused.every((r) => r.status === 409 && r.body.error.code === 'ALREADY_VOTED')).toBe(true);
    const results = await call('GET', `/v1/consultations/${c.id}/results`, { now: AFTER });
    expect(results.body.ballots).toBe(10);
    expect(Object.values(results.body.tally as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(10);
    expect(results.body.eligible).toBe(10);
    expect(results.body.turnoutPercent).toBe(100);
    // ballots equals the number of "has voted" markers in the table
    const { Count } = await documentClient().send(
      new QueryCommand({
        TableName: 'linli-test', KeyConditionExpression: 'pk = :pk AND begins_with(sk, :voted)', Select: 'COUNT',
        ExpressionAttributeValues: { ':pk': `CONSULTATION#${c.id}`, ':voted': 'VOTED#' },
      }),
    );
    expect(Count).toBe(10);
  });

  it('keeps ballots equal to the voters and the tally equal to the choices under 40 concurrent multi-choice voters', async () => {
    const s = await community();
    const c = await consultation(s, { maxChoices: 2 });
    const voters = await Promise.all(Array.from({ length: 40 }, () => verifiedResident(s.cid)));
    const ballots = voters.map((_, i) => (i % 2 === 0 ? ['A', 'C'] : ['B']));
    const replies = await Promise.all(voters.flatMap((v, i) => [vote(c.id, v, ballots[i]!, { key: `k${i}` }), vote(c.id, v, ballots[i]!, { key: `k${i}` })]));
    expect(replies.every((r) => r.status === 201)).toBe(true);
    const results = await call('GET', `/v1/consultations/${c.id}/results`, { now: AFTER });
    expect(results.body).toMatchObject({ ballots: 40, tally: { A: 20, B: 20, C: 20 }, eligible: 40 });
    expect(results.calls.filter((x) => x.command === 'QueryCommand')).toHaveLength(1);
  });

  it('stores no item that links a voter to a choice, or to the time a counter moved', async () => {
    const s = await community();
    const c = await consultation(s, { eligibility: 'household' });
    const household = nextHousehold();
    const voters = [await verifiedResident(s.cid, household), await verifiedResident(s.cid), await verifiedResident(s.cid)];
    for (const [i, v] of voters.entries()) await vote(c.id, v, [['A', 'B', 'C'][i] as string], { key: `secret-${i}` });
    const items: Record<string, unknown>[] = [];
    for (const pk of [`CONSULTATION#${c.id}`, ...voters.map((v) => `USER#${v.id}`)]) {
      const { Items = [] } = await documentClient().send(
        new QueryCommand({ TableName: 'linli-test', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
      );
      items.push(...Items);
    }
    const voterIds = voters.map((v) => v.id);
    const markers = items.filter((i) => i.type === 'VoterMarker');
    const counters = items.filter((i) => i.type === 'BallotCounter');
    expect(markers).toHaveLength(3);
    expect(counters.length).toBeGreaterThan(0);
    for (const item of items) {
      const text = JSON.stringify(item);
      const namesVoter = voterIds.some((id) => text.includes(id)) || text.includes(household);
      const holdsChoice = Object.keys(item).some((k) => k.startsWith('o_') || k === 'choices' || k === 'choice');
      expect(namesVoter && holdsChoice, text).toBe(false);
    }
    // A marker keeps the day of the ballot, no finer: nothing in it can be lined up with the
    // moment a shard moved (a live read, or two point-in-time restores a second apart).
    for (const marker of markers) expect(Object.keys(marker).sort()).toEqual(['castOn', 'castZone', 'keyHash', 'pk', 'receipt', 'sk', 'type', 'voterId']);
    const voteDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(DURING);
    for (const marker of markers) expect(marker.castOn).toBe(voteDay);
    const voteTime = DURING.getTime();
    const timeLike = (value: unknown) =>
      (typeof value === 'string' && /\d{2}:\d{2}/.test(value)) ||
      (typeof value === 'number' && [1, 1000].some((unit) => Math.abs(value * unit - voteTime) < 24 * HOUR));
    for (const marker of markers) expect(Object.entries(marker).filter(([, value]) => timeLike(value)), JSON.stringify(marker)).toEqual([]);
    // The shards carry counts and the consultation's window, identical on every shard: no per-vote time.
    for (const counter of counters) expect(Object.keys(counter).every((k) => ['pk', 'sk', 'type', 'ballots', 'opensAt', 'closesAt'].includes(k) || /^o_[A-C]$/.test(k))).toBe(true);
    expect(new Set(counters.map((counter) => `${counter.opensAt}/${counter.closesAt}`)).size).toBe(1);
    expect(counters.every((counter) => counter.opensAt === OPENS.getTime() && counter.closesAt === CLOSES.getTime())).toBe(true);
    // What the voter is told matches what is kept: the day, not the minute.
    const asked = await call('GET', `/v1/consultations/${c.id}/eligibility`, { token: voters[1]!.token, now: DURING });
    expect(asked.body.votedAt).toBe(`${voteDay}T00:00:00+08:00`);
  });
});

describe('results and publishing (两公开)', () => {
  it('hides results from everyone, staff included, until the close', async () => {
    const s = await community();
    const c = await consultation(s);
    await vote(c.id, await verifiedResident(s.cid), ['A']);
    for (const token of [undefined, s.staff.token, (await admin()).token]) {
      const reply = await call('GET', `/v1/consultations/${c.id}/results`, { token, now: DURING });
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('NOT_CLOSED');
    }
    const detail = await call('GET', `/v1/consultations/${c.id}`, { token: s.staff.token, now: DURING });
    expect(detail.body.results).toBeUndefined();
    expect(JSON.stringify(detail.body)).not.toMatch(/tally|ballots/);
  });

  it('publishes tally, ballots, eligible at the close, turnout and quorum after the close', async () => {
    const s = await community();
    const c = await consultation(s, { quorumPercent: 50 });
    const voters = await Promise.all(Array.from({ length: 3 }, () => verifiedResident(s.cid)));
    for (const v of voters) await vote(c.id, v, ['A']);
    await verifiedResident(s.cid); // a fourth eligible member who does not vote
    const reply = await call('GET', `/v1/consultations/${c.id}/results`, { now: AFTER });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ tally: { A: 3, B: 0, C: 0 }, ballots: 3, eligible: 4, turnoutPercent: 75, quorumMet: true, quorumPercent: 50, requiredBallots: 2 });
    // Eligible is snapshotted at the first read after the close: later verifications do not move it.
    await verifiedResident(s.cid);
    await verifiedResident(s.cid);
    const later = await call('GET', `/v1/consultations/${c.id}/results`, { now: AFTER });
    expect(later.body.eligible).toBe(4);
    expect(later.calls.map((x) => x.command).sort()).toEqual(['GetItemCommand', 'QueryCommand']);
    const detail = await call('GET', `/v1/consultations/${c.id}`, { now: AFTER });
    expect(detail.body).toMatchObject({ state: 'closed', results: { ballots: 3 } });
  });

  it('reports a missed quorum', async () => {
    const s = await community();
    const c = await consultation(s, { quorumPercent: 66.7, eligibility: 'household' });
    const voters = await Promise.all(Array.from({ length: 3 }, () => verifiedResident(s.cid)));
    await vote(c.id, voters[0]!, ['B']);
    await vote(c.id, voters[1]!, ['B']);
    const reply = await call('GET', `/v1/consultations/${c.id}/results`, { now: AFTER });
    expect(reply.body).toMatchObject({ ballots: 2, eligible: 3, requiredBallots: 3, quorumMet: false, turnoutPercent: 66.7 });
  });

  it('lets staff publish the decision once after the close, then add dated updates', async () => {
    const s = await community();
    const c = await consultation(s);
    const li = await verifiedResident(s.cid);
    await vote(c.id, li, ['A']);
    const early = await call('POST', `/v1/consultations/${c.id}/publish`, { token: s.staff.token, body: { decision: '同意加装' }, now: DURING });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('NOT_CLOSED');
    const updateEarly = await call('POST', `/v1/consultations/${c.id}/updates`, { token: s.staff.token, body: { text: '施工' }, now: AFTER });
    expect(updateEarly.status).toBe(409);
    const byResident = await call('POST', `/v1/consultations/${c.id}/publish`, { token: li.token, body: { decision: '同意' }, now: AFTER });
    expect(byResident.status).toBe(403);
    const published = await call('POST', `/v1/consultations/${c.id}/publish`, { token: s.staff.token, body: { decision: '同意加装电梯，报街道审批' }, now: AFTER });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ state: 'published', decision: '同意加装电梯，报街道审批', results: { ballots: 1 } });
    const again = await call('POST', `/v1/consultations/${c.id}/publish`, { token: s.staff.token, body: { decision: '改' }, now: AFTER });
    expect(again.status).toBe(409);
    const update = await call('POST', `/v1/consultations/${c.id}/updates`, { token: s.staff.token, body: { text: '已完成勘测设计' }, now: at(3 * HOUR) });
    expect(update.status).toBe(201);
    expect(update.body.updates).toEqual([{ text: '已完成勘测设计', at: expect.stringMatching(/\+08:00$/) }]);
    const list = await call('GET', `/v1/communities/${s.cid}/consultations?state=published`, { now: AFTER });
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
  });
});

describe('discussion (议)', () => {
  it('lets verified members comment and shows authors masked to everyone but staff', async () => {
    const s = await community();
    const c = await consultation(s);
    const li = await named(s.cid, '李秀英');
    const reply = await call('POST', `/v1/consultations/${c.id}/comments`, { token: li.token, body: { text: '支持加装，老人上下楼太难了' }, now: at(0) });
    expect(reply.status).toBe(201);
    const refused = await call('POST', `/v1/consultations/${c.id}/comments`, { token: (await joined(s.cid)).token, body: { text: '我也说两句' }, now: at(0) });
    expect(refused.status).toBe(403);
    const tooLong = await call('POST', `/v1/consultations/${c.id}/comments`, { token: li.token, body: { text: '长'.repeat(501) }, now: at(0) });
    expect(tooLong.status).toBe(400);
    const list = await call('GET', `/v1/consultations/${c.id}/comments`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ text: '支持加装，老人上下楼太难了', hidden: false, author: '李**' });
    const staffView = await call('GET', `/v1/consultations/${c.id}/comments`, { token: s.staff.token });
    expect(staffView.body.items[0].author).toBe('李秀英');
  });

  it("marks a staff member's reply as staff, by name, though the staff member lives elsewhere", async () => {
    // prepare
    const s = await community();
    const c = await consultation(s);
    const li = await named(s.cid, '李秀英');
    const wang = await joined(s.cid, nextHousehold(), { realName: '王芳' });
    expect((await call('PUT', `/v1/communities/${s.cid}/staff/${wang.id}`, { token: (await admin()).token, body: { role: 'worker' } })).status).toBe(200);
    await call('POST', `/v1/consultations/${c.id}/comments`, { token: li.token, body: { text: '电梯噪音怎么办？' }, now: at(0) });

    // act
    const reply = await call('POST', `/v1/consultations/${c.id}/comments`, { token: wang.token, body: { text: '已要求选用低噪音机型' }, now: at(1000) });

    // assess: everyone reads the reply as the committee's, and the resident's name stays masked
    expect(reply.status).toBe(201);
    const list = await call('GET', `/v1/consultations/${c.id}/comments`);
    const byText = Object.fromEntries(list.body.items.map((x: { text: string }) => [x.text, x]));
    expect(byText['已要求选用低噪音机型']).toMatchObject({ author: '王芳', byStaff: true });
    expect(byText['电梯噪音怎么办？']).toMatchObject({ author: '李**', byStaff: false });
  });

  it('limits each member to 5 comments a minute with 429 and Retry-After', async () => {
    const s = await community();
    const c = await consultation(s);
    const li = await verifiedResident(s.cid);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call('POST', `/v1/consultations/${c.id}/comments`, { token: li.token, body: { text: `第${i}条` }, now: at(30_000) })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(5);
    const limited = replies.filter((r) => r.status === 429);
    expect(limited).toHaveLength(3);
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThan(0);
    const nextMinute = await call('POST', `/v1/consultations/${c.id}/comments`, { token: li.token, body: { text: '下一分钟' }, now: at(90_000) });
    expect(nextMinute.status).toBe(201);
  });

  it('lets staff hide a comment with a reason that stays visible', async () => {
    const s = await community();
    const c = await consultation(s);
    const li = await verifiedResident(s.cid);
    const posted = (await call('POST', `/v1/consultations/${c.id}/comments`, { token: li.token, body: { text: '某某家违建（含个人信息）' }, now: at(0) })).body;
    const byResident = await call('POST', `/v1/comments/${posted.id}/hide`, { token: li.token, body: { reason: 'x' } });
    expect(byResident.status).toBe(403);
    const hidden = await call('POST', `/v1/comments/${posted.id}/hide`, { token: s.staff.token, body: { reason: '含他人个人信息' } });
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ hidden: true, hiddenReason: '含他人个人信息' });
    const publicView = (await call('GET', `/v1/consultations/${c.id}/comments`)).body.items[0];
    expect(publicView).toMatchObject({ hidden: true, hiddenReason: '含他人个人信息' });
    expect(publicView.text).toBeUndefined();
    const staffView = (await call('GET', `/v1/consultations/${c.id}/comments`, { token: s.staff.token })).body.items[0];
    expect(staffView.text).toBe('某某家违建（含个人信息）');
    expect((await call('POST', `/v1/comments/${c.id}_nope/hide`, { token: s.staff.token, body: { reason: 'x' } })).status).toBe(404);
    expect((await call('POST', '/v1/comments/nope/hide', { token: s.staff.token, body: { reason: 'x' } })).status).toBe(404);
  });
});

describe('stats', () => {
  it('reports turnout of recent consultations and open topics with their support', async () => {
    const s = await community();
    const li = await verifiedResident(s.cid);
    await verifiedResident(s.cid);
    await call('POST', `/v1/communities/${s.cid}/topics`, { token: li.token, body: { title: '停车位规划', body: '车位紧张' } });
    const c = await consultation(s, { opensAt: at(-2 * HOUR).toISOString(), closesAt: at(60_000).toISOString() });
    await vote(c.id, li, ['A'], { now: at(-HOUR) });
    const reply = await call('GET', `/v1/communities/${s.cid}/stats`, { token: s.staff.token, now: at(5 * 60_000) });
    expect(reply.status).toBe(200);
    expect(reply.body.consultations).toMatchObject({
      recent: [{ id: c.id, ballots: 1, eligible: 2, turnoutPercent: 50 }],
      averageTurnoutPercent: 50,
      openTopics: 1,
      topTopics: [{ title: '停车位规划', support: 1 }],
    });
  });
});
