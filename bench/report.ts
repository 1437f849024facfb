/**
 * BENCHMARKS.md is made of sections, one per benchmark, each between markers; a benchmark
 * rewrites only its own section, with the command and the machine it ran on.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

const FILE = resolve(__dirname, '../BENCHMARKS.md');
const HEADER = `# Linli benchmarks

Produced by \`npm run bench\` (each section also by its own script in \`bench/\`). Everything runs on
the local stack — DynamoDB Local and the real handlers — on the machine named in each section, so
read ratios measured side by side in one run rather than bare times.
`;

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

/**
 * Rewrites the section `name`. A section not yet in the file goes right after the section named
 * by `after` when that one is there, else at the end.
 */
export function writeSection(name: string, command: string, body: string, options: { after?: string } = {}): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const section = `${start}\n${body.trim()}\n\n_Command: \`${command}\` · machine: ${machine()}_\n${end}`;
  const pattern = new RegExp(`${start}[\\s\\S]*?${end}`);
  const anchor = options.after ? `<!-- ${options.after}:end -->` : undefined;
  const at = anchor && text.includes(anchor) ? text.indexOf(anchor) + anchor.length : -1;
  // A function as replacement: the body's `$` (prices) must not be read as a pattern.
  const next = pattern.test(text)
    ? text.replace(pattern, () => section)
    : at >= 0
      ? `${text.slice(0, at)}\n\n${section}${text.slice(at)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, next);
}

export function table(headers: string[], rows: (string | number)[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
