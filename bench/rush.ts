/**
 * Morning rush (issue #7): one community's service hall at opening time, under load.
 *
 *   2,000 residents log in, take tickets over 3 categories and follow their position (GET the
 *   ticket every 10 s of real time until called) while 4 windows call next and complete, as fast
 *   as the API lets them, until the queue is empty; meanwhile 300 residents book the same
 *   morning's slots (fewer places than bookers: SLOT_FULL is an expected outcome) and 1,000
 *   households vote in the last minute of a consultation (in 1 household in 10 both residents try:
 *   ALREADY_VOTED is expected). The hall's display board is followed both ways it can be: the
 *   WebSocket push (the API Gateway management API replaced by a local stand-in, as in
 *   tests/api/queue-board-socket.test.ts) and polling the board endpoint like the H5 board's
 *   fallback. Afterwards the invariants are verified; any FAIL exits non-zero.
 *
 * It runs twice, each time on a stack of its own (a fresh in-memory DynamoDB Local on free
 * ports), stage `test` so that `x-test-now` gives every request the rush's clock:
 *   api-server  the real handlers behind `startApiServer` in a child Node process;
 *   npm-start   the stack `npm start` runs (scripts/local/stack.ts: serverless-offline).
 * Each run is a process of its own (RUSH_TARGET names it; the product's configuration is a module
 * singleton); the parent puts the two side by side. Loopback only; everything started is stopped.
 *
 * RUSH_SCALE=0.1 scales every count down for a quick try; the committed figures use 1.
 * RUSH_TARGETS=npm-start runs one stack only.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { officialDay } from '../functions/domain/holidays';
import { weekdayOf } from '../functions/domain/slots';
import { addDays, instantOf, localDate } from '../functions/domain/time';
import { ensureTable, startDynamoLocal, type LocalDynamo } from '../scripts/local/dynamo';
import { startStack, type StartedStack } from '../scripts/local/stack';
import { percentile, table, writeSection } from './report';
import { Client, deferred, Pool, sleep, type Sample } from './rush/http';
import { CATEGORIES, seed, WINDOWS, type World } from './rush/seed';
import type { CallCounts } from './rush/server';
import { verify, type Check, type Observed } from './rush/verify';

const SCALE = Number(process.env.RUSH_SCALE ?? 1);
const RESIDENTS = Math.max(6, 2 * Math.round((2000 * SCALE) / 2));
const HOUSEHOLDS = RESIDENTS / 2;
const BOOKERS = Math.max(3, Math.round(300 * SCALE));
/** 6 morning slots (09:00–12:00, 30 min): 6 × 40 = 240 places for 300 bookers. */
const CAPACITY_PER_SLOT = Math.max(1, Math.floor(40 * SCALE));
/** Households in which the second resident also tries to vote (1 in 10). */
const SECOND_VOTER_EVERY = 10;
const POLL_MS = 10_000;
/** The H5 board's fallback polling interval (miniprogram/src/queue/board: POLL_FAST). */
const BOARD_POLL_MS = 1_500;
/** The consultation's last minute starts this long into the rush… */
const BALLOT_START_MS = 30_000;
/** …and ballots arrive at random over its first 55 s. */
const BALLOT_SPREAD_MS = 55_000;
/** The rush is stopped (and FAILs) after this long: RUSH_LIMIT_MIN, default 20 minutes. */
const HARD_LIMIT_MS = Number(process.env.RUSH_LIMIT_MIN ?? 20) * 60_000;
/** Client-side concurrency: each population's phones are independent of the others'. */
const POOLS = { residents: 36, bookings: 8, ballots: 12 };
const TABLE = 'linli-test';
const ROOT = resolve(__dirname, '..');

const TARGETS = {
  'api-server': '`startApiServer` (tests, benchmarks)',
  'npm-start': 'the `npm start` stack (serverless-offline)',
} as const;
type Target = keyof typeof TARGETS;

/** What the side-by-side table shows of one run. */
interface Summary {
  target: Target;
  pass: boolean;
  seconds: number;
  requests: number;
  errors: number;
  boardPoll: string;
  /** endpoint → [requests, p50, p99, errors] */
  endpoints: Record<string, [number, number, number, number]>;
}

interface Call {
  id: string;
  number: string;
  window: number;
  sentAt: number;
  doneAt: number;
}
interface Push {
  at: number;
  number: string;
  seq: number;
  recall: boolean;
}
interface BoardPoll {
  doneAt: number;
  seq: number;
  shown: string[];
}
interface Held {
  index: number;
  id: string;
  number: string;
  category: string;
  polls: number;
  pollGaps: number[];
  lastPollAt: number;
  positionRises: number;
  /** Rises seen in polls sent once every take had been answered. */
  latePositionRises: number;
  lastPosition?: number;
  status?: string;
}

const log = (line: string) => console.log(line);

