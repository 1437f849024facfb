/**
 * The browser for the UI tests, from the npm registry alone: @sparticuz/chromium's headless
 * shell, driven by playwright-core, with the CJK font of @expo-google-fonts/noto-sans-sc. A
 * machine with only Node and Java runs the browser tests; no apt step, no system fonts.
 *
 * Off Lambda the package needs three things it does not do by itself: its bundled libraries
 * (libnss3, libnspr4, libexpat) unpacked and on LD_LIBRARY_PATH, a fontconfig that knows a CJK
 * font (without one, pages render blank, not even tofu), and launch args of our own: its
 * `chromium.args` has `--single-process`, which kills the browser when a context closes, and
 * `--disable-web-security`, which we do not want.
 *
 * LINLI_CHROMIUM=/usr/bin/chromium picks a system Chromium instead (by choice, never required);
 * it gets the same project fonts, so screenshots look the same either way.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');
const MODULES = join(ROOT, 'node_modules');
const SPARTICUZ = join(MODULES, '@sparticuz/chromium');
const NOTO_SANS_SC = join(MODULES, '@expo-google-fonts/noto-sans-sc');
/** Per project, never os.tmpdir(): the package skips unpacking when /tmp/chromium exists, so another version there would shadow ours. */
const CACHE = join(ROOT, '.tmp/chromium');

/** What `chromium.launch()` needs beyond headless: the binary, its environment and our args. */
export interface ChromiumLaunch {
  executablePath: string;
  env: Record<string, string>;
  args: string[];
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--font-render-hinting=none',
  // WebGL and compositing in software: there is no GPU on a test machine.
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));
const major = (version: string): string => version.split('.')[0] ?? '';

/** playwright-core speaks the DevTools protocol of one Chromium major: the bundled browser must be that major. */
function assertPinned(sparticuzVersion: string): void {
  const browsers: Array<{ name: string; browserVersion: string }> = readJson(join(MODULES, 'playwright-core/browsers.json')).browsers;
  const expected = browsers.find((b) => b.name === 'chromium')?.browserVersion ?? '?';
  if (major(expected) !== major(sparticuzVersion)) {
    throw new Error(
      `playwright-core drives Chromium ${expected} but @sparticuz/chromium is ${sparticuzVersion}: ` +
        `their majors must match. Bump both together in package.json ` +
        `(@sparticuz/chromium ${major(expected)}.x for this playwright-core).`,
    );
  }
}

/**
 * Unpacks the package's chromium, swiftshader, fonts and al2023 libraries into
 * `.tmp/chromium/<version>/`. The package unpacks into os.tmpdir(), read at call time, so a child
 * process with TMPDIR set to a fresh staging dir does it; the staging dir is then renamed into
 * place, which is atomic: of several workers unpacking at once, one rename wins and the others
 * discard their copy.
 */
async function unpacked(version: string): Promise<string> {
  const dir = join(CACHE, version);
  if (existsSync(join(dir, 'chromium'))) return dir;
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, `.unpack-${version}-`));
  const script = `
    const { default: Chromium, inflate } = await import(${JSON.stringify(pathToFileURL(join(SPARTICUZ, 'build/index.js')).href)});
    await Chromium.executablePath();
    await inflate(${JSON.stringify(join(SPARTICUZ, 'bin/al2023.tar.br'))});
  `;
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TMPDIR: staging } });
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, 'chromium'))) throw error;
  }
  return dir;
}

/** A fontconfig of the project's own: Noto Sans SC regular and bold from npm, and every generic family mapped to it. */
function fontsConf(): string {
  const file = join(CACHE, 'fonts.conf');
  const alias = (family: string) => `  <alias binding="same"><family>${family}</family><prefer><family>Noto Sans SC</family></prefer></alias>`;
  const conf = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<fontconfig>',
    `  <dir>${join(NOTO_SANS_SC, '400Regular')}</dir>`,
    `  <dir>${join(NOTO_SANS_SC, '700Bold')}</dir>`,
    `  <cachedir>${join(CACHE, 'fontconfig-cache')}</cachedir>`,
    ...['sans-serif', 'serif', 'monospace'].map(alias),
    '</fontconfig>',
    '',
  ].join('\n');
  mkdirSync(CACHE, { recursive: true });
  // Written only when it changes, and atomically: workers may read it while another writes.
  if (!existsSync(file) || readFileSync(file, 'utf8') !== conf) {
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, conf);
    renameSync(partial, file);
  }
  return file;
}

/** The browser to launch, its environment and args; unpacks the bundled one on first use. */
export async function chromiumLaunch(): Promise<ChromiumLaunch> {
  const version: string = readJson(join(SPARTICUZ, 'package.json')).version;
  assertPinned(version);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), FONTCONFIG_FILE: fontsConf() };
  const system = process.env.LINLI_CHROMIUM;
  if (system) {
    if (!existsSync(system)) throw new Error(`LINLI_CHROMIUM=${system} does not exist: unset it to use the browser from npm`);
    return { executablePath: system, env, args: ARGS };
  }
  const dir = await unpacked(version);
  const lib = join(dir, 'al2023/lib');
  env.LD_LIBRARY_PATH = [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { executablePath: join(dir, 'chromium'), env, args: ARGS };
}
