/**
 * IAM from the code's own calls. Local tests cannot see IAM: DynamoDB Local allows everything.
 * So every DynamoDB call the backend tests make is attributed to the Lambda function whose code
 * made it, turned into the IAM actions AWS will authorize it as, and compared with that
 * function's role in serverless.yml (tests/support/iam-reporter.ts, after the run).
 *
 * Attribution: a request through `call` belongs to its route's function (`def.fn`); a call made
 * outside a request (a scheduled run, the board socket) belongs to the function whose handler
 * (or what its handler imports from our code) is on the call's async stack.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import type { CallRecord } from '../../functions/store/client';

const ROOT = resolve(__dirname, '../..');

/** The directory the workers write to; set by the reporter for the run. */
export const CALLS_DIR_ENV = 'LINLI_IAM_CALLS';

export interface LambdaFunction {
  name: string;
  role?: string;
  /** 'functions/handlers/outbox.handler' */
  handler: string;
  /** Served through the HTTP API (attributed by route) rather than by schedule, socket or stream. */
  http: boolean;
}

export interface Deployment {
  functions: LambdaFunction[];
  /** Role name → the DynamoDB actions it allows ('dynamodb:GetItem'…). */
  roles: Map<string, string[]>;
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
}

interface Yaml {
  functions: Record<string, { handler: string; role?: string; events?: Record<string, unknown>[] }>;
  resources?: { Resources?: Record<string, { Type?: string; Properties?: { Policies?: { PolicyDocument?: { Statement?: Statement[] } }[] } }> };
}

const TAGS = ['!Sub', '!GetAtt', '!Ref', '!Join', '!If', '!Select', '!ImportValue'].map((tag) => ({ tag, resolve: (value: string) => value }));

export function readDeployment(text = readFileSync(join(ROOT, 'serverless.yml'), 'utf8')): Deployment {
  const doc = parse(text, { customTags: TAGS }) as Yaml;
  const functions = Object.entries(doc.functions).map(([name, fn]) => ({
    name,
    role: fn.role,
    handler: fn.handler,
    http: (fn.events ?? []).some((event) => 'httpApi' in event),
  }));
  const roles = new Map<string, string[]>();
  for (const [name, resource] of Object.entries(doc.resources?.Resources ?? {})) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const statements = (resource.Properties?.Policies ?? []).flatMap((policy) => policy.PolicyDocument?.Statement ?? []);
    const actions = statements
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) => [statement.Action ?? []].flat())
      .filter((action) => action.startsWith('dynamodb:'));
    roles.set(name, [...new Set(actions)].sort());
  }
  return { functions, roles };
}

/** A transaction's parts are authorized one by one; TransactWriteItems itself is no IAM action. */
const PART_ACTION: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

