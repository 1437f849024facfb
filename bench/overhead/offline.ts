/**
 * The full local stack's API: `serverless offline` (serverless-esbuild bundles each function,
 * serverless-offline runs it in a worker thread behind its HTTP server), as `npm start` runs it,
 * started from a copy of the service in a temporary folder so its .esbuild output never meets
 * another run's in the working tree. Stopped with its whole process group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../scripts/local/dynamo';

const ROOT = resolve(__dirname, '../..');

export interface Offline {
  base: string;
  stop(): Promise<void>;
}

export async function startOffline(options: { dynamoEndpoint: string; stage: string; env?: Record<string, string> }): Promise<Offline> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-offline-'));
  for (const entry of ['serverless.yml', 'package.json', 'tsconfig.json', 'functions', 'contract']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const [httpPort, wsPort, lambdaPort] = [await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    join(ROOT, 'node_modules/.bin/serverless'),
    // --localEnvironment: the functions see this process's environment (the rate limit below)
    // besides serverless.yml's; everything else is as `npm start` runs it.
    ['offline', 'start', '--stage', options.stage, '--localEnvironment'],
    {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        SLS_TELEMETRY_DISABLED: '1',
        STAGE: options.stage,
        DEV_LOGIN: '1',
        DYNAMODB_ENDPOINT: options.dynamoEndpoint,
        API_PORT: String(httpPort),
        WS_PORT: String(wsPort),
        LAMBDA_PORT: String(lambdaPort),
        ...options.env,
      },
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  const stop = async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      killGroup('SIGTERM');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
      killGroup('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`serverless offline exited:\n${output}`);
    }
    try {
      if ((await fetch(`${base}/v1/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`serverless offline did not answer in 180 s:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  return { base, stop };
}
