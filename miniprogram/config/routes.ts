import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';

/** [method, path, auth] of every route, by the route's name in the contract. */
export type RouteTable = Record<string, [string, string, string]>;

/**
 * Reads the contract's route table at build time. The contract is TypeScript that Taro's config
 * loader cannot require, so it is bundled with esbuild into a throw-away CommonJS file first.
 * Only method, path and auth reach the app (as the LINLI_ROUTES constant): the zod schemas would cost
 * the main package a few hundred KB and the server validates anyway.
 */
export function routeTable(contractDir: string): RouteTable {
  const out = buildSync({
    entryPoints: [path.join(contractDir, 'routes.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'linli-routes-'));
  const file = path.join(dir, 'routes.cjs');
  try {
    writeFileSync(file, out.outputFiles[0]!.text);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { routes } = require(file) as { routes: Record<string, { method: string; path: string; auth: string }> };
    return Object.fromEntries(Object.entries(routes).map(([name, def]) => [name, [def.method, def.path, def.auth]]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
