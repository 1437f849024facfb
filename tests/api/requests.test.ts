/**
 * 诉求反映 through the API: a request's life from filing to rating (首问负责, handing up to the
 * street and the district), who sees what (the resident masked to all but its owner, a public
 * list without text or person), the clock over a holiday, a low rating reopening it for the level
 * above, and the resident's 7-day reopen window.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gpsPhoto, TINY_PDF } from '../fixtures/gps-photo';
import { newCommunity, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';
import { act, file, ok, requestWorld, RESIDENT_NAME, type RequestWorld } from './requests-fixtures';

const T0 = new Date('2026-11-16T09:00:00+08:00'); // a plain Monday
const later = (minutes: number, from: Date = T0) => new Date(from.getTime() + minutes * 60_000);

let w: RequestWorld;
beforeAll(async () => {
  w = await requestWorld(T0);
});

describe('a request from filing to rating', () => {
  it('goes to the grid worker, is owned by whoever accepts first, handed up twice, resolved at the district and rated', async () => {
    // prepare + act: filed
    const filed = await file(w, T0);
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const id = filed.body.id as string;
    expect(filed.body).toMatchObject({ status: 'submitted', level: 'community', gridId: w.gridId, overdue: false });
    expect(filed.body.number).toMatch(/^2026-\d{7}$/);
    expect(Date.parse(filed.body.respondBy)).toBe(later(24 * 60).getTime()); // 物业维修: respond within 24 h

    // accepted by the grid worker, a note, handed up to the street
    const accepted = await act(id, 'accept', w.worker, later(30));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', ownedByMe: true, respondedAt: later(30).toISOString() });
    expect((await act(id, 'notes', w.worker, later(40), { text: '请明早在家，物业上门查看' })).status).toBe(201);
    const handed = await act(id, 'escalate', w.worker, later(60), { reason: '线路老化，需街道协调维修资金' });
    expect(handed.body).toMatchObject({ status: 'escalated', level: 'street' });
    expect(handed.body.ownedByMe).toBeUndefined();

    // the community's staff no longer accept it; the street's do, then hand it to the district
    expect((await act(id, 'accept', w.colleague, later(61))).status).toBe(403);
    const streetList = await ok('GET', `/v1/regions/${w.street}/requests?status=escalated`, { token: w.streetStaff.token, now: later(62) });
    expect(streetList.items.map((r: { id: string }) => r.id)).toContain(id);
    expect((await act(id, 'accept', w.streetStaff, later(70))).body).toMatchObject({ status: 'accepted', level: 'street', ownedByMe: true });
    expect((await act(id, 'escalate', w.streetStaff, later(80), { reason: '跨街道管线' })).body).toMatchObject({ status: 'escalated', level: 'district' });
    expect((await act(id, 'accept', w.districtStaff, later(90))).status).toBe(200);
    expect((await act(id, 'escalate', w.districtStaff, later(95), { reason: '再上报' })).body.error.code).toBe('TOP_LEVEL');
    const resolved = await act(id, 'resolve', w.districtStaff, later(120), { summary: '已更换楼道线路和灯具' });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: '已更换楼道线路和灯具' });

    // the resident rates it 5: closed
    const rated = await act(id, 'rating', w.resident, later(180), { score: 5, comment: '很及时' });

    // assess: closed, and the timeline tells the whole story in order
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ status: 'closed', rating: { score: 5, comment: '很及时' } });
    const seen = await ok('GET', `/v1/requests/${id}`, { token: w.resident.token, now: later(181) });
    expect(seen.timeline.map((e: { kind: string }) => e.kind)).toEqual(['filed', 'accepted', 'note', 'escalated', 'accepted', 'escalated', 'accepted', 'resolved', 'rated']);
    expect(seen.timeline[2]).toMatchObject({ text: '请明早在家，物业上门查看' });
    // each hand-up is signed by the level that handed it up, not the one it went to
    expect(seen.timeline[3].by).toMatch(/^社区工作人员/);
    expect(seen.timeline[5].by).toMatch(/^街道工作人员/);
  });

  it('sends a household in no grid to the duty desk', async () => {
    const elsewhere = await verifiedResident(w.cid, '998-1-101');
    const filed = await file(w, T0, elsewhere);
    expect(filed.status).toBe(201);
    expect(filed.body.gridId).toBeUndefined();
  });

  it('refuses a request from a member whose household is not verified, and one with more than 3 photos', async () => {
    const { id: cid } = await newCommunity();
    const stranger = await call('POST', `/v1/communities/${cid}/requests`, { token: w.resident.token, body: { category: 'other', text: '测试' }, now: T0 });
    expect(stranger.status).toBe(403);
    const photos = await file(w, T0, w.resident, { category: 'other', text: '测试', photos: ['a', 'b', 'c', 'd'] });
    expect(photos.status).toBe(400);
    expect(photos.body.error.details[0].message).toBe('最多上传 3 张照片');
  });
});

/** Presigns and PUTs a photo as the app does; answers the upload's id. */
async function uploadPhoto(who: Actor, bytes?: Buffer): Promise<string> {
  bytes ??= await gpsPhoto();
  const ticket = await ok('POST', '/v1/uploads', { token: who.token, body: { purpose: 'request-photo', contentType: 'image/jpeg', size: bytes.length } }, 201);
  const put = await fetch(ticket.url, { method: 'PUT', headers: ticket.headers, body: new Uint8Array(bytes) });
  expect(put.status).toBe(200);
  return ticket.uploadId as string;
}

