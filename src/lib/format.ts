/** How the app writes numbers for people; one home for each format. */

/** A duration in ms: "0.88", "12.3", "1234" (with " ms" unless `unit` is false); "–" for none. */
export function ms(t: number | null | undefined, unit = true): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return '–';
  const n = t < 10 ? t.toFixed(2) : t < 1000 ? t.toFixed(1) : t.toFixed(0);
  return unit ? `${n} ms` : n;
}
