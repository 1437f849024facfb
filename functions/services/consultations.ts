/**
 * Consultations and votes (议事协商, 一征三议两公开): topics (征), discussion (议), secret
 * ballots (决) and published outcomes (两公开). The records, their keys and the ballot transaction:
 * store/consultations/; each refusal the store names is answered here, once, in Chinese.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@contract/common';
import type {
  Comment,
  Consultation,
  ConsultationInput,
  ConsultationStats,
  EligibilityAnswer,
  Results,
  Topic,
} from '@contract/consultations';
import { AppError } from '@contract/errors';
import { choiceIssues, eligibilityOf, voterOf } from '../domain/consultation-eligibility';
import { quorumMet, requiredBallots, turnoutPercent } from '../domain/consultation-quorum';
import { consultationState, isClosed, type Window } from '../domain/consultation-state';
import { commentIdOf, consultationOfComment } from '../domain/consultation-ids';
import { assignOptionIds, sumShards } from '../domain/consultation-tally';
import { maskName } from '../domain/privacy';
import { REMINDER_LOOKBACK_MINUTES, bucketsToScan } from '../domain/reminders';
import { clip, wechatTime } from '../domain/message-text';
import { DEFAULT_TIMEZONE, isoWithOffset, localDate } from '../domain/time';
import { newId, shortCode } from '../lib/ids';
import type { AuthUser } from '../lib/tokens';
import { sendNotice, templateId } from '../lib/notifier';
import type { TransactPut } from '../store/outbox';
import * as store from '../store/consultations';
import { isConditionFailed, type ConditionFailed } from '../store/transaction';
import { refusing } from './refusal';
import { getCommunity, getMembership } from '../store/identity';
import { isStaff, refuseProxy, requireStaff } from './access';
import { fanoutParts, kickDelivery } from './notifications';
import { consultationNotice } from './notices';

/** Comments a member may post per minute. */
export const COMMENTS_PER_MINUTE = 5;

const iso = (instant: string | undefined, timezone: string): string | undefined =>
  instant ? isoWithOffset(new Date(instant), timezone) : undefined;

// ─── What a refusal means to a person ─────────────────────────────────────────────────────
// A rule checked before the act and again by its transaction (which the store reports by name)
// answers with the same words both times.

const consultationNotFound = () => new AppError('NOT_FOUND', '协商不存在');
const topicNotFound = () => new AppError('NOT_FOUND', '议题不存在');
const topicNotOpen = () => new AppError('STATE_CONFLICT', '该议题已关闭或已转为协商');
const commentNotFound = () => new AppError('NOT_FOUND', '意见不存在');
const notVerifiedToPropose = () => new AppError('FORBIDDEN', '仅限本社区已核实的居民提出议题');
const notVerifiedToComment = () => new AppError('FORBIDDEN', '仅限本社区已核实的居民和工作人员发表意见');
const notEligible = () => new AppError('NOT_ELIGIBLE', '仅限本社区已核实的居民投票');
const alreadyPublished = () => new AppError('STATE_CONFLICT', '该协商的决定已公开');

const topicLimit = (perDay: number) =>
  new AppError('TOPIC_LIMIT', `每人每天最多提出 ${perDay} 个议题，今天已达上限，明天 0 点后可再提出`, { details: { perDay } });


/** The topic part of an act on an open topic: gone, or no longer open. */
const topicRefused = (closed: () => AppError) => (failure: ConditionFailed<store.TopicFailure>) => (failure.item('topic') ? closed() : topicNotFound());

const windowOf = (c: store.ConsultationRecord): Window => ({
  opensAt: c.opensAtEpoch,
  closesAt: c.closesAtEpoch,
  published: Boolean(c.publishedAt),
});

// ─── A consultation's definition, cached per instance ──────────────────────────────────────
// Options, maxChoices, eligibility, community and window never change after creation, so a
// warm instance casts a ballot without reading the consultation again.
const definitions = new Map<string, store.ConsultationRecord>();

