import { describe, expect, it } from 'vitest';
import { centreOfMass, inkBounds, INPUT_SIDE, toModelInput } from '../../src/lib/ml/preprocess.ts';
import { relativeDarkness } from '../../src/lib/vision/background.ts';
import {
  smoothGrey,
  smoothLuma,
  type Box,
  type LumaPlane,
  type RgbaImage,
} from '../../src/lib/vision/image.ts';
import { hasLumaPlane, MAX_SIDE } from '../../src/lib/vision/read-picture.ts';
import { MAX_DIGITS } from '../../src/lib/vision/groups.ts';
import { findDigits } from '../../src/lib/vision/segment.ts';

type Light = (x: number, y: number) => number;

/** A page of paper (brightness 0–1 from `light`), as greyscale ink coverage plus the light. */
class Page {
  ink: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
    readonly light: Light = () => 0.92,
  ) {
    this.ink = new Float32Array(width * height);
  }

  /** A pen stroke through the points `xy` (x0, y0, x1, y1, …), `pen` px wide, darkness `strength` 0–1. */
  stroke(xy: number[], pen: number, strength = 0.9): this {
    for (let k = 0; k + 3 < xy.length; k += 2) {
      const [ax, ay, bx, by] = xy.slice(k, k + 4);
      const x0 = Math.floor(Math.min(ax, bx) - pen);
      const x1 = Math.ceil(Math.max(ax, bx) + pen);
      const y0 = Math.floor(Math.min(ay, by) - pen);
      const y1 = Math.ceil(Math.max(ay, by) + pen);
      for (let y = Math.max(0, y0); y <= Math.min(this.height - 1, y1); y++) {
        for (let x = Math.max(0, x0); x <= Math.min(this.width - 1, x1); x++) {
          const d = distance(x + 0.5, y + 0.5, ax, ay, bx, by);
          const a = Math.min(1, Math.max(0, pen / 2 + 0.5 - d)) * strength;
          const i = y * this.width + x;
          if (a > this.ink[i]) this.ink[i] = a;
        }
      }
    }
    return this;
  }

  /** An ellipse (a "0") centred at cx, cy. */
  ring(cx: number, cy: number, rx: number, ry: number, pen: number, strength = 0.9): this {
    const xy = Array.from({ length: 49 }, (_, i) => {
      const t = (i / 48) * 2 * Math.PI;
      return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)];
    });
    return this.stroke(xy.flat(), pen, strength);
  }

  /** The photo: paper lit by `light`, ink darkening it, plus seeded noise of `noise` grey levels. */
  render(noise = 2, seed = 1): RgbaImage {
    const data = new Uint8ClampedArray(this.width * this.height * 4);
    let s = seed;
    const random = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    for (let y = 0, i = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++, i++) {
        const v = 255 * this.light(x, y) * (1 - this.ink[i]) + noise * random();
        data.set([v, v, v * 0.97, 255], i * 4);
      }
    }
    return { data, width: this.width, height: this.height };
  }
}

