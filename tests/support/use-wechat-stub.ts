/**
 * The WeChat stand-in as a test file uses it. Apart from tests/support/wechat-stub.ts, which the
 * benchmarks load outside vitest (vitest cannot be imported there).
 */
import { afterAll, beforeAll } from 'vitest';
import { resetConfig } from '../../functions/lib/config';
import { startWechatStub, type WechatStub } from './wechat-stub';

/**
 * A test file's stand-in: started before its tests with these template ids set (env name → id),
 * handed to `started`, and stopped after them with the ids removed.
 */
export function useWechatStub(templates: Record<string, string>, started: (stub: WechatStub) => void): void {
  let stub: WechatStub | undefined;
  beforeAll(async () => {
    stub = await startWechatStub();
    started(stub);
    process.env.WECHAT_API_BASE = stub.base;
    Object.assign(process.env, templates);
    resetConfig();
  });
  afterAll(async () => {
    for (const name of Object.keys(templates)) delete process.env[name];
    await stub?.close();
  });
}