async function loadConsultation(id: string): Promise<store.ConsultationRecord> {
  const c = await store.getConsultation(id);
  if (!c) throw consultationNotFound();
  if (definitions.size > 5000) definitions.clear();
  definitions.set(id, c);
  return c;
}

async function definitionOf(id: string): Promise<store.ConsultationRecord> {
  return definitions.get(id) ?? loadConsultation(id);
}

// ─── Topics (征) ────────────────────────────────────────────────────────────────────────────

const toTopic = (t: store.TopicRecord): Topic => ({
  id: t.id,
  communityId: t.communityId,
  title: t.title,
  body: t.body,
  support: t.support,
  status: t.status,
  reply: t.reply,
  consultationId: t.consultationId,
  author: maskName(t.authorName) ?? '居民',
  createdAt: iso(t.createdAt, t.timezone) as string,
  closedAt: iso(t.closedAt, t.timezone),
});

async function requireCommunity(cid: string) {
  const community = await getCommunity(cid);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  return community;
}

/** A verified member proposes at most this many topics a (community-local) day: enough to raise what matters, too few to flood the list. */
export const TOPICS_PER_DAY = 3;

export async function proposeTopic(actor: AuthUser, cid: string, input: { title: string; body: string }, now: Date): Promise<Topic> {
  refuseProxy(actor);
  const [community, membership] = await Promise.all([requireCommunity(cid), getMembership(cid, actor.id)]);
  if (!membership?.verified) throw notVerifiedToPropose();
  const timezone = community.timezone ?? DEFAULT_TIMEZONE;
  const limit = { perDay: TOPICS_PER_DAY, date: localDate(now, timezone) };
  const created = store.createTopic({
    id: newId(now),
    communityId: cid,
    title: input.title,
    body: input.body,
    support: 1,
    status: 'open',
    authorId: actor.id,
    authorName: membership.realName,
    timezone,
    createdAt: now.toISOString(),
  }, limit);
  return toTopic(await refusing<store.TopicRecord, store.TopicFailure>(created, { member: notVerifiedToPropose, quota: () => topicLimit(limit.perDay) }));
}

export async function listTopics(cid: string, query: { status?: store.TopicStatus; limit: number; cursor?: string }): Promise<Page<Topic>> {
  const page = await store.listTopics(cid, query);
  return { items: page.items.map(toTopic), next: page.next };
}

async function requireTopic(id: string): Promise<store.TopicRecord> {
  const topic = await store.getTopic(id);
  if (!topic) throw topicNotFound();
  return topic;
}

export async function supportTopic(actor: AuthUser, id: string, now: Date): Promise<Topic> {
  refuseProxy(actor);
  const topic = await requireTopic(id);
  const supported = await refusing<store.TopicRecord, store.TopicFailure>(store.supportTopic(topic, actor.id, now.toISOString()), {
    member: () => new AppError('FORBIDDEN', '仅限本社区已核实的居民附议'),
    support: () => new AppError('ALREADY_SUPPORTED'),
    topic: topicRefused(() => new AppError('STATE_CONFLICT', '该议题已关闭或已转为协商，不能再附议')),
    contended: () => new AppError('UNAVAILABLE', '附议的人太多，请稍后再试', { retryAfter: 1 }),
  });
  return toTopic(supported);
}

export async function closeTopic(actor: AuthUser, id: string, reply: string, now: Date): Promise<Topic> {
  refuseProxy(actor);
  const topic = await requireTopic(id);
  await requireStaff(actor, topic.communityId);
  const closed = await refusing<store.TopicRecord, store.TopicFailure>(store.closeTopic(topic, reply, { actorId: actor.id, at: now.toISOString() }), {
    topic: topicRefused(topicNotOpen),
    contended: () => new AppError('UNAVAILABLE', undefined, { retryAfter: 1 }),
  });
  return toTopic(closed);
}

// ─── Consultations (决, 两公开) ────────────────────────────────────────────────────────────

