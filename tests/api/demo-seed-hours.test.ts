/**
 * A person runs `npm start` (and CI runs the tests) at any hour, and the demo is seeded at that
 * hour: tried here where a day's arithmetic bends, just after midnight, at opening and late in the
 * evening. The demo community is one, so each try seeds a table of its own from a process of its own.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureTable } from '../../scripts/local/dynamo';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const MONDAY = '2026-12-07';

describe('the demo seed at any hour', () => {
  it.each(['00:00', '00:05', '00:39', '08:31', '22:30', '23:59'])('seeds the whole demo community when started at %s', async (hhmm) => {
    const table = `seed-at-${randomUUID()}`;
    await ensureTable(process.env.DYNAMODB_ENDPOINT!, table);
    const seed = `require('./scripts/seed').seedDemo(require('./functions/domain/time').instantOf('${MONDAY}', '${hhmm}')).then((r) => console.log(r))`;

    const { stdout } = await run('npx', ['tsx', '-e', seed], { cwd: ROOT, env: { ...process.env, TABLE_NAME: table } });

    expect(stdout.trim()).toBe('seeded');
  }, 60_000);
});
