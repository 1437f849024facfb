/**
 * Overhead ratio (issue #7): each hot endpoint's latency through the full local stack
 * (HTTP → serverless-offline → the esbuild bundle in a worker thread) and through the handler
 * invoked in-process, against the bare DynamoDB operation it performs, measured alternately in
 * one run. Starts its own DynamoDB Local and serverless-offline on free loopback ports and stops
 * both at exit.
 *
 * How "bare" is made: every in-process request runs with its DynamoDB calls recorded at the SDK's
 * document client. Two mirror tables in the same DynamoDB Local receive every write the
 * in-process handlers make (setup included), so just before each request they hold the same
 * items as the handler's table. Right after the request, the recorded commands are sent again,
 * unchanged but for the table name, with a document client configured as the product's, in the
 * same order (and the same parallelism) as the handler sent them, to
 *   - mirror 1, all of them ("bare, all calls"), and
 *   - mirror 2, only the action's own calls ("bare op"): without the Idempotency-Key record's
 *     claim and completion (or, on a with-act route, without the record's item in the act's
 *     transaction) and without the GetItem of the caller's membership (staff check).
 * The handler is also run again with every call answered from the recording ("handler code"):
 * token, validation, rules, response, with no SDK and no database.
 *
 * Env: OVERHEAD_N (measured iterations, default 200), OVERHEAD_WARMUP (discarded, default 20),
 * OVERHEAD_NO_WRITE=1 (print the section without writing BENCHMARKS.md), OVERHEAD_DEBUG=1 (log
 * each replayed call that ended differently from the handler's).
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ensureTable, startDynamoLocal, type LocalDynamo } from '../scripts/local/dynamo';
import {
  bareClient,
  dbWait,
  describe,
  installCapture,
  isIdempotency,
  isWrite,
  prepare,
  record,
  replay,
  splitRecordedAct,
  stubbed,
  withCachedIntl,
  type Recorded,
} from './overhead/capture';
import { startOffline, type Offline } from './overhead/offline';
import { ENDPOINTS, finishIteration, makeWorld, prepareIteration, type Reply, type Request, type Send } from './overhead/scenarios';
import { percentile, table, writeSection } from './report';

const STAGE = 'local';
/** The in-process handlers' table, which the two mirrors copy item for item. */
const TABLE = 'linli-bench-handler';
/** The full stack's (serverless.yml's table for the stage): its world's items stay out of the mirrored table. */
const OFFLINE_TABLE = `linli-${STAGE}`;
const MIRROR_ALL = 'linli-bench-bare-all';
const MIRROR_OP = 'linli-bench-bare-op';

type Mode = 'bareOp' | 'bareAll' | 'inProcess' | 'stub' | 'stubIntl' | 'full';

interface Samples {
  bareOp: number[];
  bareAll: number[];
  inProcess: number[];
  stub: number[];
  stubIntl: number[];
  full: number[];
  dbWait: number[];
  calls: Map<string, number>;
  diverged: number;
  stubMismatch: string[];
  failures: string[];
}

/** The GetItem of the caller's own membership that precedes a staff action (services/access.ts). */
const isAccessCheck = (c: Recorded): boolean =>
  c.ctor.name === 'GetCommand' && String((c.input.Key as { sk?: unknown } | undefined)?.sk ?? '').startsWith('MEMBER#');

function toReply(result: APIGatewayProxyStructuredResultV2): Reply {
  const text = result.body ?? '';
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: result.statusCode ?? 200, body };
}