/** The SDK command (document or low-level client) → the IAM actions AWS checks for it. */
export function iamActions(record: Pick<CallRecord, 'command' | 'parts'>): string[] {
  const name = record.command.replace(/Command$/, '');
  if (name === 'TransactWrite' || name === 'TransactWriteItems' || name === 'TransactGet' || name === 'TransactGetItems') {
    return (record.parts ?? []).map((part) => PART_ACTION[part] ?? `dynamodb:${part}`);
  }
  const items: Record<string, string> = { Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem', ExecuteStatement: 'PartiQLSelect' };
  return [`dynamodb:${items[name] ?? name}`];
}

/** Actions in a role may use wildcards ('dynamodb:Get*'). */
const grants = (allowed: string[], action: string) =>
  allowed.some((pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(action));

export type Usage = Map<string, Set<string>>;

/**
 * What is wrong with the roles, given what each function's code issued. A missing grant is
 * always wrong (the call fails in AWS). An unused grant is judged only after a complete run:
 * a role is wrong when it allows an action that none of the functions assuming it issued.
 */
export function checkRoles(deployment: Deployment, usage: Usage, options: { complete: boolean }): string[] {
  const problems: string[] = [];
  const byRole = new Map<string, { functions: string[]; used: Set<string> }>();
  for (const fn of deployment.functions) {
    const used = usage.get(fn.name) ?? new Set<string>();
    const allowed = fn.role ? deployment.roles.get(fn.role) : [];
    if (fn.role && !allowed) {
      problems.push(`${fn.name}: role ${fn.role} is not defined under resources`);
      continue;
    }
    const missing = [...used].filter((action) => !grants(allowed ?? [], action)).sort();
    if (missing.length) problems.push(`${fn.name} (role ${fn.role ?? 'none'}) issues ${missing.join(', ')}, which its role does not allow`);
    if (!fn.role) continue;
    const entry = byRole.get(fn.role) ?? { functions: [], used: new Set<string>() };
    entry.functions.push(fn.name);
    for (const action of used) entry.used.add(action);
    byRole.set(fn.role, entry);
  }
  if (options.complete) {
    for (const [role, { functions, used }] of byRole) {
      const unused = (deployment.roles.get(role) ?? []).filter((action) => ![...used].some((u) => grants([action], u)));
      if (unused.length) problems.push(`${role} allows ${unused.join(', ')}, which none of its functions (${functions.join(', ')}) issued`);
    }
  }
  return problems;
}

// ─── Recording (in the test workers) ───────────────────────────────────────────────────────

interface Entry {
  fn: string;
  file: string;
  name: string;
}

/**
 * Where each non-HTTP function's code starts: its handler, and the functions its handler imports
 * from our own modules (tests call a scheduled run's service function directly).
 */
export function entryPoints(deployment: Deployment): Entry[] {
  const entries: Entry[] = [];
  for (const fn of deployment.functions.filter((f) => !f.http)) {
    const dot = fn.handler.lastIndexOf('.');
    const file = `${fn.handler.slice(0, dot)}.ts`;
    entries.push({ fn: fn.name, file, name: fn.handler.slice(dot + 1) });
    if (!existsSync(join(ROOT, file))) continue;
    const source = readFileSync(join(ROOT, file), 'utf8');
    for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(\.[^']+)'/g)) {
      const from = relative(ROOT, resolve(ROOT, file, '..', match[2] as string));
      for (const spec of (match[1] as string).split(',')) {
        const imported = spec.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
        if (imported && !spec.trim().startsWith('type ')) entries.push({ fn: fn.name, file: `${from}.ts`, name: imported });
      }
    }
  }
  return entries;
}

/** The outermost frame of the stack that is an entry point names the function. */
export function functionOnStack(stack: string, entries: Entry[]): string | undefined {
  const frames = stack.split('\n').reverse();
  for (const frame of frames) {
    const match = /at (?:async )?(?:([\w$.<>]+) )?\(?(.+?):\d+:\d+\)?$/.exec(frame.trim());
    if (!match) continue;
    const name = (match[1] ?? '').split('.').pop();
    const file = relative(ROOT, match[2]!.replace(/^file:\/\//, ''));
    const entry = entries.find((e) => e.file === file && e.name === name);
    if (entry) return entry.fn;
  }
  return undefined;
}

const seen = new Set<string>();

/** Appends what a function issued to this worker's file (each pair once per test file). */
export function recordUsage(fn: string, records: readonly Pick<CallRecord, 'command' | 'parts'>[]): void {
  const dir = process.env[CALLS_DIR_ENV];
  if (!dir) return;
  const fresh = records.flatMap(iamActions).filter((action) => !seen.has(`${fn} ${action}`));
  if (!fresh.length) return;
  for (const action of fresh) seen.add(`${fn} ${action}`);
  appendFileSync(join(dir, `${process.pid}.jsonl`), [...new Set(fresh)].map((action) => `${JSON.stringify({ fn, action })}\n`).join(''));
}

let entries: Entry[] | undefined;

/** Attributes a call made outside a request by its async stack (called synchronously by the SDK middleware). */
export function recordUnlogged(record: CallRecord): void {
  if (!process.env[CALLS_DIR_ENV]) return;
  entries ??= entryPoints(readDeployment());
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 200;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const fn = functionOnStack(stack, entries);
  // Calls from no function's code are the tests' own setup, not a Lambda's.
  if (fn) recordUsage(fn, [record]);
}

/** Everything the workers recorded, per function. */
export function readUsage(dir: string): Usage {
  const usage: Usage = new Map();
  if (!existsSync(dir)) return usage;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
      const { fn, action } = JSON.parse(line) as { fn: string; action: string };
      (usage.get(fn) ?? usage.set(fn, new Set()).get(fn)!).add(action);
    }
  }
  return usage;
}
