import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { choiceIssues, eligibilityOf, voterOf } from '../../functions/domain/consultation-eligibility';
import { commentIdOf, consultationOfComment, decisionNoticeId, updateNoticeId } from '../../functions/domain/consultation-ids';
import { quorumMet, requiredBallots, turnoutPercent } from '../../functions/domain/consultation-quorum';
import { consultationState, isClosed } from '../../functions/domain/consultation-state';
import { assignOptionIds, optionAttribute, sumShards } from '../../functions/domain/consultation-tally';

const window = { opensAt: Date.parse('2026-05-01T01:00:00Z'), closesAt: Date.parse('2026-05-08T01:00:00Z') };

describe('state from the times and the publish act', () => {
  it('is upcoming before the open, open from the open, closed from the close', () => {
    expect(consultationState(window, new Date(window.opensAt - 1))).toBe('upcoming');
    expect(consultationState(window, new Date(window.opensAt))).toBe('open');
    expect(consultationState(window, new Date(window.closesAt - 1))).toBe('open');
    expect(consultationState(window, new Date(window.closesAt))).toBe('closed');
    expect(isClosed(window, new Date(window.closesAt))).toBe(true);
  });

  it('is published once the decision is published, whatever the clock', () => {
    expect(consultationState({ ...window, published: true }, new Date(window.closesAt + 1))).toBe('published');
    expect(isClosed({ ...window, published: true }, new Date(window.closesAt + 1))).toBe(true);
  });
});

describe('eligibility', () => {
  const verified = { verified: true, household: '3-2-501' };
  it('lets a verified member vote while open', () => {
    expect(eligibilityOf({ state: 'open', rule: 'resident', userId: 'u1', membership: verified })).toEqual({ canVote: true, state: 'open' });
  });

  it('says why not: not open, not a member, not verified', () => {
    expect(eligibilityOf({ state: 'upcoming', rule: 'resident', userId: 'u1', membership: verified })).toMatchObject({ canVote: false, code: 'NOT_OPEN', reason: '投票尚未开始' });
    expect(eligibilityOf({ state: 'closed', rule: 'resident', userId: 'u1', membership: verified })).toMatchObject({ code: 'NOT_OPEN', reason: '投票已结束' });
    expect(eligibilityOf({ state: 'open', rule: 'resident', userId: 'u1' })).toMatchObject({ code: 'NOT_MEMBER' });
    expect(eligibilityOf({ state: 'open', rule: 'resident', userId: 'u1', membership: { verified: false, household: '1-1-1' } })).toMatchObject({ code: 'NOT_VERIFIED' });
  });

  it('gives the receipt to its voter only, and tells the rest of the household it has voted', () => {
    const marker = { voterId: 'u1', receipt: 'R', castAt: '2026-05-02T00:00:00Z' };
    expect(eligibilityOf({ state: 'open', rule: 'household', userId: 'u1', membership: verified, marker })).toMatchObject({ code: 'ALREADY_VOTED', receipt: 'R' });
    const other = eligibilityOf({ state: 'open', rule: 'household', userId: 'u2', membership: verified, marker });
    expect(other).toMatchObject({ code: 'HOUSEHOLD_VOTED' });
    expect(other.receipt).toBeUndefined();
  });

  it('keys a ballot by the voter, or by the verified household under 一户一票', () => {
    expect(voterOf('resident', 'u1', '3-2-501')).toEqual({ kind: 'resident', userId: 'u1' });
    expect(voterOf('household', 'u1', '3-2-501')).toEqual({ kind: 'household', household: '3-2-501' });
  });

  it('accepts known distinct choices up to maxChoices, and names every problem', () => {
    expect(choiceIssues(['A', 'B', 'C'], 2, ['A', 'C'])).toEqual([]);
    expect(choiceIssues(['A', 'B'], 1, ['Z'])).toEqual([{ path: 'body.choices.0', message: '没有编号为 Z 的选项' }]);
    expect(choiceIssues(['A', 'B'], 2, ['A', 'A']).map((i) => i.message)).toEqual(['同一选项不能重复选择']);
    expect(choiceIssues(['A', 'B', 'C'], 2, ['A', 'B', 'C']).map((i) => i.message)).toEqual(['最多可选 2 项']);
  });
});

