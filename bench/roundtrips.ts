/**
 * Round trips per action: every request the API tests make is recorded with the DynamoDB calls
 * it issued (call counting middleware, capacity reported) — successful requests only, grouped
 * by route. The fewest calls a route needed on success is its cost; the table names the commands.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RouteDef } from '@contract/route';
import { routes } from '@contract/routes';
import { table, writeSection } from './report';

/** One request of the API tests: its route, its status and the DynamoDB calls it made. */
export interface CallLine {
  route: string;
  status: number;
  /** `consumed`: capacity units as DynamoDB Local reported them (absent when the call failed). */
  calls: { command: string; consumed?: number }[];
}

/**
 * Runs the API tests with LINLI_CALL_REPORT set (tests/support/stack.ts) and returns every
 * request they made. bench/cost.ts prices the same recording: `npm run bench` records once.
 */
export function recordCalls(): CallLine[] {
  const report = join(mkdtempSync(join(tmpdir(), 'linli-calls-')), 'calls.jsonl');
  execSync('npx vitest run --project backend tests/api', {
    cwd: resolve(__dirname, '..'),
    env: { ...process.env, LINLI_CALL_REPORT: report },
    stdio: 'ignore',
  });
  return readFileSync(report, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CallLine);
}

/** The usual request's number of calls: the most frequent among `ok` (ties: the fewer). */
export function usualCalls(ok: CallLine[]): number {
  const counts = new Map<number, number>();
  for (const l of ok) counts.set(l.calls.length, (counts.get(l.calls.length) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
}

/**
 * Why a route makes more calls than its minimum (the targets: book, cancel, sign up, verify hours
 * and vote one transaction; take a ticket 2 writes and 1 read; call next 1 Query and 1 write;
 * every read screen 1 Query). A staff or member check is a strongly consistent GetItem of the
 * caller's membership unless it rides in the action's transaction as a ConditionCheck.
 */
const WHY: Record<string, string> = {
  'POST /v1/auth/wechat': 'GetItem: the user by openid; Query: their memberships, which the session carries',
  'POST /v1/services/{sid}/appointments': 'GetItem: the service, whose plan decides whether the start is a slot and its capacity (the membership rides in the transaction)',
  'DELETE /v1/appointments/{id}': 'GetItem: the booking (owner, slot and day make the transaction\'s keys)',
  'POST /v1/appointments/{id}/check-in': 'the booking read and claimed (transaction), then a queue ticket issued as a take (BatchGet, number, transaction, position Query)',
  'POST /v1/communities/{cid}/tickets': 'BatchGet: hall, day, numbers, the resident\'s marker, membership and today\'s count (2 reads with the Query); UpdateItem: the number stamped with its issue instant, kept out of the transaction so concurrent takers never conflict (a second try when a burst\'s clocks disagree); the transaction also holds today\'s count and the membership check; Query: the new ticket\'s position',
  'GET /v1/tickets/{id}': 'GetItem: the ticket (owner, category); BatchGet: hall and day (streak, estimate); Query: its category up to it, at most 60 entries',
  'POST /v1/communities/{cid}/windows/{no}/call-next': 'GetItem: staff check; BatchGet: hall and day (version, streak); Query: the head of each category the window serves (one each); more when a claim is lost to another window',
  'POST /v1/tickets/{id}/complete': 'GetItem: the ticket, the staff check, the hall (its time zone weighs the service time)',
  'POST /v1/tickets/{id}/transfer': 'the ticket, the staff check, the hall (is the category there), then the moved ticket\'s position',
  'POST /v1/tickets/{id}/priority': 'the ticket, the staff check, the mark, then its new position',
  'POST /v1/activities/{id}/signups': 'GetItem: the activity (capacity, time, status for a clear refusal); the volunteer check rides in the transaction',
  'POST /v1/activities/{id}/check-in': 'BatchGet: activity and signup; in parallel the staff check and the volunteer\'s name (staff compare it with the person); the transaction spends the scanned code',
  'POST /v1/activities/{id}/check-out': 'as check-in: the code is spent in the same transaction as the attendance',
  'GET /v1/me/volunteer/certificate': 'the volunteer, the ledger and the latest certificate (reused while the hours are unchanged)',
  'GET /v1/me/tickets': 'Query GSI1: the caller\'s tickets since yesterday; per hall one BatchGet; per waiting ticket its position Query',
  'PUT /v1/communities/{cid}/staff/{uid}': 'the director check, the community and the user read together, the transaction (membership + audit entry), the answer re-read',
  'POST /v1/activities/{id}/signups/{uid}/verify': 'BatchGet: activity and signup; GetItem: staff check; then the ledger transaction',
  'GET /v1/communities/{cid}/stats': 'each capability\'s figures from its own items, read in parallel',
};

export function roundtrips(lines: CallLine[] = recordCalls()): void {
  const byRoute = new Map<string, CallLine[]>();
  for (const line of lines) if (line.status < 300) byRoute.set(line.route, [...(byRoute.get(line.route) ?? []), line]);
  const rows = (Object.values(routes) as RouteDef[]).map((def) => {
    const key = `${def.method} ${def.path}`;
    const ok = byRoute.get(key) ?? [];
    if (!ok.length) return [key, '–', '–', '–', 0, WHY[key] ?? ''];
    const usual = usualCalls(ok);
    const fewest = ok.find((l) => l.calls.length === usual)!;
    const most = Math.max(...ok.map((l) => l.calls.length));
    const scans = ok.some((l) => l.calls.some((c) => c.command === 'ScanCommand'));
    const commands = fewest.calls.map((c) => c.command.replace(/Command$/, '')).join(' + ') || '(none)';
    const capacity = fewest.calls.reduce((sum, c) => sum + (c.consumed ?? 0), 0);
    return [key, `${fewest.calls.length}${most > fewest.calls.length ? ` (up to ${most})` : ''}${scans ? ' SCAN!' : ''}`, commands, capacity.toFixed(1), ok.length, WHY[key] ?? ''];
  });
  const body = `## Round trips per action

Each successful request made by the API tests (\`tests/api\`), with the DynamoDB calls it issued and
the capacity units they consumed (\`ReturnConsumedCapacity\` as DynamoDB Local reports it; local
figures, indicative: Local under-reports transactions of several items, see the cost section).
"Calls" is what a successful request of that route usually made (the most seen in brackets: a
cold instance's first request, idempotency claims and replays, lost races that were retried); the
commands are those of such a usual request. Requests with
an \`Idempotency-Key\` add a conditional put and an update. No route ever issued a Scan (every API
test fails on one). Where a route needs more calls than its minimum, the last column says why;
elsewhere the extra call is the staff or membership check (a GetItem of the caller's membership).

${table(['route', 'calls', 'commands (usual request)', 'capacity units', 'requests seen', 'beyond the minimum, because'], rows)}`;
  writeSection('roundtrips', 'npx tsx bench/roundtrips.ts', body);
}

if (process.argv[1]?.endsWith('roundtrips.ts')) roundtrips();