function distance(px: number, py: number, ax: number, ay: number, bx: number, by: number) {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** A "1" (a slanted bar), a "0" (a ring) and a "7" (bar and diagonal) in a row starting at x. */
function oneZeroSeven(page: Page, x: number, y: number, size: number, pen: number): Box[] {
  page.stroke([x + size * 0.3, y, x + size * 0.2, y + size], pen);
  page.ring(x + size * 0.95, y + size / 2, size * 0.3, size / 2, pen);
  page.stroke([x + size * 1.5, y, x + size * 2.05, y, x + size * 1.7, y + size], pen);
  const h = pen / 2;
  return [
    { x: x + size * 0.2 - h, y: y - h, width: size * 0.1 + pen, height: size + pen },
    { x: x + size * 0.65 - h, y: y - h, width: size * 0.6 + pen, height: size + pen },
    { x: x + size * 1.5 - h, y: y - h, width: size * 0.55 + pen, height: size + pen },
  ];
}

/** Expects `found` to match `drawn` box for box, to within `slack` pixels on every side. */
function expectBoxes(found: Box[], drawn: Box[], slack = 3): void {
  expect(found).toHaveLength(drawn.length);
  found.forEach((f, i) => {
    const d = drawn[i];
    expect(Math.abs(f.x - d.x)).toBeLessThanOrEqual(slack);
    expect(Math.abs(f.y - d.y)).toBeLessThanOrEqual(slack);
    expect(Math.abs(f.x + f.width - (d.x + d.width))).toBeLessThanOrEqual(slack);
    expect(Math.abs(f.y + f.height - (d.y + d.height))).toBeLessThanOrEqual(slack);
  });
}

const gradient: Light = (x, y) => 0.55 + 0.4 * (x / 640) * (0.6 + 0.4 * (y / 480));
/** A hard-edged shadow over the left half of the page, on top of a gradient. */
const shadow: Light = (x, y) => gradient(x, y) * (x < 300 + 0.2 * y ? 0.45 : 1);

describe('findDigits', () => {
  it('finds nothing on a blank, a noisy or an unevenly lit page', () => {
    expect(findDigits(new Page(640, 480).render(0)).boxes).toEqual([]);
    expect(findDigits(new Page(640, 480).render(12)).boxes).toEqual([]);
    expect(findDigits(new Page(640, 480, shadow).render(4)).boxes).toEqual([]);
    expect(findDigits({ data: new Uint8ClampedArray(0), width: 0, height: 0 }).boxes).toEqual([]);
  });

  it('finds each digit where it is drawn, in reading order, on a gradient', () => {
    const page = new Page(640, 480, gradient);
    const top = oneZeroSeven(page, 100, 80, 60, 4);
    const bottom = oneZeroSeven(page, 300, 300, 50, 3);
    const { boxes, inputs } = findDigits(page.render());
    expectBoxes(boxes, [...top, ...bottom]);
    expect(inputs).toHaveLength(6 * INPUT_SIDE * INPUT_SIDE);
  });

  it('keeps a digit whole across the edge of a hard shadow', () => {
    const page = new Page(640, 480, shadow);
    page.ring(340, 240, 22, 40, 4);
    expectBoxes(findDigits(page.render()).boxes, [{ x: 316, y: 198, width: 48, height: 84 }]);
  });

  it('drops a ruled line but keeps the digits written across and on it', () => {
    const plain = new Page(640, 480, gradient);
    const drawn = oneZeroSeven(plain, 200, 200, 60, 4);
    const ruled = new Page(640, 480, gradient);
    oneZeroSeven(ruled, 200, 200, 60, 4);
    // A faint line through the middle of the digits, slightly tilted, and one they sit on.
    ruled.stroke([0, 230, 639, 233], 2, 0.3).stroke([0, 263, 639, 263], 2, 0.3);
    const { boxes, inputs } = findDigits(ruled.render());
    expectBoxes(boxes, drawn);
    // The lines leave (almost) no trace in the model inputs.
    const clean = findDigits(plain.render()).inputs;
    const trace = inputs.reduce((sum, v, i) => sum + Math.abs(v - clean[i]), 0);
    expect(trace / clean.reduce((sum, v) => sum + v, 0)).toBeLessThan(0.1);
  });

  it('ignores specks and lines, and digits cut by the edge of the picture', () => {
    const page = new Page(640, 480);
    for (let k = 0; k < 60; k++) {
      const [x, y] = [((k * 97) % 620) + 10, ((k * 61) % 460) + 10];
      page.stroke([x, y, x + 1, y], 3);
    }
    page.stroke([50, 400, 400, 405], 3); // a long pen line
    page.ring(620, 100, 30, 40, 4); // a "0" half out of the picture
    expect(findDigits(page.render()).boxes).toEqual([]);
  });

  it('merges the parts of one digit, not neighbouring digits or a dot beside them', () => {
    const page = new Page(640, 480);
    // A "5" written in two strokes: its bar does not touch its body.
    page.stroke([208, 150, 242, 150], 4);
    page.stroke([206, 158, 204, 180, 230, 178, 236, 200, 226, 214, 200, 212], 4);
    // Two "1"s close together, then a dot: no digit, and no part of one.
    page.stroke([300, 150, 300, 214], 4).stroke([316, 150, 316, 214], 4);
    page.stroke([330, 210, 331, 210], 9);
    // A "5" whose bar starts right of its body.
    page.stroke([412, 150, 446, 148], 4);
    page.stroke([408, 152, 404, 180, 426, 178, 432, 200, 420, 214, 398, 212], 4);
    expectBoxes(findDigits(page.render()).boxes, [
      { x: 198, y: 148, width: 46, height: 68 },
      { x: 298, y: 148, width: 4, height: 68 },
      { x: 314, y: 148, width: 4, height: 68 },
      { x: 396, y: 146, width: 52, height: 70 },
    ]);
  });

  it('cuts digits whose ink touches into one box each', () => {
    const page = new Page(640, 480);
    // "00" written in one go: two wide loops joined by a short stroke.
    page.ring(280, 200, 34, 40, 4).ring(364, 200, 34, 40, 4).stroke([312, 212, 334, 212], 4);
    const { boxes, inputs } = findDigits(page.render());
    expect(boxes).toHaveLength(2);
    expect(boxes[0].x + boxes[0].width).toBeLessThanOrEqual(boxes[1].x);
    for (const box of boxes) expect(box.height).toBeGreaterThan(70);
    expect(inputs).toHaveLength(2 * INPUT_SIDE * INPUT_SIDE);
  });

  it('normalises each digit like the drawing pad: 20 px on its longer side, centred by mass', () => {
    const page = new Page(640, 480, gradient);
    oneZeroSeven(page, 150, 150, 80, 5);
    const { boxes, inputs } = findDigits(page.render());
    expect(boxes).toHaveLength(3);
    for (let i = 0; i < boxes.length; i++) {
      const input = inputs.subarray(i * 784, (i + 1) * 784);
      const box = inkBounds({ data: input, width: INPUT_SIDE, height: INPUT_SIDE, max: 1 })!;
      expect(Math.max(box.right - box.left, box.bottom - box.top)).toBeGreaterThanOrEqual(19);
      expect(Math.max(box.right - box.left, box.bottom - box.top)).toBeLessThanOrEqual(20);
      const { x, y } = centreOfMass(input);
      expect(Math.abs(x - 14)).toBeLessThanOrEqual(1);
      expect(Math.abs(y - 14)).toBeLessThanOrEqual(1);
      expect(Math.max(...input)).toBeGreaterThan(0.95);
    }
  });

  it('thickens thin pen strokes towards MNIST’s width', () => {
    const mass = (input: Float32Array) => input.reduce((s, v) => s + v, 0);
    const thin = new Page(640, 480).ring(320, 240, 40, 70, 1.5);
    const thick = new Page(640, 480).ring(320, 240, 40, 70, 14);
    const thinInput = findDigits(thin.render()).inputs;
    const thickInput = findDigits(thick.render()).inputs;
    const plain = toModelInput({ data: thin.ink, width: 640, height: 480, max: 1 })!;
    expect(mass(thinInput)).toBeGreaterThan(1.8 * mass(plain));
    expect(mass(thinInput)).toBeGreaterThan(0.6 * mass(thickInput));
  });

  it('reports at most MAX_DIGITS digits, the tallest', () => {
    const page = new Page(1200, 900);
    for (let k = 0; k < 48; k++) {
      const [x, y] = [60 + (k % 12) * 90, 60 + Math.floor(k / 12) * 200];
      page.stroke([x, y, x, y + (k < 12 ? 40 : 80)], 4);
    }
    const { boxes } = findDigits(page.render());
    expect(boxes).toHaveLength(MAX_DIGITS);
    expect(Math.min(...boxes.map((b) => b.height))).toBeGreaterThan(60);
  });

  it('reads pictures of any size, up to the last row and column', () => {
    for (const [w, h] of [
      [1023, 767],
      [641, 479],
      [97, 131],
    ]) {
      const size = Math.min(w, h) / 4;
      const page = new Page(w, h).ring(w - size, h - size, size / 3, size / 2, 3);
      const { boxes, inputs } = findDigits(page.render());
      expect(boxes).toHaveLength(1);
      expect(inputs.every(Number.isFinite)).toBe(true);
    }
    // Every pixel gets a paper estimate, also where the last row of cells is one pixel high.
    const [w, h] = [1024, 768];
    const rel = relativeDarkness(new Uint8Array(w * h).fill(200), w, h, new Float32Array(w * h));
    expect(rel.every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });

  it('gives the same answer for a picture after pictures of other sizes (reused buffers)', () => {
    const page = new Page(640, 480, gradient);
    oneZeroSeven(page, 100, 100, 60, 4);
    const first = findDigits(page.render());
    findDigits(new Page(MAX_SIDE, 300).ring(500, 150, 30, 50, 4).render());
    findDigits(new Page(200, 700).render());
    const again = findDigits(page.render());
    expect(again.boxes).toEqual(first.boxes);
    expect(Array.from(again.inputs)).toEqual(Array.from(first.inputs));
  });
});

/** A video frame's luma plane of `img` (Rec. 601 weights), rows `pad` bytes longer than the picture. */
function lumaPlane(img: RgbaImage, fullRange: boolean, pad = 0): LumaPlane {
  const { data: d, width, height } = img;
  const stride = width + pad;
  const data = new Uint8Array(stride * height).fill(7);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const luma = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
      data[y * stride + x] = Math.round(fullRange ? luma : 16 + (luma * 219) / 255);
    }
  return { data, width, height, stride, fullRange };
}

describe('camera frames read from their luma plane', () => {
  it('takes the luma plane of the formats cameras give, not of RGB or opaque frames', () => {
    for (const format of ['I420', 'NV12', 'I420A']) expect(hasLumaPlane(format)).toBe(true);
    for (const format of ['RGBA', 'BGRX', null]) expect(hasLumaPlane(format)).toBe(false);
  });

  it('smooths a luma plane exactly as the same grey picture given as RGBA', () => {
    const page = new Page(97, 61).ring(40, 30, 12, 20, 3);
    const rgba = page.render(6);
    // Grey pixels (R = G = B): the RGBA path's luminance is the value itself.
    for (let i = 0; i < rgba.data.length; i += 4)
      rgba.data[i + 2] = rgba.data[i + 1] = rgba.data[i];
    const fromRgba = smoothGrey(rgba, new Uint8Array(97 * 61));
    const fromLuma = smoothLuma(lumaPlane(rgba, true, 13), new Uint8Array(97 * 61));
    expect(Array.from(fromLuma)).toEqual(Array.from(fromRgba));
    expect(() =>
      smoothLuma({ ...lumaPlane(rgba, true), stride: 50 }, new Uint8Array(97 * 61)),
    ).toThrow(/smaller/);
  });

  it('stretches limited-range luma to full range: 16 is black, 235 white', () => {
    const flat = (v: number, fullRange = false): LumaPlane => ({
      data: new Uint8Array(8 * 4).fill(v),
      width: 8,
      height: 4,
      stride: 8,
      fullRange,
    });
    const grey = (plane: LumaPlane) => [...new Set(smoothLuma(plane, new Uint8Array(32)))];
    expect(grey(flat(16))).toEqual([0]);
    expect(grey(flat(235))).toEqual([255]);
    expect(grey(flat(126))).toEqual([128]);
    expect(grey(flat(126, true))).toEqual([126]);
  });

  it('finds the same digits in a limited-range frame as in the picture it shows', () => {
    const page = new Page(640, 480, shadow);
    oneZeroSeven(page, 100, 80, 60, 4);
    oneZeroSeven(page, 300, 300, 50, 3);
    const rgba = page.render();
    const fromRgba = findDigits(rgba);
    const fromLuma = findDigits(lumaPlane(rgba, false, 64));
    expect(fromRgba.boxes).toHaveLength(6);
    expectBoxes(fromLuma.boxes, fromRgba.boxes, 1);
  });
});
