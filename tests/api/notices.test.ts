/**
 * Notices (居务公开 / 信息发布) against DynamoDB Local: posting with a structured body and a money
 * table, the list's order and display period, read marks, the verified-household open count
 * under concurrency, editing, withdrawing, Chinese 4xx for bad input, and consultation
 * decisions appearing in the list. Times are relative to the real clock (tokens are checked
 * against the request's clock) and passed to each request as `now`.
 */
import { describe, expect, it } from 'vitest';
import { joined, login, newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';
import { TINY_PDF } from '../fixtures/gps-photo';

const MIN = 60_000;
const HOUR = 60 * MIN;
const BASE = Math.floor(Date.now() / MIN) * MIN;
const at = (offsetMs: number) => new Date(BASE + offsetMs);
const iso = (offsetMs: number) => at(offsetMs).toISOString();

interface Setup {
  cid: string;
  staff: Actor;
}

async function community(): Promise<Setup> {
  const { id } = await newCommunity();
  return { cid: id, staff: await staffOf(id) };
}

const paragraph = (text: string, bold = false) => ({ type: 'paragraph', runs: [{ text, ...(bold ? { bold } : {}) }] });

const noticeBody = (overrides: Record<string, unknown> = {}) => ({
  title: '关于小区停水的通知',
  category: 'notice',
  body: [paragraph('因管道检修，'), { type: 'bullets', items: [[{ text: '12月8日 9:00—17:00', bold: true }], [{ text: '3号楼、5号楼' }]] }],
  ...overrides,
});

async function post(s: Setup, overrides: Record<string, unknown> = {}, now = at(0)): Promise<any> {
  const reply = await call('POST', `/v1/communities/${s.cid}/notices`, { token: s.staff.token, body: noticeBody(overrides), now });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

const list = (s: Setup, who?: Actor, query = '', now = at(MIN)) =>
  call('GET', `/v1/communities/${s.cid}/notices${query}`, { token: who?.token, now });

describe('posting a notice', () => {
  it('publishes a 财务公开 with its money table, the total in fen, and an audit entry', async () => {
    const s = await community();
    const rows = [{ item: '绿化养护', amountFen: 1_250_050 }, { item: '电梯维修', amountFen: 830_000 }, { item: '退回押金', amountFen: -10_000 }];
    const notice = await post(s, { title: '2026年第三季度公共收益收支', category: 'finance', table: rows });
    expect(notice).toMatchObject({ category: 'finance', state: 'showing', pinned: false, opens: 0, table: { rows, totalFen: 2_070_050 } });
    expect(notice.body[1]).toEqual({ type: 'bullets', items: [[{ text: '12月8日 9:00—17:00', bold: true }], [{ text: '3号楼、5号楼' }]] });

    const audit = await call('GET', `/v1/communities/${s.cid}/audit`, { token: s.staff.token, now: at(MIN) });
    expect(audit.body.items.find((e: any) => e.act === 'notice.post')).toMatchObject({ subjectId: notice.id, actorId: s.staff.id });
  });

  it('refuses residents and staff of another community', async () => {
    const s = await community();
    const resident = await verifiedResident(s.cid);
    const other = await community();
    for (const token of [resident.token, other.staff.token]) {
      const reply = await call('POST', `/v1/communities/${s.cid}/notices`, { token, body: noticeBody(), now: at(0) });
      expect(reply.status).toBe(403);
    }
  });

  it('answers bad content with a 400 naming each field in Chinese', async () => {
    const s = await community();
    const send = (body: unknown) => call('POST', `/v1/communities/${s.cid}/notices`, { token: s.staff.token, body, now: at(0) });

    const table = await send(noticeBody({ category: 'notice', table: [{ item: '绿化', amountFen: 100 }] }));
    expect(table.status).toBe(400);
    expect(table.body.error.details).toContainEqual({ path: 'body.table', message: '只有财务公开可以附收支表' });

    const blank = await send(noticeBody({ body: [paragraph('   ')] }));
    expect(blank.status).toBe(400);
    expect(blank.body.error.details).toContainEqual({ path: 'body.body.0', message: '段落不能为空' });

    const period = await send(noticeBody({ displayFrom: iso(HOUR), displayUntil: iso(0) }));
    expect(period.status).toBe(400);
    expect(period.body.error.details).toContainEqual({ path: 'body.displayUntil', message: '展示截止时间应晚于开始时间' });

    const html = await send(noticeBody({ body: [{ type: 'html', html: '<script>alert(1)</script>' }] }));
    expect(html.status).toBe(400);
    const fraction = await send(noticeBody({ category: 'finance', table: [{ item: '绿化', amountFen: 10.5 }] }));
    expect(fraction.status).toBe(400);
    expect(JSON.stringify(fraction.body.error.details)).toContain('金额应精确到分');
    const category = await send(noticeBody({ category: '公告' }));
    expect(category.status).toBe(400);
    for (const reply of [table, blank, period, html, fraction, category]) {
      expect(reply.body.error.code).toBe('VALIDATION');
      expect(reply.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

/** Presigns and PUTs the bytes as the app does; answers the upload's id. */
async function uploadPdf(who: Actor): Promise<string> {
  const ticket = await call('POST', '/v1/uploads', { token: who.token, body: { purpose: 'notice-attachment', contentType: 'application/pdf', size: TINY_PDF.length } });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
  const put = await fetch(ticket.body.url, { method: 'PUT', headers: ticket.body.headers, body: new Uint8Array(TINY_PDF) });
  expect(put.status).toBe(200);
  return ticket.body.uploadId;
}

describe('attachments', () => {
  it('attaches a PDF that residents read through a signed link', async () => {
    const s = await community();
    const uploadId = await uploadPdf(s.staff);
    const notice = await post(s, { category: 'finance', table: [{ item: '保洁', amountFen: 50_000 }], attachments: [{ uploadId, name: '收支明细原件' }] });
    expect(notice.attachments).toEqual([expect.objectContaining({ name: '收支明细原件', contentType: 'application/pdf', size: TINY_PDF.length })]);

    const resident = await verifiedResident(s.cid);
    const detail = await call('GET', `/v1/notices/${notice.id}`, { token: resident.token, now: at(MIN) });
    const file = await fetch(detail.body.attachments[0].url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses an upload that is someone else\'s, or already attached, with a 4xx in Chinese', async () => {
    const s = await community();
    const resident = await verifiedResident(s.cid);
    const theirs = await uploadPdf(resident);
    const stranger = await call('POST', `/v1/communities/${s.cid}/notices`, { token: s.staff.token, body: noticeBody({ attachments: [{ uploadId: theirs, name: '附件' }] }), now: at(0) });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.message).toBe('文件不存在或已过期，请重新上传');

    const mine = await uploadPdf(s.staff);
    await post(s, { attachments: [{ uploadId: mine, name: '附件' }] });
    const again = await call('POST', `/v1/communities/${s.cid}/notices`, { token: s.staff.token, body: noticeBody({ attachments: [{ uploadId: mine, name: '附件' }] }), now: at(0) });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('keeps a checked attachment for the next post when the post it came with was refused', async () => {
    // prepare
    const s = await community();
    const mine = await uploadPdf(s.staff);
    const theirs = await uploadPdf(await verifiedResident(s.cid));
    const refused = await call('POST', `/v1/communities/${s.cid}/notices`, { token: s.staff.token, body: noticeBody({ attachments: [{ uploadId: mine, name: '附件' }, { uploadId: theirs, name: '另一份' }] }), now: at(0) });
    // act
    const notice = await post(s, { attachments: [{ uploadId: mine, name: '附件' }] });
    // assess
    expect(refused.status).toBe(404);
    expect(notice.attachments).toEqual([expect.objectContaining({ name: '附件', contentType: 'application/pdf' })]);
  });
});

describe('the list', () => {
  it('shows pinned notices first, then the newest first, and filters by category', async () => {
    const s = await community();
    const old = await post(s, { title: '旧通知' }, at(-3 * HOUR));
    const pinned = await post(s, { title: '置顶的党务公开', category: 'party', pinned: true, displayFrom: iso(-2 * HOUR) }, at(-2 * HOUR));
    const fresh = await post(s, { title: '新活动', category: 'activity' }, at(-HOUR));

    const all = await list(s, await login());
    expect(all.status).toBe(200);
    expect(all.body.items.map((n: any) => n.id)).toEqual([pinned.id, fresh.id, old.id]);

    const party = await list(s, undefined, '?category=party');
    expect(party.body.items.map((n: any) => n.id)).toEqual([pinned.id]);
  });

  it('shows residents only what is within its display period, and staff everything with its state', async () => {
    const s = await community();
    const showing = await post(s, { title: '正在展示' });
    const scheduled = await post(s, { title: '明天展示', displayFrom: iso(24 * HOUR) });
    const ended = await post(s, { title: '已到期', displayFrom: iso(-2 * HOUR), displayUntil: iso(-MIN) }, at(-2 * HOUR));
    const resident = await verifiedResident(s.cid);

    const seen = await list(s, resident);
    expect(seen.body.items.map((n: any) => n.id)).toEqual([showing.id]);
    const staffSees = await list(s, s.staff);
    expect(Object.fromEntries(staffSees.body.items.map((n: any) => [n.id, n.state]))).toEqual({
      [showing.id]: 'showing', [scheduled.id]: 'scheduled', [ended.id]: 'ended',
    });
    expect((await call('GET', `/v1/notices/${scheduled.id}`, { token: resident.token, now: at(MIN) })).status).toBe(404);
    // Once its time comes, the scheduled one shows.
    const tomorrow = await list(s, resident, '', at(25 * HOUR));
    expect(tomorrow.body.items.map((n: any) => n.id)).toEqual([scheduled.id, showing.id]);
  });

  it('marks what the caller has not opened, and opening twice is the same as once', async () => {
    const s = await community();
    const first = await post(s, { title: '第一条' });
    const second = await post(s, { title: '第二条' }, at(MIN));
    const resident = await verifiedResident(s.cid);

    const before = await list(s, resident, '', at(2 * MIN));
    expect(before.body.items.map((n: any) => n.read)).toEqual([false, false]);
    for (let i = 0; i < 2; i++) {
      const read = await call('POST', `/v1/notices/${first.id}/read`, { token: resident.token, now: at(2 * MIN) });
      expect(read.status).toBe(200);
      expect(read.body.read).toBe(true);
    }
    const after = await list(s, resident, '', at(3 * MIN));
    expect(Object.fromEntries(after.body.items.map((n: any) => [n.id, n.read]))).toEqual({ [first.id]: true, [second.id]: false });
    // Without a token there is no one to mark for.
    expect((await list(s)).body.items[0].read).toBeUndefined();
    const detail = await call('GET', `/v1/notices/${first.id}`, { token: s.staff.token, now: at(3 * MIN) });
    expect(detail.body.opens).toBe(1);
  });
});

describe('the open count', () => {
  it('counts 10 households when 30 of their members open a notice at once', async () => {
    const s = await community();
    const notice = await post(s);
    const households = Array.from({ length: 10 }, (_, i) => `9-${1 + (i % 4)}-${Math.floor(Math.random() * 90_000) + 10_000}`);
    const members = await Promise.all(households.flatMap((household) => [0, 1, 2].map(() => verifiedResident(s.cid, household))));
    const outsider = await login();
    const unverified = await joined(s.cid);

    const replies = await Promise.all(
      [...members, outsider, unverified].map((m) => call('POST', `/v1/notices/${notice.id}/read`, { token: m.token, now: at(MIN) })),
    );
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));

    const staffView = await call('GET', `/v1/notices/${notice.id}`, { token: s.staff.token, now: at(2 * MIN) });
    expect(staffView.body.opens).toBe(10);
    // A count, never who: residents are not even told the count.
    const residentView = await call('GET', `/v1/notices/${notice.id}`, { token: members[0]!.token, now: at(2 * MIN) });
    expect(residentView.status).toBe(200);
    expect(residentView.body).not.toHaveProperty('opens');
  });
});

describe('editing and withdrawing', () => {
  it('lets staff edit a notice, pinning it moves it to the top, and an edit is audited', async () => {
    const s = await community();
    const first = await post(s, { title: '先发的' }, at(-HOUR));
    const second = await post(s, { title: '后发的' });

    const edited = await call('PATCH', `/v1/notices/${first.id}`, { token: s.staff.token, body: { title: '先发的（已更正）', pinned: true }, now: at(MIN) });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ title: '先发的（已更正）', pinned: true });
    expect((await list(s, undefined, '', at(2 * MIN))).body.items.map((n: any) => n.id)).toEqual([first.id, second.id]);
    const audit = await call('GET', `/v1/communities/${s.cid}/audit`, { token: s.staff.token, now: at(2 * MIN) });
    expect(audit.body.items.find((e: any) => e.act === 'notice.edit')).toMatchObject({ subjectId: first.id, actorId: s.staff.id });
  });

  it('takes a withdrawn notice out of every list, hides it from residents, and withdraws once', async () => {
    const s = await community();
    const notice = await post(s, { category: 'finance', table: [{ item: '保洁', amountFen: 50_000 }] });
    const resident = await verifiedResident(s.cid);

    const withdrawn = await call('DELETE', `/v1/notices/${notice.id}`, { token: s.staff.token, now: at(MIN) });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.state).toBe('withdrawn');
    expect((await list(s, s.staff, '', at(2 * MIN))).body.items).toEqual([]);
    expect((await list(s, resident, '?category=finance', at(2 * MIN))).body.items).toEqual([]);
    expect((await call('GET', `/v1/notices/${notice.id}`, { token: resident.token, now: at(2 * MIN) })).status).toBe(404);
    const again = await call('DELETE', `/v1/notices/${notice.id}`, { token: s.staff.token, now: at(2 * MIN) });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('该公告已撤回');
    const edit = await call('PATCH', `/v1/notices/${notice.id}`, { token: s.staff.token, body: { title: '改' }, now: at(2 * MIN) });
    expect(edit.status).toBe(409);
    const audit = await call('GET', `/v1/communities/${s.cid}/audit`, { token: s.staff.token, now: at(2 * MIN) });
    expect(audit.body.items.find((e: any) => e.act === 'notice.withdraw')).toMatchObject({ subjectId: notice.id, actorId: s.staff.id });
  });

  it('applies simultaneous edits one at a time: each applies or is told to refresh', async () => {
    const s = await community();
    const notice = await post(s);
    const replies = await Promise.all(
      ['甲', '乙', '丙', '丁', '戊', '己'].map((mark) =>
        call('PATCH', `/v1/notices/${notice.id}`, { token: s.staff.token, body: { title: `通知${mark}` }, now: at(MIN) }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((code) => code === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((code) => code === 200 || code === 409)).toBe(true);
    const final = await call('GET', `/v1/notices/${notice.id}`, { token: s.staff.token, now: at(2 * MIN) });
    const winners = replies.filter((r) => r.status === 200).map((r) => r.body.title);
    expect(winners).toContain(final.body.title);
  });
});

describe('consultation decisions (两公开)', () => {
  it('lists a published decision and each implementation update as 居务公开 notices linked to their consultation', async () => {
    const s = await community();
    const created = await call('POST', `/v1/communities/${s.cid}/consultations`, {
      token: s.staff.token,
      now: at(0),
      body: {
        title: '是否在3号楼加装电梯',
        body: '请各位业主表达意见。',
        options: [{ label: '同意' }, { label: '不同意' }],
        eligibility: 'resident',
        opensAt: iso(MIN),
        closesAt: iso(HOUR),
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const published = await call('POST', `/v1/consultations/${created.body.id}/publish`, {
      token: s.staff.token, body: { decision: '同意加装电梯。\n下月启动招标。' }, now: at(HOUR + MIN),
    });
    expect(published.status).toBe(200);

    const affairs = await list(s, undefined, '?category=affairs', at(HOUR + 2 * MIN));
    expect(affairs.body.items).toHaveLength(1);
    const entry = affairs.body.items[0];
    expect(entry).toMatchObject({ category: 'affairs', consultationId: created.body.id, title: '协商结果：是否在3号楼加装电梯' });
    const detail = await call('GET', `/v1/notices/${entry.id}`, { now: at(HOUR + 2 * MIN) });
    expect(detail.body.body).toEqual([paragraph('同意加装电梯。'), paragraph('下月启动招标。')]);

    // an implementation update (落实情况) joins the list too, newest first, linked to the same consultation
    const update = await call('POST', `/v1/consultations/${created.body.id}/updates`, { token: s.staff.token, body: { text: '已完成招标，下月进场施工。' }, now: at(2 * HOUR) });
    expect(update.status, JSON.stringify(update.body)).toBe(201);
    const after = await list(s, undefined, '?category=affairs', at(2 * HOUR + MIN));
    expect(after.body.items.map((n: { title: string }) => n.title)).toEqual(['落实情况：是否在3号楼加装电梯', '协商结果：是否在3号楼加装电梯']);
    expect(after.body.items[0]).toMatchObject({ consultationId: created.body.id });
  });
});
