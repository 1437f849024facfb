/**
 * `npm run bench`: every benchmark, one after another, each rewriting its own section of
 * BENCHMARKS.md. The API tests are recorded once, for the round trips and the city's cost.
 *
 * overhead.ts, rush.ts and fuzz.ts run the handlers in this kind of process against a DynamoDB
 * Local of their own (rush.ts and fuzz.ts also against the `npm start` stack); the product's
 * configuration and document client are module singletons set up by the first to use them, so
 * each of those runs in a fresh process of its own (as `npx tsx bench/<name>.ts` would). A benchmark that fails is reported and the others still run; the run
 * then exits non-zero.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { axe } from './axe';
import { cost } from './cost';
import { recordCalls, roundtrips } from './roundtrips';
import { sizes } from './sizes';
import { weappPages } from './weapp-pages';

function alone(script: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, script)], { cwd: resolve(__dirname, '..'), stdio: 'inherit' });
    child.on('error', fail);
    child.on('exit', (code, signal) => (code === 0 ? done() : fail(new Error(`${script} exited with ${signal ?? code}`))));
  });
}

async function main(): Promise<void> {
  const failed: string[] = [];
  const step = async <T>(name: string, run: () => T | Promise<T>): Promise<T | undefined> => {
    console.log(`\n── bench: ${name}`);
    try {
      return await run();
    } catch (error) {
      failed.push(name);
      console.error(`${name} failed: ${(error as Error).message}`);
      return undefined;
    }
  };
  const calls = await step('recording the API tests', () => recordCalls());
  if (calls) {
    await step('roundtrips', () => roundtrips(calls));
    await step('cost', () => cost(calls));
  }
  await step('sizes', () => sizes());
  await step('overhead', () => alone('overhead.ts'));
  await step('rush', () => alone('rush.ts'));
  await step('fuzz', () => alone('fuzz.ts'));
  await step('axe', () => axe());
  await step('pages', () => alone('pages.ts'));
  await step('weapp pages', () => weappPages());
  if (failed.length) {
    console.error(`\nbench: ${failed.join(', ')} failed`);
    process.exit(1);
  }
}

void main();
