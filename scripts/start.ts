/**
 * `npm start`: the whole product on this machine, in one terminal.
 *   DynamoDB Local (data in .data/ or $DATA_DIR) → table from serverless.yml → demo seed
 *   → the API through serverless-offline (stage local) → the H5 build, served.
 * Ctrl-C stops every child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { DEMO_COMMUNITY, DEMO_PEOPLE, seedDemo } from './seed';
import { ensureTable, freePort, JAVA_HINT, javaIsMissing, startDynamoLocal, type LocalDynamo } from './local/dynamo';
import { serveStatic } from './local/static-server';

const ROOT = resolve(__dirname, '..');
const API_PORT = Number(process.env.API_PORT ?? 3000);
const WEB_PORT = Number(process.env.WEB_PORT ?? 10086);
const DATA_DIR = resolve(process.env.DATA_DIR ?? resolve(ROOT, '.data'));
const TABLE = 'linli-local';
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
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
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
  Object.assign(process.env, { STAGE: 'local', TABLE_NAME: TABLE, DYNAMODB_ENDPOINT: dynamo.endpoint });
  await ensureTable(dynamo.endpoint, TABLE);
  const seeded = await seedDemo();
  console.log(`DynamoDB Local at ${dynamo.endpoint}, data in ${DATA_DIR} (${seeded === 'seeded' ? 'demo community seeded' : 'existing data kept'})`);

  // The API and the H5 build start together: the build is the slow part.
  const api = run(
    resolve(ROOT, 'node_modules/.bin/serverless'),
    ['offline', 'start', '--stage', 'local'],
    { SLS_TELEMETRY_DISABLED: '1', DYNAMODB_ENDPOINT: dynamo.endpoint, API_PORT: String(API_PORT), STAGE: 'local', WEB_BASE: `http://127.0.0.1:${WEB_PORT}` },
    'api',
  );
  const build = run('npm', ['run', 'build:h5', '--silent'], { LINLI_API_BASE: API_BASE }, 'h5');
  const [buildCode] = await Promise.all([exited(build), waitForHealth(`http://127.0.0.1:${API_PORT}/v1/health`, api)]);
  if (buildCode !== 0) throw new Error('the H5 build failed; see the [h5] lines above');
  const web = await serveStatic({ root: resolve(ROOT, 'dist/h5'), port: WEB_PORT });
  closers.push(web.close);

  const logins = DEMO_PEOPLE.map((p) => `  ${p.openid.padEnd(16)} ${p.note}`).join('\n');
  console.log(`
Linli 邻里 is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s):
  API            http://127.0.0.1:${API_PORT}/v1   (OpenAPI: /v1/openapi.json)
  App (H5)       ${web.url}
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
