/**
 * After the rush: the invariants, read back through the API where it offers a read (stats,
 * slots, the day's appointments, results) and from the table otherwise (a Scan of the tickets —
 * allowed here, in verification only, never on a request path — and a Query of the ballot markers).
 */
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../../scripts/local/dynamo';
import { CATEGORIES } from './seed';
import type { Client } from './http';

export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

export interface Observed {
  cid: string;
  date: string;
  sid: string;
  consultationId: string;
  staffToken: string;
  /** Tickets as the take answers gave them. */
  taken: { id: string; number: string; category: string }[];
  /** Every successful call-next answer. */
  calls: { id: string; number: string; window: number }[];
  /** Accepted bookings. */
  booked: { start: string; userId: string }[];
  /** Accepted ballots (household, choice) and every refusal. */
  ballots: { household: string; choice: string; accepted: boolean }[];
  households: number;
  resultsNow: Date;
  staffNow: Date;
}

async function scanAll(doc: DynamoDBDocumentClient, table: string, cid: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: '#type = :t AND communityId = :cid',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':t': 'Ticket', ':cid': cid },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export async function verify(client: Client, endpoint: string, table: string, o: Observed): Promise<Check[]> {
  const checks: Check[] = [];
  const doc = DynamoDBDocumentClient.from(localClient(endpoint));
  const add = (name: string, pass: boolean, detail: string) => checks.push({ name, pass, detail });

  // ---- queue: numbers unique and consecutive per category; each ticket called exactly once.
  const tickets = await scanAll(doc, table, o.cid);
  const counter = (await doc.send(new GetCommand({ TableName: table, Key: { pk: `COMMUNITY#${o.cid}`, sk: `QNUM#${o.date}` } }))).Item ?? {};
  for (const category of CATEGORIES) {
    const mine = tickets.filter((t) => t.category === category || t.number?.startsWith(category));
    const seqs = mine.map((t) => Number(t.seq)).sort((a, b) => a - b);
    const issued = Number(counter[`n_${category}`] ?? 0);
    const consecutive = seqs.length === issued && seqs.every((s, i) => s === i + 1);
    const numbers = new Set(mine.map((t) => t.number));
    const answered = o.taken.filter((t) => t.category === category).map((t) => t.number);
    const sameAsAnswers = answered.length === numbers.size && answered.every((n) => numbers.has(n));
    add(
      `queue ${category}: numbers unique and consecutive`,
      consecutive && numbers.size === seqs.length && sameAsAnswers,
      `${seqs.length} tickets, counter ${issued}, ${numbers.size} distinct numbers, ${category}${String(seqs[0] ?? 0).padStart(3, '0')}–${category}${String(seqs.at(-1) ?? 0).padStart(3, '0')}; ${answered.length} take answers${sameAsAnswers ? ' match' : ' DO NOT match'}`,
    );
  }
  const callIds = o.calls.map((c) => c.id);
  const distinctCalls = new Set(callIds);
  const takenIds = new Set(o.taken.map((t) => t.id));
  const allCalled = o.taken.every((t) => distinctCalls.has(t.id)) && callIds.every((id) => takenIds.has(id));
  const statuses: Record<string, number> = {};
  for (const t of tickets) statuses[String(t.status)] = (statuses[String(t.status)] ?? 0) + 1;
  const notDone = tickets.filter((t) => t.status !== 'done').length;
  add(
    'queue: each ticket called exactly once',
    callIds.length === distinctCalls.size && allCalled && notDone === 0,
    `${callIds.length} call-next answers, ${distinctCalls.size} distinct tickets, ${o.taken.length} taken; statuses in the table: ${JSON.stringify(statuses)}`,
  );
  const stats = await client.request('GET stats', 'GET', `/v1/communities/${o.cid}/stats`, { token: o.staffToken, now: o.staffNow });
  const q = stats.body?.queue ?? {};
  const waitingLeft = Object.values((q.waiting ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
  add(
    'queue: day figures agree (stats endpoint)',
    q.called === o.taken.length && q.completed === o.taken.length && waitingLeft === 0,
    `called ${q.called}, completed ${q.completed}, waiting ${waitingLeft}, calls per window ${JSON.stringify(q.callsPerWindow)}, mean wait ${q.meanWaitMin} min`,
  );

  // ---- appointments: no slot over capacity.
  const slots = await client.request<{ items: { start: string; capacity: number; booked: number }[] }>('GET slots', 'GET', `/v1/services/${o.sid}/slots?date=${o.date}`, { now: o.staffNow });
  const over = slots.body.items.filter((s) => s.booked > s.capacity);
  const bookedSum = slots.body.items.reduce((sum, s) => sum + s.booked, 0);
  const listed: { start: string; userId?: string; status: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.request('GET day appointments', 'GET', `/v1/services/${o.sid}/appointments?date=${o.date}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: o.staffToken, now: o.staffNow });
    listed.push(...(page.body.items ?? []));
    cursor = page.body.next;
  } while (cursor);
  const perSlot = new Map<string, number>();
  for (const a of listed.filter((a) => a.status === 'booked')) perSlot.set(Date.parse(a.start).toString(), (perSlot.get(Date.parse(a.start).toString()) ?? 0) + 1);
  const listedOver = slots.body.items.filter((s) => (perSlot.get(Date.parse(s.start).toString()) ?? 0) > s.capacity);
  add(
    'appointments: no slot over capacity',
    over.length === 0 && listedOver.length === 0 && bookedSum === o.booked.length && listed.length === o.booked.length,
    `${slots.body.items.map((s) => `${s.start.slice(11, 16)} ${s.booked}/${s.capacity}`).join(', ')}; slot counters sum ${bookedSum}, staff list ${listed.length}, accepted answers ${o.booked.length}`,
  );

  // ---- consultation: tally equals ballots; one ballot per household.
  const accepted = o.ballots.filter((b) => b.accepted);
  const expectedTally: Record<string, number> = {};
  for (const b of accepted) expectedTally[b.choice] = (expectedTally[b.choice] ?? 0) + 1;
  const perHousehold = new Map<string, number>();
  for (const b of accepted) perHousehold.set(b.household, (perHousehold.get(b.household) ?? 0) + 1);
  const results = await client.request('GET results', 'GET', `/v1/consultations/${o.consultationId}/results`, { now: o.resultsNow });
  const tally = (results.body?.tally ?? {}) as Record<string, number>;
  const tallySum = Object.values(tally).reduce((a, b) => a + b, 0);
  const tallyMatches = Object.keys({ ...tally, ...expectedTally }).every((k) => (tally[k] ?? 0) === (expectedTally[k] ?? 0));
  add(
    'consultation: tally equals ballots',
    results.status === 200 && results.body.ballots === accepted.length && tallySum === accepted.length && tallyMatches,
    `results ${JSON.stringify({ ballots: results.body?.ballots, tally, eligible: results.body?.eligible, turnoutPercent: results.body?.turnoutPercent })}; accepted answers ${accepted.length} ${JSON.stringify(expectedTally)}`,
  );
  const markers: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': `CONSULTATION#${o.consultationId}`, ':v': 'VOTED#' },
        ExclusiveStartKey: start,
      }),
    );
    markers.push(...(page.Items ?? []).map((i) => String(i.sk)));
    start = page.LastEvaluatedKey;
  } while (start);
  const householdMarkers = markers.filter((m) => m.startsWith('VOTED#H#'));
  const twice = [...perHousehold.values()].filter((n) => n > 1).length;
  add(
    'consultation: each household voted at most once',
    twice === 0 && householdMarkers.length === accepted.length && new Set(householdMarkers).size === householdMarkers.length && markers.length === householdMarkers.length && accepted.length <= o.households,
    `${householdMarkers.length} household markers, ${accepted.length} accepted ballots, ${twice} households accepted twice, ${o.ballots.length - accepted.length} refused, ${o.households} households`,
  );
  doc.destroy();
  return checks;
}
