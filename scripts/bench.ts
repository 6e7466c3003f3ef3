/**
 * `npm run bench`: one run, one report. Builds if needed, serves the production build, drives headless Chromium
 * (WebGPU on SwiftShader) and prints Markdown, also written as JSON and Markdown under reports/bench/:
 * - start-up, first and repeat (offline) visit, chosen backend, chosen/best (bench-startup.ts);
 * - the recognizer path: stroke end → probabilities shown, and the worker round trip, over 60 drawings;
 * - the fallback: the WebGL context lost under the recognizer → the next drawing shown (bench-fallback.ts);
 * - WASM per thread count at batch 1 and 256 (bench-threads.ts);
 * - per backend, batch 1 median (full measurement in the same run);
 * - a baseline page built here that does what the common tutorial does (`tf.loadLayersModel`, default
 *   `tf.ready()` backend, `predict` + `data()`), its backend and batch-1 median, and baseline/ours;
 * - sizes: initial JS (gzip), lazy chunks, .wasm, model, precache total;
 * - Lighthouse, mobile and desktop presets, on a vite preview of the build (bench-lighthouse.ts);
 * - the camera (a generated video as the camera) and a 12 MP photo (bench-camera.ts);
 * - reading numbers on paper: digit and whole-number accuracy per condition on the generated evaluation set
 *   of 300 photos (vision-eval.ts; the set is written first if missing, by make-paper-set.ts).
 */
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';
import { build } from 'vite';
import { median, quantile } from '../src/lib/ml/stats.ts';
import { ms } from '../src/lib/format.ts';
import { runIfMain, withServedBuild } from './bench-harness.ts';
import { buildFiles, precachedFiles } from './build-files.ts';
import { benchStartup, startupMarkdown, type StartupReport } from './bench-startup.ts';
import { benchFallback, type FallbackReport } from './bench-fallback.ts';
import { benchThreads, threadsMarkdown, type ThreadsReport } from './bench-threads.ts';
import { benchLighthouse, lighthouseMarkdown } from './bench-lighthouse.ts';
import { serveStatic } from './static-server.ts';
import { drawAndTime, modelTimes, watchStrokes } from './bench-draw.ts';
import { benchCamera, cameraMarkdown } from './bench-camera.ts';
import { PAPER_SET_DIR } from './make-paper-set.ts';
import { evaluateVision, formatReport } from './vision-eval.ts';

const OUT = 'reports/bench';
const DRAWINGS = 60;

// ---------- recognizer path ----------

interface PathReport {
  drawings: number;
  endToEnd: { p50: number; p95: number };
  model: { p50: number; p95: number; n: number };
  backend: string;
}

/** Draws digits with the mouse; times pointer-up → probabilities in the DOM, and each worker round trip. */
async function benchRecognizerPath(browser: Browser, url: string): Promise<PathReport> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-testid="backend"][data-state="measured"]', {
      timeout: 120_000,
    });
    await watchStrokes(page);
    const ends: number[] = [];
    for (let i = 0; i < DRAWINGS; i++) {
      const t = await drawAndTime(page, i % 10);
      if (t !== null) ends.push(t);
    }
    const model = await modelTimes(page);
    return {
      drawings: ends.length,
      endToEnd: { p50: median(ends), p95: quantile(ends, 0.95) },
      model: { p50: median(model), p95: quantile(model, 0.95), n: model.length },
      backend: (await page.getByTestId('backend').getAttribute('data-backend')) ?? '?',
    };
  } finally {
    await context.close();
  }
}

// ---------- baseline ----------

interface BaselineReport {
  backend: string;
  medianMs: number;
  readyMs: number;
}

const BASELINE_HTML = `<!doctype html><meta charset="utf-8"><title>tfjs tutorial baseline</title><script type="module" src="./main.js"></script>`;
const BASELINE_JS = `
import * as tf from '@tensorflow/tfjs';
// What the common tutorial does: load the layers model, default backend, predict + data().
const model = await tf.loadLayersModel('./model/model.json');
await tf.ready();
const ready = performance.now();
const x = tf.zeros([1, 28, 28, 1]);
for (let i = 0; i < 3; i++) { const y = model.predict(x); await y.data(); y.dispose(); }
const times = [];
for (let i = 0; i < 30; i++) {
  const t0 = performance.now();
  const y = model.predict(x);
  await y.data();
  times.push(performance.now() - t0);
  y.dispose();
}
document.title = 'done';
window.baseline = { backend: tf.getBackend(), times, ready };
`;

