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

export function roundtrips(lines: CallLine[] = recordCalls()): void {
  const byRoute = new Map<string, CallLine[]>();
  for (const line of lines) if (line.status < 300) byRoute.set(line.route, [...(byRoute.get(line.route) ?? []), line]);
  const rows = (Object.values(routes) as RouteDef[]).map((def) => {
    const key = `${def.method} ${def.path}`;
    const ok = byRoute.get(key) ?? [];
    if (!ok.length) return [key, '–', '–', '–', 0];
    const usual = usualCalls(ok);
    const fewest = ok.find((l) => l.calls.length === usual)!;
    const most = Math.max(...ok.map((l) => l.calls.length));
    const scans = ok.some((l) => l.calls.some((c) => c.command === 'ScanCommand'));
    const commands = fewest.calls.map((c) => c.command.replace(/Command$/, '')).join(' + ') || '(none)';
    const capacity = fewest.calls.reduce((sum, c) => sum + (c.consumed ?? 0), 0);
    return [key, `${fewest.calls.length}${most > fewest.calls.length ? ` (up to ${most})` : ''}${scans ? ' SCAN!' : ''}`, commands, capacity.toFixed(1), ok.length];
  });
  const body = `## Round trips per action

Each successful request made by the API tests (\`tests/api\`), with the DynamoDB calls it issued and
the capacity units they consumed (\`ReturnConsumedCapacity\` as DynamoDB Local reports it; local
figures, indicative: Local under-reports transactions of several items, see the cost section).
"Calls" is what a successful request of that route usually made (the most seen in brackets: a
cold instance's first request, idempotency claims and replays, lost races that were retried); the
commands are those of such a usual request. Requests with
an \`Idempotency-Key\` add a conditional put and an update. No route ever issued a Scan (every API
test fails on one).

${table(['route', 'calls', 'commands (usual request)', 'capacity units', 'requests seen'], rows)}`;
  writeSection('roundtrips', 'npx tsx bench/roundtrips.ts', body);
}

if (process.argv[1]?.endsWith('roundtrips.ts')) roundtrips();
