import { expect, test, type Page } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium.ts';
import { writeCameraVideo } from '../../scripts/make-paper-set.ts';
import { MARKS } from '../../src/lib/marks.ts';
import { waitForServiceWorker } from './pwa.ts';

/** What the fake camera films: two numbers written on paper (held-out MNIST digits, never trained on). */
const NUMBERS = ['2026', '417'];
const VIDEO = join(tmpdir(), 'digit-lens-tests', `camera-${NUMBERS.join('-')}.y4m`);
// Chromium reads the file when it starts, so it is written before any browser of this file launches.
if (!existsSync(VIDEO)) {
  mkdirSync(join(tmpdir(), 'digit-lens-tests'), { recursive: true });
  writeCameraVideo(VIDEO, NUMBERS, 10);
}

// A real camera stack with a file as the camera; permission is granted per test (or not, to deny it).
test.use({
  launchOptions: {
    executablePath: chromiumPath(),
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${VIDEO}`,
    ],
  },
});

/** Keeps every stream the page gets, so a test can check its tracks; lets a test hide the tab. */
async function instrument(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __streams: MediaStream[]; __setHidden: (h: boolean) => void };
    w.__streams = [];
    const media = navigator.mediaDevices;
    const real = media.getUserMedia.bind(media);
    media.getUserMedia = async (c) => {
      const stream = await real(c);
      w.__streams.push(stream);
      return stream;
    };
    // Headless Chromium never hides a tab: the test sets what the browser would and sends its event.
    let hidden = false;
    Object.defineProperty(document, 'hidden', { get: () => hidden });
    Object.defineProperty(document, 'visibilityState', {
      get: () => (hidden ? 'hidden' : 'visible'),
    });
    w.__setHidden = (h) => {
      hidden = h;
      document.dispatchEvent(new Event('visibilitychange'));
    };
  });
}

const stats = (page: Page) => page.getByTestId('camera-stats');
const processed = async (page: Page) => Number(await stats(page).getAttribute('data-processed'));
const trackStates = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __streams: MediaStream[] }).__streams.flatMap((s) =>
      s.getTracks().map((t) => `${t.readyState}${t.enabled ? '' : ' disabled'}`),
    ),
  );

/** Waits until the camera has read `n` more frames than now. */
async function moreFrames(page: Page, n: number) {
  const from = await processed(page);
  await expect.poll(() => processed(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(from + n);
}

/** Waits for the video element to present `n` frames (the camera keeps delivering). */
const presentFrames = (page: Page, n: number) =>
  page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        const video = document.querySelector('video')!;
        let left = count;
        const next = () =>
          video.requestVideoFrameCallback(() => (--left <= 0 ? resolve() : next()));
        next();
      }),
    n,
  );

test('reads the numbers the camera films: boxes, digits, numbers with copy, fps, latency, backend; nothing is sent', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['camera', 'clipboard-read', 'clipboard-write']);
  const requests: string[] = [];
  context.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  await instrument(page);
  await page.goto('./#/camera');
  // The app's files are precached (a returning user's service worker installs now) before reading is watched.
  await waitForServiceWorker(page);

  const numbers = page.getByTestId('number');
  await expect
    .poll(async () => (await numbers.allTextContents()).sort(), { timeout: 90_000 })
    .toEqual([...NUMBERS].sort());
  await expect(page.getByTestId('overlay')).toHaveAttribute('data-digits', '7');
  // Chromium's frames are I420: the worker reads their luma plane, with no colour conversion or canvas.
  expect(
    await page.evaluate(
      (name) => (performance.getEntriesByName(name).pop() as PerformanceMeasure).detail.pixels,
      MARKS.frame,
    ),
  ).toBe('luma');
  await expect(stats(page)).toHaveAttribute('data-status', 'live');
  await expect(stats(page)).toContainText(
    /\d+ fps · capture → overlay [\d.]+ ms \(p95\) · reading [\d.]+ ms \(p95\) · (WebGPU|WebGL|WASM|CPU)/,
  );

  // Copy puts the number on the clipboard.
  await page.getByRole('button', { name: 'Copy 2026' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('2026');

  // Nothing is sent: the only requests allowed are GETs of the app's own code (a backend's chunk, loaded
  // when the batch workload is measured in the background) and of blob: URLs, which are objects in this
  // page's memory (WASM's thread workers, the picture shown) and never leave the device.
  const before = requests.length;
  await moreFrames(page, 10);
  const code =
    /^GET (http:\/\/127\.0\.0\.1:\d+\/assets\/[\w.-]+\.(js|wasm)|blob:http:\/\/127\.0\.0\.1:\d+\/[\w-]{36})$/;
  expect(requests.slice(before).filter((r) => !code.test(r))).toEqual([]);
  // And nothing ever went to another origin, or carried a body.
  const origin = new URL(page.url()).origin;
  expect(
    requests.filter((r) => !r.startsWith(`GET ${origin}/`) && !r.startsWith(`GET blob:${origin}/`)),
  ).toEqual([]);
});

test('a hidden tab pauses reading and disables the camera; showing it resumes', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['camera']);
  await instrument(page);
  await page.goto('./#/camera');
  await moreFrames(page, 3);

  await page.evaluate(() =>
    (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(true),
  );
  await expect(stats(page)).toHaveAttribute('data-status', 'paused');
  await expect(
    page.getByRole('status').filter({ hasText: 'Paused while the tab is hidden' }),
  ).toBeVisible();
  expect(await trackStates(page)).toEqual(['live disabled']);
  // The camera goes on delivering (black) frames; none of them is read.
  const paused = await processed(page);
  await presentFrames(page, 15);
  await expect(page.getByTestId('overlay')).toBeVisible();
  expect(await processed(page)).toBe(paused);

  await page.evaluate(() =>
    (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(false),
  );
  await expect(stats(page)).toHaveAttribute('data-status', 'live');
  expect(await trackStates(page)).toEqual(['live']);
  await moreFrames(page, 3);
});

test('leaving the page stops the camera: every track ends', async ({ page, context }) => {
  await context.grantPermissions(['camera']);
  await instrument(page);
  await page.goto('./#/camera');
  await moreFrames(page, 1);
  expect(await trackStates(page)).toEqual(['live']);

  await page.getByRole('link', { name: 'Recognize' }).click();
  await expect.poll(() => trackStates(page)).toEqual(['ended']);
  // Coming back starts a new stream; the old one stays ended.
  await page.getByRole('link', { name: 'Camera', exact: true }).click();
  await moreFrames(page, 1);
  expect(await trackStates(page)).toEqual(['ended', 'live']);
});

test('camera permission denied: a one-line message and a way to the photo page', async ({
  page,
}) => {
  // No permission granted: Chromium denies the camera, as when a user says no.
  await page.goto('./#/camera');
  const error = page.getByTestId('camera-error');
  await expect(error).toHaveText(/^Camera access was denied\..*You can read a photo instead\.$/);
  await expect(page.getByRole('button', { name: 'Start camera' })).toBeVisible();
  await page.getByRole('link', { name: 'Read a photo instead' }).click();
  await expect(page.getByRole('heading', { name: 'Read numbers in a photo' })).toBeVisible();
});

for (const [name, expected] of [
  ['NotReadableError', /^The camera is in use by another app or tab/],
  ['NotFoundError', /^No camera was found on this device\./],
] as const) {
  test(`getUserMedia fails with ${name}: a one-line message, and trying again works`, async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['camera']);
    // The browser's failure, as it reports it when another app holds the camera or there is none;
    // only the first call fails, so "Start camera" shows that the page recovers.
    await page.addInitScript((errorName) => {
      const media = navigator.mediaDevices;
      const real = media.getUserMedia.bind(media);
      let failed = false;
      media.getUserMedia = (c) => {
        if (failed) return real(c);
        failed = true;
        return Promise.reject(new DOMException('Could not start video source', errorName));
      };
    }, name);
    await page.goto('./#/camera');
    await expect(page.getByTestId('camera-error')).toHaveText(expected);
    await expect(page.getByTestId('camera-error')).toContainText('You can read a photo instead.');
    await page.getByRole('button', { name: 'Start camera' }).click();
    await expect(page.getByTestId('camera-error')).toHaveCount(0);
    await expect(stats(page)).toHaveAttribute('data-status', 'live');
  });
}
