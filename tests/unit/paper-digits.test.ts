import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage, encodeJpeg, encodePng, y4mVideo } from '../../scripts/image-codecs.ts';
import { cameraFrames } from '../../scripts/make-paper-set.ts';
import {
  CONDITIONS,
  evaluationScenes,
  renderScene,
  type Box,
  type Condition,
  type PaperScene,
} from '../../scripts/paper-digits.ts';

const SEEDS = [1, 2, 3];

/** Luma (0–255) of every pixel. */
function luma(scene: { rgba: Uint8ClampedArray; width: number; height: number }): Float32Array {
  const { rgba } = scene;
  return Float32Array.from(
    { length: scene.width * scene.height },
    (_, i) => 0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2],
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function inside(box: Box, x: number, y: number, grow = 0): boolean {
  return (
    x >= box.x - grow &&
    x < box.x + box.width + grow &&
    y >= box.y - grow &&
    y < box.y + box.height + grow
  );
}

/** The 5th-percentile luma inside the box (its ink), and the median of the paper around it. */
function inkAndPaper(scene: PaperScene, y: Float32Array, box: Box): [number, number] {
  const boxes = scene.numbers.flatMap((n) => n.digits.map((d) => d.box));
  const grow = Math.round(box.height * 0.4);
  const ink: number[] = [];
  const paper: number[] = [];
  for (
    let row = Math.max(0, box.y - grow);
    row < Math.min(scene.height, box.y + box.height + grow);
    row++
  ) {
    for (
      let x = Math.max(0, box.x - grow);
      x < Math.min(scene.width, box.x + box.width + grow);
      x++
    ) {
      if (inside(box, x, row)) ink.push(y[row * scene.width + x]);
      else if (!boxes.some((b) => inside(b, x, row, 2))) paper.push(y[row * scene.width + x]);
    }
  }
  return [[...ink].sort((a, b) => a - b)[Math.floor(ink.length * 0.05)], median(paper)];
}

/** The strongest horizontal luma step inside each digit box, averaged over the digits. */
function edgeStrength(scene: PaperScene): number {
  const y = luma(scene);
  const steps = scene.numbers.flatMap((n) =>
    n.digits.map(({ box }) => {
      let strongest = 0;
      for (let row = box.y; row < box.y + box.height; row++) {
        for (let x = box.x; x < box.x + box.width; x++) {
          strongest = Math.max(
            strongest,
            Math.abs(y[row * scene.width + x + 1] - y[row * scene.width + x]),
          );
        }
      }
      return strongest;
    }),
  );
  return steps.reduce((s, v) => s + v, 0) / steps.length;
}

/** Same bytes (a deep toEqual over a picture's million channel values takes seconds). */
const same = (a: Uint8ClampedArray | Uint8Array, b: Uint8ClampedArray | Uint8Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

const mean = (values: Float32Array) => values.reduce((s, v) => s + v, 0) / values.length;

describe('renderScene', () => {
  it('gives the same pixels for the same seed, other pixels for another seed', () => {
    const a = renderScene({ seed: 5, condition: 'shadow' });
    const b = renderScene({ seed: 5, condition: 'shadow' });
    expect(same(a.rgba, b.rgba)).toBe(true);
    expect(a.numbers).toEqual(b.numbers);
    expect(same(renderScene({ seed: 6, condition: 'shadow' }).rgba, a.rgba)).toBe(false);
  });

  it('writes the numbers asked for, digit by digit', () => {
    const scene = renderScene({ seed: 9, condition: 'clean', numbers: ['2026', '417', '0'] });
    expect(scene.numbers.map((n) => n.text)).toEqual(['2026', '417', '0']);
    for (const n of scene.numbers)
      expect(n.digits.map((d) => String(d.digit)).join('')).toBe(n.text);
    expect(() => renderScene({ seed: 1, condition: 'clean', numbers: ['12a'] })).toThrow(
      /not a number/,
    );
    expect(renderScene({ seed: 1, condition: 'shadow', numbers: [] }).numbers).toEqual([]);
  });

  it.each(CONDITIONS)(
    '%s: truth boxes lie in the image, hold ink, run left to right, apart',
    (condition) => {
      for (const seed of SEEDS) {
        const scene = renderScene({ seed, condition });
        const y = luma(scene);
        expect(scene.numbers.length).toBeGreaterThanOrEqual(2);
        for (const n of scene.numbers) {
          expect(n.box.x).toBeGreaterThanOrEqual(0);
          expect(n.box.y).toBeGreaterThanOrEqual(0);
          expect(n.box.x + n.box.width).toBeLessThanOrEqual(scene.width);
          expect(n.box.y + n.box.height).toBeLessThanOrEqual(scene.height);
          n.digits.forEach(({ box }, k) => {
            expect(box.x >= n.box.x && box.y >= n.box.y).toBe(true);
            expect(box.x + box.width <= n.box.x + n.box.width).toBe(true);
            expect(box.y + box.height <= n.box.y + n.box.height).toBe(true);
            if (k > 0) expect(box.x).toBeGreaterThan(n.digits[k - 1].box.x);
            const [ink, paper] = inkAndPaper(scene, y, box);
            expect(ink).toBeLessThan(paper * 0.85);
          });
        }
        for (const [i, a] of scene.numbers.entries()) {
          for (const b of scene.numbers.slice(i + 1)) {
            const gap = Math.max(
              b.box.x - (a.box.x + a.box.width),
              a.box.x - (b.box.x + b.box.width),
            );
            const rows = b.box.y >= a.box.y + a.box.height || a.box.y >= b.box.y + b.box.height;
            expect(rows || gap >= 1.4 * Math.min(a.box.height, b.box.height)).toBe(true);
          }
        }
      }
    },
  );

  it('dim is much darker than clean, blurred has weaker edges (same page)', () => {
    for (const seed of SEEDS) {
      const [clean, dim, blurred] = (['clean', 'dim', 'blurred'] as Condition[]).map((condition) =>
        renderScene({ seed, condition }),
      );
      expect(clean.numbers).toEqual(dim.numbers);
      expect(mean(luma(dim))).toBeLessThan(0.6 * mean(luma(clean)));
      expect(edgeStrength(blurred)).toBeLessThan(0.7 * edgeStrength(clean));
    }
  });

  it('shadow darkens part of the page far more than clean lighting varies', () => {
    const spread = (scene: PaperScene) => {
      const y = luma(scene);
      const blocks: number[] = [];
      for (let by = 0; by < scene.height; by += 40) {
        for (let bx = 0; bx < scene.width; bx += 40) {
          const block: number[] = [];
          for (let row = by; row < by + 40; row += 4)
            for (let x = bx; x < bx + 40; x += 4) block.push(y[row * scene.width + x]);
          blocks.push(median(block));
        }
      }
      return Math.min(...blocks) / Math.max(...blocks);
    };
    for (const seed of SEEDS) {
      expect(spread(renderScene({ seed, condition: 'clean' }))).toBeGreaterThan(0.75);
      expect(spread(renderScene({ seed, condition: 'shadow' }))).toBeLessThan(0.6);
    }
  });

  it('lined: blue ruled rows under the numbers, which sit on them', () => {
    for (const seed of SEEDS) {
      const scene = renderScene({ seed, condition: 'lined' });
      const rules = scene.rules ?? [];
      expect(rules.length).toBeGreaterThanOrEqual(3);
      const blueness = (row: number) => {
        let sum = 0;
        for (let x = 0; x < scene.width; x++)
          sum +=
            scene.rgba[(row * scene.width + x) * 4 + 2] - scene.rgba[(row * scene.width + x) * 4];
        return sum / scene.width;
      };
      const spacing = rules[1] - rules[0];
      for (const row of rules.slice(0, -1)) {
        expect(blueness(row)).toBeGreaterThan(blueness(row + Math.round(spacing / 2)) + 5);
      }
      for (const n of scene.numbers) {
        const bottom = n.box.y + n.box.height;
        expect(Math.min(...rules.map((r) => Math.abs(r - bottom)))).toBeLessThan(
          0.25 * n.box.height,
        );
      }
    }
  });

  it('scales with the image size, and says when the numbers cannot fit', () => {
    const small = renderScene({ seed: 4, condition: 'blurred', width: 320, height: 240 });
    expect(small.rgba.length).toBe(320 * 240 * 4);
    expect(Math.max(...small.numbers.map((n) => n.box.height))).toBeLessThan(0.2 * 240);
    const tooMany = Array.from({ length: 30 }, () => '123456');
    expect(() => renderScene({ seed: 1, condition: 'clean', numbers: tooMany })).toThrow(/no room/);
  });
});

describe('evaluationScenes', () => {
  it('cycles through the conditions and repeats for the same seed', () => {
    const size = { width: 320, height: 240 };
    const first = [...evaluationScenes(6, 42, size)];
    expect(first.map((s) => s.condition)).toEqual([...CONDITIONS, CONDITIONS[0]]);
    expect(first.every((s) => s.width === 320 && s.height === 240)).toBe(true);
    const again = [...evaluationScenes(2, 42, size)];
    expect(same(again[1].rgba, first[1].rgba)).toBe(true);
  });

  it('draws its digits only from the held-out MNIST set', () => {
    const source = readFileSync(new URL('../../scripts/pen-digits.ts', import.meta.url), 'utf8');
    expect(source).toContain('loadHeldOut');
    expect(source).not.toContain('loadTraining');
  });
});

describe('image files', () => {
  const scene = renderScene({ seed: 11, condition: 'clean', width: 320, height: 240 });

  it('PNG round-trips exactly', () => {
    const back = decodeImage(encodePng(scene));
    expect([back.width, back.height]).toEqual([320, 240]);
    expect(same(back.data, scene.rgba)).toBe(true);
  });

  it('JPEG round-trips with small errors, fewer at higher quality', () => {
    const original = luma(scene);
    const error = (quality: number) => {
      const back = decodeImage(encodeJpeg(scene, quality));
      expect([back.width, back.height]).toEqual([320, 240]);
      const decoded = luma({ ...scene, rgba: back.data });
      return mean(decoded.map((v, i) => Math.abs(v - original[i])));
    };
    const [low, high] = [error(55), error(90)];
    expect(low).toBeLessThan(6);
    expect(high).toBeLessThan(low);
    expect(() => decodeImage(new Uint8Array([1, 2, 3]))).toThrow(/not a JPEG or PNG/);
  });

  it('Y4M: header, frame sizes, limited-range luma, frames that differ', () => {
    const frames = cameraFrames(['2026', '417'], 4, { width: 320, height: 240 });
    const video = y4mVideo(frames);
    const header = 'YUV4MPEG2 W320 H240 F30:1 Ip A1:1 C420jpeg\n';
    const frameBytes = 'FRAME\n'.length + 320 * 240 * 1.5;
    expect(video.toString('latin1', 0, header.length)).toBe(header);
    expect(video.length).toBe(header.length + 4 * frameBytes);
    for (let k = 0; k < 4; k++)
      expect(
        video.toString(
          'latin1',
          header.length + k * frameBytes,
          header.length + k * frameBytes + 6,
        ),
      ).toBe('FRAME\n');
    const y0 = header.length + 6;
    const first = luma(frames[0]);
    expect(Math.abs(video[y0 + 1000] - (16 + (219 / 255) * first[1000]))).toBeLessThanOrEqual(1);
    expect(frames[1].rgba).not.toEqual(frames[0].rgba);
    expect(frames[1].numbers[0].box.x - frames[0].numbers[0].box.x).toBeGreaterThanOrEqual(-1);
    expect(frames[1].numbers[0].box.x - frames[0].numbers[0].box.x).toBeLessThanOrEqual(1);
    expect(() =>
      y4mVideo([{ rgba: new Uint8ClampedArray(4 * 3 * 3), width: 3, height: 3 }]),
    ).toThrow(/even/);
  });
});
