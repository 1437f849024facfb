/* global Buffer, console */
/* eslint-disable no-console -- command-line tools report on stdout */
// Draws the five tab-bar icons (81×81 PNG, grey and green) without any image library:
// each icon is a set of filled shapes, sampled 4×4 per pixel for smooth edges.
// Run: node miniprogram/tools/make-tab-icons.mjs   (writes miniprogram/src/assets/tab/*.png)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 81;
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../src/assets/tab');
const GREY = [0x4e, 0x59, 0x69];
const GREEN = [0x0b, 0x6b, 0x4b];

const inCircle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const inRect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const inRoundRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (!inRect(x0, y0, x1, y1)(x, y)) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const inTriangle = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by), d2 = s(bx, by, cx, cy), d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};
const not = (f) => (x, y) => !f(x, y);
const all = (...fs) => (x, y) => fs.every((f) => f(x, y));
const any = (...fs) => (x, y) => fs.some((f) => f(x, y));

const ICONS = {
  home: any(
    inTriangle(40.5, 10, 8, 38, 73, 38),
    all(inRect(16, 36, 65, 70), not(inRect(34, 48, 47, 70))),
  ),
  services: all(
    inRoundRect(17, 12, 64, 71, 6),
    not(any(inRect(26, 26, 55, 30), inRect(26, 38, 55, 42), inRect(26, 50, 45, 54))),
  ),
  volunteers: any(inCircle(28, 32, 14), inCircle(53, 32, 14), inTriangle(15.5, 38, 65.5, 38, 40.5, 68)),
  consult: any(inRoundRect(9, 13, 72, 55, 10), inTriangle(22, 50, 38, 50, 20, 70)),
  me: any(inCircle(40.5, 27, 14), all(inCircle(40.5, 80, 32), inRect(0, 46, 81, 72))),
};

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const byte of buf) {
    c = (crc ^ byte) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(shape, [r, g, b]) {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0;
    for (let x = 0; x < SIZE; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (shape(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hits++;
      const o = y * (SIZE * 4 + 1) + 1 + x * 4;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = Math.round((hits / 16) * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0); ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const [name, shape] of Object.entries(ICONS)) {
  writeFileSync(join(OUT, `${name}.png`), png(shape, GREY));
  writeFileSync(join(OUT, `${name}-on.png`), png(shape, GREEN));
}
console.log('tab icons written to', OUT);
