/**
 * 10,000 generated requests across every endpoint — wrong types, missing fields, huge strings,
 * odd Unicode, unknown ids and other users' ids — from anonymous callers, residents, staff and
 * admins. Whatever a client sends, the answer is never a 5xx and every error has the contract's
 * shape.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import type { RouteDef } from '@contract/route';
import { routes } from '@contract/routes';
import * as z from '@contract/schema';
import { admin, newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';
import { startWechatStub, type WechatStub } from '../support/wechat-stub';

const TOTAL = 10_000;
const list = Object.values(routes) as RouteDef[];

let callers: (Actor | undefined)[] = [];
let knownIds: string[] = [];
let wechat: WechatStub;

beforeAll(async () => {
  wechat = await startWechatStub();
  process.env.WECHAT_API_BASE = wechat.base;
  resetConfig();
  const { id: cid } = await newCommunity();
  const [root, staff, resident] = await Promise.all([admin(), staffOf(cid), verifiedResident(cid)]);
  callers = [undefined, root, staff, resident];
  knownIds = [cid, root.id, staff.id, resident.id, 'demo'];
}, 60_000);
afterAll(() => wechat.close());

const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '💥🏠', '３－２－５０１', '<script>alert(1)</script>', "'; DROP TABLE x;--", 'A'.repeat(5000)),
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(oddText, { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(oddText, fc.integer()), { maxKeys: 4 }),
);
const pathValue = fc.oneof(
  fc.constantFrom(...['x', '0', 'A', '-1', '9'.repeat(64), 'a'.repeat(65), '%00', '..', 'demo']),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
);

/** A body with the schema's field names and values of any type, or anything at all. */
function bodyFor(def: RouteDef): fc.Arbitrary<{ raw?: string; body?: unknown }> {
  const shape = def.body ? (z.toJSONSchema(def.body, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> }) : {};
  const keys = Object.keys(shape.properties ?? {});
  const withKeys = keys.length
    ? fc.record(Object.fromEntries(keys.map((k) => [k, oddValue])), { requiredKeys: [] }).map((body) => ({ body }))
    : fc.constant({ body: {} });
  return fc.oneof(
    withKeys,
    oddValue.map((body) => ({ body })),
    fc.string({ maxLength: 200 }).map((raw) => ({ raw })),
    fc.constant({ raw: JSON.stringify({ x: 'y'.repeat(70_000) }) }),
  );
}

describe('fuzzing every endpoint', () => {
  it(`answers ${TOTAL} generated requests without a 5xx, every error in the contract shape`, async () => {
    const perRoute = Math.ceil(TOTAL / list.length);
    const failures: string[] = [];
    for (const def of list) {
      const request = fc.record({
        params: fc.array(fc.oneof(fc.constantFrom(...knownIds), pathValue), { minLength: 4, maxLength: 4 }),
        payload: bodyFor(def),
        caller: fc.integer({ min: 0, max: callers.length - 1 }),
        query: fc.dictionary(fc.constantFrom('limit', 'cursor', 'date', 'verified', 'status', 'skill', 'from'), fc.string({ maxLength: 30 }), { maxKeys: 3 }),
      });
      const samples = fc.sample(request, { numRuns: perRoute, seed: 20261122 });
      // Bounded concurrency: 16 requests in flight.
      for (let i = 0; i < samples.length; i += 16) {
        await Promise.all(
          samples.slice(i, i + 16).map(async (sample) => {
            let n = 0;
            const path = def.path.replace(/\{\w+\}/g, () => encodeURIComponent(sample.params[n++ % 4] ?? 'x'));
            const search = new URLSearchParams(sample.query).toString();
            const reply = await call(def.method, `${path}${search ? `?${search}` : ''}`, {
              token: callers[sample.caller]?.token,
              ...(sample.payload.raw !== undefined ? { rawBody: sample.payload.raw } : { body: sample.payload.body }),
            });
            const wellShaped = reply.status < 400 || (typeof reply.body?.error?.code === 'string' && typeof reply.body?.error?.message === 'string');
            if (reply.status >= 500 || !wellShaped) failures.push(`${def.method} ${path} → ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
          }),
        );
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
  }, 600_000);
});
