/**
 * Is a backend right? tfjs' CPU backend is the reference implementation; a GPU with half-float textures (many
 * phones) or a broken driver can compute wrong numbers without any error. The app ships a few held-out digits
 * with the CPU backend's probabilities for them (model/check-digits.bin, made by scripts/make-check-digits.ts)
 * and checks every backend on them before it can be chosen. Pure: no tfjs, no DOM.
 *
 * File layout (little-endian): "DLCK", count (uint32), side (uint32), then count labels (uint8), count×side²
 * pixels (uint8, 255 = ink), count×10 probabilities (float32).
 */

/** Held-out digits with their labels and the CPU backend's probabilities for them. */
export interface Reference {
  /** count × side² model inputs in [0, 1]. */
  inputs: Float32Array;
  labels: Uint8Array;
  /** count × 10 probabilities from the CPU backend. */
  expected: Float32Array;
}

/** How a backend's probabilities compare with the reference. */
export interface Correctness {
  digits: number;
  /** Share of digits whose top class is the true label. */
  accuracy: number;
  /** Share of digits whose top class is the CPU backend's. */
  agreement: number;
  /** Largest |Δp| against the CPU backend over all digits and classes. */
  maxDelta: number;
  /** Within TOLERANCE. */
  trusted: boolean;
}

/**
 * A backend is trusted when its top class agrees with the CPU backend on at least `agreement` of the digits
 * and no probability differs by more than `maxDelta`. Float32 backends differ by ~1e-6; half-float ones by
 * far more.
 */
export const TOLERANCE = { agreement: 0.99, maxDelta: 0.02 } as const;

const MAGIC = 0x4b434c44; // "DLCK"

/** Reads model/check-digits.bin; throws on a file that is not one. */
export function parseReference(data: ArrayBuffer): Reference {
  const view = new DataView(data);
  if (data.byteLength < 12 || view.getUint32(0, true) !== MAGIC)
    throw new Error('not a check-digits file');
  const count = view.getUint32(4, true);
  const side = view.getUint32(8, true);
  const pixels = count * side * side;
  const size = 12 + count + pixels + count * 10 * 4;
  if (count === 0 || data.byteLength !== size)
    throw new Error(`check-digits file of ${data.byteLength} bytes, expected ${size}`);
  const labels = new Uint8Array(data, 12, count).slice();
  // A plain loop: Float32Array.from with a map function costs a call per pixel (~80k, on the main thread).
  const bytes = new Uint8Array(data, 12 + count, pixels);
  const inputs = new Float32Array(pixels);
  for (let i = 0; i < pixels; i++) inputs[i] = bytes[i] / 255;
  const expected = new Float32Array(data.slice(12 + count + pixels));
  return { inputs, labels, expected };
}

/** The file for `reference`, inputs quantised to bytes (so use inputs that are already multiples of 1/255). */
export function encodeReference(ref: Reference, side: number): Uint8Array {
  const count = ref.labels.length;
  const out = new Uint8Array(12 + count + count * side * side + count * 40);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, count, true);
  view.setUint32(8, side, true);
  out.set(ref.labels, 12);
  out.set(
    Uint8Array.from(ref.inputs, (v) => Math.round(v * 255)),
    12 + count,
  );
  out.set(
    new Uint8Array(ref.expected.buffer, ref.expected.byteOffset, count * 40),
    12 + count + count * side * side,
  );
  return out;
}

const top = (p: Float32Array, i: number) => {
  let best = 0;
  for (let d = 1; d < 10; d++) if (p[i * 10 + d] > p[i * 10 + best]) best = d;
  return best;
};

/** Compares a backend's probabilities for the reference digits with the CPU backend's. */
export function compareWithReference(probs: Float32Array, ref: Reference): Correctness {
  const digits = ref.labels.length;
  if (probs.length !== digits * 10)
    throw new Error(`expected ${digits * 10} probabilities, got ${probs.length}`);
  let right = 0;
  let agree = 0;
  let maxDelta = 0;
  for (let i = 0; i < digits; i++) {
    const mine = top(probs, i);
    if (mine === ref.labels[i]) right++;
    if (mine === top(ref.expected, i)) agree++;
    for (let d = 0; d < 10; d++) {
      const delta = Math.abs(probs[i * 10 + d] - ref.expected[i * 10 + d]);
      // NaN counts as the largest difference there is.
      maxDelta = Math.max(maxDelta, Number.isNaN(delta) ? Infinity : delta);
    }
  }
  const agreement = agree / digits;
  return {
    digits,
    accuracy: right / digits,
    agreement,
    maxDelta,
    trusted: agreement >= TOLERANCE.agreement && maxDelta <= TOLERANCE.maxDelta,
  };
}

/** Why an untrusted backend was not chosen, in one line. */
export function distrustReason(c: Correctness): string {
  const agreeing = Math.round(c.agreement * c.digits);
  return (
    `wrong results: top class agrees with the CPU backend on ${agreeing} of ${c.digits} held-out digits, ` +
    `max |Δp| ${c.maxDelta.toPrecision(2)} (tolerance: ${TOLERANCE.agreement * 100} %, ${TOLERANCE.maxDelta})`
  );
}
