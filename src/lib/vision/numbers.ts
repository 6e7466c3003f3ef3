/**
 * Digits into numbers: the digits read in a picture grouped into rows (they share height), left to right,
 * and each row split into numbers where the gap between two digits is wider than about a digit's height.
 */
import { unionBox, type Box } from './image.ts';
import { readingRows } from './rows.ts';

/** One classified digit in a picture. */
export interface ReadDigit {
  box: Box;
  digit: number;
  confidence: number;
}

/** A number read in a picture: its digits left to right. */
export interface ReadNumber {
  text: string;
  box: Box;
  /** Indices into the digits array, left to right. */
  members: number[];
  /** The lowest confidence of its digits: a number is only as sure as its least sure digit. */
  confidence: number;
}

/** A gap wider than this many times the row's median digit height separates two numbers. */
export const NUMBER_GAP = 0.8;

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function toNumber(digits: readonly ReadDigit[], members: number[]): ReadNumber {
  let box = digits[members[0]].box;
  let confidence = 1;
  for (const i of members) {
    box = unionBox(box, digits[i].box);
    confidence = Math.min(confidence, digits[i].confidence);
  }
  const text = members.map((i) => String(digits[i].digit)).join('');
  return { text, box, members, confidence };
}

/** The numbers the digits form, in reading order (rows top to bottom, left to right). */
export function groupNumbers(digits: readonly ReadDigit[]): ReadNumber[] {
  const numbers: ReadNumber[] = [];
  for (const row of readingRows(digits.map((d) => d.box))) {
    const gap = NUMBER_GAP * median(row.map((i) => digits[i].box.height));
    let members = [row[0]];
    for (let k = 1; k < row.length; k++) {
      const prev = digits[row[k - 1]].box;
      if (digits[row[k]].box.x - (prev.x + prev.width) > gap) {
        numbers.push(toNumber(digits, members));
        members = [];
      }
      members.push(row[k]);
    }
    numbers.push(toNumber(digits, members));
  }
  return numbers;
}
