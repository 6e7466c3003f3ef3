import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/lib/vision/image.ts';
import { groupNumbers, type ReadDigit } from '../../src/lib/vision/numbers.ts';
import { readingRows } from '../../src/lib/vision/rows.ts';

/** Digits written left to right from (x, y): `gaps[i]` px after digit i, each `size` tall and 0.6 wide. */
function written(
  text: string,
  x: number,
  y: number,
  size: number,
  gaps: number[] = [],
): ReadDigit[] {
  const digits: ReadDigit[] = [];
  for (const [i, char] of [...text].entries()) {
    digits.push({
      box: { x, y: y + (i % 2) * size * 0.05, width: size * 0.6, height: size },
      digit: Number(char),
      confidence: 0.99 - i * 0.01,
    });
    x += size * 0.6 + (gaps[i] ?? size * 0.25);
  }
  return digits;
}

const texts = (digits: ReadDigit[]) => groupNumbers(digits).map((n) => n.text);

describe('groupNumbers', () => {
  it('reads nothing from no digits', () => {
    expect(groupNumbers([])).toEqual([]);
  });

  it('reads the numbers of each row, rows top to bottom, each left to right', () => {
    const digits = [
      ...written('417', 300, 200, 40),
      ...written('2026', 100, 50, 50),
      ...written('9', 100, 200, 40),
    ];
    expect(texts(digits)).toEqual(['2026', '9', '417']);
  });

  it('splits a row at a gap wider than about a digit height, not at narrower ones', () => {
    expect(texts(written('12345', 0, 0, 40, [10, 20, 30, 60]))).toEqual(['1234', '5']);
    expect(texts(written('12', 0, 0, 40, [28]))).toEqual(['12']);
    expect(texts(written('12', 0, 0, 40, [36]))).toEqual(['1', '2']);
  });

  it('does not take input order for reading order', () => {
    const digits = written('2026', 100, 100, 40).reverse();
    expect(texts(digits)).toEqual(['2026']);
  });

  it('keeps a slightly tilted row together', () => {
    const digits = written('314159', 0, 0, 40).map((d, i) => ({
      ...d,
      box: { ...d.box, y: d.box.y + i * 12 },
    }));
    expect(texts(digits)).toEqual(['314159']);
  });

  it('gives each number its box, its members and its weakest confidence', () => {
    const digits = written('90', 10, 20, 30);
    digits[1].confidence = 0.4;
    const [number] = groupNumbers([...digits, ...written('5', 300, 20, 30)]);
    expect(number.text).toBe('90');
    expect(number.members).toEqual([0, 1]);
    expect(number.confidence).toBe(0.4);
    const last: Box = digits[1].box;
    expect(number.box).toEqual({
      x: 10,
      y: 20,
      width: last.x + last.width - 10,
      height: last.y + last.height - 20,
    });
  });
});

describe('readingRows', () => {
  it('puts boxes that share most of their height in one row', () => {
    const boxes: Box[] = [
      { x: 50, y: 100, width: 20, height: 40 },
      { x: 0, y: 0, width: 20, height: 40 },
      { x: 10, y: 110, width: 20, height: 40 },
      { x: 40, y: 15, width: 20, height: 40 },
    ];
    expect(readingRows(boxes)).toEqual([
      [1, 3],
      [2, 0],
    ]);
  });
});