describe('photos', () => {
  it('shows a filed photo, re-encoded, to the resident and the staff through a signed link, never on the public list', async () => {
    // prepare
    const photo = await uploadPhoto(w.resident);

    // act
    const filed = await file(w, T0, w.resident, { category: 'facilities', text: '健身器材螺丝松了', photos: [photo] });

    // assess
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const seen = await ok('GET', `/v1/requests/${filed.body.id}`, { token: w.colleague.token, now: T0 });
    expect(seen.photos).toHaveLength(1);
    const image = await fetch(seen.photos[0].url);
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    const list = await ok('GET', `/v1/communities/${w.cid}/requests/public`, { now: T0 });
    expect(JSON.stringify(list)).not.toContain('photos');
  });

  it("refuses someone else's upload, and a photo used twice", async () => {
    const neighbour = await verifiedResident(w.cid);
    const theirs = await uploadPhoto(neighbour);
    const mine = await uploadPhoto(w.resident);

    const stolen = await file(w, T0, w.resident, { category: 'other', text: '测试', photos: [theirs] });
    await file(w, T0, w.resident, { category: 'other', text: '第一次', photos: [mine] });
    const again = await file(w, T0, w.resident, { category: 'other', text: '第二次', photos: [mine] });

    expect([stolen.status, stolen.body.error.code]).toEqual([404, 'UPLOAD_NOT_FOUND']);
    expect([again.status, again.body.error.code]).toEqual([409, 'UPLOAD_CLAIMED']);
  });

  it('keeps a checked photo for the next try when the request it came with was refused', async () => {
    // prepare
    const resident = await verifiedResident(w.cid);
    const good = await uploadPhoto(resident);
    const notAPhoto = await uploadPhoto(resident, TINY_PDF);
    const refused = await file(w, T0, resident, { category: 'other', text: '第一次', photos: [good, notAPhoto] });
    // act
    const retried = await file(w, T0, resident, { category: 'other', text: '第二次', photos: [good] });
    // assess
    expect([refused.status, refused.body.error.code]).toEqual([400, 'UPLOAD_INVALID']);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    const seen = await ok('GET', `/v1/requests/${retried.body.id}`, { token: resident.token, now: T0 });
    expect(seen.photos).toHaveLength(1);
  });

  it('lets one of 20 simultaneous requests naming the same checked photo keep it (409 UPLOAD_CLAIMED for the rest)', async () => {
    // prepare: the photo checked by a request refused for another photo, so all 20 find it waiting
    const resident = await verifiedResident(w.cid);
    const good = await uploadPhoto(resident);
    await file(w, T0, resident, { category: 'other', text: '测试', photos: [good, await uploadPhoto(resident, TINY_PDF)] });
    // act
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => file(w, T0, resident, { category: 'other', text: `第 ${i + 1} 次`, photos: [good] })));
    // assess
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status !== 201).map((r) => [r.status, r.body.error.code])).toEqual(Array(19).fill([409, 'UPLOAD_CLAIMED']));
    const mine = await ok('GET', '/v1/me/requests', { token: resident.token, now: T0 });
    expect(mine.items).toHaveLength(1);
  });
});