function toConsultation(c: store.ConsultationRecord, now: Date, results?: Results): Consultation {
  return {
    id: c.id,
    communityId: c.communityId,
    title: c.title,
    body: c.body,
    options: c.options,
    maxChoices: c.maxChoices,
    eligibility: c.eligibility,
    opensAt: iso(c.opensAt, c.timezone) as string,
    closesAt: iso(c.closesAt, c.timezone) as string,
    quorumPercent: c.quorumPercent,
    topicId: c.topicId,
    state: consultationState(windowOf(c), now),
    decision: c.decision,
    publishedAt: iso(c.publishedAt, c.timezone),
    updates: c.updates?.map((u) => ({ text: u.text, at: iso(u.at, c.timezone) as string })),
    results,
    createdAt: iso(c.createdAt, c.timezone),
  };
}

export async function createConsultation(actor: AuthUser, cid: string, input: ConsultationInput, now: Date): Promise<Consultation> {
  refuseProxy(actor);
  const [community] = await Promise.all([requireCommunity(cid), requireStaff(actor, cid)]);
  const opensAt = Date.parse(input.opensAt);
  const closesAt = Date.parse(input.closesAt);
  const issues: { path: string; message: string }[] = [];
  if (closesAt <= opensAt) issues.push({ path: 'body.closesAt', message: '截止时间应晚于开始时间' });
  if (closesAt <= now.getTime()) issues.push({ path: 'body.closesAt', message: '截止时间应晚于现在' });
  const { options, duplicate } = assignOptionIds(input.options);
  if (duplicate) issues.push({ path: 'body.options', message: `选项编号 ${duplicate} 重复` });
  if (input.maxChoices > options.length) issues.push({ path: 'body.maxChoices', message: `最多可选项数不能超过选项数（${options.length}）` });
  if (issues.length) throw new AppError('VALIDATION', undefined, { details: issues });

  let topic: store.TopicRecord | undefined;
  if (input.topicId) {
    topic = await store.getTopic(input.topicId);
    if (!topic || topic.communityId !== cid) throw topicNotFound();
    if (topic.status !== 'open') throw topicNotOpen();
  }
  const record: store.ConsultationRecord = {
    id: newId(now),
    communityId: cid,
    title: input.title,
    body: input.body,
    options,
    maxChoices: input.maxChoices,
    eligibility: input.eligibility,
    opensAt: new Date(opensAt).toISOString(),
    closesAt: new Date(closesAt).toISOString(),
    opensAtEpoch: opensAt,
    closesAtEpoch: closesAt,
    quorumPercent: input.quorumPercent,
    topicId: input.topicId,
    timezone: community.timezone ?? DEFAULT_TIMEZONE,
    createdAt: now.toISOString(),
    createdBy: actor.id,
  };
  await refusing<store.ConsultationRecord, store.ConsultationFailure>(store.createConsultation(record, topic), { topic: topicNotOpen });
  definitions.set(record.id, record);
  return toConsultation(record, now);
}

export async function listConsultations(
  cid: string,
  query: { state?: store.StateFilter; limit: number; cursor?: string },
  now: Date,
): Promise<Page<Consultation>> {
  const page = await store.listConsultations(cid, { ...query, nowEpoch: now.getTime() });
  return { items: page.items.map((c) => toConsultation(c, now)), next: page.next };
}

/** The eligible count at the close: snapshotted onto the consultation at the first read after it. */
async function eligibleAtClose(c: store.ConsultationRecord): Promise<number> {
  if (c.eligibleAtClose !== undefined) return c.eligibleAtClose;
  const community = await requireCommunity(c.communityId);
  const count = c.eligibility === 'household' ? community.verifiedHouseholds : community.verifiedMembers;
  return store.snapshotEligible(c.id, count);
}

/** The tally (one Query of the counter shards) and the figures derived from it; only after the close. */
async function resultsOf(c: store.ConsultationRecord): Promise<Results> {
  const [shards, eligible] = await Promise.all([store.readCounters(c.id), eligibleAtClose(c)]);
  const { tally, ballots } = sumShards(
    c.options.map((o) => o.id),
    shards,
  );
  return {
    tally,
    ballots,
    eligible,
    turnoutPercent: turnoutPercent(ballots, eligible),
    quorumMet: quorumMet(ballots, eligible, c.quorumPercent),
    quorumPercent: c.quorumPercent,
    requiredBallots: c.quorumPercent === undefined ? undefined : requiredBallots(eligible, c.quorumPercent),
  };
}

