/**
 * Notices (居务公开 / 信息发布): staff post, edit and withdraw; anyone reads what is within its
 * display period; a person's openings give unread marks, and staff see how many verified
 * households opened a notice (a count, never who). Records and keys: store/notices.ts.
 */
import type { Page } from '@contract/common';
import { AppError, type FieldIssue } from '@contract/errors';
import { NOTICE_CATEGORY_LABEL, NOTICE_TEMPLATE, type Notice, type NoticeBody, type NoticeChange, type NoticeInput, type NoticeSummary } from '@contract/notices';
import { decisionNoticeId, updateNoticeId } from '../domain/consultation-ids';
import { bodyIssues, tableIssues, totalFen } from '../domain/notice-body';
import { noticeState, periodIssues } from '../domain/notice-period';
import { clip, wechatTime } from '../domain/message-text';
import { DEFAULT_TIMEZONE, isoWithOffset } from '../domain/time';
import { newId } from '../lib/ids';
import { claimUploads, signedReadUrl, uploadTaken } from '../lib/storage';
import type { AuthUser } from '../lib/tokens';
import { getCommunity, getMembership, type MembershipRecord } from '../store/identity';
import type { TransactPut } from '../store/outbox';
import * as store from '../store/notices';
import { isConditionFailed } from '../store/transaction';
import { isStaff, requireStaff } from './access';
import { fanoutParts, kickDelivery } from './notifications';
import { refuse } from './refusal';

const iso = (instant: string, timezone: string): string => isoWithOffset(new Date(instant), timezone);

const notFound = () => new AppError('NOT_FOUND', '公告不存在');
const withdrawn = () => new AppError('STATE_CONFLICT', '该公告已撤回');

/** A store act whose `notice` part failed (the notice changed under it) answers with `meaning`. */
async function refusing<T>(act: Promise<T>, meaning: () => AppError): Promise<T> {
  try {
    return await act;
  } catch (error) {
    throw isConditionFailed<store.NoticeFailure>(error) && error.has('notice') ? meaning() : error;
  }
}

const periodOf = (n: store.NoticeRecord) => ({ from: n.displayFromEpoch, until: n.displayUntilEpoch, withdrawn: n.status === 'withdrawn' });

function toSummary(n: store.NoticeRecord, now: Date, read?: boolean): NoticeSummary {
  return {
    id: n.id,
    communityId: n.communityId,
    title: n.title,
    category: n.category,
    pinned: n.pinned,
    displayFrom: iso(n.displayFrom, n.timezone),
    displayUntil: n.displayUntil ? iso(n.displayUntil, n.timezone) : undefined,
    state: noticeState(periodOf(n), now),
    consultationId: n.consultationId,
    read,
    createdAt: iso(n.createdAt, n.timezone),
    updatedAt: n.updatedAt ? iso(n.updatedAt, n.timezone) : undefined,
  };
}

/** The whole notice; attachments carry links that expire, signed for this answer. */
const toNotice = async (n: store.NoticeRecord, now: Date, opens?: number): Promise<Notice> => ({
  ...toSummary(n, now),
  body: n.body,
  table: n.table ? { rows: n.table, totalFen: totalFen(n.table) } : undefined,
  attachments: n.attachments
    ? await Promise.all(n.attachments.map(async (a) => ({ name: a.name, contentType: a.contentType, size: a.size, url: await signedReadUrl(a.key) })))
    : undefined,
  opens,
});

/** The content rules beyond the schema, every issue at once. */
function refuseInvalid(n: store.NoticeRecord): void {
  const issues: FieldIssue[] = [
    ...bodyIssues(n.body),
    ...tableIssues(n.category, n.table),
    ...periodIssues({ from: n.displayFromEpoch, until: n.displayUntilEpoch }),
  ];
  if (issues.length) throw new AppError('VALIDATION', undefined, { details: issues });
}

/** A period's instants as stored: UTC ISO and epoch milliseconds. */
const instant = (value: string) => ({ at: new Date(Date.parse(value)).toISOString(), epoch: Date.parse(value) });

