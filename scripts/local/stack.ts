/**
 * The stack `npm start` runs (scripts/start.ts: DynamoDB Local, the demo seed, the API through
 * serverless-offline), started without the H5 build, in memory, on free ports: for the stack
 * tests and the benchmarks. It runs in a process group of its own, so `stop()` ends every
 * process it started, Java included, even if start.ts itself does not get to clean up.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './dynamo';

const ROOT = resolve(__dirname, '../..');

export interface StartedStack {
  /** The API's base URL, e.g. http://127.0.0.1:40123 */
  base: string;
  dynamoEndpoint: string;
  wsPort: number;
  pid: number;
  stop(): Promise<void>;
}

export async function startStack(options: { stage?: 'local' | 'test'; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<StartedStack> {
  const [apiPort, wsPort, lambdaPort, dynamoPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'scripts/start.ts'), '--api-only', '--in-memory', '--stage', options.stage ?? 'local'],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...(options.env ?? process.env),
        API_PORT: String(apiPort),
        WS_PORT: String(wsPort),
        LAMBDA_PORT: String(lambdaPort),
        DYNAMO_PORT: String(dynamoPort),
      },
    },
  );
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 400) lines.shift();
      options.log?.(line);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const pid = child.pid!;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone
    }
  };
  process.once('exit', () => killGroup('SIGKILL'));
  const stop = async () => {
    if (child.exitCode === null) {
      const gone = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((done) => setTimeout(done, 10_000))]);
    }
    // Whatever start.ts left behind (serverless-offline, Java) goes with the group.
    killGroup('SIGKILL');
  };

  const base = `http://127.0.0.1:${apiPort}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the npm start stack did not come up:\n${lines.slice(-30).join('\n')}`);
    }
    if (lines.some((line) => line.includes('is running'))) break;
    await new Promise((done) => setTimeout(done, 250));
  }
  return { base, dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`, wsPort, pid, stop };
}