export async function getConsultation(id: string, now: Date): Promise<Consultation> {
  const c = await loadConsultation(id);
  return toConsultation(c, now, isClosed(windowOf(c), now) ? await resultsOf(c) : undefined);
}

/** Results are hidden from everyone, staff included, until the close. */
export async function results(id: string, now: Date): Promise<Results> {
  const c = await loadConsultation(id);
  if (!isClosed(windowOf(c), now)) throw new AppError('NOT_CLOSED', '投票尚未结束，结果在截止后公布');
  return resultsOf(c);
}

export async function eligibility(actor: AuthUser, id: string, now: Date): Promise<EligibilityAnswer> {
  refuseProxy(actor);
  const c = await loadConsultation(id);
  const state = consultationState(windowOf(c), now);
  const [membership, ownMarker] = await Promise.all([
    getMembership(c.communityId, actor.id),
    c.eligibility === 'resident' ? store.getMarker(c.id, { kind: 'resident', userId: actor.id }) : Promise.resolve(undefined),
  ]);
  const marker =
    c.eligibility === 'household' && membership?.verified && membership.household
      ? await store.getMarker(c.id, { kind: 'household', household: membership.household })
      : ownMarker;
  const answer = eligibilityOf({ state, rule: c.eligibility, userId: actor.id, membership, marker });
  return { ...answer, votedAt: iso(answer.votedAt, c.timezone) };
}

/**
 * Casts a secret ballot. The Idempotency-Key is not stored by the HTTP layer for this route:
 * its hash (with the voter's id) goes on the "has voted" marker, next to the receipt and no
 * choice, so a retry with the same key answers 201 with the same receipt and counts nothing.
 * A retry with the same key and other choices also gets the first receipt: the choices were
 * never stored, so they cannot be compared (and the first ballot stands).
 */
export async function vote(actor: AuthUser, id: string, choices: string[], idempotencyKey: string | undefined, now: Date): Promise<{ receipt: string; votedAt: string }> {
  refuseProxy(actor);
  const c = await definitionOf(id);
  if (consultationState({ opensAt: c.opensAtEpoch, closesAt: c.closesAtEpoch }, now) !== 'open') throw new AppError('NOT_OPEN');
  const issues = choiceIssues(
    c.options.map((o) => o.id),
    c.maxChoices,
    choices,
  );
  if (issues.length) throw new AppError('VALIDATION', '选项不符合要求', { details: issues });

  // Under 一户一票 the marker is keyed by the verified 门牌, which only the membership knows;
  // a resident ballot needs no read: the transaction checks the membership itself.
  let household: string | undefined;
  if (c.eligibility === 'household') {
    const membership = await getMembership(c.communityId, actor.id);
    if (!membership?.verified || !membership.household) throw notEligible();
    household = membership.household;
  }
  const voter = voterOf(c.eligibility, actor.id, household ?? '');
  const keyHash = idempotencyKey ? createHash('sha256').update(`${actor.id}#${idempotencyKey}`).digest('base64url') : undefined;
  const receipt = (cast: Pick<store.MarkerRecord, 'receipt' | 'castAt'>) => ({ receipt: cast.receipt, votedAt: iso(cast.castAt, c.timezone) as string });
  try {
    const cast = await store.castBallot({
      consultation: c,
      voter,
      userId: actor.id,
      household,
      choices,
      marker: { voterId: actor.id, receipt: shortCode(10), keyHash, castAt: now.toISOString() },
      nowEpoch: now.getTime(),
    });
    return receipt(cast);
  } catch (error) {
    if (!isConditionFailed<store.BallotFailure>(error)) throw error;
    if (error.has('marker')) {
      // A retry of this voter's own ballot (same key) finds its marker: the same receipt, nothing counted.
      const existing = error.item<store.MarkerRecord>('marker');
      if (existing && keyHash && existing.keyHash === keyHash && existing.voterId === actor.id) return receipt(existing);
      throw new AppError('ALREADY_VOTED', voter.kind === 'household' && existing?.voterId !== actor.id ? '本次为一户一票，您家已有成员投票' : undefined);
    }
    if (error.has('member')) throw notEligible();
    throw new AppError('NOT_OPEN');
  }
}