describe('who sees what', () => {
  it("masks the resident to staff who do not own it, shows them to its owner, and hides it from everyone else", async () => {
    // prepare
    const id = (await file(w, T0)).body.id as string;
    const neighbour = await verifiedResident(w.cid);

    // act
    const [mine, colleague, street, other] = await Promise.all([
      call('GET', `/v1/requests/${id}`, { token: w.resident.token, now: T0 }),
      call('GET', `/v1/requests/${id}`, { token: w.colleague.token, now: T0 }),
      call('GET', `/v1/requests/${id}`, { token: w.streetStaff.token, now: T0 }),
      call('GET', `/v1/requests/${id}`, { token: neighbour.token, now: T0 }),
    ]);
    await act(id, 'accept', w.worker, later(5));
    const owner = await call('GET', `/v1/requests/${id}`, { token: w.worker.token, now: later(6) });

    // assess
    expect(mine.body).toMatchObject({ resident: RESIDENT_NAME, household: w.resident.household });
    expect(colleague.status).toBe(200);
    expect(colleague.body).toMatchObject({ resident: '欧***', household: `${w.building}号楼`, text: '3 楼楼道灯不亮，晚上看不见台阶' });
    expect(JSON.stringify(colleague.body)).not.toContain(RESIDENT_NAME);
    expect(street.status).toBe(404); // not handed up to the street
    expect(other.status).toBe(404);
    expect(owner.body).toMatchObject({ resident: RESIDENT_NAME, household: w.resident.household, ownedByMe: true });
  });

  it('lists category, state, dates and the resolution summary publicly, never the text or the person', async () => {
    const id = (await file(w, T0)).body.id as string;
    await act(id, 'accept', w.worker, later(5));
    await act(id, 'resolve', w.worker, later(10), { summary: '已修复' });

    const list = await ok('GET', `/v1/communities/${w.cid}/requests/public?status=resolved`, { now: later(11) });

    const item = list.items.find((r: { id: string }) => r.id === id);
    expect(Object.keys(item).sort()).toEqual(['category', 'createdAt', 'id', 'level', 'number', 'overdue', 'resolution', 'resolvedAt', 'status']);
    expect(item).toMatchObject({ status: 'resolved', resolution: '已修复', category: 'repair' });
    expect(JSON.stringify(list)).not.toContain(RESIDENT_NAME);
    expect(JSON.stringify(list)).not.toContain('楼道灯');
  });
});