/** Builds the tutorial page (with its own copy of the model) into reports/bench/baseline. */
async function buildBaseline(): Promise<string> {
  const src = join(OUT, 'baseline-src');
  const dist = join(OUT, 'baseline');
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'index.html'), BASELINE_HTML);
  writeFileSync(join(src, 'main.js'), BASELINE_JS);
  await build({
    root: src,
    base: './',
    configFile: false,
    logLevel: 'error',
    build: { outDir: join(process.cwd(), dist), emptyOutDir: true, target: 'es2022' },
  });
  mkdirSync(join(dist, 'model'), { recursive: true });
  for (const f of readdirSync('model').filter((f) => /\.(json|bin)$/.test(f)))
    copyFileSync(join('model', f), join(dist, 'model', f));
  return dist;
}

async function benchBaseline(browser: Browser): Promise<BaselineReport> {
  const server = await serveStatic(await buildBaseline(), '/');
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.title === 'done', null, { timeout: 120_000 });
    const r = await page.evaluate(
      () =>
        (window as unknown as { baseline: { backend: string; times: number[]; ready: number } })
          .baseline,
    );
    return { backend: r.backend, medianMs: median(r.times), readyMs: r.ready };
  } finally {
    await context.close();
    await server.close();
  }
}

// ---------- sizes ----------

interface SizeReport {
  initialJsGzip: number;
  initialFiles: string[];
  lazyChunks: { file: string; gzip: number }[];
  wasm: { file: string; bytes: number }[];
  modelBytes: number;
  precacheBytes: number;
}

function sizes(dist = 'dist'): SizeReport {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) =>
    m[1].replace(/^\.?\//, '').replace(/^.*?assets\//, 'assets/'),
  );
  const gz = (f: string) => gzipSync(readFileSync(join(dist, f))).length;
  const files = buildFiles(dist);
  const js = files.filter((f) => f.startsWith('assets/') && f.endsWith('.js'));
  return {
    initialJsGzip: initial.reduce((a, f) => a + gz(f), 0),
    initialFiles: initial,
    lazyChunks: js
      .filter((f) => !initial.includes(f))
      .map((file) => ({ file, gzip: gz(file) }))
      .sort((a, b) => b.gzip - a.gzip),
    wasm: files
      .filter((f) => f.endsWith('.wasm'))
      .map((file) => ({ file, bytes: statSync(join(dist, file)).size })),
    modelBytes: files
      .filter((f) => f.startsWith('model/'))
      .reduce((a, f) => a + statSync(join(dist, f)).size, 0),
    precacheBytes: precachedFiles(dist).reduce((a, f) => a + statSync(join(dist, f)).size, 0),
  };
}