export async function postNotice(actor: AuthUser, cid: string, input: NoticeInput, now: Date): Promise<Notice> {
  const [community] = await Promise.all([getCommunity(cid), requireStaff(actor, cid)]);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  const from = instant(input.displayFrom ?? now.toISOString());
  const until = input.displayUntil ? instant(input.displayUntil) : undefined;
  const record: store.NoticeRecord = {
    id: newId(now),
    communityId: cid,
    timezone: community.timezone ?? DEFAULT_TIMEZONE,
    title: input.title,
    category: input.category,
    body: input.body,
    pinned: input.pinned,
    displayFrom: from.at,
    displayFromEpoch: from.epoch,
    displayUntil: until?.at,
    displayUntilEpoch: until?.epoch,
    table: input.table,
    status: 'active',
    version: 1,
    createdAt: now.toISOString(),
    createdBy: actor.id,
  };
  refuseInvalid(record);
  // Each upload is checked, then used by the post's own transaction; one already used or not the caller's refuses the post.
  const attachments = input.attachments ?? [];
  const claimed = await claimUploads(attachments.map((a) => a.uploadId), { userId: actor.id, purpose: 'notice-attachment' }, now);
  if (claimed.files.length) {
    record.attachments = claimed.files.map((file, i) => ({ key: file.key, name: attachments[i]!.name, contentType: file.contentType, size: file.size }));
  }
  const messages = input.notify ? subscribersMessage(record, now) : [];
  await store
    .postNotice(record, { actorId: actor.id, at: now.toISOString() }, messages, claimed.use(record.id))
    .catch(refuse<store.NoticeFailure>({ uploads: uploadTaken }));
  if (messages.length) await kickDelivery();
  return toNotice(record, now, 0);
}

export async function listNotices(
  actor: AuthUser | undefined,
  cid: string,
  query: { category?: NoticeInput['category']; limit: number; cursor?: string },
  now: Date,
): Promise<Page<NoticeSummary>> {
  const [community, staff] = await Promise.all([getCommunity(cid), actor ? isStaff(actor, cid) : false]);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  // Staff also see what is scheduled or has ended, to manage it; everyone else what is showing.
  const page = await store.listNotices(cid, { ...query, showingAt: staff ? undefined : now.getTime() });
  const read = actor && page.items.length ? await store.readAmong(page.items.map((n) => n.id), actor.id) : undefined;
  return { items: page.items.map((n) => toSummary(n, now, read?.has(n.id))), next: page.next };
}

/**
 * The notice as this caller may see it: staff of its community see it in any state; everyone
 * else only while it is showing (before or after, and once withdrawn, it does not exist for them).
 */
async function visibleNotice(
  actor: AuthUser | undefined,
  id: string,
  now: Date,
): Promise<{ notice: store.NoticeRecord; staff: boolean; membership?: MembershipRecord }> {
  const notice = await store.getNotice(id);
  if (!notice) throw notFound();
  // One membership read answers both "staff?" and, for marking it read, "which verified household?".
  const membership = actor ? await getMembership(notice.communityId, actor.id) : undefined;
  const staff = Boolean(actor?.admin) || membership?.role === 'staff';
  if (!staff && noticeState(periodOf(notice), now) !== 'showing') throw notFound();
  return { notice, staff, membership };
}

export async function getNotice(actor: AuthUser | undefined, id: string, now: Date): Promise<Notice> {
  const { notice, staff } = await visibleNotice(actor, id, now);
  return toNotice(notice, now, staff ? await store.countOpens(id) : undefined);
}

/**
 * Tells the community's verified members of the notice: one outbox message, written in the
 * posting transaction, that the outbox function fans out a page at a time; the notifier sends it
 * only to those who accepted the category's template. None when that template is not configured.
 */
