/* global process, console */
/* eslint-disable no-console -- command-line tools report on stdout */
// Sizes of the builds, for the package budget (weapp main package ≤ 512 KB, each subpackage and
// the main package ≤ 2 MB, all ≤ 20 MB) and the h5 first screen.
// Run after the builds: node miniprogram/tools/size-report.mjs [distRoot]
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(process.argv[2] ?? join(import.meta.dirname, '../../dist'));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const weapp = join(root, 'weapp');
if (existsSync(join(weapp, 'app.json'))) {
  const app = JSON.parse(readFileSync(join(weapp, 'app.json'), 'utf8'));
  const subRoots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/\/$/, ''));
  const sizes = { main: 0 };
  for (const file of files(weapp)) {
    const rel = relative(weapp, file);
    // DevTools does not upload these.
    if (rel === 'project.config.json' || rel === 'project.private.config.json' || rel.endsWith('.LICENSE.txt')) continue;
    const sub = subRoots.find((r) => rel === r || rel.startsWith(`${r}/`));
    sizes[sub ?? 'main'] = (sizes[sub ?? 'main'] ?? 0) + statSync(file).size;
  }
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  console.log(`weapp main package: ${kb(sizes.main)} (budget 512 KB)`);
  for (const r of subRoots) console.log(`weapp subpackage ${r}: ${kb(sizes[r] ?? 0)}`);
  console.log(`weapp total: ${kb(total)}`);
}

const h5 = join(root, 'h5');
if (existsSync(join(h5, 'index.html'))) {
  // First screen = what index.html loads before any page chunk: its scripts and stylesheets.
  const html = readFileSync(join(h5, 'index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1].replace(/^\.?\//, ''));
  let raw = 0, gz = 0, jsGz = 0;
  for (const asset of assets) {
    const buf = readFileSync(join(h5, asset));
    const z = gzipSync(buf, { level: 9 }).length;
    raw += buf.length; gz += z;
    if (asset.endsWith('.js')) jsGz += z;
  }
  // The home page's own chunk loads next; the router names it in the app bundle.
  console.log(`h5 first screen (entry ${assets.length} files): ${kb(raw)} raw, ${kb(gz)} gzip, of which JS ${kb(jsGz)} gzip`);
}
