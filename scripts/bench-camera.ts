/**
 * `npm run bench:camera` (and part of `npm run bench`): the camera and photo paths on the production build,
 * in the same Chromium as the tests, with a generated video as the camera (640×480, 30 fps, six held-out digits
 * on paper) and a generated 12 MP photo:
 * - frames delivered by the camera and frames read; of those never read, how many were dropped for lack of
 *   time (replaced while the reader was busy: none may be) and how many the page never saw (the video
 *   presented two between two of the page's rendering updates);
 * - per frame, the worker's time (decode + find + one batched predict) and capture → overlay painted, p50/p95;
 * - the page's main thread: the longest stretch it was busy (a message-channel ping that waits behind any task);
 * - tensors and tensor bytes in the reader's worker, and the page's JS heap, before and after FRAMES frames;
 * - a 12 MP photo: file given → numbers shown (median of PHOTO_RUNS, after one to start the reader).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page, type Worker } from '@playwright/test';
import { median, quantile } from '../src/lib/ml/stats.ts';
import { ms } from '../src/lib/format.ts';
import { MARKS } from '../src/lib/marks.ts';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts';
import { ensureBuilt, runIfMain } from './bench-harness.ts';
import { writeBigPhoto, writeCameraVideo } from './make-paper-set.ts';
import { ISOLATION_HEADERS, serveStatic } from './static-server.ts';

const DIR = 'reports/bench/camera';
/** Frames read per run (the issue asks for flat memory over 1,000). */
const FRAMES = Number(process.env.CAMERA_FRAMES ?? 1000);
const PHOTO_RUNS = 5;
/** Six digits in view, as the issue's speed goal says. */
const NUMBERS = ['314', '159'];

export interface CameraReport {
  /**
   * Between two snapshots of the page's figures (refreshed every 500 ms, all counts of one snapshot taken at
   * once) around the timed frames. `dropped` (for lack of time) and `unseen` are counted where a frame is let
   * go; delivered − processed can differ from their sum by a frame or two, those on their way through the
   * reader (one read, one waiting) when either snapshot is taken, or a read that failed (logged).
   */
  frames: { delivered: number; processed: number; dropped: number; unseen: number };
  processMs: { p50: number; p95: number };
  /** The worker's time per frame by stage. */
  stagesMs: Record<Stage, { p50: number; p95: number }>;
  latencyMs: { p50: number; p95: number };
  digitsPerFrame: number;
  mainThreadMaxBusyMs: number;
  mainThreadBusyOver16: number;
  tensors: { before: number; after: number; bytesBefore: number; bytesAfter: number };
  pageHeapMb: { before: number; after: number };
  backend: string;
  numbersRead: string[];
  photo12mp: { times: number[]; medianMs: number; numbersRead: string[]; analysed: string };
}

const STAGES = ['decode', 'find', 'predict'] as const;
type Stage = (typeof STAGES)[number];

type Clocks = {
  __frames: ({ latency: number; process: number; digits: number } & Record<Stage, number>)[];
  __busy: number[];
};

/**
 * Starts collecting each frame's measure and the page's main-thread stalls: a message the page posts to itself
 * is delivered as soon as the thread is free, so its delay is how long the thread was busy with something
 * else. (A string, so the script runner's helpers never end up in the page.)
 */