/** The first ordinary working day (Mon–Fri, not a holiday nor a 调休 day) after today in Shanghai. */
function rushDate(): string {
  let date = localDate(new Date());
  for (let i = 0; i < 30; i++) {
    date = addDays(date, 1);
    if (!['sat', 'sun'].includes(weekdayOf(date)) && officialDay(date).kind === 'ordinary') return date;
  }
  throw new Error('no working day within 30 days');
}

/** CPU seconds used so far by a process (utime + stime from /proc). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds the whole machine has been busy (all cores, from /proc/stat). */
function machineBusySeconds(): number {
  try {
    const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = v.map(Number);
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - (n[3] ?? 0) - (n[4] ?? 0)) / 100;
  } catch {
    return NaN;
  }
}

/** A stand-in for the API Gateway management API: records each PostToConnection with its arrival time. */
async function boardSocketStandIn(pushes: Push[], pairing: (code: string) => void): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      try {
        const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: string; code?: string; call?: { number: string; seq: number; recall?: boolean } };
        if (message.type === 'pairing' && message.code) pairing(message.code);
        if (message.call) pushes.push({ at, number: message.call.number, seq: message.call.seq, recall: message.call.recall === true });
      } catch {
        // not a board message
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

function startApiChild(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; base: string; stderr: string[] }> {
  const stderr: string[] = [];
  const child = fork(resolve(__dirname, 'rush/server.ts'), [], {
    cwd: ROOT,
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim() && stderr.length < 2000) stderr.push(line);
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((done, fail) => {
    child.once('exit', (code) => fail(new Error(`the API process exited with ${code}: ${stderr.slice(-5).join(' | ')}`)));
    child.on('message', (m: { type?: string; base?: string }) => {
      if (m.type === 'ready' && m.base) done({ child, base: m.base, stderr });
    });
  });
}

function childCounts(child: ChildProcess): Promise<CallCounts> {
  return new Promise((done) => {
    const onMessage = (m: { type?: string; counts?: CallCounts }) => {
      if (m.type !== 'counts') return;
      child.off('message', onMessage);
      done(m.counts ?? {});
    };
    child.on('message', onMessage);
    child.send('counts');
  });
}

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)}` : '–');
const s1 = (v: number) => (v / 1000).toFixed(1);

function endpointRows(samples: Sample[], spanMs: number): (string | number)[][] {
  const by = new Map<string, Sample[]>();
  for (const sample of samples) by.set(sample.endpoint, [...(by.get(sample.endpoint) ?? []), sample]);
  return [...by].map(([endpoint, list]) => {
    const times = list.map((x) => x.ms);
    const statuses = new Map<string, number>();
    for (const x of list) {
      const key = `${x.status}${x.code && x.status >= 300 ? ` ${x.code}` : ''}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    const first = Math.min(...list.map((x) => x.sentAt));
    const last = Math.max(...list.map((x) => x.doneAt));
    return [
      `\`${endpoint}\``,
      list.length,
      (list.length / (spanMs / 1000)).toFixed(1),
      (list.length / ((last - first) / 1000 || 1)).toFixed(1),
      ms(percentile(times, 50)),
      ms(percentile(times, 99)),
      ms(Math.max(...times)),
      [...statuses].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join(', '),
      list.filter((x) => x.outcome === 'error').length,
    ];
  });
}

function dist(values: number[]): string {
  if (!values.length) return '–';
  return `p50 ${ms(percentile(values, 50))} ms · p99 ${ms(percentile(values, 99))} ms · max ${ms(Math.max(...values))} ms`;
}

