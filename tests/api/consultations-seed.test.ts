import { describe, expect, it } from 'vitest';
import { DEMO_COMMUNITY, seedDemo } from '../../scripts/seed';
import { login } from '../support/actors';
import { call } from '../support/stack';

describe('demo consultations', () => {
  it('seeds topics, an open 一户一票 consultation and a published one with results and an update', async () => {
    await seedDemo();
    const topics = await call('GET', `/v1/communities/${DEMO_COMMUNITY}/topics`);
    expect(topics.body.items.map((t: { title: string }) => t.title)).toEqual(expect.arrayContaining(['小区停车位规划', '3号楼加装电梯', '楼道堆物清理']));
    const list = await call('GET', `/v1/communities/${DEMO_COMMUNITY}/consultations`);
    const open = list.body.items.find((c: { state: string }) => c.state === 'open');
    const published = list.body.items.find((c: { state: string }) => c.state === 'published');
    expect(open).toMatchObject({ eligibility: 'household', title: '3号楼加装电梯意见征询' });
    const detail = await call('GET', `/v1/consultations/${published.id}`);
    expect(detail.body.results).toMatchObject({ ballots: 4, tally: { A: 3, B: 2, C: 1 }, eligible: 4 });
    expect(detail.body.updates).toHaveLength(1);
    const li = await login('resident-li');
    const eligibility = await call('GET', `/v1/consultations/${open.id}/eligibility`, { token: li.token });
    expect(eligibility.body).toMatchObject({ canVote: true });
    const comments = await call('GET', `/v1/consultations/${open.id}/comments`);
    expect(comments.body.items).toHaveLength(3);
  });
});
