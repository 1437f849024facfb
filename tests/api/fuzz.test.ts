/**
 * 10,000 generated requests across every endpoint — wrong types, missing fields, huge strings,
 * odd Unicode, unknown ids and other users' ids — from anonymous callers, residents, staff and
 * admins. Whatever a client sends, the answer is never a 5xx and every error has the contract's
 * shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fault, fuzzRequests } from '../../bench/fuzz';
import { resetConfig } from '../../functions/lib/config';
import { admin, newCommunity, staffOf, verifiedResident, type Actor } from '../support/actors';
import { call } from '../support/stack';
import { startWechatStub, type WechatStub } from '../support/wechat-stub';

const TOTAL = 10_000;

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

describe('fuzzing every endpoint', () => {
  it(`answers ${TOTAL} generated requests without a 5xx, every error in the contract shape`, async () => {
    // The same generator bench/fuzz.ts sends to both stacks over HTTP.
    const requests = fuzzRequests(TOTAL, callers.length, knownIds);
    const failures: string[] = [];
    // Bounded concurrency: 16 requests in flight.
    for (let i = 0; i < requests.length; i += 16) {
      await Promise.all(
        requests.slice(i, i + 16).map(async (request) => {
          const reply = await call(request.def.method, request.path, {
            token: callers[request.caller]?.token,
            ...(request.payload.raw !== undefined ? { rawBody: request.payload.raw } : { body: request.payload.body }),
          });
          if (fault(reply.status, reply.body)) failures.push(`${request.def.method} ${request.path} → ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
        }),
      );
    }
    expect(failures.slice(0, 20)).toEqual([]);
  }, 600_000);
});
