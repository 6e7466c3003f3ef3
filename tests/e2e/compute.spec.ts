import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { drawDigit, settledPrediction } from './draw.ts';
import { waitForRecognizer } from './pwa.ts';
import { computeWorker } from '../../scripts/compute-workers.ts';

/** tfjs-core creates its engine (globalThis._tfengine) when its code is loaded. */
const TFJS_LOADED = () => '_tfengine' in globalThis;

test('the page runs no ML: tfjs is loaded and predicts only in the recognizer worker', async ({
  page,
}) => {
  const recognizer = computeWorker(page, 'recognizer');
  await page.goto('./');
  await waitForRecognizer(page);
  await drawDigit(page, 3);
  expect(await settledPrediction(page)).toBe('3');

  expect(await page.evaluate(TFJS_LOADED)).toBe(false);
  expect(await (await recognizer).evaluate(TFJS_LOADED)).toBe(true);
  // No script the page can load holds tfjs code (an error message of its engine, kept by every build): walk
  // the page's module graph from index.html, static and lazy imports, up to the worker boundary.
  const html = readFileSync('dist/index.html', 'utf8');
  const page_ = moduleGraph([...html.matchAll(/assets\/([\w.-]+\.js)/g)].map((m) => m[1]));
  expect(page_.files.length).toBeGreaterThan(1);
  expect(page_.files.filter(hasTfjs)).toEqual([]);
  // …while the worker's graph does (so the check can fail).
  expect(page_.workers).toHaveLength(1);
  expect(moduleGraph(page_.workers).files.some(hasTfjs)).toBe(true);
});

const read = (file: string) => readFileSync(`dist/assets/${file}`, 'utf8');
const hasTfjs = (file: string) => read(file).includes('No backend found in registry.');

/** The build's JS files reachable from `entries` by import, stopping at worker scripts (listed apart). */
function moduleGraph(entries: string[]): { files: string[]; workers: string[] } {
  const files = new Set<string>();
  const workers = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const [, ref] of read(file).matchAll(/["'`](?:\.\/|\/?assets\/)([\w.-]+\.js)["'`]/g)) {
      if (ref.startsWith('compute.worker-') && !entries.includes(ref)) workers.add(ref);
      else queue.push(ref);
    }
  }
  return { files: [...files], workers: [...workers] };
}
