/** The digit model's classes and their ranking; no tfjs, no DOM. */

/** One ranked class. */
export interface Ranked {
  digit: number;
  probability: number;
}

/** The classes sorted by probability, highest first. */
export function rank(probs: ArrayLike<number>): Ranked[] {
  return Array.from(probs, (probability, digit) => ({ digit, probability })).sort(
    (a, b) => b.probability - a.probability,
  );
}