describe('clocks', () => {
  it("runs a request on its community's own clock for the category, once staff set one", async () => {
    // prepare: a community of its own, so no other test files on the changed clock
    const x = await requestWorld(T0);
    const set = await ok('PUT', `/v1/communities/${x.cid}/request-categories`, { token: x.colleague.token, body: { clocks: [{ category: 'repair', respondHours: 8, resolveDays: 2 }] }, now: T0 });

    // act
    const filed = await file(x, T0);

    // assess
    expect(set.items.find((c: { category: string }) => c.category === 'repair')).toEqual({ category: 'repair', label: '物业维修', respondHours: 8, resolveDays: 2 });
    expect(set.items.find((c: { category: string }) => c.category === 'safety')).toMatchObject({ label: '治安消防', respondHours: 2, resolveDays: 3 });
    expect(Date.parse(filed.body.respondBy)).toBe(later(8 * 60).getTime());
    expect(Date.parse(filed.body.resolveBy)).toBe(new Date('2026-11-19T00:00:00+08:00').getTime()); // Tue 17 and Wed 18
    const audit = await ok('GET', `/v1/communities/${x.cid}/audit`, { token: x.colleague.token });
    expect(audit.items.map((e: { act: string }) => e.act)).toContain('request.clocks');
  });

  it('runs the resolution clock over the National Day holiday in working days, and shows 超期 once it runs out', async () => {
    const filedAt = new Date('2026-09-30T10:00:00+08:00');
    const filed = await file(w, filedAt, w.resident, { category: 'sanitation', text: '垃圾桶满了没人清' });

    // 环境卫生: respond within 4 h; 3 working days after 30 Sep are 8, 9 and the 调休 Saturday 10 Oct
    expect(Date.parse(filed.body.respondBy)).toBe(new Date('2026-09-30T14:00:00+08:00').getTime());
    expect(Date.parse(filed.body.resolveBy)).toBe(new Date('2026-10-11T00:00:00+08:00').getTime());
    const late = await ok('GET', `/v1/requests/${filed.body.id}`, { token: w.resident.token, now: new Date('2026-09-30T15:00:00+08:00') });
    expect(late.overdue).toBe(true);
  });
});

describe('after the resolution', () => {
  it('reopens a rating of 1–2 for review by the level above the owner, whose staff accept it', async () => {
    const id = (await file(w, T0)).body.id as string;
    await act(id, 'accept', w.worker, later(5));
    await act(id, 'resolve', w.worker, later(10), { summary: '已处理' });

    const rated = await act(id, 'rating', w.resident, later(20), { score: 2, comment: '灯还是不亮' });

    expect(rated.body).toMatchObject({ status: 'reopened', level: 'street', rating: { score: 2 }, overdue: false });
    expect(Date.parse(rated.body.respondBy)).toBe(later(20 + 24 * 60).getTime()); // a fresh clock for the review
    expect((await act(id, 'accept', w.worker, later(21))).status).toBe(403);
    expect((await act(id, 'accept', w.streetStaff, later(22))).body).toMatchObject({ status: 'accepted', level: 'street' });
  });

  it('lets the resident reopen within 7 days (back to its owner), and not after', async () => {
    const [a, b] = [(await file(w, T0)).body.id as string, (await file(w, T0)).body.id as string];
    for (const id of [a, b]) {
      await act(id, 'accept', w.worker, later(5));
      await act(id, 'resolve', w.worker, later(10), { summary: '已处理' });
    }
    const day = 24 * 60;

    const within = await act(a, 'reopen', w.resident, later(6 * day), { reason: '又坏了' });
    const tooLate = await act(b, 'reopen', w.resident, later(8 * day), {});

    expect(within.body).toMatchObject({ status: 'reopened', ownedByMe: false, ownerName: expect.stringContaining('社区工作人员'), overdue: false });
    // a fresh clock from the reopening on Sunday 22 Nov: 物业维修's 5 working days end on Friday 27 Nov
    expect(Date.parse(within.body.resolveBy)).toBe(new Date('2026-11-28T00:00:00+08:00').getTime());
    expect((await act(a, 'resolve', w.worker, later(6 * day + 60), { summary: '已彻底修好' })).body.status).toBe('resolved');
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error.code).toBe('REOPEN_EXPIRED');
  });

  it('refuses a rating before the resolution and a second rating', async () => {
    const id = (await file(w, T0)).body.id as string;
    expect((await act(id, 'rating', w.resident, later(1), { score: 5 })).body.error.code).toBe('REQUEST_STATE');
    await act(id, 'accept', w.worker, later(5));
    await act(id, 'resolve', w.worker, later(10), { summary: '已处理' });
    expect((await act(id, 'rating', w.resident, later(20), { score: 4 })).status).toBe(200);
    expect((await act(id, 'rating', w.resident, later(21), { score: 1 })).body.error.code).toBe('REQUEST_STATE');
  });
});
