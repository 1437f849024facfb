/**
 * Who may vote, and whose "has voted" marker a ballot takes: each verified resident, or one
 * ballot per verified household (一户一票, keyed by the verified 门牌).
 */
import type { ConsultationState, EligibilityAnswer } from '@contract/consultations';

export type EligibilityRule = 'resident' | 'household';

/** The identity a ballot is unique for. */
export type Voter = { kind: 'resident'; userId: string } | { kind: 'household'; household: string };

export function voterOf(rule: EligibilityRule, userId: string, household: string): Voter {
  return rule === 'household' ? { kind: 'household', household } : { kind: 'resident', userId };
}

export interface EligibilityFacts {
  state: ConsultationState;
  rule: EligibilityRule;
  userId: string;
  membership?: { verified: boolean; household?: string };
  /** The marker of this voter (or household), if a ballot was cast. */
  marker?: { voterId: string; receipt: string; castAt: string };
}

const REASONS = {
  NOT_OPEN_UPCOMING: '投票尚未开始',
  NOT_OPEN_CLOSED: '投票已结束',
  NOT_MEMBER: '您还不是本社区成员，请先申请加入',
  NOT_VERIFIED: '您的门牌尚待社区工作人员核实，核实后即可投票',
  ALREADY_VOTED: '您已投票，感谢参与',
  HOUSEHOLD_VOTED: '本次为一户一票，您家已有成员投票',
} as const;

/** Whether the caller can vote now, and why not. The marker is looked at last: it says who voted. */
export function eligibilityOf(facts: EligibilityFacts): Omit<EligibilityAnswer, 'votedAt'> & { votedAt?: string } {
  const { state } = facts;
  const mine = facts.marker && facts.marker.voterId === facts.userId ? facts.marker : undefined;
  const own = mine ? { receipt: mine.receipt, votedAt: mine.castAt } : {};
  if (facts.marker) {
    const code = mine ? 'ALREADY_VOTED' : 'HOUSEHOLD_VOTED';
    return { canVote: false, code, reason: REASONS[code], state, ...own };
  }
  if (state !== 'open') {
    return { canVote: false, code: 'NOT_OPEN', reason: state === 'upcoming' ? REASONS.NOT_OPEN_UPCOMING : REASONS.NOT_OPEN_CLOSED, state };
  }
  if (!facts.membership?.household) return { canVote: false, code: 'NOT_MEMBER', reason: REASONS.NOT_MEMBER, state };
  if (!facts.membership.verified) return { canVote: false, code: 'NOT_VERIFIED', reason: REASONS.NOT_VERIFIED, state };
  return { canVote: true, state };
}

export interface ChoiceIssue {
  path: string;
  message: string;
}

/** A ballot's choices against the options: known, distinct, at most maxChoices. */
export function choiceIssues(optionIds: readonly string[], maxChoices: number, choices: readonly string[]): ChoiceIssue[] {
  const issues: ChoiceIssue[] = [];
  const known = new Set(optionIds);
  choices.forEach((choice, i) => {
    if (!known.has(choice)) issues.push({ path: `body.choices.${i}`, message: `没有编号为 ${choice} 的选项` });
  });
  if (new Set(choices).size !== choices.length) issues.push({ path: 'body.choices', message: '同一选项不能重复选择' });
  if (choices.length > maxChoices) issues.push({ path: 'body.choices', message: `最多可选 ${maxChoices} 项` });
  if (choices.length === 0) issues.push({ path: 'body.choices', message: '请至少选择一项' });
  return issues;
}
