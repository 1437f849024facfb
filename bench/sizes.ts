/**
 * Sizes: the weapp main package and each subpackage, the H5 first screen (gzip), each Lambda
 * artifact from `serverless package`, and each handler's cold import time against a bare SDK
 * import. Run after `npm run build:weapp`, `npm run build:h5`; it packages the functions itself.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { kb, percentile, table, writeSection } from './report';

const ROOT = resolve(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function weapp(): string {
  const dist = resolve(ROOT, 'dist/weapp');
  if (!existsSync(join(dist, 'app.json'))) return '_dist/weapp is missing: run `npm run build:weapp` first._';
  const app = JSON.parse(readFileSync(join(dist, 'app.json'), 'utf8')) as { subPackages?: { root: string }[]; subpackages?: { root: string }[] };
  const roots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''));
  const sizes = new Map<string, number>([['(main)', 0], ...roots.map((r) => [r, 0] as [string, number])]);
  const mainFiles: [string, number][] = [];
  for (const file of files(dist)) {
    const rel = relative(dist, file);
    if (rel === 'project.config.json' || rel.endsWith('.map')) continue;
    const size = statSync(file).size;
    const root = roots.find((r) => rel.startsWith(`${r}/`));
    sizes.set(root ?? '(main)', (sizes.get(root ?? '(main)') ?? 0) + size);
    if (!root) mainFiles.push([rel, size]);
  }
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const main = sizes.get('(main)') ?? 0;
  const biggest = mainFiles.sort((a, b) => b[1] - a[1]).slice(0, 6).map(([f, s]) => `${f} ${kb(s)}`).join(', ');
  return [
    table(['package', 'size', 'target'], [
      ...[...sizes].map(([name, size]) => [name, kb(size), name === '(main)' ? `≤ 512 KB: ${main <= 512 * 1024 ? 'met' : 'NOT met'}` : '≤ 2 MB']),
      ['total', kb(total), '≤ 20 MB'],
    ]),
    '',
    `Largest files in the main package: ${biggest}.`,
  ].join('\n');
}

function h5(): string {
  const dist = resolve(ROOT, 'dist/h5');
  if (!existsSync(join(dist, 'index.html'))) return '_dist/h5 is missing: run `npm run build:h5` first._';
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  const rows = assets.map((asset) => {
    const content = readFileSync(join(dist, asset));
    return [asset, kb(content.length), kb(gzipSync(content).length)];
  });
  const gz = assets.reduce((sum, asset) => sum + gzipSync(readFileSync(join(dist, asset))).length, 0);
  const parts = firstScreenParts(assets.filter((a) => a.endsWith('.js')).map((name) => ({ name, text: readFileSync(join(dist, name), 'utf8') })));
  return [
    table(['first-screen asset', 'raw', 'gzip'], rows),
    `H5 first screen: **${kb(gz)} gzip** (the entry's scripts and styles; each page's own chunk loads on navigation). Target ≤ ${kb(FIRST_SCREEN_TARGET)} gzip.`,
    `What the first screen's scripts hold (webpack modules, each gzipped alone, so they add up to a little more than the files):`,
    table(['part', 'gzip'], parts.map(([part, bytes]) => [part, kb(bytes)])),
    gz > FIRST_SCREEN_TARGET
      ? `Over the target because of the libraries: Linli's own code is ${kb(parts.find(([part]) => part.startsWith('Linli'))?.[1] ?? 0)} of it. Meeting ${kb(FIRST_SCREEN_TARGET)} would take a lighter renderer than React DOM (Taro can also build with Preact); not tried.`
      : '',
  ].join('\n\n');
}

/** WeChat's mark for the first screen's scripts and styles (gzip). */
const FIRST_SCREEN_TARGET = 120 * 1024;

/** Which part of the first screen a webpack module is, by what it contains and where it sits. */
const PARTS: [string, (module: string, inEntry: boolean) => boolean][] = [
  ['React DOM', (m) => m.includes('reactjs.org/docs/error-decoder')],
  ["Taro's h5 API and components (the vendors chunk)", (_, inEntry) => !inEntry],
  ["Linli's own code (pages, components, client)", (m) => /[\u4e00-\u9fff]/.test(m)],
  ["Taro's runtime and router, React, polyfills (in the entry)", () => true],
];

function firstScreenParts(scripts: { name: string; text: string }[]): [string, number][] {
  const totals = new Map<string, number>(PARTS.map(([part]) => [part, 0]));
  for (const { name, text } of scripts) {
    const starts = [...text.matchAll(/[,{]"\d+":function\(/g)].map((m) => m.index ?? 0);
    starts.forEach((start, i) => {
      const module = text.slice(start, starts[i + 1] ?? text.length);
      const [part] = PARTS.find(([, is]) => is(module, /(^|\/)app\./.test(name)))!;
      totals.set(part, (totals.get(part) ?? 0) + gzipSync(module).length);
    });
  }
  return [...totals];
}

function importTime(file: string, runs = 7): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`], {
      cwd: ROOT,
      env: { ...process.env, NODE_PATH: resolve(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    samples.push(Number(out.toString().trim()));
  }
  return percentile(samples, 50);
}

function lambdas(): string {
  execSync('npm run package --silent', { cwd: ROOT, stdio: 'ignore' });
  const dir = resolve(ROOT, '.serverless');
  const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
  const sdk = importTime(resolve(ROOT, 'node_modules/@aws-sdk/lib-dynamodb'));
  const rows = zips.map((zip) => {
    const size = statSync(join(dir, zip)).size;
    const unpacked = mkdtempSync(join(tmpdir(), 'linli-fn-'));
    execFileSync('unzip', ['-q', join(dir, zip), '-d', unpacked]);
    const handler = files(unpacked).find((f) => f.endsWith('.js'));
    const ms = handler ? importTime(handler) : NaN;
    const cold = `${ms.toFixed(1)} ms (${(ms / sdk).toFixed(2)}×)`;
    const target = size <= 100 * 1024 ? '≤ 100 KB: met' : '≤ 100 KB: NOT met';
    return [zip, kb(size), target, cold];
  });
  // The layers are their own service (layers/serverless.yml): built and zipped here to measure them.
  execSync('npx tsx scripts/build-layers.ts', { cwd: ROOT, stdio: 'ignore' });
  for (const layer of ['pdf', 'image']) {
    const layerZip = join(mkdtempSync(join(tmpdir(), 'linli-layer-')), `${layer}.zip`);
    execFileSync('zip', ['-qr', layerZip, '.'], { cwd: resolve(ROOT, 'layers', layer) });
    rows.push([`${layer} layer (layers/serverless.yml)`, kb(statSync(layerZip).size), 'layer: ≤ 50 MB zipped', '']);
  }
  return `${table(['artifact', 'zip size', 'target', 'cold import (× bare SDK import)'], rows)}\n\nBare \`require('@aws-sdk/lib-dynamodb')\`: ${sdk.toFixed(1)} ms (median of 7 fresh processes; so is each handler).`;
}

export function sizes(): void {
  const body = `## Sizes\n\n### weapp packages\n\n${weapp()}\n\n### H5\n\n${h5()}\n\n### Lambda artifacts (\`serverless package --stage prod\`)\n\n${lambdas()}`;
  writeSection('sizes', 'npx tsx bench/sizes.ts', body);
}

if (process.argv[1]?.endsWith('sizes.ts')) sizes();