describe('quorum arithmetic', () => {
  it('rounds the required ballots up', () => {
    expect(requiredBallots(7, 50)).toBe(4);
    expect(requiredBallots(3, 66.7)).toBe(3);
    expect(requiredBallots(3400, 50)).toBe(1700);
    expect(requiredBallots(10, 0)).toBe(0);
    expect(requiredBallots(3, 100)).toBe(3);
  });

  it('meets the quorum exactly at the required ballots, and always without a quorum', () => {
    expect(quorumMet(4, 7, 50)).toBe(true);
    expect(quorumMet(3, 7, 50)).toBe(false);
    expect(quorumMet(0, 7, undefined)).toBe(true);
  });

  it('never meets a quorum with fewer ballots than percent × eligible', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 20000 }), (eligible, tenths, ballots) => {
        const percent = tenths / 10;
        expect(quorumMet(ballots, eligible, percent)).toBe(ballots * 1000 >= tenths * eligible);
      }),
    );
  });

  it('reports turnout to one decimal, 0 when nobody is eligible', () => {
    expect(turnoutPercent(2, 3)).toBe(66.7);
    expect(turnoutPercent(3, 4)).toBe(75);
    expect(turnoutPercent(0, 0)).toBe(0);
  });
});

describe('tally', () => {
  it('sums the shards per option, counting options nobody chose as 0', () => {
    const shards = [
      { ballots: 2, [optionAttribute('A')]: 2 },
      { ballots: 3, [optionAttribute('A')]: 1, [optionAttribute('B')]: 2 },
      { ballots: 0 },
    ];
    expect(sumShards(['A', 'B', 'C'], shards)).toEqual({ tally: { A: 3, B: 2, C: 0 }, ballots: 5 });
  });

  it('with one choice per ballot, sums to the ballots however ballots fall on shards', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.constantFrom('A', 'B', 'C')), { maxLength: 200 }), (ballots) => {
        const shards = Array.from({ length: 16 }, () => ({ ballots: 0 }) as Record<string, number>);
        for (const [shard, choice] of ballots) {
          const s = shards[shard]!;
          s.ballots = (s.ballots ?? 0) + 1;
          s[optionAttribute(choice)] = (s[optionAttribute(choice)] ?? 0) + 1;
        }
        const { tally, ballots: total } = sumShards(['A', 'B', 'C'], shards);
        expect(total).toBe(ballots.length);
        expect(Object.values(tally).reduce((a, b) => a + b, 0)).toBe(ballots.length);
      }),
    );
  });

  it('assigns option ids A, B, C… around the ones given, and reports duplicates', () => {
    expect(assignOptionIds([{ label: '同意' }, { id: 'A', label: '不同意' }, { label: '弃权' }]).options.map((o) => o.id)).toEqual(['B', 'A', 'C']);
    expect(assignOptionIds([{ id: 'x', label: '1' }, { id: 'x', label: '2' }]).duplicate).toBe('x');
  });
});

describe('ids derived from a consultation', () => {
  it("reads a comment's consultation back from the comment's id, whatever the ids hold", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string().filter((unique) => !unique.includes('_')), (consultationId, unique) => {
        expect(consultationOfComment(commentIdOf(consultationId, unique))).toBe(consultationId);
      }),
    );
  });

  it('finds no consultation in an id that names none', () => {
    expect(consultationOfComment('nounderscore')).toBeUndefined();
    expect(consultationOfComment('_leading')).toBeUndefined();
  });

  it("gives a decision's notice one id per consultation, and an update's one per consultation and moment", () => {
    expect(decisionNoticeId('c1')).toBe(decisionNoticeId('c1'));
    expect(decisionNoticeId('c1')).not.toBe(decisionNoticeId('c2'));
    expect(updateNoticeId('c1', '2026-03-02T10:00:00.000Z')).toBe(updateNoticeId('c1', '2026-03-02T18:00:00+08:00'));
    expect(updateNoticeId('c1', '2026-03-02T10:00:00.000Z')).not.toBe(updateNoticeId('c1', '2026-03-02T10:00:01.000Z'));
  });
});
