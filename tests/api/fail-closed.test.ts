/**
 * Fail closed (issue 12): a deploy without a stage, a function in AWS Lambda on a development
 * stage or with a development signing key, the dev login without its switch, and a numeric
 * setting that is not a number all refuse, instead of quietly running with local conveniences.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../functions/lib/config';
import { secret } from '../../functions/lib/secrets';
import { uniqueOpenid } from '../support/actors';
import { restoreEnvAfterEach, setEnv } from '../support/env';
import { call } from '../support/stack';

const ROOT = resolve(__dirname, '../..');

restoreEnvAfterEach();

describe('the stage', () => {
  it('is not local or test when serverless is run without --stage', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1' };
    delete env.STAGE;
    const { stdout } = await promisify(execFile)(resolve(ROOT, 'node_modules/.bin/serverless'), ['print', '--path', 'provider.environment.STAGE'], {
      cwd: ROOT,
      env,
      timeout: 60_000,
    });
    const stage = stdout.trim();
    expect(stage).toMatch(/^[a-z]+$/);
    expect(['local', 'test']).not.toContain(stage);
  }, 90_000);

  it('must be given to a function: without STAGE the configuration refuses to load', () => {
    setEnv({ STAGE: undefined });
    expect(() => config()).toThrow(/STAGE is not set/);
  });

  it('refuses to serve a development stage inside AWS Lambda', async () => {
    setEnv({ STAGE: 'test', AWS_LAMBDA_FUNCTION_NAME: 'linli-test-identity', IS_OFFLINE: undefined });
    expect(() => config()).toThrow(/refuses to run in AWS Lambda/);
    const login = await call('POST', '/v1/auth/dev', { body: { openid: 'admin' } });
    expect(login.status).toBe(500);
    expect(login.body.token).toBeUndefined();
  });

  it('still serves a development stage under serverless-offline, which also names the function', async () => {
    setEnv({ STAGE: 'test', AWS_LAMBDA_FUNCTION_NAME: 'linli-test-identity', IS_OFFLINE: 'true' });
    expect((await call('POST', '/v1/auth/dev', { body: { openid: uniqueOpenid() } })).status).toBe(200);
  });
});

describe('the dev login', () => {
  it('needs DEV_LOGIN=1 on top of a local stage', async () => {
    setEnv({ DEV_LOGIN: undefined });
    const reply = await call('POST', '/v1/auth/dev', { body: { openid: 'admin' } });
    expect(reply.status).toBe(404);
    expect(reply.body.token).toBeUndefined();
  });

  it('stays off on a deployed stage even with DEV_LOGIN=1', async () => {
    setEnv({ STAGE: 'prod', DEV_LOGIN: '1', TOKEN_KEY_PARAM: undefined });
    expect(config().devLogin).toBe(false);
    expect((await call('POST', '/v1/auth/dev', { body: { openid: 'admin' } })).status).toBe(404);
  });
});

describe('numeric settings', () => {
  for (const name of ['RATE_LIMIT_PER_MINUTE', 'WECHAT_TIMEOUT_MS']) {
    it(`stop the function with a clear message when ${name} is not a number`, async () => {
      setEnv({ [name]: 'abc' });
      expect(() => config()).toThrow(`${name} must be a positive number, not "abc"`);
      expect((await call('GET', '/v1/health')).status).toBe(500);
    });
  }
  for (const [name, value] of [['APPOINTMENT_GRACE_MINUTES', 'abc'], ['APPOINTMENT_GRACE_MINUTES', '-5'], ['MAX_HALL_BOARDS', '0'], ['MAX_HALL_BOARDS', '2.5']] as const) {
    it(`stop the function with a clear message when ${name} is "${value}"`, async () => {
      setEnv({ [name]: value });
      expect(() => config()).toThrow(new RegExp(`^${name} must be a whole number of at least \\d, not "${value.replace('.', '\\.')}"$`));
      expect((await call('GET', '/v1/health')).status).toBe(500);
    });
  }
});

describe('the public address QR codes point at', () => {
  const inLambda = (webBase: string | undefined) =>
    setEnv({ STAGE: 'prod', WEB_BASE: webBase, AWS_LAMBDA_FUNCTION_NAME: 'linli-prod-identity', IS_OFFLINE: undefined });

  for (const webBase of [undefined, 'http://127.0.0.1:10086', 'https://localhost', 'http://linli.example.gov.cn']) {
    it(`refuses to start a deployed function whose WEB_BASE is ${webBase ?? 'missing'}`, () => {
      inLambda(webBase);
      expect(() => config()).toThrow(/WEB_BASE must be the H5 app's public https address on the prod stage/);
    });
  }

  it('takes the public https address a deploy gives', () => {
    inLambda('https://linli.example.gov.cn');
    expect(config().webBase).toBe('https://linli.example.gov.cn');
  });
});

/**
 * A stand-in for SSM Parameter Store (the SDK's JSON protocol, reached through
 * AWS_ENDPOINT_URL_SSM), so the real secrets code reads the parameters a deploy would hold.
 */
describe('the signing key on a deployed stage', () => {
  const parameters: Record<string, string> = {
    '/linli/prod/dev-key': 'linli-local-token-key-not-for-production-use',
    '/linli/prod/dev-checkin-key': 'linli-local-checkin-key-not-for-production-use',
    '/linli/prod/short-key': 'too-short',
    '/linli/prod/good-key': 'a-long-random-production-signing-key-0123456789',
  };
  let ssm: Server;
  let endpoint = '';

  beforeAll(async () => {
    ssm = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const { Name } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Name: string };
      const value = parameters[Name];
      res.writeHead(value ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(value ? { Parameter: { Name, Type: 'SecureString', Value: value, Version: 1 } } : { __type: 'ParameterNotFound', message: Name }));
    });
    await new Promise<void>((done) => ssm.listen(0, '127.0.0.1', done));
    endpoint = `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => ssm.close(() => done())));

  const deployed = (param: string | undefined) =>
    setEnv({
      STAGE: 'prod', TOKEN_KEY_PARAM: param, AWS_LAMBDA_FUNCTION_NAME: 'linli-prod-identity', IS_OFFLINE: undefined, WEB_BASE: 'https://linli.example.gov.cn',
      AWS_ENDPOINT_URL_SSM: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'cn-north-1',
    });

  it('is refused when no parameter is configured', async () => {
    deployed(undefined);
    await expect(secret('tokenKey')).rejects.toThrow(/TOKEN_KEY_PARAM is not configured/);
    expect((await call('GET', '/v1/me', { token: 'x.y.z' })).status).toBe(500);
  });

  it('is refused when the parameter holds the development key', async () => {
    deployed('/linli/prod/dev-key');
    await expect(secret('tokenKey')).rejects.toThrow(/development key/);
  });

  it('refuses the development check-in code key too', async () => {
    deployed('/linli/prod/good-key');
    setEnv({ CHECKIN_KEY_PARAM: '/linli/prod/dev-checkin-key' });
    await expect(secret('checkinKey')).rejects.toThrow(/development key/);
  });

  it('is refused when the parameter holds a short key', async () => {
    deployed('/linli/prod/short-key');
    await expect(secret('tokenKey')).rejects.toThrow(/shorter than 32/);
  });

  it('is read from the parameter when it is a real key', async () => {
    deployed('/linli/prod/good-key');
    await expect(secret('tokenKey')).resolves.toBe(parameters['/linli/prod/good-key']);
  });
});
