/**
 * The volunteer invariants under concurrency, against DynamoDB Local: capacity, places freed
 * once, hours credited once, and a ledger whose total always equals the sum of its entries.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call } from '../support/stack';
import { activity, approvedVolunteer, attended, myCode, scan, signUp, world } from './volunteers-fixtures';

describe('capacity', () => {
  it('gives 3 places to exactly 3 of 10 volunteers signing up at once; the rest get 409 ACTIVITY_FULL', async () => {
    const w = await world();
    const act = await activity(w, { capacity: 3 });
    const people = await Promise.all(Array.from({ length: 10 }, () => approvedVolunteer(w)));
    const replies = await Promise.all(people.map((p) => call('POST', `/v1/activities/${act.id}/signups`, { token: p.token })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused.map((r) => r.status)).toEqual(Array(7).fill(409));
    expect(refused.map((r) => r.body.error.code)).toEqual(Array(7).fill('ACTIVITY_FULL'));
    const detail = await call('GET', `/v1/activities/${act.id}`);
    expect(detail.body).toMatchObject({ signedUp: 3, placesLeft: 0 });
    const sheet = await call('GET', `/v1/activities/${act.id}/signups`, { token: w.staff.token });
    expect(sheet.body.items.filter((s: { status: string }) => s.status === 'signed_up')).toHaveLength(3);
  });

  it('holds one place per volunteer when the same volunteer signs up 10 times at once', async () => {
    const w = await world();
    const act = await activity(w, { capacity: 5 });
    const person = await approvedVolunteer(w);
    const replies = await Promise.all(Array.from({ length: 10 }, () => call('POST', `/v1/activities/${act.id}/signups`, { token: person.token })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(replies.filter((r) => r.status !== 201).map((r) => r.body.error.code))).toEqual(new Set(['ALREADY_SIGNED_UP']));
    expect((await call('GET', `/v1/activities/${act.id}`)).body.signedUp).toBe(1);
  });

  it('frees a place exactly once when a cancellation is sent many times at once, and the place can be taken again', async () => {
    const w = await world();
    const act = await activity(w, { capacity: 1 });
    const [first, second] = await Promise.all([approvedVolunteer(w), approvedVolunteer(w)]);
    expect((await call('POST', `/v1/activities/${act.id}/signups`, { token: first!.token })).status).toBe(201);
    expect((await call('POST', `/v1/activities/${act.id}/signups`, { token: second!.token })).body.error.code).toBe('ACTIVITY_FULL');
    const cancels = await Promise.all(Array.from({ length: 8 }, () => call('DELETE', `/v1/activities/${act.id}/signups/me`, { token: first!.token })));
    expect(cancels.filter((r) => r.status === 200)).toHaveLength(1);
    expect((await call('GET', `/v1/activities/${act.id}`)).body.signedUp).toBe(0);
    expect((await call('POST', `/v1/activities/${act.id}/signups`, { token: second!.token })).status).toBe(201);
    expect((await call('GET', `/v1/activities/${act.id}`)).body.signedUp).toBe(1);
  });
});

describe('a code records one act, once', () => {
  it('checks a volunteer in exactly once when staff scan the same code 20 times at once; the rest are refused', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await signUp(act.id, person);
    const onSite = new Date(act.start.getTime() + 5 * 60_000);
    const code = await myCode(person, act.id, onSite);
    const replies = await Promise.all(Array.from({ length: 20 }, () => scan(w, act.id, 'check-in', code, onSite)));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status !== 200).map((r) => r.status)).toEqual(Array(19).fill(409));
    expect(new Set(replies.filter((r) => r.status !== 200).map((r) => r.body.error.code))).toEqual(new Set(['CODE_USED']));
    const sheet = await call('GET', `/v1/activities/${act.id}/signups`, { token: w.staff.token });
    expect(sheet.body.items[0]).toMatchObject({ userId: person.id, attendanceBy: 'scan' });
    expect(Date.parse(sheet.body.items[0].checkedInAt)).toBe(onSite.getTime());
  });
});

describe('hours are credited once', () => {
  it('writes one ledger entry when three staff verify the same attendance at once; the others get 409 ALREADY_VERIFIED', async () => {
    const w = await world();
    const act = await activity(w);
    const person = await approvedVolunteer(w);
    await attended(w, act, person);
    const url = `/v1/activities/${act.id}/signups/${person.id}/verify`;
    const replies = await Promise.all(Array.from({ length: 3 }, () => call('POST', url, { token: w.staff.token, body: {} })));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['ALREADY_VERIFIED', 'ALREADY_VERIFIED']);
    const me = await call('GET', '/v1/me/volunteer', { token: person.token });
    expect(me.body.entries).toHaveLength(1);
    expect(me.body.totalHours).toBe(1.5);
  });

  it('keeps the total equal to the sum of entries through many simultaneous verifications and corrections', async () => {
    const w = await world();
    const person = await approvedVolunteer(w);
    const acts = await Promise.all(Array.from({ length: 4 }, (_, i) => activity(w, { title: `活动${i + 1}` })));
    for (const act of acts) await attended(w, act, person);
    const verify = acts.flatMap((act) =>
      Array.from({ length: 3 }, () => call('POST', `/v1/activities/${act.id}/signups/${person.id}/verify`, { token: w.staff.token, body: {} })),
    );
    const corrections = [0.5, 1, -0.5, 2, 0.5].map((hours) =>
      call('POST', `/v1/communities/${w.cid}/volunteers/${person.id}/corrections`, { token: w.staff.token, body: { hours, reason: '并发更正' } }),
    );
    const replies = await Promise.all([...verify, ...corrections]);
    expect(replies.every((r) => r.status < 500)).toBe(true);
    const me = await call('GET', '/v1/me/volunteer', { token: person.token });
    const sum = me.body.entries.reduce((s: number, e: { hours: number }) => s + e.hours, 0);
    expect(me.body.entries.filter((e: { kind: string }) => e.kind === 'service')).toHaveLength(4);
    expect(me.body.totalHours).toBe(sum);
    expect(me.body.totalHours).toBe(4 * 1.5 + 3.5);
    expect(me.body.years.reduce((s: number, y: { hours: number }) => s + y.hours, 0)).toBe(sum);
  });
});

describe('the ledger is append-only', () => {
  it('has no code path that updates or deletes an entry: entries are only ever Put, each with attribute_not_exists', () => {
    const source = readFileSync(resolve(__dirname, '../../functions/store/volunteers/ledger.ts'), 'utf8');
    const uses = [...source.matchAll(/ledgerEntryKey\(/g)].length;
    // One call: inside `ledgerPut`, which builds a conditional Put.
    expect(uses).toBe(1);
    const put = /const ledgerPut = [\s\S]*?\n\}\);/.exec(source)?.[0] ?? '';
    expect(put).toContain('Put: {');
    expect(put).toContain("ConditionExpression: 'attribute_not_exists(pk)'");
    expect(source).not.toMatch(/LEDGER#/);
    // Nothing else in the functions builds a ledger key.
    for (const file of ['services/volunteers.ts', 'services/certificates.ts']) {
      expect(readFileSync(resolve(__dirname, '../../functions', file), 'utf8')).not.toMatch(/ledgerEntryKey|DeleteCommand/);
    }
  });
});
