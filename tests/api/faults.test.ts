/**
 * The database goes away in the middle of a rush and comes back. Requests in the gap get
 * 503 UNAVAILABLE with Retry-After (not a hang, not a 500), the service recovers by itself, and
 * every write acknowledged before the kill is there afterwards.
 *
 * This file runs its own DynamoDB Local, on disk, so it can kill it without touching the
 * instance the other tests share.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { ensureTable, freePort, startDynamoLocal, type LocalDynamo } from '../../scripts/local/dynamo';
import { admin } from '../support/actors';
import { call } from '../support/stack';

const dataDir = mkdtempSync(join(tmpdir(), 'linli-faults-'));
let port: number;
let dynamo: LocalDynamo;

beforeAll(async () => {
  port = await freePort();
  dynamo = await startDynamoLocal({ port, dataDir });
  await ensureTable(dynamo.endpoint, 'linli-faults');
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.TABLE_NAME = 'linli-faults';
  resetConfig();
}, 60_000);

afterAll(async () => {
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const community = (n: number) => ({ name: `故障演练社区${n}`, district: '鼓楼区', street: '西司门街道', residents: 100, households: 40 });

describe('when DynamoDB goes away during a rush', () => {
  it('answers 503 with Retry-After in the gap, recovers by itself, and keeps every acknowledged write', async () => {
    // prepare: a rush of community creations, each 201 recorded as acknowledged
    const root = await admin();
    const acknowledged: string[] = [];
    const gap: { status: number; code?: string; retryAfter?: string }[] = [];
    const create = async (n: number) => {
      const reply = await call('POST', '/v1/communities', { token: root.token, body: community(n) });
      if (reply.status === 201) acknowledged.push(reply.body.id);
      return reply;
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => create(i)));

    // act: kill the database (no graceful shutdown) while requests keep coming
    dynamo.process.kill('SIGKILL');
    await new Promise((done) => dynamo.process.once('exit', done));
    for (let i = 0; i < 5; i++) {
      const reply = await create(100 + i);
      gap.push({ status: reply.status, code: reply.body?.error?.code, retryAfter: reply.headers['retry-after'] });
    }
    dynamo = await startDynamoLocal({ port, dataDir });
    const after = await Promise.all(Array.from({ length: 10 }, (_, i) => create(200 + i)));

    // assess
    expect(gap).toEqual(Array(5).fill({ status: 503, code: 'UNAVAILABLE', retryAfter: expect.stringMatching(/^\d+$/) }));
    expect(after.map((r) => r.status)).toEqual(Array(10).fill(201));
    const found = await Promise.all(acknowledged.map((id) => call('GET', `/v1/communities/${id}`)));
    expect(found.filter((r) => r.status !== 200)).toEqual([]);
    expect(acknowledged.length).toBe(40);
  }, 120_000);
});