const ms = (v: number) => (v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const p = (values: number[]) => `${ms(percentile(values, 50))} / ${ms(percentile(values, 99))}`;

/**
 * DynamoDB Local on one core, this process (and the full stack it starts) on the others, when
 * there are two or more: in AWS the database runs on other machines, and sharing two cores with
 * its Java threads (requests, GC, the work after a commit) slowed the handler's own code, which
 * runs between and after its calls, where the bare replays have none. Returns what was done.
 */
function pinApart(javaPid: number | undefined): string {
  const cores = availableParallelism();
  if (cores < 2 || javaPid === undefined) return 'not pinned (one core)';
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cores - 1), String(javaPid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-p', '-c', `0-${cores - 2}`, String(process.pid)], { stdio: 'ignore' });
    return `DynamoDB Local pinned to core ${cores - 1} of ${cores}, the benchmark and the full stack to ${cores === 2 ? 'core 0' : `cores 0–${cores - 2}`}`;
  } catch {
    return 'not pinned (no taskset)';
  }
}

export async function overhead(): Promise<void> {
  const N = Number(process.env.OVERHEAD_N ?? 200);
  const WARMUP = Number(process.env.OVERHEAD_WARMUP ?? 20);
  let dynamo: LocalDynamo | undefined;
  let offline: Offline | undefined;
  const cleanup = async () => {
    await offline?.stop().catch(() => undefined);
    await dynamo?.stop().catch(() => undefined);
  };
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    dynamo = await startDynamoLocal();
    const pinned = pinApart(dynamo.process.pid);
    Object.assign(process.env, { STAGE, DEV_LOGIN: '1', TABLE_NAME: TABLE, DYNAMODB_ENDPOINT: dynamo.endpoint, RATE_LIMIT_PER_MINUTE: '1000000' });
    delete process.env.LINLI_COUNT_CALLS;
    for (const name of [TABLE, OFFLINE_TABLE, MIRROR_ALL, MIRROR_OP]) await ensureTable(dynamo.endpoint, name);
    console.log(`DynamoDB Local at ${dynamo.endpoint}`);

    installCapture();
    // Imported after the environment is set: the handlers read it on first use.
    const { invoke } = await import('../scripts/local/api-server');
    const { documentClient } = await import('../functions/store/client');
    const mirrorAll = bareClient(dynamo.endpoint);
    const mirrorOp = bareClient(dynamo.endpoint);
    /**
     * One untimed read and one untimed one-item transaction, on the client and table a mode is
     * about to use, just before it is timed. DynamoDB Local answers the first read and the first
     * transaction after a pause of a millisecond or two (the stubbed runs touch no database) more
     * slowly, and the in-process request always came first after such a pause: the same GET sent
     * again right after its replays spent 1 ms less in its calls, and book's transaction took
     * 12.6 ms in the handler's run where the same transaction replayed took 10.2. With these two
     * calls every mode starts from the same state.
     */
    const warm = async (client: DynamoDBDocumentClient, tableName: string) => {
      const Key = { pk: 'BENCH#WARM', sk: 'BENCH#WARM' };
      await client.send(new GetCommand({ TableName: tableName, Key }));
      await client.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: tableName, Item: { ...Key, at: Date.now() } } }] }));
    };

    let setupDiverged = 0;
    const mirrorWrites = async (calls: Recorded[]) => {
      const writes = calls.filter(isWrite);
      if (!writes.length) return;
      setupDiverged += (await replay(mirrorAll, prepare(writes, TABLE, MIRROR_ALL))).diverged;
      setupDiverged += (await replay(mirrorOp, prepare(writes, TABLE, MIRROR_OP))).diverged;
    };
    /** Untimed in-process request whose writes reach the mirrors too. */
    const send: Send = async (req) => {
      const { result, calls } = await record(() => invoke(req));
      await mirrorWrites(calls);
      return toReply(result);
    };
    const offlineStarting = startOffline({ dynamoEndpoint: dynamo.endpoint, stage: STAGE, env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    offlineStarting.catch(() => undefined);
    // World A is served in-process (and mirrored for the bare replays); world C through the full stack.
    const worldA = await makeWorld(send);
    const t0 = performance.now();
    offline = await offlineStarting;
    console.log(`serverless offline at ${offline.base} (waited ${((performance.now() - t0) / 1000).toFixed(1)} s after world A was made)`);
    const base = offline.base;

    const fullSend = async (req: Request): Promise<{ reply: Reply; ms: number }> => {
      const t = performance.now();
      const res = await fetch(base + req.url, { method: req.method, headers: req.headers, body: req.body });
      const text = await res.text();
      const elapsed = performance.now() - t;
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON
      }
      return { reply: { status: res.status, body }, ms: elapsed };
    };
    /** Untimed request to the full stack, for world C's setup (in its own table: never mirrored). */
    const sendPlain: Send = async (req) => (await fullSend(req)).reply;
    const worldC = await makeWorld(sendPlain);

    const samples = new Map<string, Samples>(
      ENDPOINTS.map((e) => [e.name, { bareOp: [], bareAll: [], inProcess: [], stub: [], stubIntl: [], full: [], dbWait: [], calls: new Map(), diverged: 0, stubMismatch: [], failures: [] }]),
    );

    const started = performance.now();
    for (let i = 0; i < WARMUP + N; i++) {
      const measured = i >= WARMUP;
      await prepareIteration(send, worldA);
      await prepareIteration(sendPlain, worldC);
      for (const [k, endpoint] of ENDPOINTS.entries()) {
        const s = samples.get(endpoint.name)!;
        const reqA = endpoint.request(worldA);
        const reqC = endpoint.request(worldC);
        let recorded: Recorded[] = [];
        const run: Record<Mode, () => Promise<void>> = {
          inProcess: async () => {
            await warm(documentClient(), TABLE);
            const { result, calls, ms: elapsed } = await record(() => invoke(reqA));
            recorded = calls;
            const reply = toReply(result);
            if (reply.status >= 300) s.failures.push(`in-process ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
            else endpoint.after?.(worldA, reply.body);
            if (measured) {
              s.inProcess.push(elapsed);
              s.dbWait.push(dbWait(calls));
              const shape = calls.map(describe).join(' + ') || '(none)';
              s.calls.set(shape, (s.calls.get(shape) ?? 0) + 1);
            }
          },
          bareAll: async () => {
            const prepared = prepare(recorded, TABLE, MIRROR_ALL);
            await warm(mirrorAll, MIRROR_ALL);
            const r = await replay(mirrorAll, prepared);
            s.diverged += r.diverged;
            if (measured) s.bareAll.push(r.ms);
          },
          bareOp: async () => {
            const { act, records } = splitRecordedAct(recorded);
            const op = act.filter((c) => !isIdempotency(c) && !isAccessCheck(c));
            const rest = [...records, ...recorded.filter((c) => isIdempotency(c) || isAccessCheck(c)).filter(isWrite)];
            const prepared = prepare(op, TABLE, MIRROR_OP);
            await warm(mirrorOp, MIRROR_OP);
            const r = await replay(mirrorOp, prepared);
            s.diverged += r.diverged;
            // The idempotency record too, untimed, so the mirror keeps every item the handler wrote.
            if (rest.length) s.diverged += (await replay(mirrorOp, prepare(rest, TABLE, MIRROR_OP))).diverged;
            if (measured) s.bareOp.push(r.ms);
          },
          stub: async () => {
            const r = await stubbed(recorded, () => invoke(reqA));
            if (r.mismatch) s.stubMismatch.push(r.mismatch);
            if (measured) s.stub.push(r.ms);
          },
          stubIntl: async () => {
            const r = await withCachedIntl(() => stubbed(recorded, () => invoke(reqA)));
            if (r.mismatch) s.stubMismatch.push(r.mismatch);
            if (measured) s.stubIntl.push(r.ms);
          },
          full: async () => {
            await warm(documentClient(), OFFLINE_TABLE);
            const { reply, ms: elapsed } = await fullSend(reqC);
            if (reply.status >= 300) s.failures.push(`full ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
            else endpoint.after?.(worldC, reply.body);
            if (measured) s.full.push(elapsed);
          },
        };
        // Alternation: the in-process request must come before its replays; the two bare modes
        // swap places every other turn and the full-stack request moves through all positions.
        const order: Mode[] = (i + k) % 2 ? ['inProcess', 'bareAll', 'bareOp', 'stub', 'stubIntl'] : ['inProcess', 'bareOp', 'bareAll', 'stubIntl', 'stub'];
        order.splice((i + k) % 6, 0, 'full');
        for (const mode of order) await run[mode]();
      }
      await finishIteration(send, worldA);
      await finishIteration(sendPlain, worldC);
      if ((i + 1) % 20 === 0) console.log(`iteration ${i + 1}/${WARMUP + N} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }

    const failures = [...samples.values()].flatMap((s) => s.failures);
    if (failures.length) throw new Error(`${failures.length} requests failed, e.g. ${failures.slice(0, 5).join('; ')}`);

    const rows = ENDPOINTS.map((e) => {
      const s = samples.get(e.name)!;
      const [op, all, inp, full] = [s.bareOp, s.bareAll, s.inProcess, s.full].map((v) => [percentile(v, 50), percentile(v, 99)] as const);
      return [
        `${e.name} (\`${e.route}\`)`,
        p(s.bareOp),
        p(s.bareAll),
        p(s.inProcess),
        p(s.full),
        `**${ratio(inp![0], op![0])}** / ${ratio(inp![1], op![1])}`,
        `${ratio(inp![0], all![0])} / ${ratio(inp![1], all![1])}`,
        `${ratio(full![0], op![0])} / ${ratio(full![1], op![1])}`,
      ];
    });
    const m = (v: number[]) => percentile(v, 50);
    const parts: string[][] = [];
    const notes: string[] = [];
    for (const e of ENDPOINTS) {
      const s = samples.get(e.name)!;
      const inp = m(s.inProcess);
      const op = m(s.bareOp);
      const excess = inp - op;
      const guards = m(s.bareAll) - op;
      const code = m(s.stub);
      const intl = code - m(s.stubIntl);
      const rest = excess - guards - code;
      parts.push([e.name, ms(inp), ms(m(s.dbWait)), ms(op), ms(excess), ms(guards), ms(code), ms(intl), ms(rest), ms(m(s.full) - inp), ratio(inp, op)]);
      if (inp / op <= 1.3) continue;
      const share = (v: number) => `${ms(v)} ms (${Math.round((100 * v) / excess)} %)`;
      const pieces: [number, string][] = [
        [guards, `guards ${share(guards)}`],
        [code - intl, `handler code other than dates ${share(code - intl)}`],
        [intl, `building Intl.DateTimeFormat ${share(intl)}`],
        [rest, `the rest ${share(rest)}`],
      ];
      const ranked = pieces.sort((a, b) => b[0] - a[0]).map(([, text]) => text);
      notes.push(`- **${e.name}** (${ratio(inp, op)}, ${ms(excess)} ms over bare op): ${ranked.join(', ')}.`);
    }
    const shapes = ENDPOINTS.map((e) => {
      const s = samples.get(e.name)!;
      const [shape, count] = [...s.calls].sort((a, b) => b[1] - a[1])[0] ?? ['–', 0];
      const other = s.calls.size > 1 ? ` (${s.calls.size - 1} other shape${s.calls.size > 2 ? 's' : ''} in ${N - count} requests)` : '';
      return [e.name, `${shape}${other}`];
    });
    const diverged = [...samples.values()].reduce((sum, s) => sum + s.diverged, 0) + setupDiverged;
    const mismatches = [...samples.values()].reduce((sum, s) => sum + s.stubMismatch.length, 0);
    const body = renderSection({ N, WARMUP, pinned, rows, parts, notes, shapes, diverged, mismatches });
    if (process.env.OVERHEAD_NO_WRITE !== '1') writeSection('overhead', 'npx tsx bench/overhead.ts', body);
    console.log(body);
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

function renderSection(r: { N: number; WARMUP: number; pinned: string; rows: string[][]; parts: string[][]; notes: string[]; shapes: string[][]; diverged: number; mismatches: number }): string {
  return `## Overhead ratio

Each hot endpoint measured four ways in one run, alternately (per endpoint and iteration: the
handler in-process, then its two bare replays in alternating order and the handler twice more
with a stubbed database, for the breakdown below; the full-stack request moves through every position), ${r.N} iterations after ${r.WARMUP}
discarded warm-up iterations. Writes carry an \`Idempotency-Key\`, as the mini-program sends.
Each timed mode that reaches DynamoDB is preceded by an untimed GetItem and an untimed one-item
transaction on its own client and table: DynamoDB Local answers the first read and the first
transaction after a pause (the stubbed runs touch no database) more slowly, and without them the
in-process request, always first after such a pause, paid that alone. ${r.pinned} (in AWS
the database does not share the function's CPU). See "Fair to the handler" below the
before-and-after block.

- **bare op**: the DynamoDB calls the handler made for the action itself, sent again with a
  document client configured as the product's, unchanged but for the table (a mirror holding the
  same items), in the handler's order: the handler's calls less the \`Idempotency-Key\` record's
  claim and completion (on the routes that record the key with the act, \`idempotency: 'with-act'\`:
  the act's transaction less the record's item) and less the GetItem of the caller's membership
  (the staff check; a staff check that is a ConditionCheck in the act's transaction stays).
- **bare all**: every call the handler made, sent the same way to a second mirror.
- **in-process**: \`invoke\` (scripts/local/api-server.ts): the API Gateway v2 event to the
  function's handler, in this process, against DynamoDB Local, in a table of its own that the two
  mirrors copy item for item (the full stack's world is in the stage's table, set up through it).
- **full**: HTTP (\`fetch\`, keep-alive) to \`serverless offline\` (stage \`${STAGE}\`,
  serverless-esbuild bundles, handlers in worker threads, \`--localEnvironment\` only to lift the
  per-user rate limit) against the same DynamoDB Local.

Milliseconds, median / p99. Target: in-process ÷ bare op ≤ 1.3 (median, in bold).

${table(['endpoint', 'bare op', 'bare all', 'in-process', 'full', 'in-process ÷ bare op', 'in-process ÷ bare all', 'full ÷ bare op'], r.rows)}

### Where the in-process time goes (medians, ms)

"Excess" is in-process − bare op, split into: **guards** (bare all − bare op: the
\`Idempotency-Key\` record: a conditional PutItem and UpdateItem around the write, or its item in
the act's own transaction; and the staff check's GetItem); **handler code** (the handler run again with each DynamoDB call answered from
the recording: token verification, validation, rules, building the response; no SDK, no
database), of which **dates** is what building a new \`Intl.DateTimeFormat\` on every call costs
(the same run with formatters reused); and **rest** (what the replays do not explain: scheduling,
GC, noise; negative when the handler's run was the quicker). **Of which calls in flight** is the
part of the in-process time during which at least one of the handler's DynamoDB calls was under
way: set beside bare all, it shows how much slower the calls themselves were in the handler's run.

${table(['endpoint', 'in-process', 'of which calls in flight', 'bare op', 'excess', 'guards', 'handler code', 'of which dates', 'rest', 'full − in-process', 'in-process ÷ bare op'], r.parts)}

What dominates each ratio above 1.3 (largest first):

${r.notes.join('\n') || '- none above 1.3.'}

### The calls each handler made (usual request)

${table(['endpoint', 'DynamoDB calls'], r.shapes)}

Replays that ended differently from the handler's call (a condition that held for one and not the
other): ${r.diverged}. Stubbed runs whose calls differed from the recording: ${r.mismatches}.`;
}

if (process.argv[1]?.endsWith('overhead.ts')) {
  overhead().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error.stack ?? error.message);
      process.exit(1);
    },
  );
}
