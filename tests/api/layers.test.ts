/**
 * The Lambda layers hold what their functions import at run time and nothing of this checkout:
 * each is built into a temporary folder and used from a process that cannot see node_modules.
 * The image layer is built for this machine's architecture (from node_modules); for the
 * functions' arm64 the script fetches the same packages from the npm registry.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const layers = mkdtempSync(join(tmpdir(), 'linli-layers-'));
const outside = mkdtempSync(join(tmpdir(), 'linli-outside-'));

afterAll(() => {
  rmSync(layers, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** Runs a script with only the layer on the module path, as Lambda's /opt/nodejs/node_modules. */
function inLambda(layer: string, script: string): string {
  return execFileSync(process.execPath, ['-e', script], {
    cwd: outside,
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(layers, layer, 'nodejs/node_modules') },
    encoding: 'utf8',
  }).trim();
}

describe('Lambda layers', () => {
  it('builds an image layer whose sharp re-encodes a photo on its own', () => {
    // prepare
    execFileSync('npx', ['tsx', 'scripts/build-layers.ts', 'image'], {
      cwd: ROOT,
      env: { ...process.env, LAYERS_DIR: layers, LAYER_ARCH: process.arch },
      stdio: 'ignore',
    });

    // act: a 64 × 48 PNG becomes a JPEG, as lib/storage.ts re-encodes a claimed photo
    const out = inLambda('image', `
      const sharp = require('sharp');
      sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } }).png().toBuffer()
        .then((png) => sharp(png).rotate().jpeg({ quality: 82 }).toBuffer({ resolveWithObject: true }))
        .then(({ info }) => console.log(JSON.stringify({ from: require.resolve('sharp'), format: info.format, width: info.width })));
    `);

    // assess
    const result = JSON.parse(out) as { from: string; format: string; width: number };
    expect(result.from.startsWith(join(layers, 'image'))).toBe(true);
    expect(result).toMatchObject({ format: 'jpeg', width: 64 });
  });

  it('builds a pdf layer that draws a page with the Chinese font', () => {
    // prepare
    execFileSync('npx', ['tsx', 'scripts/build-layers.ts', 'pdf'], { cwd: ROOT, env: { ...process.env, LAYERS_DIR: layers }, stdio: 'ignore' });

    // act
    const out = inLambda('pdf', `
      const PDFDocument = require('pdfkit');
      const QRCode = require('qrcode');
      const font = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
      const doc = new PDFDocument();
      const chunks = [];
      doc.on('data', (c) => chunks.push(c));
      doc.on('end', () => console.log(JSON.stringify({ from: require.resolve('pdfkit'), bytes: Buffer.concat(chunks).length })));
      QRCode.toDataURL('https://example.org').then(() => { doc.font(font).text('志愿服务证明'); doc.end(); });
    `);

    // assess
    const result = JSON.parse(out) as { from: string; bytes: number };
    expect(result.from.startsWith(join(layers, 'pdf'))).toBe(true);
    expect(result.bytes).toBeGreaterThan(1000);
  });
});