async function rushOn(target: Target): Promise<{ pass: boolean; body: string; summary: Summary }> {
  const started = performance.now();
  const date = rushDate();
  const seedNow = instantOf(date, '07:00');
  const T0 = instantOf(date, '08:30').getTime();
  const closesAt = new Date(T0 + BALLOT_START_MS + 60_000);
  let dynamo: LocalDynamo | undefined;
  let api: { child: ChildProcess; base: string; stderr: string[] } | undefined;
  let stack: StartedStack | undefined;
  let socketServer: Server | undefined;
  const stop = async () => {
    await stack?.stop();
    if (api && api.child.exitCode === null) {
      const exited = new Promise((done) => api!.child.once('exit', done));
      api.child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
    }
    if (socketServer) await new Promise((done) => socketServer!.close(done));
    await dynamo?.stop();
  };
  const onSignal = () => void stop().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    log(`rush on ${target}: ${RESIDENTS} residents (${HOUSEHOLDS} households), ${BOOKERS} bookers, ${6 * CAPACITY_PER_SLOT} places, date ${date}${SCALE !== 1 ? `, RUSH_SCALE=${SCALE}` : ''}`);
    const pushes: Push[] = [];
    const pairingCode = deferred<string>();
    socketServer = await boardSocketStandIn(pushes, (code) => pairingCode.resolve(code));
    const wsEndpoint = `http://127.0.0.1:${(socketServer.address() as AddressInfo).port}`;
    const limits = {
      // One user may make 120 requests a minute on one instance; a window compressed into
      // minutes makes more (a real clerk calls about once a minute), and 2,000 residents' logins
      // all come from this one address, so the limits are lifted, as the API tests do.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
      DEV_LOGIN: '1',
      WS_ENDPOINT: wsEndpoint,
      LINLI_COUNT_CALLS: '',
    };
    let base: string;
    let dynamoEndpoint: string;
    if (target === 'api-server') {
      dynamo = await startDynamoLocal();
      await ensureTable(dynamo.endpoint, TABLE);
      dynamoEndpoint = dynamo.endpoint;
      api = await startApiChild({ ...process.env, ...limits, STAGE: 'test', TABLE_NAME: TABLE, DYNAMODB_ENDPOINT: dynamo.endpoint });
      base = api.base;
    } else {
      stack = await startStack({ stage: 'test', env: { ...process.env, ...limits } });
      dynamoEndpoint = stack.dynamoEndpoint;
      base = stack.base;
    }
    // The board's socket events run here, in the load generator, and answer through the stand-in.
    Object.assign(process.env, { STAGE: 'test', TABLE_NAME: TABLE, DYNAMODB_ENDPOINT: dynamoEndpoint, WS_ENDPOINT: wsEndpoint });
    log(`DynamoDB Local ${dynamoEndpoint}, API ${base}, board socket stand-in ${wsEndpoint}`);

    // ------------------------------------------------------------------ seeding (not measured)
    const client = new Client(base);
    const seedStarted = performance.now();
    const world: World = await seed(
      client,
      { residents: RESIDENTS, capacityPerSlot: CAPACITY_PER_SLOT, date, now: seedNow, opensAt: new Date(seedNow.getTime() - 86_400_000), closesAt },
      log,
    );
    // The display board connects as the API Gateway WebSocket would deliver $connect.
    const { handler: boardSocket } = await import('../functions/handlers/board-socket');
    const connected = await boardSocket({ requestContext: { routeKey: '$connect', connectionId: 'rush-board', stage: 'test' }, queryStringParameters: { cid: world.cid } } as never);
    if (connected.statusCode !== 200) throw new Error('the board did not connect');
    // It says hello, shows the pairing code it is answered with, and staff pair it.
    await boardSocket({ requestContext: { routeKey: '$default', connectionId: 'rush-board', stage: 'test' }, body: '{"action":"hello"}' } as never);
    const paired = await client.request('POST /v1/communities/{cid}/boards', 'POST', `/v1/communities/${world.cid}/boards`, {
      token: world.staff[0]!.token,
      body: { code: await Promise.race([pairingCode.promise, sleep(10_000).then(() => Promise.reject(new Error('the board was sent no pairing code')))]) },
    });
    if (paired.status !== 201 && paired.status !== 200) throw new Error(`the board was not paired: ${paired.status}`);
    const seedMs = performance.now() - seedStarted;
    log(`seeded in ${s1(seedMs)} s: community ${world.cid}, ${world.slotCount} slots × ${CAPACITY_PER_SLOT} = ${world.slotCapacity} places`);

    // ------------------------------------------------------------------ the rush
    api?.child.send('reset');
    client.phase = 'rush';
    const cpu0 = { java: cpuSeconds(dynamo?.process.pid), api: cpuSeconds(api?.child.pid), load: process.cpuUsage(), machine: machineBusySeconds(), loadavg: loadavg()[0]! };
    const rushStart = performance.now();
    const V = () => new Date(T0 + (performance.now() - rushStart));
    const pools = { residents: new Pool('residents', POOLS.residents), bookings: new Pool('bookings', POOLS.bookings), ballots: new Pool('ballots', POOLS.ballots) };
    const cid = world.cid;
    const tokens = world.people.map(() => deferred<string | undefined>());
    const held: Held[] = [];
    const taken: Observed['taken'] = [];
    let takesSettled = 0;
    const calls: Call[] = [];
    let windowsDone = false;
    let aborted = false;
    const timeOver = () => performance.now() - rushStart > HARD_LIMIT_MS;

    const resident = async (index: number) => {
      const person = world.people[index]!;
      const login = await pools.residents.run(() => client.request('POST /v1/auth/dev', 'POST', '/v1/auth/dev', { body: { openid: person.openid }, now: V }));
      const token = login.outcome === 'ok' ? (login.body.token as string) : undefined;
      tokens[index]!.resolve(token);
      if (!token) {
        takesSettled++;
        return;
      }
      const category = CATEGORIES[index % CATEGORIES.length]!;
      const take = await pools.residents.run(() =>
        client.request('POST /v1/communities/{cid}/tickets', 'POST', `/v1/communities/${cid}/tickets`, { token, body: { category }, now: V }),
      );
      takesSettled++;
      if (take.outcome !== 'ok') return;
      taken.push({ id: take.body.id, number: take.body.number, category });
      const mine: Held = { index, id: take.body.id, number: take.body.number, category, polls: 0, pollGaps: [], lastPollAt: take.doneAt, positionRises: 0, latePositionRises: 0, lastPosition: take.body.position };
      held.push(mine);
      // Follow the ticket: the ticket page asks again 10 s after each answer, until called.
      while (!timeOver()) {
        await sleep(POLL_MS);
        const allTaken = takesSettled === RESIDENTS;
        const poll = await pools.residents.run(() => client.request('GET /v1/tickets/{id}', 'GET', `/v1/tickets/${mine.id}`, { token, now: V }));
        mine.polls++;
        mine.pollGaps.push(poll.sentAt - mine.lastPollAt);
        mine.lastPollAt = poll.doneAt;
        if (poll.outcome !== 'ok') continue;
        if (poll.body.status !== 'waiting') {
          mine.status = poll.body.status;
          return;
        }
        if (mine.lastPosition !== undefined && poll.body.position > mine.lastPosition) {
          mine.positionRises++;
          if (allTaken) mine.latePositionRises++;
        }
        mine.lastPosition = poll.body.position;
      }
    };

    const windowLoop = async (no: number, token: string) => {
      while (!timeOver()) {
        const allTaken = takesSettled === RESIDENTS;
        const call = await client.request('POST /v1/communities/{cid}/windows/{no}/call-next', 'POST', `/v1/communities/${cid}/windows/${no}/call-next`, { token, now: V, expect: ['QUEUE_EMPTY'] });
        if (call.outcome === 'ok') {
          calls.push({ id: call.body.id, number: call.body.number, window: no, sentAt: call.sentAt, doneAt: call.doneAt });
          // Served at once: the window completes the ticket and calls the next.
          await client.request('POST /v1/tickets/{id}/complete', 'POST', `/v1/tickets/${call.body.id}/complete`, { token, now: V });
          continue;
        }
        if (call.code === 'QUEUE_EMPTY') {
          if (allTaken) return;
          await sleep(250);
          continue;
        }
        await sleep(Number(call.headers.get('retry-after') ?? 0.5) * 1000);
      }
      aborted = true;
    };

    const booked: Observed['booked'] = [];
    const bookingOutcomes = { booked: 0, slotFullAnswers: 0, noneShown: 0, gaveUpAfterFull: 0, errors: 0 };
    const booker = async (index: number) => {
      const token = await tokens[index]!.promise;
      if (!token) return;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const slots = await pools.bookings.run(() => client.request('GET /v1/services/{sid}/slots', 'GET', `/v1/services/${world.sid}/slots?date=${date}`, { now: V }));
        if (slots.outcome !== 'ok') continue;
        const open = (slots.body.items as { start: string; available: number }[]).filter((s) => s.available > 0);
        if (!open.length) {
          bookingOutcomes.noneShown++;
          return;
        }
        // Most want the earliest free slot; some pick another.
        const pick = Math.random() < 0.7 ? open[0]! : open[Math.floor(Math.random() * open.length)]!;
        const book = await pools.bookings.run(() =>
          client.request('POST /v1/services/{sid}/appointments', 'POST', `/v1/services/${world.sid}/appointments`, { token, body: { start: pick.start }, now: V, expect: ['SLOT_FULL'] }),
        );
        if (book.outcome === 'ok') {
          bookingOutcomes.booked++;
          booked.push({ start: pick.start, userId: world.people[index]!.id });
          return;
        }
        if (book.code !== 'SLOT_FULL') {
          bookingOutcomes.errors++;
          return;
        }
        bookingOutcomes.slotFullAnswers++;
      }
      bookingOutcomes.gaveUpAfterFull++;
    };

    const ballots: Observed['ballots'] = [];
    const ballotStamps: number[] = [];
    const voter = async (index: number, atMs: number) => {
      await sleep(Math.max(0, rushStart + atMs - performance.now()));
      const token = await tokens[index]!.promise;
      if (!token) return;
      const choice = world.options[Math.floor(Math.random() * world.options.length)]!;
      const reply = await pools.ballots.run(() => {
        ballotStamps.push(V().getTime());
        return client.request('POST /v1/consultations/{id}/ballots', 'POST', `/v1/consultations/${world.consultationId}/ballots`, { token, body: { choices: [choice] }, now: V, expect: ['ALREADY_VOTED'] });
      });
      ballots.push({ household: world.people[index]!.household, choice, accepted: reply.outcome === 'ok' });
    };

    const boardPolls: BoardPoll[] = [];
    const boardLoop = async () => {
      for (let last = false; ; ) {
        const t = performance.now();
        const reply = await client.request('GET /v1/communities/{cid}/hall/board', 'GET', `/v1/communities/${cid}/hall/board`, { now: V });
        if (reply.outcome === 'ok') {
          const b = reply.body as { seq: number; recent: { number: string }[]; windows: { ticket?: { number: string } }[] };
          boardPolls.push({ doneAt: reply.doneAt, seq: b.seq, shown: [...b.recent.map((r) => r.number), ...b.windows.flatMap((w) => (w.ticket ? [w.ticket.number] : []))] });
        }
        if (last) return;
        if (windowsDone || timeOver()) last = true;
        await sleep(Math.max(0, BOARD_POLL_MS - (performance.now() - t)));
      }
    };

    const progress = setInterval(() => {
      log(`  ${s1(performance.now() - rushStart)} s: ${client.samples.filter((x) => x.phase === 'rush').length} requests, ${taken.length} taken, ${calls.length} called, ${booked.length} booked, ${ballots.length} ballots`);
    }, 15_000);

    const bookerIndexes = Array.from({ length: BOOKERS }, (_, k) => Math.floor((k * RESIDENTS) / BOOKERS));
    const voterPlan: { index: number; at: number }[] = [];
    for (let h = 0; h < HOUSEHOLDS; h++) {
      const first = Math.random() < 0.5 ? 2 * h : 2 * h + 1;
      const at = BALLOT_START_MS + Math.random() * BALLOT_SPREAD_MS;
      voterPlan.push({ index: first, at });
      // The other resident of the flat tries too, a moment later.
      if (h % SECOND_VOTER_EVERY === 0) voterPlan.push({ index: first ^ 1, at: at + Math.random() * 500 });
    }

    const windows = Promise.all(WINDOWS.map((w, i) => windowLoop(w.no, world.staff[i]!.token))).then(() => {
      windowsDone = true;
    });
    await Promise.all([
      ...world.people.map((_, i) => resident(i)),
      windows,
      ...bookerIndexes.map((i) => booker(i)),
      ...voterPlan.map((v) => voter(v.index, v.at)),
      boardLoop(),
    ]);
    clearInterval(progress);
    const rushMs = performance.now() - rushStart;
    const cpu1 = { java: cpuSeconds(dynamo?.process.pid), api: cpuSeconds(api?.child.pid), load: process.cpuUsage(cpu0.load), machine: machineBusySeconds(), loadavg: loadavg()[0]! };
    // serverless-offline runs the handlers where this process cannot count their calls.
    const dbCalls = api ? await childCounts(api.child) : undefined;
    const rushSamples = client.samples.filter((x) => x.phase === 'rush');
    log(`rush over in ${s1(rushMs)} s: ${rushSamples.length} requests`);

    // ------------------------------------------------------------------ verification
    client.phase = 'verify';
    const after = new Date(Math.max(V().getTime(), closesAt.getTime()) + 60_000);
    const checks: Check[] = await verify(client, dynamoEndpoint, TABLE, {
      cid,
      date,
      sid: world.sid,
      consultationId: world.consultationId,
      staffToken: world.staff[0]!.token,
      taken,
      calls,
      booked,
      ballots,
      households: HOUSEHOLDS,
      resultsNow: after,
      staffNow: V(),
    });
    if (aborted) checks.push({ name: 'rush finished within its time limit', pass: false, detail: `stopped after ${s1(HARD_LIMIT_MS)} s` });
    if (dbCalls) {
      const scans = dbCalls.Scan?.calls ?? 0;
      checks.push({ name: 'no Scan on a request path during the rush', pass: scans === 0, detail: `${scans} Scan calls from the API process` });
    }

    // ------------------------------------------------------------------ figures
    const errors = rushSamples.filter((x) => x.outcome === 'error');
    const expected = rushSamples.filter((x) => x.outcome === 'expected');
    const seqOf = new Map<string, number>();
    for (const p of pushes) if (!p.recall && !seqOf.has(p.number)) seqOf.set(p.number, p.seq);
    const pushAt = new Map<string, number>();
    for (const p of pushes) if (!p.recall && !pushAt.has(p.number)) pushAt.set(p.number, p.at);
    const wsAfterResponse: number[] = [];
    const wsFromPress: number[] = [];
    const pollDelay: number[] = [];
    const everShown = new Set(boardPolls.flatMap((p) => p.shown));
    let unseen = 0;
    for (const c of calls) {
      const at = pushAt.get(c.number);
      if (at !== undefined) {
        wsAfterResponse.push(at - c.doneAt);
        wsFromPress.push(at - c.sentAt);
      }
      const seq = seqOf.get(c.number);
      // Without a push to give the call's seq (the board pushes are the outbox's now, which
      // these stacks do not deliver), the first poll that shows the number has it.
      const poll =
        seq === undefined
          ? boardPolls.find((p) => p.doneAt >= c.sentAt && p.shown.includes(c.number))
          : boardPolls.find((p) => p.seq >= seq && p.doneAt >= c.sentAt);
      if (poll) pollDelay.push(Math.max(0, poll.doneAt - c.doneAt));
      else unseen++;
    }
    const pollGaps = held.flatMap((h) => h.pollGaps);
    const pollsPerTicket = held.map((h) => h.polls);
    const ballotAccepted = ballots.filter((b) => b.accepted).length;
    const ballotSamples = rushSamples.filter((x) => x.endpoint.includes('/ballots'));
    const ballotSpan = ballotSamples.length ? (Math.max(...ballotSamples.map((x) => x.doneAt)) - Math.min(...ballotSamples.map((x) => x.sentAt))) / 1000 : 0;
    const lastBallotStamp = ballotStamps.length ? Math.max(...ballotStamps) : NaN;
    const cores = cpus().length;
    const cpuRow = (name: string, used: number) => [name, used.toFixed(1), `${((100 * used) / (rushMs / 1000)).toFixed(0)}%`];
    const loadCpu = (cpu1.load.user + cpu1.load.system) / 1e6;
    const ours = cpu1.java - cpu0.java + (cpu1.api - cpu0.api) + loadCpu;
    const machineBusy = cpu1.machine - cpu0.machine;
    const dbRows = Object.entries(dbCalls ?? {})
      .sort((a, b) => b[1].calls - a[1].calls)
      .map(([command, c]) => [command, c.calls, c.pages ? (c.items / c.pages).toFixed(0) : '–', c.pages ? c.maxItems : '–']);

    const pass = checks.every((c) => c.pass);
    const body = `### On ${TARGETS[target]}

**How it ran.** A fresh in-memory DynamoDB Local; ${target === 'api-server' ? 'the real handlers behind `startApiServer` in one child Node process' : 'the stack `npm start` runs (`scripts/start.ts --api-only --in-memory --stage test`): serverless-offline with the functions loaded in its own process, at most 16 requests of a function at once'} (one warm instance serving everything — Lambda would spread this over many instances, each serving one request at a time); the load generator in the parent process, loopback only, plain \`fetch\`. Client-side concurrency: residents' phones ${POOLS.residents} in flight, bookings ${POOLS.bookings}, ballots ${POOLS.ballots}, the 4 window consoles 1 each, the board 1: at most ${POOLS.residents + POOLS.bookings + POOLS.ballots + 5} requests in flight. Seeding through the API (${RESIDENTS.toLocaleString('en')} logins, join requests and verifications, ${s1(seedMs)} s) is not in the figures. Stage \`test\`: every request carries \`x-test-now\` from one clock that runs at real speed from ${date} 08:30 (Shanghai) — so the 10-s polling, the 1.5-s board polling and the voting minute are real time, not compressed; the consultation closes 90 s into the rush, and ballots arrive at random over the first 55 s of its last minute (stamped when sent; one sent after the close would be a \`NOT_OPEN\` error). The rate limits (120/min per user, 1,200/min per address without a token, per instance) are lifted as in the API tests: a window served back to back makes a few calls a second, where a real clerk calls about once a minute, and every resident here logs in from one address. Windows serve A / A+B / B+C / C.

#### Result
${aborted ? `\n**The rush did not finish: the windows were stopped at the ${HARD_LIMIT_MS / 60_000}-minute limit with ${calls.length} of ${taken.length} tickets called (${(calls.length / (rushMs / 1000)).toFixed(2)} calls/s).** The figures below are those of the ${s1(rushMs)} s it ran.\n` : ''}
- **Duration ${s1(rushMs)} s, ${rushSamples.length.toLocaleString('en')} requests, ${(rushSamples.length / (rushMs / 1000)).toFixed(1)} req/s overall.**
- **Errors: ${errors.length}** (5xx, network, or a 4xx not listed as expected; target 0)${errors.length ? `: ${[...new Set(errors.map((e) => `${e.endpoint} ${e.status} ${e.code ?? ''}`))].slice(0, 8).join('; ')}` : ''}. Expected refusals: ${expected.length} (${[...new Set(expected.map((x) => x.code))].map((code) => `${code} ${expected.filter((x) => x.code === code).length}`).join(', ')}).
- **Board delay**, from the call-next answer reaching the window to the board having the call:
  - polling \`GET /v1/communities/{cid}/hall/board\` every 1.5 s (the H5 board's fallback; "has it" = the board's \`seq\` has reached the call's): ${dist(pollDelay)}; target < 2 s: **${pollDelay.length && percentile(pollDelay, 99) < 2000 ? 'met at p99' : 'NOT met at p99'}**${unseen ? ` (${unseen} calls never matched)` : ''}. At this compressed pace (${(calls.length / (rushMs / 1000)).toFixed(1)} calls/s, the board lists the last 6) ${everShown.size} of ${calls.length} numbers were ever on a polled screen; in a real hall (a call a minute per window) each stays for minutes.
  - WebSocket push (API Gateway management API replaced by a local HTTP stand-in, as in \`tests/api/queue-board-socket.test.ts\`): the push is sent inside call-next, before it answers, so it reaches the board ${dist(wsAfterResponse.map((v) => -v))} *before* the window's own answer; from the clerk's press to the board: ${dist(wsFromPress)}. ${pushes.filter((p) => !p.recall).length} pushes for ${calls.length} calls.
- Position following: ${held.length} tickets followed, ${pollGaps.length.toLocaleString('en')} polls (${(pollsPerTicket.reduce((a, b) => a + b, 0) / Math.max(1, held.length)).toFixed(1)} per ticket, max ${Math.max(0, ...pollsPerTicket)}); the interval between one answer and the next request was ${dist(pollGaps)} (10,000 ms when the client pool never made a poll wait). Position went up between two polls ${held.reduce((a, h) => a + h.positionRises, 0)} times, ${held.reduce((a, h) => a + h.latePositionRises, 0)} of them in polls sent after every take had been answered (while takes are in flight, a ticket stamped earlier but written later lands ahead).
- Bookings: ${bookingOutcomes.booked} booked of ${world.slotCapacity} places; ${bookingOutcomes.slotFullAnswers} \`SLOT_FULL\` answers (a place taken between the list and the tap); ${bookingOutcomes.noneShown} residents found no free slot listed; ${bookingOutcomes.gaveUpAfterFull} gave up after 3 \`SLOT_FULL\`.
- Ballots: ${ballots.length} sent, ${ballotAccepted} accepted, ${ballots.length - ballotAccepted} refused, over ${ballotSpan.toFixed(1)} s (${(ballotSamples.length / (ballotSpan || 1)).toFixed(1)} ballots/s; ${(HOUSEHOLDS / 60).toFixed(1)}/s is the rate a minute needs); the last was sent ${Number.isFinite(lastBallotStamp) ? `${s1(Math.abs(closesAt.getTime() - lastBallotStamp))} s ${lastBallotStamp < closesAt.getTime() ? 'before' : 'after'} the close` : '–'}; ${ballots.filter((b) => !b.accepted).length - ballotSamples.filter((x) => x.code === 'ALREADY_VOTED').length} were not accepted for another reason (\`NOT_OPEN\` after the close, or a failed request), counted as errors.

#### Per endpoint (rush phase)

"req/s" is over the whole rush; "active req/s" over the endpoint's own span (first request to last answer).

${table(['endpoint', 'requests', 'req/s', 'active req/s', 'p50 ms', 'p99 ms', 'max ms', 'statuses', 'errors'], endpointRows(rushSamples, rushMs))}

#### Where the time went (${cores} cores)

CPU seconds during the rush, from /proc (100% = one core busy for the whole rush):

${table(['process', 'CPU s', 'of one core'], [cpuRow('DynamoDB Local (Java)', cpu1.java - cpu0.java), cpuRow('API (handlers, one Node process)', cpu1.api - cpu0.api), cpuRow('load generator', loadCpu), cpuRow('other processes on the machine', machineBusy - ours), cpuRow(`whole machine (${cores} cores = ${cores * 100}%)`, machineBusy)])}

Server CPU per request (DynamoDB Local + API process, over all ${rushSamples.length.toLocaleString('en')} rush requests): **${((1000 * (cpu1.java - cpu0.java + (cpu1.api - cpu0.api))) / Math.max(1, rushSamples.length)).toFixed(1)} ms** — the figure that does not depend on how busy the machine was.

The machine was shared with other work (1-minute load average ${cpu0.loadavg.toFixed(1)} at the start, ${cpu1.loadavg.toFixed(1)} at the end, on ${cores} cores): read the latencies as this machine's, under that contention, and the ratios between endpoints as the portable part.

${dbCalls ? `DynamoDB calls made by the API process during the rush (items per page: what each Query page returned):\n\n${table(['command', 'calls', 'items per page (mean)', 'items per page (max)'], dbRows)}` : 'The CPU of serverless-offline and of its DynamoDB Local is inside "other processes", and their DynamoDB calls are not counted: the handlers run in a process this one does not instrument.'}

#### Verification

${table(['check', 'result', 'detail'], checks.map((c) => [c.name, c.pass ? 'PASS' : '**FAIL**', c.detail.replace(/\|/g, '/')]))}`;

    log(body);
    log('');
    for (const c of checks) log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
    if (api?.stderr.length) log(`API stderr (${api.stderr.length} lines), last: ${api.stderr.slice(-3).join(' | ')}`);
    if (errors.length) log(`errors (first 10): ${JSON.stringify(client.errors.filter((e) => e).slice(0, 10))}`);
    log(`total ${s1(performance.now() - started)} s`);
    const endpoints: Summary['endpoints'] = {};
    for (const sample of rushSamples) {
      const entry = (endpoints[sample.endpoint] ??= [0, 0, 0, 0]);
      entry[0]++;
      if (sample.outcome === 'error') entry[3]++;
    }
    for (const endpoint of Object.keys(endpoints)) {
      const times = rushSamples.filter((x) => x.endpoint === endpoint).map((x) => x.ms);
      endpoints[endpoint]![1] = percentile(times, 50);
      endpoints[endpoint]![2] = percentile(times, 99);
    }
    const summary: Summary = {
      target,
      pass,
      seconds: rushMs / 1000,
      requests: rushSamples.length,
      errors: errors.length,
      boardPoll: pollDelay.length ? `${ms(percentile(pollDelay, 50))} / ${ms(percentile(pollDelay, 99))}` : '–',
      endpoints,
    };
    return { pass, body, summary };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stop();
  }
}

