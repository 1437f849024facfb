/**
 * Assembles the two Lambda layers (layers/serverless.yml deploys them; Lambda puts
 * /opt/nodejs/node_modules on the module path), each with every runtime dependency:
 *
 *  - `pdf` (the certificates function): pdfkit (with fontkit 2.x), qrcode, and the Regular and
 *    Bold Noto Sans SC TTFs;
 *  - `image` (the functions that claim photos and attachments): sharp with libvips built for the
 *    functions' architecture (serverless.yml's `provider.architecture`, arm64). sharp finds its
 *    native part in `@img/sharp-linux-<arch>` and `@img/sharp-libvips-linux-<arch>`: copied from
 *    node_modules when npm installed them for this machine's architecture, otherwise fetched from
 *    the npm registry (`npm pack`) at the versions sharp names.
 *
 * esbuild marks pdfkit, qrcode and sharp external, so no function bundle carries them.
 *
 *   npx tsx scripts/build-layers.ts [pdf|image]     (before deploying layers/serverless.yml)
 *
 * Env: LAYERS_DIR (where to write, default layers/), LAYER_ARCH (arm64 or x64, default
 * serverless.yml's).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..');
const LAYERS = resolve(process.env.LAYERS_DIR ?? join(ROOT, 'layers'));
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

const packageJson = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };

/** Copies a package and, recursively, its dependencies (not its optional ones), keeping npm's nesting. */
function copyTree(name: string, from: string, out: string, seen: Set<string>): void {
  const dir = packageDir(name, from);
  if (seen.has(dir)) return;
  seen.add(dir);
  cpSync(dir, join(out, relative(join(ROOT, 'node_modules'), dir)), {
    recursive: true,
    // Sources maps, tests and type declarations are not needed at run time.
    filter: (src) => !/(\.map|\.d\.ts|\.md)$/.test(src) && !/\/(test|tests|docs|example|examples)(\/|$)/.test(relative(dir, src)),
  });
  for (const dep of Object.keys(packageJson(dir).dependencies ?? {})) copyTree(dep, dir, out, seen);
}

function size(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) => sum + (entry.isDirectory() ? size(join(dir, entry.name)) : statSync(join(dir, entry.name)).size),
    0,
  );
}

/** A fresh layers/<name>/nodejs/node_modules. */
function emptyLayer(name: string): string {
  rmSync(join(LAYERS, name), { recursive: true, force: true });
  const out = join(LAYERS, name, 'nodejs/node_modules');
  mkdirSync(out, { recursive: true });
  return out;
}

function buildPdf(): void {
  const out = emptyLayer('pdf');
  const seen = new Set<string>();
  for (const name of ['pdfkit', 'qrcode']) copyTree(name, ROOT, out, seen);
  const fonts = packageDir(FONT_PACKAGE, ROOT);
  const target = join(out, FONT_PACKAGE);
  mkdirSync(target, { recursive: true });
  for (const file of ['package.json', 'LICENSE', 'LICENSE_FONT']) cpSync(join(fonts, file), join(target, file));
  for (const weight of FONT_WEIGHTS) {
    mkdirSync(join(target, weight), { recursive: true });
    cpSync(join(fonts, weight, `NotoSansSC_${weight}.ttf`), join(target, weight, `NotoSansSC_${weight}.ttf`));
  }
  console.log(`layers/pdf: ${seen.size} packages + ${FONT_PACKAGE} (${FONT_WEIGHTS.join(', ')}), ${(size(out) / 1e6).toFixed(1)} MB unzipped`);
}

/** serverless.yml's architecture for the functions, as sharp names it. */
function functionsArch(): 'arm64' | 'x64' {
  const fromEnv = process.env.LAYER_ARCH;
  // Only provider.architecture is read: CloudFormation's tags (!Sub, !GetAtt…) are left unresolved, silently.
  const yaml = parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), { logLevel: 'error' }) as { provider: { architecture?: string } };
  const arch = fromEnv ?? yaml.provider.architecture ?? 'x86_64';
  if (arch === 'arm64') return 'arm64';
  if (arch === 'x64' || arch === 'x86_64') return 'x64';
  throw new Error(`no sharp build for the architecture ${arch}`);
}

/** A platform package of sharp at `version`: from node_modules when it is the one installed, else from the registry. */
function copyPlatformPackage(name: string, version: string, out: string): void {
  const target = join(out, name);
  const installed = join(ROOT, 'node_modules', name);
  if (existsSync(join(installed, 'package.json')) && packageJson(installed).version === version) {
    cpSync(installed, target, { recursive: true });
    return;
  }
  const downloads = mkdtempSync(join(tmpdir(), 'linli-layer-'));
  try {
    const file = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', downloads], { cwd: downloads, encoding: 'utf8' }).trim().split('\n').pop()!;
    mkdirSync(target, { recursive: true });
    // npm tarballs hold one folder, package/: its contents are the package.
    execFileSync('tar', ['-xzf', join(downloads, file), '-C', target, '--strip-components=1']);
  } finally {
    rmSync(downloads, { recursive: true, force: true });
  }
}

function buildImage(): void {
  const out = emptyLayer('image');
  const arch = functionsArch();
  const seen = new Set<string>();
  copyTree('sharp', ROOT, out, seen);
  const optional = packageJson(packageDir('sharp', ROOT)).optionalDependencies ?? {};
  const natives = [`@img/sharp-linux-${arch}`, `@img/sharp-libvips-linux-${arch}`];
  for (const name of natives) {
    const version = optional[name];
    if (!version) throw new Error(`sharp names no ${name}`);
    copyPlatformPackage(name, version, out);
  }
  console.log(`layers/image: sharp for linux-${arch}, ${seen.size + natives.length} packages, ${(size(out) / 1e6).toFixed(1)} MB unzipped`);
}

const only = process.argv[2];
if (only !== undefined && only !== 'pdf' && only !== 'image') throw new Error(`unknown layer ${only}: pdf or image`);
if (only !== 'image') buildPdf();
if (only !== 'pdf') buildImage();
