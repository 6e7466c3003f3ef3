import { describe, expect, it } from 'vitest';
import {
  centreOfMass,
  inkBounds,
  INPUT_SIDE,
  toModelInput,
  type InkImage,
} from '../../src/lib/ml/preprocess.ts';

/** A blank byte canvas with filled rectangles of full ink. */
function canvas(
  width: number,
  height: number,
  rects: [number, number, number, number][],
): InkImage {
  const data = new Uint8ClampedArray(width * height);
  for (const [x0, y0, w, h] of rects) {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) data[y * width + x] = 255;
  }
  return { data, width, height, max: 255 };
}

function bounds28(input: Float32Array) {
  return inkBounds({ data: input, width: INPUT_SIDE, height: INPUT_SIDE, max: 1 })!;
}

describe('toModelInput', () => {
  it('returns null for an empty pad', () => {
    expect(toModelInput(canvas(300, 300, []))).toBeNull();
  });

  it('can fill one reused buffer: same result as a fresh one, nothing left from the previous drawing', () => {
    const buffer = new Float32Array(INPUT_SIDE * INPUT_SIDE);
    const first = canvas(400, 400, [[10, 10, 40, 120]]);
    const second = canvas(280, 280, [[100, 40, 200, 20]]);
    expect(toModelInput(first, buffer)).toBe(buffer);
    expect(toModelInput(second, buffer)).toBe(buffer);
    expect(Array.from(buffer)).toEqual(Array.from(toModelInput(second)!));
    expect(() => toModelInput(first, new Float32Array(10))).toThrow(/784/);
  });

  it('ignores faint noise below the ink threshold', () => {
    const img = canvas(100, 100, []);
    (img.data as Uint8ClampedArray)[5050] = 10;
    expect(toModelInput(img)).toBeNull();
  });

  it('centres an off-centre digit by its centre of mass', () => {
    // A tall bar in the top-left corner of a large canvas.
    const input = toModelInput(canvas(400, 400, [[10, 10, 40, 120]]))!;
    const c = centreOfMass(input);
    expect(Math.abs(c.x - 14)).toBeLessThanOrEqual(0.75);
    expect(Math.abs(c.y - 14)).toBeLessThanOrEqual(0.75);
  });

  it('scales the longer side to 20 px and keeps the aspect ratio', () => {
    const input = toModelInput(canvas(400, 400, [[300, 250, 40, 120]]))!;
    const b = bounds28(input);
    expect(b.bottom - b.top).toBe(20);
    expect(b.right - b.left).toBeGreaterThanOrEqual(6);
    expect(b.right - b.left).toBeLessThanOrEqual(8);
  });

  it('scales a small digit up to the same 20 px box', () => {
    const input = toModelInput(canvas(300, 300, [[200, 30, 8, 5]]))!;
    const b = bounds28(input);
    expect(b.right - b.left).toBe(20);
    expect(b.bottom - b.top).toBeGreaterThanOrEqual(12);
    expect(b.bottom - b.top).toBeLessThanOrEqual(13);
    const c = centreOfMass(input);
    expect(Math.abs(c.x - 14)).toBeLessThanOrEqual(0.75);
  });

  it('keeps MNIST polarity and range: ink is 1, background 0', () => {
    const input = toModelInput(canvas(280, 280, [[100, 40, 80, 200]]))!;
    expect(input.length).toBe(784);
    expect(Math.max(...input)).toBeCloseTo(1, 5);
    expect(Math.min(...input)).toBe(0);
    expect(input[0]).toBe(0);
    expect(input[14 * 28 + 14]).toBeCloseTo(1, 5);
  });

  it('handles a single dot without dividing by zero', () => {
    const input = toModelInput(canvas(100, 100, [[50, 50, 1, 1]]))!;
    expect(input.every(Number.isFinite)).toBe(true);
    expect(bounds28(input).right - bounds28(input).left).toBe(20);
  });
});
