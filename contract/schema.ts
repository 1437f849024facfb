/**
 * Zod, configured once for the whole product: validation messages in Chinese.
 * Everything that builds a schema imports `z` from here.
 */
import { z } from 'zod';
import { zhCN } from 'zod/locales';

z.config(zhCN());

export { z };
