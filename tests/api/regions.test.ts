/**
 * Regions, grids and the rates: admins create streets and districts and attach communities by
 * the street name they carry; staff of another street see nothing of this one; grids hold each
 * building once; the month's three rates and 走访入户率 show per grid, community and region.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMMUNITY, seedDemo } from '../../scripts/seed';
import { login, newCommunity, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';
import { act, file, freshBuilding, ok, regionStaff, requestWorld, type RequestWorld } from './requests-fixtures';

const T0 = new Date('2026-11-16T09:00:00+08:00');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let w: RequestWorld;
beforeAll(async () => {
  w = await requestWorld(T0);
});

describe('regions', () => {
  it('refuses a second street of the same name in a district, and a street under a street', async () => {
    const twin = await call('POST', '/v1/regions', { token: w.root.token, body: { name: '西司门街道', level: 'street', parentId: w.district }, now: T0 });
    const nested = await call('POST', '/v1/regions', { token: w.root.token, body: { name: '某街道', level: 'street', parentId: w.street }, now: T0 });
    expect([twin.status, twin.body.error.code]).toEqual([409, 'REGION_CONFLICT']);
    expect([nested.status, nested.body.error.code]).toEqual([409, 'REGION_CONFLICT']);
  });

  it('attaches a community only to the street it names, and never to a second one', async () => {
    const { id: other } = await newCommunity({ street: '华林街道' });
    const wrong = await call('PUT', `/v1/regions/${w.street}/communities/${other}`, { token: w.root.token, body: {}, now: T0 });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toContain('华林街道');

    const second = await ok('POST', '/v1/regions', { token: w.root.token, body: { name: '西司门街道', level: 'street' }, now: T0 }, 201);
    const moved = await call('PUT', `/v1/regions/${second.id}/communities/${w.cid}`, { token: w.root.token, body: {}, now: T0 });
    expect([moved.status, moved.body.error.code]).toEqual([409, 'REGION_CONFLICT']);
  });

  it("lists a region's communities to its staff, and shows staff of another street nothing of it", async () => {
    const otherDistrict = await ok('POST', '/v1/regions', { token: w.root.token, body: { name: `${Date.now().toString(36)}外区`, level: 'district' }, now: T0 }, 201);
    const otherStreet = await ok('POST', '/v1/regions', { token: w.root.token, body: { name: '华林街道', level: 'street', parentId: otherDistrict.id }, now: T0 }, 201);
    const outsider = await regionStaff(otherStreet.id, w.root);
    const id = (await file(w, T0)).body.id as string;
    await act(id, 'accept', w.worker, later(1));
    await act(id, 'escalate', w.worker, later(2), { reason: '需要街道协调' });

    const mine = await ok('GET', '/v1/me/regions', { token: w.streetStaff.token });
    const [region, list, stats, request] = await Promise.all([
      call('GET', `/v1/regions/${w.street}`, { token: outsider.token }),
      call('GET', `/v1/regions/${w.street}/requests`, { token: outsider.token, now: later(3) }),
      call('GET', `/v1/regions/${w.street}/stats`, { token: outsider.token, now: later(3) }),
      call('GET', `/v1/requests/${id}`, { token: outsider.token, now: later(3) }),
    ]);

    expect(mine.items).toEqual([expect.objectContaining({ id: w.street, level: 'street', communities: [{ id: w.cid, name: '幸福里社区' }] })]);
    expect([region.status, list.status, stats.status, request.status]).toEqual([403, 403, 403, 404]);
    const seen = await call('GET', `/v1/requests/${id}`, { token: w.streetStaff.token, now: later(3) });
    expect(seen.status).toBe(200);
    expect(seen.body.resident).toMatch(/^欧\*+$/);
  });
});

describe('removing region staff', () => {
  it('takes the street from a removed staff member at their next request, with its audit entry; a second removal finds nobody', async () => {
    // prepare: street staff who can see the street's desk
    const leaving = await regionStaff(w.street, w.root);
    expect((await call('GET', `/v1/regions/${w.street}/requests`, { token: leaving.token, now: later(1) })).status).toBe(200);
    // act
    const removed = await call('DELETE', `/v1/regions/${w.street}/staff/${leaving.id}`, { token: w.root.token, now: later(2) });
    const again = await call('DELETE', `/v1/regions/${w.street}/staff/${leaving.id}`, { token: w.root.token, now: later(3) });
    // assess: the token they hold no longer opens the street's desk, and nothing else of it
    expect(removed.status).toBe(200);
    expect([again.status, again.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const [list, stats, mine] = await Promise.all([
      call('GET', `/v1/regions/${w.street}/requests`, { token: leaving.token, now: later(4) }),
      call('GET', `/v1/regions/${w.street}/stats`, { token: leaving.token, now: later(4) }),
      ok('GET', '/v1/me/regions', { token: leaving.token }),
    ]);
    expect([list.status, stats.status]).toEqual([403, 403]);
    expect(mine.items).toEqual([]);
    // the street's remaining staff are untouched
    expect((await call('GET', `/v1/regions/${w.street}/requests`, { token: w.streetStaff.token, now: later(4) })).status).toBe(200);
  });
});

describe('grids', () => {
  it('holds each building in one grid, and makes only the community\'s staff grid workers', async () => {
    const taken = await call('POST', `/v1/communities/${w.cid}/grids`, { token: w.colleague.token, body: { name: '第二网格', buildings: [freshBuilding(), w.building], workerId: w.worker.id }, now: T0 });
    const notStaff = await call('POST', `/v1/communities/${w.cid}/grids`, { token: w.colleague.token, body: { name: '第三网格', buildings: [freshBuilding()], workerId: w.resident.id }, now: T0 });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'GRID_BUILDING_TAKEN']);
    expect(taken.body.error.message).toContain(`${w.building} 号楼`);
    expect(notStaff.status).toBe(400);
  });

  it('gives a grid every building once even when two grids claim it at once', async () => {
    const building = freshBuilding();
    const workers = await Promise.all([staffOf(w.cid), staffOf(w.cid)]);
    const replies = await Promise.all(workers.map((worker, i) => call('POST', `/v1/communities/${w.cid}/grids`, { token: w.colleague.token, body: { name: `抢楼网格${i}`, buildings: [building], workerId: worker.id }, now: T0 })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});

describe('the three rates and visits', () => {
  it('counts the month per grid, community and street: responded, resolved and satisfied in time, visits per household', async () => {
    // prepare: a fresh world, so its month holds exactly these
    const x = await requestWorld(T0);
    const neighbour = await verifiedResident(x.cid, `${x.building}-2-201`);
    const a = (await file(x, T0)).body.id as string;
    const b = (await file(x, T0, neighbour)).body.id as string;
    await act(a, 'accept', x.worker, later(10));
    await act(a, 'resolve', x.worker, later(20), { summary: '已修好' });
    await act(a, 'rating', x.resident, later(30), { score: 5 });
    await act(b, 'accept', x.worker, later(26 * 60)); // after the 24-hour response clock
    await act(b, 'escalate', x.worker, later(26 * 60 + 1), { reason: '需要街道协调' });
    await ok('POST', `/v1/communities/${x.cid}/visits`, { token: x.worker.token, body: { household: x.resident.household, note: '了解独居老人情况' }, now: later(40) }, 201);
    await ok('POST', `/v1/communities/${x.cid}/visits`, { token: x.worker.token, body: { household: x.resident.household }, now: later(50) }, 201);

    // act
    const community = await ok('GET', `/v1/communities/${x.cid}/stats`, { token: x.colleague.token, now: later(27 * 60) });
    const street = await ok('GET', `/v1/regions/${x.street}/stats?month=2026-11`, { token: x.streetStaff.token, now: later(27 * 60) });
    const district = await ok('GET', `/v1/regions/${x.district}/stats?month=2026-11`, { token: x.districtStaff.token, now: later(27 * 60) });

    // assess
    const rates = { filed: 2, responseRate: 0.5, resolutionRate: 0.5, satisfactionRate: 1, rated: 1, open: 1, overdue: 0, escalated: 1 };
    expect(community.requests).toMatchObject({ month: '2026-11', total: rates });
    expect(community.requests.grids).toEqual([{ gridId: x.gridId, name: '第一网格', ...rates, households: 2, visitedHouseholds: 1, visitRate: 0.5 }]);
    expect(street).toMatchObject({ month: '2026-11', total: rates, communities: [{ communityId: x.cid, name: '幸福里社区', ...rates }] });
    expect(district.total).toEqual(rates);
  }, 60_000);
});

describe('visits', () => {
  it("opens a follow-up request on the household's behalf, owned by the visiting worker, in the grid's queue", async () => {
    // act
    const visit = await ok('POST', `/v1/communities/${w.cid}/visits`, {
      token: w.worker.token, now: T0,
      body: { household: w.resident.household, note: '老人反映卫生间漏水', followUp: { category: 'repair', text: '卫生间水管漏水，老人行动不便' } },
    }, 201);

    // assess
    expect(visit).toMatchObject({ gridId: w.gridId, household: w.resident.household, requestId: expect.any(String) });
    const queue = await ok('GET', `/v1/communities/${w.cid}/requests?gridId=${w.gridId}&status=accepted`, { token: w.worker.token, now: T0 });
    expect(queue.items.find((r: { id: string }) => r.id === visit.requestId)).toMatchObject({ ownedByMe: true, gridId: w.gridId, household: w.resident.household });
  });
});

describe('the demo seed', () => {
  it('seeds the street and district with staff, two grids of staff-wang and a request in every state', async () => {
    await seedDemo();
    const [wang, liu] = await Promise.all([login('staff-wang'), login('street-liu')]);

    const [gridList, list, mine] = await Promise.all([
      ok('GET', `/v1/communities/${DEMO_COMMUNITY}/grids`, { token: wang.token }),
      ok('GET', `/v1/communities/${DEMO_COMMUNITY}/requests?limit=100`, { token: wang.token }),
      ok('GET', '/v1/me/regions', { token: liu.token }),
    ]);

    expect(gridList.items.map((g: { name: string; workerId: string }) => [g.name, g.workerId])).toEqual([['第一网格', wang.id], ['第二网格', wang.id]]);
    expect(new Set(list.items.map((r: { status: string }) => r.status))).toEqual(new Set(['submitted', 'accepted', 'escalated', 'resolved', 'closed', 'reopened']));
    expect(mine.items).toEqual([expect.objectContaining({ name: '西司门街道', communities: [{ id: DEMO_COMMUNITY, name: '幸福里示范社区' }] })]);
    const street = await ok('GET', `/v1/regions/${mine.items[0].id}/requests`, { token: liu.token });
    expect(street.items.map((r: { status: string }) => r.status).sort()).toEqual(['escalated', 'reopened']);
  });
});
