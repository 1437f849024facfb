/**
 * `npm start`: the whole product on this machine, in one terminal.
 *   DynamoDB Local (data in .data/ or $DATA_DIR) → table from serverless.yml → demo seed
 *   → a local S3 server for photos and attachments (files in .tmp/s3/<stage>/)
 *   → the API through serverless-offline (stage local) → the H5 build, served.
 * Ctrl-C stops every child process.
 *
 * Tests and benchmarks start the same stack through scripts/local/stack.ts, with
 *   --api-only    no H5 build and no web server;
 *   --in-memory   DynamoDB Local in memory (never .data/);
 *   --stage test  the test stage, whose `x-test-now` header lets a benchmark set the clock;
 * and the ports in API_PORT, WS_PORT, LAMBDA_PORT, DYNAMO_PORT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_COMMUNITY, DEMO_PEOPLE, seedDemo } from './seed';
import { ensureTable, freePort, JAVA_HINT, javaIsMissing, startDynamoLocal, type LocalDynamo } from './local/dynamo';
import { startLocalS3 } from './local/s3';
import { serveStatic } from './local/static-server';

const ROOT = resolve(__dirname, '..');
const { values: options } = parseArgs({
  options: { 'api-only': { type: 'boolean' }, 'in-memory': { type: 'boolean' }, stage: { type: 'string', default: 'local' } },
});
if (!['local', 'test'].includes(options.stage)) throw new Error(`--stage ${options.stage}: only local or test run on this machine`);
const STAGE = options.stage;
const API_PORT = Number(process.env.API_PORT ?? 3000);
const WEB_PORT = Number(process.env.WEB_PORT ?? 10086);
const DATA_DIR = options['in-memory'] ? undefined : resolve(process.env.DATA_DIR ?? resolve(ROOT, '.data'));
// serverless.yml names the table after the stage.
const TABLE = `linli-${STAGE}`;
const API_BASE = process.env.LINLI_API_BASE ?? `http://127.0.0.1:${API_PORT}`;

const children: ChildProcess[] = [];
let dynamo: LocalDynamo | undefined;
const closers: (() => Promise<void>)[] = [];

function run(command: string, args: string[], env: NodeJS.ProcessEnv, label: string): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) =>
    chunk.toString().split('\n').filter((line) => line.trim()).forEach((line) => console.log(`[${label}] ${line}`));
  child.stdout?.on('data', prefix);
  child.stderr?.on('data', prefix);
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((done) => child.once('exit', (code) => done(code ?? 1)));
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error('serverless offline exited; see the [api] lines above');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
}

async function shutdown(code: number): Promise<never> {
  const stopped = children.filter((child) => child.exitCode === null).map(exited);
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.race([Promise.all(stopped), new Promise((done) => setTimeout(done, 5000))]);
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const close of closers) await close().catch(() => undefined);
  await dynamo?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  const started = Date.now();
  if (javaIsMissing()) {
    console.error(JAVA_HINT);
    process.exit(1);
  }
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const dynamoPort = Number(process.env.DYNAMO_PORT ?? (await freePort()));
  dynamo = await startDynamoLocal({ port: dynamoPort, dataDir: DATA_DIR });
  Object.assign(process.env, { STAGE, TABLE_NAME: TABLE, DYNAMODB_ENDPOINT: dynamo.endpoint });
  await ensureTable(dynamo.endpoint, TABLE);
  const s3 = await startLocalS3({
    bucket: `linli-${STAGE}-files`,
    // In memory: a folder of this run's own, removed at the end, as DynamoDB's data is.
    name: options['in-memory'] ? `stack-${process.pid}` : STAGE,
    fresh: options['in-memory'],
  });
  closers.push(s3.stop);
  Object.assign(process.env, { S3_ENDPOINT: s3.endpoint, BUCKET_NAME: s3.bucket });
  const seeded = await seedDemo();
  console.log(
    `DynamoDB Local at ${dynamo.endpoint}, data ${DATA_DIR ? `in ${DATA_DIR}` : 'in memory'} (${seeded === 'seeded' ? 'demo community seeded' : 'existing data kept'})`,
  );

  // The API and the H5 build start together: the build is the slow part.
  const api = run(
    resolve(ROOT, 'node_modules/.bin/serverless'),
    ['offline', 'start', '--stage', STAGE],
    {
      SLS_TELEMETRY_DISABLED: '1',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
      BUCKET_NAME: s3.bucket,
      API_PORT: String(API_PORT),
      STAGE,
      // This machine's stack: the dev login is on (it also needs a local stage).
      DEV_LOGIN: '1',
      WEB_BASE: `http://127.0.0.1:${WEB_PORT}`,
    },
    'api',
  );
  const build = options['api-only'] ? undefined : run('npm', ['run', 'build:h5', '--silent'], { LINLI_API_BASE: API_BASE }, 'h5');
  const [buildCode] = await Promise.all([build ? exited(build) : 0, waitForHealth(`http://127.0.0.1:${API_PORT}/v1/health`, api)]);
  if (buildCode !== 0) throw new Error('the H5 build failed; see the [h5] lines above');
  const web = options['api-only'] ? undefined : await serveStatic({ root: resolve(ROOT, 'dist/h5'), port: WEB_PORT });
  if (web) closers.push(web.close);

  const logins = DEMO_PEOPLE.map((p) => `  ${p.openid.padEnd(16)} ${p.note}`).join('\n');
  console.log(`
Linli 邻里 is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s):
  API            http://127.0.0.1:${API_PORT}/v1   (OpenAPI: /v1/openapi.json)
  Files (S3)     ${s3.endpoint}/${s3.bucket}   (photos and attachments)
  App (H5)       ${web?.url ?? '(not started: --api-only)'}
  Demo community ${DEMO_COMMUNITY}: 幸福里示范社区 (鼓楼区 西司门街道)
Dev logins (openids for the H5 登录 page or POST /v1/auth/dev):
${logins}
Ctrl-C stops everything.`);
  const code = await exited(api);
  console.error(`serverless offline exited with ${code}`);
  await shutdown(code);
}

main().catch(async (error: Error) => {
  console.error(error.message);
  await shutdown(1);
});