export async function publish(actor: AuthUser, id: string, decision: string, now: Date): Promise<Consultation> {
  refuseProxy(actor);
  const c = await loadConsultation(id);
  await requireStaff(actor, c.communityId);
  if (!isClosed(windowOf(c), now)) throw new AppError('NOT_CLOSED', '投票截止后才能公开决定');
  // A decision is published once: its message's id says so.
  const messages = participantsMessage(`published-${c.id}`, c, decision, now);
  // The decision enters the notices list (两公开) in the same transaction that publishes it.
  const notice = consultationNotice(c, { kind: 'decision', text: decision }, { actorId: actor.id, now });
  const published = await refusing<store.ConsultationRecord, store.ConsultationFailure>(
    store.publish(id, decision, { actorId: actor.id, at: now.toISOString() }, now.getTime(), { messages: [...messages, notice], current: c }),
    {
      consultation: (failure) => {
        const old = failure.item<store.ConsultationRecord>('consultation');
        if (!old) return consultationNotFound();
        return old.publishedAt ? alreadyPublished() : new AppError('NOT_CLOSED');
      },
      messages: alreadyPublished,
    },
  );
  if (messages.length) await kickDelivery();
  return toConsultation(published, now, await resultsOf(published));
}

export async function addUpdate(actor: AuthUser, id: string, text: string, now: Date): Promise<Consultation> {
  refuseProxy(actor);
  const c = await loadConsultation(id);
  await requireStaff(actor, c.communityId);
  const messages = participantsMessage(`update-${c.id}-${now.getTime()}`, c, text, now);
  // The update enters the notices list (两公开) in the transaction that adds it.
  const notice = consultationNotice(c, { kind: 'update', text }, { actorId: actor.id, now });
  const updated = await refusing<store.ConsultationRecord, store.ConsultationFailure>(
    store.addUpdate(id, { text, at: now.toISOString() }, { messages: [...messages, notice], current: c }),
    {
      consultation: () => new AppError('STATE_CONFLICT', '决定公开后才能发布落实情况'),
      messages: () => new AppError('STATE_CONFLICT', '该落实情况已发布'),
    },
  );
  if (messages.length) await kickDelivery();
  return toConsultation(updated, now, await resultsOf(updated));
}

/**
 * Tells the voters that the decision (or an implementation update) is public: one outbox
 * message, written in the change's transaction, that the outbox function fans out to every
 * voter, a page at a time (the request writes one item whatever the turnout, and never waits on
 * WeChat). None when the template is not configured.
 */
const participantsMessage = (messageId: string, c: store.ConsultationRecord, news: string, now: Date): TransactPut[] =>
  fanoutParts(messageId, { consultationId: c.id }, 'consultationPublished', `consultations/detail/index?id=${c.id}`, {
    thing1: clip(c.title, 20),
    thing2: clip(news, 20),
    time3: wechatTime(now, c.timezone),
  }, now);

// ─── Results notices at the close (scheduled) ──────────────────────────────────────────────

/** Voters messaged at once by a run. */
const NOTICE_CONCURRENCY = 10;

export interface ResultsNoticeRun {
  /** Consultations whose close had passed and whose notice was not yet done. */
  due: number;
  /** Consultations this run finished. */
  done: number;
  /** Voters messaged (accepted by WeChat). */
  sent: number;
  /** Voters whose notice failed (kept for a later run). */
  failed: number;
}

