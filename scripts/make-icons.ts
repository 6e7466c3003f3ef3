/**
 * Draws the app icons (a pen-stroke "7" on a rounded tile) as PNGs into public/icons, so the repo has no
 * binary tool dependency. Usage: npx tsx scripts/make-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BG = [36, 87, 214];
const FG = [255, 255, 255];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 6;
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++)
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  const sig = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    sig,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function distToSegment(px: number, py: number, [ax, ay]: number[], [bx, by]: number[]): number {
  const t = Math.max(
    0,
    Math.min(
      1,
      ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2),
    ),
  );
  return Math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay));
}

/** Renders the icon; `maskable` fills the whole square and keeps the glyph inside the 80 % safe zone. */
function icon(size: number, maskable: boolean): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const glyph = maskable ? 0.55 : 0.7;
  const stroke = [
    [0.3, 0.25],
    [0.72, 0.25],
    [0.45, 0.78],
  ].map(([x, y]) => [0.5 + ((x - 0.5) * glyph) / 0.7, 0.5 + ((y - 0.5) * glyph) / 0.7]);
  const width = (0.075 * glyph) / 0.7;
  const radius = maskable ? 0 : 0.2;
  const ss = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let tile = 0;
      let ink = 0;
      for (let j = 0; j < ss; j++) {
        for (let i = 0; i < ss; i++) {
          const u = (x + (i + 0.5) / ss) / size;
          const v = (y + (j + 0.5) / ss) / size;
          const dx = Math.max(radius - u, u - (1 - radius), 0);
          const dy = Math.max(radius - v, v - (1 - radius), 0);
          if (Math.hypot(dx, dy) <= radius || radius === 0) tile++;
          if (
            Math.min(
              distToSegment(u, v, stroke[0], stroke[1]),
              distToSegment(u, v, stroke[1], stroke[2]),
            ) < width
          )
            ink++;
        }
      }
      const a = tile / (ss * ss);
      const k = ink / (ss * ss);
      const o = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(BG[c] * (1 - k) + FG[c] * k);
      rgba[o + 3] = Math.round(255 * a);
    }
  }
  return png(size, rgba);
}

mkdirSync('public/icons', { recursive: true });
for (const size of [192, 512]) {
  writeFileSync(`public/icons/icon-${size}.png`, icon(size, false));
  writeFileSync(`public/icons/maskable-${size}.png`, icon(size, true));
}
writeFileSync('public/icons/apple-touch-icon.png', icon(180, true));
console.log('icons written to public/icons');