const INTRO = `${RESIDENTS.toLocaleString('en')} residents log in, take tickets across 3 categories and follow their ticket (\`GET /v1/tickets/{id}\` every 10 s of real time, from each answer, until called) while 4 windows call next and complete back to back until the queue is empty; at the same time ${BOOKERS} of them book the same morning's slots (6 slots × ${CAPACITY_PER_SLOT} = ${6 * CAPACITY_PER_SLOT} places, so \`SLOT_FULL\` is expected) and ${HOUSEHOLDS.toLocaleString('en')} households vote in a consultation's last minute (一户一票; in 1 flat in ${SECOND_VOTER_EVERY} the second resident tries too, so \`ALREADY_VOTED\` is expected). \`QUEUE_EMPTY\` answers to a window that is ahead of the takers are expected too.`;

/** Runs each stack's rush in a process of its own, and writes them side by side. */
export async function rush(): Promise<boolean> {
  const targets = (process.env.RUSH_TARGETS ?? 'api-server,npm-start').split(',') as Target[];
  const dir = mkdtempSync(join(tmpdir(), 'linli-rush-'));
  const runs: { pass: boolean; body: string; summary: Summary }[] = [];
  try {
    for (const target of targets) {
      const out = join(dir, `${target}.json`);
      const child = fork(__filename, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], env: { ...process.env, RUSH_TARGET: target, RUSH_OUT: out }, stdio: 'inherit' });
      await new Promise((done) => child.once('exit', done));
      try {
        runs.push(JSON.parse(readFileSync(out, 'utf8')));
      } catch {
        log(`the rush on ${target} ended without a result`);
        return false;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const head = (name: string) => runs.map((r) => `${name} (${r.summary.target})`);
  const endpoints = [...new Set(runs.flatMap((r) => Object.keys(r.summary.endpoints)))];
  const cell = (r: { summary: Summary }, endpoint: string) => {
    const e = r.summary.endpoints[endpoint];
    return e ? `${e[0]} · ${ms(e[1])} / ${ms(e[2])} ms${e[3] ? ` · **${e[3]} errors**` : ''}` : '–';
  };
  const body = `## Morning rush (one community's hall at opening time)

${INTRO}

### Side by side

${table(['', ...runs.map((r) => TARGETS[r.summary.target])], [
    ['verification', ...runs.map((r) => (r.pass ? 'PASS' : '**FAIL**'))],
    ['duration', ...runs.map((r) => `${r.summary.seconds.toFixed(1)} s`)],
    ['requests', ...runs.map((r) => r.summary.requests.toLocaleString('en'))],
    ['throughput', ...runs.map((r) => `${(r.summary.requests / r.summary.seconds).toFixed(1)} req/s`)],
    ['errors', ...runs.map((r) => r.summary.errors)],
    ['board delay by polling, p50 / p99', ...runs.map((r) => `${r.summary.boardPoll} ms`)],
  ])}

Per endpoint: requests · p50 / p99.

${table(['endpoint', ...head('requests · p50 / p99')], endpoints.map((endpoint) => [`\`${endpoint}\``, ...runs.map((r) => cell(r, endpoint))]))}