/**
 * Tells the voters of each consultation that closed in the last hour that its results are public.
 * The consultations come from their closing items (filed in the close's 10-minute bucket when the
 * consultation was created): a Query per bucket, no Scan. Each is claimed by a conditional update,
 * so two runs never work on one at once; the eligible count is snapshotted (as at the first read
 * after the close); then every voter, found by the "has voted" markers (voter id only: no choice
 * and no tally is read), is claimed one by one (NOTIFIED#RESULTS#uid) before the send, so nobody
 * is messaged twice even across retries. When WeChat fails, the consultation's claim is released
 * and a later run sends to those not yet served.
 */
export async function sendResultsNotices(now: Date): Promise<ResultsNoticeRun> {
  const run: ResultsNoticeRun = { due: 0, done: 0, sent: 0, failed: 0 };
  // Unset template: no notices, nothing is claimed.
  if (!templateId('consultationResults')) return run;
  for (const bucket of bucketsToScan(now, REMINDER_LOOKBACK_MINUTES)) {
    const due = (await store.closingsIn(bucket)).filter((x) => !x.sentAt && new Date(x.dueAt).getTime() <= now.getTime());
    for (const closing of due) {
      run.due++;
      if (!(await store.claimClosing(closing, now))) continue;
      const c = await store.getConsultation(closing.consultationId);
      if (!c || !isClosed(windowOf(c), now)) {
        // gone, or (never, the times do not change) not closed yet: nothing to announce now
        await store.finishNotice({ closing }, c ? 'retry' : 'skipped', now);
        continue;
      }
      let failed = 0;
      try {
        await eligibleAtClose(c);
        failed = await noticeVoters(c, now, run);
      } catch {
        failed = 1; // DynamoDB trouble: released; the voters' own claims lapse within a minute
      }
      run.failed += failed;
      await store.finishNotice({ closing }, failed ? 'retry' : 'sent', now);
      if (!failed) run.done++;
    }
  }
  return run;
}

/** Messages each voter not yet served; stops at the first page with a failure. Returns the failures. */
async function noticeVoters(c: store.ConsultationRecord, now: Date, run: ResultsNoticeRun): Promise<number> {
  let cursor: string | undefined;
  do {
    const page = await store.listMarkers(c.id, cursor);
    cursor = page.next;
    let failed = 0;
    const voters = [...new Set(page.items.map((m) => m.voterId))];
    for (let i = 0; i < voters.length; i += NOTICE_CONCURRENCY) {
      const outcomes = await Promise.all(voters.slice(i, i + NOTICE_CONCURRENCY).map((uid) => noticeVoter(c, uid, now)));
      run.sent += outcomes.filter((o) => o === 'sent').length;
      failed += outcomes.filter((o) => o === 'retry').length;
      if (failed) return failed; // WeChat is failing: leave the rest to a later run
    }
  } while (cursor);
  return 0;
}

async function noticeVoter(c: store.ConsultationRecord, uid: string, now: Date): Promise<'sent' | 'refused' | 'retry' | 'taken'> {
  if (!(await store.claimResultsNotice(c.id, uid, now))) return 'taken';
  let outcome: 'sent' | 'refused' | 'retry';
  try {
    const sent = await sendNotice({
      userId: uid,
      template: 'consultationResults',
      page: `consultations/detail/index?id=${c.id}`,
      data: {
        thing1: clip(c.title, 20),
        thing2: '投票结果已公布',
        time3: wechatTime(new Date(c.closesAtEpoch), c.timezone),
      },
    });
    outcome = sent.status === 'sent' ? 'sent' : 'refused';
  } catch {
    outcome = 'retry';
  }
  await store.finishNotice({ consultationId: c.id, voterId: uid }, outcome, now);
  return outcome;
}

// ─── Discussion (议) ────────────────────────────────────────────────────────────────────────

function toComment(c: store.CommentRecord, staffView: boolean, timezone: string): Comment {
  return {
    id: c.id,
    consultationId: c.consultationId,
    author: (staffView || c.byStaff ? c.authorName : maskName(c.authorName)) ?? (c.byStaff ? '工作人员' : '居民'),
    byStaff: c.byStaff === true,
    text: c.hidden && !staffView ? undefined : c.text,
    hidden: c.hidden,
    hiddenReason: c.hiddenReason,
    createdAt: iso(c.createdAt, timezone) as string,
  };
}

