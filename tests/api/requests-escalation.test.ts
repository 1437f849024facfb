/**
 * The scheduled escalation (functions/handlers/request-escalation.ts) on the test clock: a
 * request whose resolution clock ran out is handed up one level, once per level however often
 * the schedule fires, its resident told through the outbox; at the district it stays, 超期.
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
    // prepare
    const filed = await file(w, FILED, w.resident, { category: 'safety', text: '消防通道被电动车堵住' });
    const id = filed.body.id as string;
    expect(Date.parse(filed.body.resolveBy)).toBe(STREET_DUE.getTime());

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

    // a later run on the same day moves nothing more
    await escalateOverdue(at('2026-06-05T00:30:00+08:00'));
    expect((await read(id, at('2026-06-05T00:30:00+08:00'))).timeline.filter((e: { kind: string }) => e.kind === 'auto-escalated')).toHaveLength(1);

    // the street's clock (3 working days from Friday 5 June: 8, 9, 10 June) runs out too: to the district
    const secondRun = at('2026-06-11T00:05:00+08:00');
    await escalateOverdue(at('2026-06-10T23:00:00+08:00'));
    expect((await read(id, at('2026-06-10T23:00:00+08:00'))).level).toBe('street');
    await escalateOverdue(secondRun);
    expect(await read(id, secondRun)).toMatchObject({ status: 'escalated', level: 'district' });

    // at the district, the top, it stays and shows 超期
    const weekLater = at('2026-06-20T00:05:00+08:00');
    await escalateOverdue(weekLater);
    const final = await read(id, weekLater);
    expect(final).toMatchObject({ level: 'district', overdue: true });
    expect(final.timeline.filter((e: { kind: string }) => e.kind === 'auto-escalated')).toHaveLength(2);
  }, 60_000);

  it('leaves a request resolved before its clock ran out where it is', async () => {
    const id = (await file(w, FILED, w.resident, { category: 'safety', text: '楼道堆放杂物' })).body.id as string;
    await call('POST', `/v1/requests/${id}/accept`, { token: w.worker.token, now: FILED });
    await call('POST', `/v1/requests/${id}/resolve`, { token: w.worker.token, body: { summary: '已清理' }, now: FILED });

    await escalateOverdue(at('2026-06-05T00:10:00+08:00'));

    expect(await read(id, at('2026-06-05T00:10:00+08:00'))).toMatchObject({ status: 'resolved', level: 'community' });
  });
});
