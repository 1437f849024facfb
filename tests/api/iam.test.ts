/**
 * IAM from the code's own calls (tests/support/iam.ts). The whole-suite check runs after the
 * backend tests (tests/support/iam-reporter.ts); these tests prove its parts: the mapping from
 * SDK commands to IAM actions, the attribution of calls made outside a request, the verdicts, and
 * the one gap found so far (the dashboard's snapshot of a closed consultation's eligible count).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { onUnloggedCall, type CallRecord } from '../../functions/store/client';
import { handler as boardSocket } from '../../functions/handlers/board-socket';
import { sendDueReminders } from '../../functions/services/appointments';
import { sendResultsNotices } from '../../functions/services/consultations';
import { escalateOverdue } from '../../functions/services/requests';
import { sendDueActivityReminders } from '../../functions/services/volunteers';
import { newCommunity, staffOf, verifiedResident } from '../support/actors';
import { checkRoles, entryPoints, functionOnStack, iamActions, readDeployment, recordUnlogged, type Deployment } from '../support/iam';
import { call } from '../support/stack';

const deployment = readDeployment();

describe('IAM actions of a call', () => {
  it('authorizes a transaction as each of its parts, and a batch as its own action', () => {
    expect(iamActions({ command: 'TransactWriteCommand', parts: ['Put', 'Update', 'ConditionCheck', 'Delete'] })).toEqual([
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
    ]);
    expect(iamActions({ command: 'TransactGetItemsCommand', parts: ['Get'] })).toEqual(['dynamodb:GetItem']);
    expect(iamActions({ command: 'BatchGetCommand' })).toEqual(['dynamodb:BatchGetItem']);
    expect(iamActions({ command: 'BatchWriteItemCommand', parts: ['PutRequest'] })).toEqual(['dynamodb:BatchWriteItem']);
    expect(iamActions({ command: 'GetCommand' })).toEqual(['dynamodb:GetItem']);
    expect(iamActions({ command: 'QueryCommand' })).toEqual(['dynamodb:Query']);
  });
});

describe('roles against calls', () => {
  const tiny: Deployment = {
    functions: [
      { name: 'reader', role: 'ReadOnly', handler: 'functions/handlers/reader.handler', http: true },
      { name: 'writer', role: 'ReadWrite', handler: 'functions/handlers/writer.handler', http: true },
      { name: 'other', role: 'ReadWrite', handler: 'functions/handlers/other.handler', http: true },
    ],
    roles: new Map([
      ['ReadOnly', ['dynamodb:GetItem', 'dynamodb:Query']],
      ['ReadWrite', ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']],
    ]),
  };
  const usage = new Map([
    ['reader', new Set(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'])],
    ['writer', new Set(['dynamodb:PutItem'])],
    ['other', new Set(['dynamodb:GetItem'])],
  ]);

  it('reports an action the code issues that its role does not allow, after any run', () => {
    expect(checkRoles(tiny, usage, { complete: false })).toEqual([
      'reader (role ReadOnly) issues dynamodb:UpdateItem, which its role does not allow',
    ]);
  });

  it('reports an action a role allows that none of its functions issued, after a complete run', () => {
    expect(checkRoles(tiny, usage, { complete: true })).toContain('ReadWrite allows dynamodb:DeleteItem, which none of its functions (writer, other) issued');
  });

  it('reads every function of serverless.yml with a role that is defined there', () => {
    expect(deployment.functions.map((f) => f.name)).toEqual(expect.arrayContaining(['identity', 'queue', 'stats', 'boardSocket', 'consultationClose']));
    const undefinedRoles = deployment.functions.filter((f) => f.role && !deployment.roles.has(f.role));
    expect(undefinedRoles).toEqual([]);
  });
});

describe('calls made outside a request', () => {
  // A run without a template sends nothing and reads nothing; with one and nothing due, it only reads.
  const TEMPLATES = ['WX_TEMPLATE_APPOINTMENT_REMINDER', 'WX_TEMPLATE_ACTIVITY_REMINDER', 'WX_TEMPLATE_CONSULTATION_RESULTS'];
  beforeAll(() => {
    for (const name of TEMPLATES) process.env[name] = `tmpl-${name}`;
    resetConfig();
  });
  afterAll(() => {
    for (const name of TEMPLATES) delete process.env[name];
    resetConfig();
  });
  afterEach(() => onUnloggedCall(recordUnlogged));

  /**
   * Runs work and names, for each DynamoDB call it made, the function its stack attributes it to.
   * An outbox drain that an earlier run kicked may still be delivering in the background: its calls
   * carry the outbox function's own entry point, so they are told apart and left out.
   */
  async function attributed(work: () => Promise<unknown>): Promise<(string | undefined)[]> {
    const entries = entryPoints(deployment);
    const names: (string | undefined)[] = [];
    onUnloggedCall((_record: CallRecord) => {
      const name = functionOnStack(new Error().stack ?? '', entries);
      if (name !== 'outbox') names.push(name);
    });
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 200;
    try {
      await work();
    } finally {
      Error.stackTraceLimit = limit;
    }
    return names;
  }

  it.each([
    ['appointmentReminders', () => sendDueReminders(new Date())],
    ['volunteerReminders', () => sendDueActivityReminders(new Date())],
    ['consultationClose', () => sendResultsNotices(new Date())],
    ['requestEscalation', () => escalateOverdue(new Date())],
  ])('belong to %s when its scheduled run makes them', async (fn, run) => {
    const names = await attributed(run);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set([fn]));
  });

  it('belong to boardSocket when a board disconnects', async () => {
    const event = { requestContext: { routeKey: '$disconnect', connectionId: `gone-${Date.now()}` } };
    const names = await attributed(() => boardSocket(event as never));
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set(['boardSocket']));
  });
});

describe('the stats function', () => {
  it("has a role that allows what the dashboard does after a consultation closed (it snapshots the eligible count)", async () => {
    const HOUR = 3600_000;
    const base = Math.floor(Date.now() / 60_000) * 60_000;
    const at = (offset: number) => new Date(base + offset);
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    const voter = await verifiedResident(cid);
    const created = await call('POST', `/v1/communities/${cid}/consultations`, {
      token: staff.token,
      now: at(-3 * HOUR),
      body: {
        title: '是否在3号楼加装电梯',
        body: '3号楼居民提出加装电梯，请各位业主表达意见。',
        options: [{ label: '同意' }, { label: '不同意' }],
        maxChoices: 1,
        eligibility: 'resident',
        opensAt: at(-2 * HOUR).toISOString(),
        closesAt: at(-HOUR).toISOString(),
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ballot = await call('POST', `/v1/consultations/${created.body.id}/ballots`, { token: voter.token, body: { choices: ['A'] }, now: at(-1.5 * HOUR) });
    expect(ballot.status, JSON.stringify(ballot.body)).toBe(201);

    const dashboard = await call('GET', `/v1/communities/${cid}/stats`, { token: staff.token });
    expect(dashboard.status).toBe(200);
    const used = new Set(dashboard.calls.flatMap(iamActions));
    expect(used).toContain('dynamodb:UpdateItem');
    expect(checkRoles(deployment, new Map([['stats', used]]), { complete: false })).toEqual([]);
  });
});