// ---------- report ----------

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function markdown(
  s: StartupReport,
  p: PathReport,
  f: FallbackReport,
  t: ThreadsReport,
  b: BaselineReport,
  z: SizeReport,
): string {
  const ours = s.full.find((r) => r.backend === s.chosen)?.medianMs ?? NaN;
  const goal = (ok: boolean) => (ok ? '✅' : '❌');
  const firstReady = median(s.runs.map((r) => r.firstReadyMs));
  const repeatReady = median(s.runs.map((r) => r.repeatReadyMs));
  const returnReady = median(s.runs.map((r) => r.returnReadyMs));
  return [
    `# Digit Lens performance report (${new Date().toISOString()})`,
    '',
    '## Headline',
    '',
    '| measure | value | goal |',
    '|---|---|---|',
    `| first visit: navigation → first prediction possible (median of ${s.runs.length}) | ${ms(firstReady)} | < 2 s ${goal(firstReady < 2000)} |`,
    `| repeat visit, offline reload: navigation → first prediction possible | ${ms(repeatReady)} | < 600 ms ${goal(repeatReady < 600)} |`,
    `| return visit, offline, new tab: navigation → first prediction possible | ${ms(returnReady)} | < 600 ms ${goal(returnReady < 600)} |`,
    `| chosen backend / best backend (batch-1 median, full measurement) | ${s.chosen} / ${s.best} = ${s.ratio.toFixed(2)} | ≤ 1.10 ${goal(s.ratio <= 1.1)} |`,
    `| recognizer: input posted → probabilities back, worker round trip p50 / p95 (${p.model.n} predictions, ${p.backend}) | ${ms(p.model.p50)} / ${ms(p.model.p95)} | |`,
    `| recognizer: stroke end → probabilities shown p50 / p95 (${p.drawings} drawings) | ${ms(p.endToEnd.p50)} / ${ms(p.endToEnd.p95)} | p95 < 16 ms ${goal(p.endToEnd.p95 < 16)} |`,
    `| recognizer: the WebGL context lost → next drawing's probabilities shown, on ${f.switchedTo} (median of ${f.times.length}; ${ms(f.beforeMs)} before the loss) | ${ms(f.medianMs)} (${f.times.map((t) => ms(t)).join(', ')}) | shown, one-line notice ${goal(f.times.length > 0 && /switched to/.test(f.notice))} |`,
    `| baseline (tutorial: default tf.ready() backend = ${b.backend}) batch-1 median | ${ms(b.medianMs)} | |`,
    `| baseline / ours (${s.chosen} ${ms(ours)}) | ${(b.medianMs / ours).toFixed(1)}× | ≥ 10 here ${goal(b.medianMs / ours >= 10)} |`,
    `| initial JS (gzip) | ${kb(z.initialJsGzip)} | < 300 KB ${goal(z.initialJsGzip < 300 * 1024)} |`,
    '',
    '## WASM threads',
    '',
    threadsMarkdown(t),
    '',
    '## Start-up',
    '',
    startupMarkdown(s),
    '',
    '## Sizes',
    '',
    `- initial JS: ${z.initialFiles.join(', ')} — ${kb(z.initialJsGzip)} gzip`,
    ...z.lazyChunks.map((c) => `- lazy: ${c.file} — ${kb(c.gzip)} gzip`),
    ...z.wasm.map((w) => `- wasm: ${w.file} — ${kb(w.bytes)}`),
    `- model: ${kb(z.modelBytes)}`,
    `- precache total: ${kb(z.precacheBytes)}`,
  ].join('\n');
}

runIfMain(import.meta.url, async () => {
  mkdirSync(OUT, { recursive: true });
  const { startup, path, fallback, threads, baseline, size } = await withServedBuild(
    async (browser, url) => ({
      startup: await benchStartup(browser, url, Number(process.env.RUNS ?? 3)),
      path: await benchRecognizerPath(browser, url),
      fallback: await benchFallback(browser, url),
      threads: await benchThreads(browser, url),
      baseline: await benchBaseline(browser),
      size: sizes(),
    }),
  );
  const lighthouse = await benchLighthouse();
  const camera = await benchCamera();
  const vision = await evaluateVision(PAPER_SET_DIR);
  const report = [
    markdown(startup, path, fallback, threads, baseline, size),
    '',
    '## Lighthouse',
    '',
    lighthouseMarkdown(lighthouse),
    '',
    '## Camera and photos',
    '',
    cameraMarkdown(camera),
    '',
    '## Reading numbers on paper: accuracy',
    '',
    `${PAPER_SET_DIR}: 300 generated photos (seed fixed), held-out MNIST digits only; the app's segmentation`,
    "and normalisation with the committed model (tfjs' WASM backend in Node). Goals: digits ≥ 97 %, whole",
    'numbers ≥ 90 %, in every condition.',
    '',
    '```',
    formatReport(vision),
    '```',
  ].join('\n');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(
    join(OUT, `report-${stamp}.json`),
    JSON.stringify(
      // The full Lighthouse results are large; the summary is enough here.
      {
        startup,
        path,
        fallback,
        threads,
        baseline,
        size,
        lighthouse: { ...lighthouse, lhr: undefined },
        camera,
        vision,
      },
      null,
      2,
    ),
  );
  writeFileSync(join(OUT, 'latest.md'), report + '\n');
  console.log(report);
});