async function watch(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const w = window;
    w.__frames = [];
    w.__busy = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntriesByName(${JSON.stringify(MARKS.frame)})) {
        w.__frames.push({
          latency: e.duration,
          process: e.detail.totalMs,
          decode: e.detail.decodeMs,
          find: e.detail.findMs,
          predict: e.detail.predictMs,
          digits: e.detail.digits,
        });
      }
    }).observe({ type: 'measure' });
    const channel = new MessageChannel();
    let sent = 0;
    channel.port1.onmessage = () => {
      w.__busy.push(performance.now() - sent);
      setTimeout(() => {
        sent = performance.now();
        channel.port2.postMessage(0);
      }, 4);
    };
    sent = performance.now();
    channel.port2.postMessage(0);
  })()`);
}

/**
 * The reader's worker. Each compute worker is asked its name with a time limit: one busy measuring a backend
 * in the background may not answer for long, and the reader is the one that does.
 */
async function readerWorker(page: Page): Promise<Worker> {
  const nameOf = (w: Worker) =>
    Promise.race([
      w.evaluate(() => self.name),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000)),
    ]).catch(() => null);
  for (const w of page.workers()) {
    if (/compute\.worker/.test(w.url()) && (await nameOf(w)) === 'reader') return w;
  }
  throw new Error('no reader worker');
}

const tensorsIn = (w: Worker) =>
  w.evaluate(() => {
    const engine = (
      globalThis as unknown as { _tfengine: { state: { numTensors: number; numBytes: number } } }
    )._tfengine;
    return { n: engine.state.numTensors, bytes: engine.state.numBytes };
  });

async function pageHeapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1024 / 1024;
}

const numbersOn = async (page: Page) => (await page.getByTestId('number').allTextContents()).sort();

/** Runs the camera and photo measurements; `video` and `photo` are generated if missing. */
export async function benchCamera(): Promise<CameraReport> {
  ensureBuilt();
  mkdirSync(DIR, { recursive: true });
  const video = join(DIR, 'camera-6-digits.y4m');
  const photo = join(DIR, 'photo-12mp.jpg');
  writeCameraVideo(video, NUMBERS, 30);
  const photoNumbers = writeBigPhoto(photo).map((n) => n.text);
  const server = await serveStatic('dist', '/', ISOLATION_HEADERS);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    await context.grantPermissions(['camera']);
    const page = await context.newPage();
    await page.goto(server.url);
    // The backend choice settled first, as for a user who has used the app before.
    await page.waitForSelector('[data-testid="backend"][data-state="measured"]', {
      timeout: 180_000,
    });
    await page.getByRole('link', { name: 'Camera', exact: true }).click();
    const stats = page.getByTestId('camera-stats');
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid="camera-stats"]')?.getAttribute('data-processed'),
        ) >= 30,
      null,
      { timeout: 120_000 },
    );
    const numbersRead = await numbersOn(page);
    const reader = await readerWorker(page);
    const before = await tensorsIn(reader);
    const heapBefore = await pageHeapMb(page);
    const count = async () => ({
      delivered: Number(await stats.getAttribute('data-delivered')),
      processed: Number(await stats.getAttribute('data-processed')),
      dropped: Number(await stats.getAttribute('data-dropped')),
      unseen: Number(await stats.getAttribute('data-unseen')),
    });
    const start = await count();
    await watch(page);
    await page.waitForFunction((n) => (window as unknown as Clocks).__frames.length >= n, FRAMES, {
      timeout: FRAMES * 200,
      polling: 500,
    });
    const end = await count();
    const { frames, busy } = await page.evaluate(() => {
      const w = window as unknown as Clocks;
      return { frames: w.__frames, busy: w.__busy };
    });
    const after = await tensorsIn(reader);
    const heapAfter = await pageHeapMb(page);
    const backend = (await stats.textContent())?.split('·').pop()?.trim() ?? '?';

    // The photo path: one read to start (the camera's reader is already up), then timed runs.
    await page.getByRole('link', { name: 'Photo', exact: true }).click();
    const times: number[] = [];
    let analysed = '';
    for (let i = 0; i <= PHOTO_RUNS; i++) {
      const status = page.getByTestId('photo-status');
      await page.getByTestId('photo-input').setInputFiles(photo);
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="photo-status"]')?.getAttribute('data-busy') ===
            'false' &&
          /photo-12mp\.jpg:/.test(
            document.querySelector('[data-testid="photo-status"]')?.textContent ?? '',
          ),
        null,
        { timeout: 60_000 },
      );
      const shown = await page.evaluate(
        (name) => performance.getEntriesByName(name).pop()?.duration ?? NaN,
        MARKS.photo,
      );
      if (i > 0) times.push(shown);
      analysed = (await status.textContent())?.match(/\d+×\d+ read at \d+×\d+/)?.[0] ?? '';
    }
    const photoRead = await numbersOn(page);
    await context.close();

    const delivered = end.delivered - start.delivered;
    const processed = end.processed - start.processed;
    return {
      frames: {
        delivered,
        processed,
        dropped: end.dropped - start.dropped,
        unseen: end.unseen - start.unseen,
      },
      processMs: {
        p50: median(frames.map((f) => f.process)),
        p95: quantile(
          frames.map((f) => f.process),
          0.95,
        ),
      },
      stagesMs: Object.fromEntries(
        STAGES.map((s) => {
          const values = frames.map((f) => f[s]);
          return [s, { p50: median(values), p95: quantile(values, 0.95) }];
        }),
      ) as CameraReport['stagesMs'],
      latencyMs: {
        p50: median(frames.map((f) => f.latency)),
        p95: quantile(
          frames.map((f) => f.latency),
          0.95,
        ),
      },
      digitsPerFrame: median(frames.map((f) => f.digits)),
      mainThreadMaxBusyMs: Math.max(...busy),
      mainThreadBusyOver16: busy.filter((b) => b > 16).length,
      tensors: {
        before: before.n,
        after: after.n,
        bytesBefore: before.bytes,
        bytesAfter: after.bytes,
      },
      pageHeapMb: { before: heapBefore, after: heapAfter },
      backend,
      numbersRead,
      photo12mp: {
        times,
        medianMs: median(times),
        numbersRead: photoRead,
        analysed: `${analysed} (written: ${photoNumbers.sort().join(', ')})`,
      },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The report's camera section. */
export function cameraMarkdown(r: CameraReport): string {
  const goal = (ok: boolean) => (ok ? '✅' : '❌');
  return [
    `Fake camera: 640×480 at 30 fps, numbers ${NUMBERS.join(' and ')} on paper (${r.digitsPerFrame} digits found per frame); read as ${r.numbersRead.join(', ')}; backend ${r.backend}.`,
    '',
    '| measure | value | goal |',
    '|---|---|---|',
    `| frames read / delivered | ${r.frames.processed} / ${r.frames.delivered} | |`,
    `| frames dropped for lack of time (replaced while the reader was busy) | ${r.frames.dropped} | none ${goal(r.frames.dropped === 0)} |`,
    `| frames the page never saw (two presented between two page updates) | ${r.frames.unseen} | |`,
    `| frame processing in the worker (decode + find + one batched predict) p50 / p95 | ${ms(r.processMs.p50)} / ${ms(r.processMs.p95)} | p95 < 20 ms ${goal(r.processMs.p95 < 20)} |`,
    `| of which decode / find / predict, p50 / p95 each | ${STAGES.map((s) => `${ms(r.stagesMs[s].p50)} / ${ms(r.stagesMs[s].p95)}`).join('; ')} | |`,
    `| capture → overlay painted p50 / p95 | ${ms(r.latencyMs.p50)} / ${ms(r.latencyMs.p95)} | p95 < 50 ms ${goal(r.latencyMs.p95 < 50)} |`,
    `| main thread: longest busy stretch (pings delayed > 16 ms) | ${ms(r.mainThreadMaxBusyMs)} (${r.mainThreadBusyOver16}) | ≤ 16 ms ${goal(r.mainThreadMaxBusyMs <= 16)} |`,
    `| reader worker tensors before → after | ${r.tensors.before} → ${r.tensors.after} (${(r.tensors.bytesBefore / 1024).toFixed(0)} → ${(r.tensors.bytesAfter / 1024).toFixed(0)} KB) | flat ${goal(r.tensors.after === r.tensors.before)} |`,
    `| page JS heap before → after (after GC) | ${r.pageHeapMb.before.toFixed(1)} → ${r.pageHeapMb.after.toFixed(1)} MB | flat ${goal(r.pageHeapMb.after - r.pageHeapMb.before < 2)} |`,
    `| 12 MP photo: file given → numbers shown, median of ${r.photo12mp.times.length} | ${ms(r.photo12mp.medianMs)} (${r.photo12mp.times.map((t) => ms(t, false)).join(', ')}) | < 700 ms ${goal(r.photo12mp.medianMs < 700)} |`,
    `| 12 MP photo: numbers read | ${r.photo12mp.numbersRead.join(', ')} — ${r.photo12mp.analysed} | |`,
  ].join('\n');
}

runIfMain(import.meta.url, async () => {
  console.log(cameraMarkdown(await benchCamera()));
});
