/**
 * The scheduled escalation (functions/handlers/request-escalation.ts) on the test clock: a
 * request whose response clock (nobody accepted it) or resolution clock ran out is handed up one
 * level, once per level however often the schedule fires, its resident told through the outbox;
 * at the district it stays, 超期.
 * The dates are this file's own (June 2026), so the schedule meets no other file's requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { TEMPLATE_ENV } from '../../functions/lib/notifier';
import { escalateOverdue } from '../../functions/services/requests';
import { withCallLog } from '../../functions/store/client';
import { getOutbox } from '../../functions/store/outbox';
import { call } from '../support/stack';
import { file, requestWorld, type RequestWorld } from './requests-fixtures';

const FILED = new Date('2026-06-01T09:00:00+08:00'); // a Monday; 治安消防: resolve within 3 working days
const STREET_DUE = new Date('2026-06-05T00:00:00+08:00'); // the end of Thursday 4 June
const at = (iso: string) => new Date(iso);

let w: RequestWorld;
beforeAll(async () => {
  process.env[TEMPLATE_ENV.requestUpdate] = 'tpl-request';
  resetConfig();
  w = await requestWorld(FILED);
});
afterAll(() => {
  delete process.env[TEMPLATE_ENV.requestUpdate];
});

const read = async (id: string, now: Date) => (await call('GET', `/v1/requests/${id}`, { token: w.resident.token, now })).body;

describe('scheduled escalation', () => {
  it('hands an overdue request up once per level, tells the resident, and leaves it 超期 at the district', async () => {
    // prepare: accepted in time at each level, so only the resolution clock runs out
    const filed = await file(w, FILED, w.resident, { category: 'safety', text: '消防通道被电动车堵住' });
    const id = filed.body.id as string;
    expect(Date.parse(filed.body.resolveBy)).toBe(STREET_DUE.getTime());
    expect((await call('POST', `/v1/requests/${id}/accept`, { token: w.worker.token, now: at('2026-06-01T10:00:00+08:00') })).status).toBe(200);

    // act + assess: before the clock runs out, nothing moves
    await escalateOverdue(at('2026-06-04T23:59:00+08:00'));
    expect((await read(id, at('2026-06-04T23:59:00+08:00'))).level).toBe('community');

    // the schedule fires three times at once after it: handed up to the street exactly once, without a Scan
    const firstRun = at('2026-06-05T00:05:00+08:00');
    const { result: runs, calls } = await withCallLog(() => Promise.all([escalateOverdue(firstRun), escalateOverdue(firstRun), escalateOverdue(firstRun)]));
    expect(calls.some((c) => c.command === 'ScanCommand')).toBe(false);
    expect(runs.reduce((sum, r) => sum + r.escalated, 0)).toBe(1);
    const atStreet = await read(id, firstRun);
    expect(atStreet).toMatchObject({ status: 'escalated', level: 'street', overdue: false });
    expect(atStreet.timeline.filter((e: { kind: string }) => e.kind === 'auto-escalated')).toHaveLength(1);
    const told = await getOutbox(`request-overdue-${id}-${firstRun.getTime()}`);
    expect(told?.message).toMatchObject({ kind: 'wechat', userId: w.resident.id, template: 'requestUpdate' });

    expect((await call('POST', `/v1/requests/${id}/accept`, { token: w.streetStaff.token, now: at('2026-06-05T00:20:00+08:00') })).status).toBe(200);

    // a later run on the same day moves nothing more
    await escalateOverdue(at('2026-06-05T00:30:00+08:00'));
    expect((await read(id, at('2026-06-05T00:30:00+08:00'))).timeline.filter((e: { kind: string }) => e.kind === 'auto-escalated')).toHaveLength(1);

    // the street's clock (3 working days from Friday 5 June: 8, 9, 10 June) runs out too: to the district
    const secondRun = at('2026-06-11T00:05:00+08:00');
    await escalateOverdue(at('2026-06-10T23:00:00+08:00'));
    expect((await read(id, at('2026-06-10T23:00:00+08:00'))).level).toBe('street');
    await escalateOverdue(secondRun);
    expect(await read(id, secondRun)).toMatchObject({ status: 'escalated', level: 'district' });
    expect((await call('POST', `/v1/requests/${id}/accept`, { token: w.districtStaff.token, now: at('2026-06-11T00:10:00+08:00') })).status).toBe(200);

    // at the district, the top, it stays and shows 超期
    const weekLater = at('2026-06-20T00:05:00+08:00');
    await escalateOverdue(weekLater);
    const final = await read(id, weekLater);
    expect(final).toMatchObject({ level: 'district', overdue: true });
    expect(final.timeline.filter((e: { kind: string }) => e.kind === 'auto-escalated')).toHaveLength(2);
  }, 60_000);

  it('hands up a request nobody accepted within its response clock, once, and tells the resident why', async () => {
    // prepare: 治安消防 must be accepted within 2 hours; nobody does
    const id = (await file(w, FILED, w.resident, { category: 'safety', text: '楼道灭火器过期' })).body.id as string;

    // act + assess: within the 2 hours nothing moves
    await escalateOverdue(at('2026-06-01T10:59:00+08:00'));
    expect((await read(id, at('2026-06-01T10:59:00+08:00'))).level).toBe('community');

    // act: three runs at once after it
    const run = at('2026-06-01T11:05:00+08:00');
    const runs = await Promise.all([escalateOverdue(run), escalateOverdue(run), escalateOverdue(run)]);

    // assess: at the street once, unowned on the street's clock, the reason told
    expect(runs.reduce((sum, r) => sum + r.escalated, 0)).toBe(1);
    const atStreet = await read(id, run);
    expect(atStreet).toMatchObject({ status: 'escalated', level: 'street' });
    expect(atStreet.ownerName).toBeUndefined();
    expect(atStreet.timeline.filter((e: { kind: string }) => e.kind === 'auto-escalated')).toMatchObject([{ text: '超过响应时限无人受理，自动上报街道' }]);
    expect(await getOutbox(`request-overdue-${id}-${run.getTime()}`)).toMatchObject({ message: { userId: w.resident.id, template: 'requestUpdate' } });

    // the street accepts it in time: its response clock moves nothing any more, however late the run
    expect((await call('POST', `/v1/requests/${id}/accept`, { token: w.streetStaff.token, now: at('2026-06-01T12:00:00+08:00') })).status).toBe(200);
    await escalateOverdue(at('2026-06-01T14:00:00+08:00'));
    expect(await read(id, at('2026-06-01T14:00:00+08:00'))).toMatchObject({ status: 'accepted', level: 'street' });
  });

  it('never hands up a request accepted in time when its response clock runs out', async () => {
    const id = (await file(w, FILED, w.resident, { category: 'safety', text: '电动车楼道充电' })).body.id as string;
    await call('POST', `/v1/requests/${id}/accept`, { token: w.worker.token, now: at('2026-06-01T10:30:00+08:00') });

    await escalateOverdue(at('2026-06-01T11:05:00+08:00'));

    expect(await read(id, at('2026-06-01T11:05:00+08:00'))).toMatchObject({ status: 'accepted', level: 'community' });
  });

  it('leaves a request resolved before its clock ran out where it is', async () => {
    const id = (await file(w, FILED, w.resident, { category: 'safety', text: '楼道堆放杂物' })).body.id as string;
    await call('POST', `/v1/requests/${id}/accept`, { token: w.worker.token, now: FILED });
    await call('POST', `/v1/requests/${id}/resolve`, { token: w.worker.token, body: { summary: '已清理' }, now: FILED });

    await escalateOverdue(at('2026-06-05T00:10:00+08:00'));

    expect(await read(id, at('2026-06-05T00:10:00+08:00'))).toMatchObject({ status: 'resolved', level: 'community' });
  });
});
