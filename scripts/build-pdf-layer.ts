/**
 * Assembles the Lambda layer of the certificates function: pdfkit (with fontkit 2.x), qrcode,
 * and the Regular and Bold Noto Sans SC TTFs, with every runtime dependency, into
 * layers/pdf/nodejs/node_modules (Lambda puts /opt/nodejs/node_modules on the module path).
 * esbuild marks pdfkit and qrcode external, so no other function carries them.
 *
 *   npx tsx scripts/build-pdf-layer.ts      (before `serverless package`)
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'layers/pdf/nodejs/node_modules');
const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';
const FONT_WEIGHTS = ['400Regular', '700Bold'];

/** The directory of a package as Node would find it from `from` (nested first, then hoisted). */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === dirname(dir)) throw new Error(`cannot find ${name} from ${from}`);
  }
}

/** Copies a package and, recursively, its dependencies, keeping npm's nesting. */
function copyTree(name: string, from: string, seen: Set<string>): void {
  const dir = packageDir(name, from);
  if (seen.has(dir)) return;
  seen.add(dir);
  const target = join(OUT, relative(join(ROOT, 'node_modules'), dir));
  cpSync(dir, target, {
    recursive: true,
    // Sources maps, tests and type declarations are not needed at run time.
    filter: (src) => !/(\.map|\.d\.ts|\.md)$/.test(src) && !/\/(test|tests|docs|example|examples)(\/|$)/.test(relative(dir, src)),
  });
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) copyTree(dep, dir, seen);
}

function copyFont(): void {
  const dir = packageDir(FONT_PACKAGE, ROOT);
  const target = join(OUT, FONT_PACKAGE);
  mkdirSync(target, { recursive: true });
  for (const file of ['package.json', 'LICENSE', 'LICENSE_FONT']) cpSync(join(dir, file), join(target, file));
  for (const weight of FONT_WEIGHTS) {
    mkdirSync(join(target, weight), { recursive: true });
    cpSync(join(dir, weight, `NotoSansSC_${weight}.ttf`), join(target, weight, `NotoSansSC_${weight}.ttf`));
  }
}

function size(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) => sum + (entry.isDirectory() ? size(join(dir, entry.name)) : statSync(join(dir, entry.name)).size),
    0,
  );
}

rmSync(join(ROOT, 'layers/pdf'), { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const seen = new Set<string>();
for (const name of ['pdfkit', 'qrcode']) copyTree(name, ROOT, seen);
copyFont();
console.log(`layers/pdf: ${seen.size} packages + ${FONT_PACKAGE} (${FONT_WEIGHTS.join(', ')}), ${(size(OUT) / 1e6).toFixed(1)} MB unzipped`);