export async function comment(actor: AuthUser, id: string, text: string, now: Date): Promise<Comment> {
  refuseProxy(actor);
  const c = await loadConsultation(id);
  if (isClosed(windowOf(c), now)) throw new AppError('STATE_CONFLICT', '投票已结束，讨论区已关闭');
  const membership = await getMembership(c.communityId, actor.id);
  // Staff reply as staff whether or not they live here (their household is never verified then).
  if (!membership?.verified && membership?.role !== 'staff') throw notVerifiedToComment();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const minute = Math.floor(nowSeconds / 60);
  const created = store.createComment(
    {
      id: commentIdOf(c.id, newId(now)),
      consultationId: c.id,
      communityId: c.communityId,
      authorId: actor.id,
      authorName: membership.realName,
      ...(membership.role === 'staff' ? { byStaff: true } : {}),
      text,
      hidden: false,
      createdAt: now.toISOString(),
    },
    { minute, perMinute: COMMENTS_PER_MINUTE },
  );
  const comment = await refusing<store.CommentRecord, store.CommentFailure>(created, {
    author: notVerifiedToComment,
    rate: () => new AppError('RATE_LIMITED', '发言太频繁，请稍后再试', { retryAfter: Math.max(1, (minute + 1) * 60 - nowSeconds) }),
  });
  return toComment(comment, false, c.timezone);
}

export async function listComments(actor: AuthUser | undefined, id: string, query: { limit: number; cursor?: string }): Promise<Page<Comment>> {
  refuseProxy(actor);
  const c = await loadConsultation(id);
  const [page, staffView] = await Promise.all([
    store.listComments(id, query),
    actor ? isStaff(actor, c.communityId) : Promise.resolve(false),
  ]);
  return { items: page.items.map((item) => toComment(item, staffView, c.timezone)), next: page.next };
}

export async function hideComment(actor: AuthUser, commentId: string, reason: string, now: Date): Promise<Comment> {
  refuseProxy(actor);
  const consultationId = consultationOfComment(commentId);
  if (!consultationId) throw commentNotFound();
  const [c, comment] = await Promise.all([
    loadConsultation(consultationId).catch(() => {
      throw commentNotFound();
    }),
    store.getComment(consultationId, commentId),
  ]);
  await requireStaff(actor, c.communityId);
  if (!comment) throw commentNotFound();
  const hidden = await refusing<store.CommentRecord, store.CommentFailure>(store.hideComment(comment, reason, actor.id, now.toISOString()), { comment: commentNotFound });
  return toComment(hidden, true, c.timezone);
}

// ─── Indicators ────────────────────────────────────────────────────────────────────────────

/** The consultations section of the community's stats: recent turnout, open topics and their support. */
export async function consultationStats(cid: string, now: Date): Promise<ConsultationStats> {
  const [recentPage, openTopics, topTopics] = await Promise.all([
    store.listConsultations(cid, { nowEpoch: now.getTime(), limit: 10 }),
    store.countOpenTopics(cid),
    store.listTopics(cid, { status: 'open', limit: 5 }),
  ]);
  const closed = recentPage.items.filter((c) => isClosed(windowOf(c), now)).slice(0, 5);
  const figures = await Promise.all(closed.map(async (c) => ({ c, r: await resultsOf(c) })));
  const recent = figures.map(({ c, r }) => ({
    id: c.id,
    title: c.title,
    state: consultationState(windowOf(c), now),
    ballots: r.ballots,
    eligible: r.eligible,
    turnoutPercent: r.turnoutPercent,
    quorumMet: r.quorumMet,
  }));
  const average = recent.length ? Math.round((recent.reduce((sum, r) => sum + r.turnoutPercent, 0) / recent.length) * 10) / 10 : null;
  return {
    recent,
    averageTurnoutPercent: average,
    openConsultations: recentPage.items.filter((c) => consultationState(windowOf(c), now) === 'open').length,
    openTopics,
    topTopics: topTopics.items.map((t) => ({ id: t.id, title: t.title, support: t.support })),
  };
}
