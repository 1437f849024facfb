/**
 * Fuzzing both stacks: the generated requests of tests/api/fuzz.test.ts (wrong types, missing
 * fields, huge strings, odd Unicode, unknown and other people's ids, from anonymous callers,
 * residents, staff and admins), sent over HTTP to `startApiServer` and to the stack `npm start`
 * runs (serverless-offline), each with its own DynamoDB Local holding the demo community.
 * Counts the requests, the 5xx answers and the 4xx answers outside the contract's error shape
 * (target: 0 and 0), and writes the "fuzz" section of BENCHMARKS.md.
 */
import fc from 'fast-check';
import type { RouteDef } from '@contract/route';
import { routes } from '@contract/routes';
import * as z from '@contract/schema';
import { ensureTable, startDynamoLocal } from '../scripts/local/dynamo';
import { startApiServer } from '../scripts/local/api-server';
import { startStack } from '../scripts/local/stack';
import { DEMO_COMMUNITY } from '../scripts/seed';
import { startWechatStub } from '../tests/support/wechat-stub';
import { table, writeSection } from './report';

export interface FuzzRequest {
  def: RouteDef;
  path: string;
  /** Index into the callers (0 = anonymous). */
  caller: number;
  payload: { raw?: string; body?: unknown };
}

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

/** About `total` requests spread evenly over every route, the same ones for the same seed. */
export function fuzzRequests(total: number, callers: number, knownIds: string[], seed = 20261122): FuzzRequest[] {
  const list = Object.values(routes) as RouteDef[];
  const perRoute = Math.ceil(total / list.length);
  return list.flatMap((def) => {
    const request = fc.record({
      params: fc.array(fc.oneof(fc.constantFrom(...knownIds), pathValue), { minLength: 4, maxLength: 4 }),
      payload: bodyFor(def),
      caller: fc.integer({ min: 0, max: callers - 1 }),
      query: fc.dictionary(fc.constantFrom('limit', 'cursor', 'date', 'verified', 'status', 'skill', 'from'), fc.string({ maxLength: 30 }), { maxKeys: 3 }),
    });
    return fc.sample(request, { numRuns: perRoute, seed }).map((sample) => {
      let n = 0;
      const path = def.path.replace(/\{\w+\}/g, () => encodeURIComponent(sample.params[n++ % 4] ?? 'x'));
      const search = new URLSearchParams(sample.query).toString();
      return { def, path: `${path}${search ? `?${search}` : ''}`, caller: sample.caller, payload: sample.payload };
    });
  });
}

/** An answer the fuzz counts against the API: a 5xx, or an error outside the contract's shape. */
export function fault(status: number, body: unknown): '5xx' | 'shape' | undefined {
  if (status >= 500) return '5xx';
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (status >= 400 && (typeof error?.code !== 'string' || typeof error?.message !== 'string')) return 'shape';
  return undefined;
}

const TOTAL = Number(process.env.FUZZ_TOTAL ?? 3000);
/** The demo's people: anonymous, the platform admin, the director, a verified resident. */
const OPENIDS = [undefined, 'admin', 'staff-wang', 'resident-li'];

interface Outcome {
  stack: string;
  sent: number;
  serverErrors: number;
  offShape: number;
  examples: string[];
  seconds: number;
}