${runs.map((r) => r.body).join('\n\n')}`;
  // A scaled-down try leaves BENCHMARKS.md alone unless RUSH_WRITE=1 asks for it.
  if (SCALE === 1 || process.env.RUSH_WRITE === '1') writeSection('rush', `${SCALE === 1 ? '' : `RUSH_SCALE=${SCALE} `}npx tsx bench/rush.ts`, body);
  else log(`(RUSH_SCALE=${SCALE}: BENCHMARKS.md left alone; RUSH_WRITE=1 writes it)`);
  for (const r of runs) log(`${r.summary.target}: ${r.pass ? 'PASS' : 'FAIL'}, ${r.summary.errors} errors, ${r.summary.requests} requests in ${r.summary.seconds.toFixed(1)} s`);
  return runs.every((r) => r.pass);
}

const TARGET = process.env.RUSH_TARGET as Target | undefined;
if (TARGET && process.env.RUSH_OUT) {
  const out = process.env.RUSH_OUT;
  rushOn(TARGET)
    .then((result) => {
      writeFileSync(out, JSON.stringify(result));
      process.exit(0);
    })
    .catch((error: Error) => {
      console.error(error);
      process.exit(1);
    });
} else if (process.argv[1]?.endsWith('rush.ts')) {
  rush()
    .then((pass) => process.exit(pass ? 0 : 1))
    .catch((error: Error) => {
      console.error(error);
      process.exit(1);
    });
}
