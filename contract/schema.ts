/**
 * Zod, configured once for the whole product: validation messages in plain Chinese.
 * Everything that builds a schema imports it from here: `import * as z from './schema'`.
 *
 * Named re-exports, not a `z` namespace object: esbuild cannot tree-shake a re-exported
 * namespace, and keeping it would put all of zod and every locale (~450 KB) in each function.
 */
import { config } from 'zod';
// The one locale by its own path: the `zod/locales` index would bundle all of them.
import zhCN from 'zod/v4/locales/zh-CN.js';

const KIND: Record<string, string> = { string: '文字', number: '数字', int: '整数', boolean: '是或否', array: '列表', object: '一组字段' };

interface Issue {
  code?: string;
  input?: unknown;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  values?: unknown[];
  format?: string;
  divisor?: number;
  keys?: string[];
}

/**
 * What a resident or a clerk reads next to a field ("至少 2 个字", not "期望 string >=2 字符").
 * Messages a schema names itself win over these; anything not listed falls back to the locale.
 */
export function plainMessage(issue: Issue): string | undefined {
  const size = (bound: number | bigint | undefined) => String(bound);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '必填' : `应为${KIND[issue.expected ?? ''] ?? '正确的格式'}`;
    case 'too_small':
      if (issue.origin === 'string') return `至少 ${size(issue.minimum)} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `至少 ${size(issue.minimum)} 项`;
      return issue.inclusive === false ? `应大于 ${size(issue.minimum)}` : `不能小于 ${size(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `最多 ${size(issue.maximum)} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${size(issue.maximum)} 项`;
      return issue.inclusive === false ? `应小于 ${size(issue.maximum)}` : `不能大于 ${size(issue.maximum)}`;
    case 'invalid_value':
      return `应为以下之一：${(issue.values ?? []).map(String).join('、')}`;
    case 'invalid_format':
      return '格式不正确';
    case 'not_multiple_of':
      return `应为 ${issue.divisor} 的倍数`;
    case 'unrecognized_keys':
      return `不认识的字段：${(issue.keys ?? []).join('、')}`;
    default:
      return undefined;
  }
}

config({ ...zhCN(), customError: (issue) => plainMessage(issue as Issue) });

export * from 'zod';