const subscribersMessage = (n: store.NoticeRecord, now: Date): TransactPut[] =>
  fanoutParts(`notice-${n.id}`, { noticeId: n.id, communityId: n.communityId }, NOTICE_TEMPLATE[n.category], `notices/detail/index?id=${n.id}`, {
    thing1: clip(n.title, 20),
    thing2: NOTICE_CATEGORY_LABEL[n.category],
    time3: wechatTime(new Date(n.displayFromEpoch), n.timezone),
  }, now);

/** A notice staff may change: it exists, and the caller is staff of its community. */
async function managedNotice(actor: AuthUser, id: string): Promise<store.NoticeRecord> {
  const notice = await store.getNotice(id);
  if (!notice) throw notFound();
  await requireStaff(actor, notice.communityId);
  if (notice.status === 'withdrawn') throw withdrawn();
  return notice;
}

export async function editNotice(actor: AuthUser, id: string, change: NoticeChange, now: Date): Promise<Notice> {
  const current = await managedNotice(actor, id);
  const from = change.displayFrom ? instant(change.displayFrom) : undefined;
  const until = change.displayUntil === null ? null : change.displayUntil ? instant(change.displayUntil) : undefined;
  const next: store.NoticeRecord = {
    ...current,
    title: change.title ?? current.title,
    category: change.category ?? current.category,
    body: change.body ?? current.body,
    pinned: change.pinned ?? current.pinned,
    displayFrom: from?.at ?? current.displayFrom,
    displayFromEpoch: from?.epoch ?? current.displayFromEpoch,
    displayUntil: until === null ? undefined : (until?.at ?? current.displayUntil),
    displayUntilEpoch: until === null ? undefined : (until?.epoch ?? current.displayUntilEpoch),
    table: change.table === null ? undefined : (change.table ?? current.table),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  refuseInvalid(next);
  await refusing(store.editNotice(next, current.version, { actorId: actor.id, at: now.toISOString() }), () => new AppError('STATE_CONFLICT', '公告已被撤回或已被他人修改，请刷新后重试'));
  return toNotice(next, now, await store.countOpens(id));
}

export async function withdrawNotice(actor: AuthUser, id: string, now: Date): Promise<Notice> {
  const current = await managedNotice(actor, id);
  const taken = await refusing(store.withdrawNotice(current, { actorId: actor.id, at: now.toISOString() }), withdrawn);
  return toNotice(taken, now, await store.countOpens(id));
}

/** Marks the notice read for the caller and, when they are a verified member of its community, opened by their household. */
export async function readNotice(actor: AuthUser, id: string, now: Date): Promise<{ read: true; readAt: string }> {
  const { notice, membership } = await visibleNotice(actor, id, now);
  const household = membership?.verified ? membership.household : undefined;
  await store.markRead(id, { userId: actor.id, household }, now.toISOString());
  return { read: true, readAt: isoWithOffset(now, notice.timezone) };
}

/**
 * The notice that puts a consultation's published decision, or one implementation update, in the
 * notices list (两公开), for the transaction that publishes it: its id is the consultation's (and
 * the update's time), so it exists once, and it exists if and only if what it tells was published.
 */
export function consultationNotice(
  c: { id: string; communityId: string; timezone: string; title: string },
  news: { kind: 'decision' | 'update'; text: string },
  act: { actorId: string; now: Date },
): ReturnType<typeof store.noticePut> {
  const body: NoticeBody = news.text
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((text) => ({ type: 'paragraph' as const, runs: [{ text }] }));
  const decision = news.kind === 'decision';
  return store.noticePut({
    id: decision ? decisionNoticeId(c.id) : updateNoticeId(c.id, act.now.toISOString()),
    communityId: c.communityId,
    timezone: c.timezone,
    title: `${decision ? '协商结果' : '落实情况'}：${c.title}`,
    category: 'affairs',
    body,
    pinned: false,
    displayFrom: act.now.toISOString(),
    displayFromEpoch: act.now.getTime(),
    consultationId: c.id,
    status: 'active',
    version: 1,
    createdAt: act.now.toISOString(),
    createdBy: act.actorId,
  });
}
