/**
 * Zod, configured once for the whole product: validation messages in Chinese.
 * Everything that builds a schema imports it from here: `import * as z from './schema'`.
 *
 * Named re-exports, not a `z` namespace object: esbuild cannot tree-shake a re-exported
 * namespace, and keeping it would put all of zod and every locale (~450 KB) in each function.
 */
import { config } from 'zod';
// The one locale by its own path: the `zod/locales` index would bundle all of them.
import zhCN from 'zod/v4/locales/zh-CN.js';

config(zhCN());

export * from 'zod';