async function fuzzOver(stack: string, base: string): Promise<Outcome> {
  const post = async (path: string, body: unknown) =>
    (await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{
      token: string;
      user: { id: string };
    }>;
  const people = await Promise.all(OPENIDS.map((openid) => (openid ? post('/v1/auth/dev', { openid }) : undefined)));
  const requests = fuzzRequests(TOTAL, OPENIDS.length, [DEMO_COMMUNITY, ...people.flatMap((p) => (p ? [p.user.id] : [])), 'demo']);
  const outcome: Outcome = { stack, sent: 0, serverErrors: 0, offShape: 0, examples: [], seconds: 0 };
  const started = performance.now();
  // 16 requests in flight, as the API test does.
  for (let i = 0; i < requests.length; i += 16) {
    await Promise.all(
      requests.slice(i, i + 16).map(async (request) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        const token = people[request.caller]?.token;
        if (token) headers.authorization = `Bearer ${token}`;
        const body = request.payload.raw ?? (request.payload.body === undefined ? undefined : JSON.stringify(request.payload.body));
        outcome.sent++;
        let status = 0;
        let parsed: unknown;
        try {
          const reply = await fetch(`${base}${request.path}`, { method: request.def.method, headers, body: request.def.method === 'GET' ? undefined : body });
          status = reply.status;
          const text = await reply.text();
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        } catch (error) {
          parsed = (error as Error).message;
        }
        const kind = status === 0 ? '5xx' : fault(status, parsed);
        if (kind === '5xx') outcome.serverErrors++;
        if (kind === 'shape') outcome.offShape++;
        if (kind && outcome.examples.length < 5) outcome.examples.push(`${request.def.method} ${request.path.slice(0, 60)} → ${status} ${JSON.stringify(parsed).slice(0, 100)}`);
      }),
    );
  }
  outcome.seconds = (performance.now() - started) / 1000;
  return outcome;
}

export async function fuzz(): Promise<boolean> {
  // WeChat is the API test's stand-in, as in tests/api/fuzz.test.ts: a real WeChat out of reach
  // is a 503 the fuzz is not about.
  const wechat = await startWechatStub();
  const limits = { RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000', DEV_LOGIN: '1', WECHAT_API_BASE: wechat.base };
  const outcomes: Outcome[] = [];
  // startApiServer, in this process, on a DynamoDB Local of its own seeded like npm start's.
  const dynamo = await startDynamoLocal();
  try {
    await ensureTable(dynamo.endpoint, 'linli-test');
    Object.assign(process.env, { ...limits, STAGE: 'test', TABLE_NAME: 'linli-test', DYNAMODB_ENDPOINT: dynamo.endpoint });
    const { seedDemo } = await import('../scripts/seed');
    await seedDemo();
    const api = await startApiServer(0);
    try {
      outcomes.push(await fuzzOver('`startApiServer`', api.base));
    } finally {
      await api.close();
    }
  } finally {
    await dynamo.stop();
  }
  const stack = await startStack({ env: { ...process.env, ...limits } });
  try {
    outcomes.push(await fuzzOver('the `npm start` stack (serverless-offline)', stack.base));
  } finally {
    await stack.stop();
    await wechat.close();
  }

  const body = `## Fuzz (both stacks)

The generated requests of \`tests/api/fuzz.test.ts\` (\`fuzzRequests\`: every route, wrong types, missing fields, huge strings, odd Unicode, unknown and other people's ids, bodies that are JSON primitives, from anonymous callers, the platform admin, the director and a verified resident of the demo community), sent over HTTP, 16 in flight, WeChat replaced by the API tests' stand-in. Rate limits lifted (one address, four people). Target: no 5xx and every 4xx in the contract's error shape.

${table(['stack', 'requests', '5xx', '4xx outside the error shape', 'seconds'], outcomes.map((o) => [o.stack, o.sent, o.serverErrors, o.offShape, o.seconds.toFixed(1)]))}
${outcomes.flatMap((o) => o.examples.map((e) => `\n- ${o.stack}: \`${e.replace(/`/g, "'")}\``)).join('')}`;
  writeSection('fuzz', `${TOTAL === 3000 ? '' : `FUZZ_TOTAL=${TOTAL} `}npx tsx bench/fuzz.ts`, body, { after: 'rush' });
  console.log(body);
  return outcomes.every((o) => o.serverErrors === 0 && o.offShape === 0);
}

if (process.argv[1]?.endsWith('fuzz.ts')) {
  fuzz()
    .then((pass) => process.exit(pass ? 0 : 1))
    .catch((error: Error) => {
      console.error(error);
      process.exit(1);
    });
}
