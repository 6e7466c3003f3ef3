import { chromium, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drawDigit, settledPrediction } from './draw.ts';
import { waitForRecognizer, waitForServiceWorker } from './pwa.ts';
import { computeWorker } from '../../scripts/compute-workers.ts';

test('works offline after one visit: app, model and the WASM backend come from the service worker', async ({
  page,
  context,
}) => {
  await page.goto('./');
  await waitForServiceWorker(page);
  await expect(page.getByTestId('offline-ready')).toBeVisible();
  // The whole first visit, its backend measurement included (its worker started before the service worker
  // took control, so it fetches from the network).
  await expect(page.getByTestId('backend')).toHaveAttribute('data-state', 'measured', {
    timeout: 60_000,
  });

  await context.setOffline(true);
  const failed: string[] = [];
  // A fetch cut short because its worker ended (a measurement's time budget) is not a request that failed.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(r.url());
  });
  await page.reload();
  await waitForRecognizer(page);
  await expect(page.getByTestId('backend')).toContainText('WASM');
  await drawDigit(page, 2);
  expect(await settledPrediction(page)).toBe('2');
  expect(failed).toEqual([]);
});

test('the second load reads the model from IndexedDB, not the network', async ({ page }) => {
  const modelFetches: string[] = [];
  page.on('request', (r) => {
    if (/model\/(model\.json|group\d+-shard\d+of\d+\.bin)$/.test(r.url()))
      modelFetches.push(r.url());
  });
  await page.goto('./#/about');
  // The recognizer starts on every page; its first model download can take a while on a loaded machine.
  await expect(page.getByTestId('model-source')).toHaveText('download', { timeout: 60_000 });
  expect(modelFetches.filter((u) => u.endsWith('model.json'))).toHaveLength(1);

  modelFetches.length = 0;
  await page.reload();
  await expect(page.getByTestId('model-source')).toHaveText('device cache (IndexedDB)');
  expect(modelFetches).toEqual([]);
});

test('a corrupted model in IndexedDB is detected, replaced, and the app still predicts', async ({
  page,
}) => {
  await page.goto('./');
  await waitForRecognizer(page);
  await page.goto('./#/about');
  await expect(page.getByTestId('model-source')).toHaveText('download');

  const corrupted = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('tensorflowjs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('models_store', 'readwrite');
          const store = tx.objectStore('models_store');
          const all = store.getAll();
          all.onsuccess = () => {
            for (const record of all.result) {
              const bytes = new Uint8Array(record.modelArtifacts.weightData as ArrayBuffer);
              for (let i = 0; i < bytes.length; i += 7) bytes[i] ^= 0xff;
              store.put(record);
            }
            tx.oncomplete = () => resolve(all.result.length);
          };
        };
      }),
  );
  expect(corrupted).toBe(1);

  await page.reload();
  await expect(page.getByTestId('model-source')).toHaveText('download');
  await page.goto('./#/');
  await expect(page.getByTestId('notice')).toContainText('Cached model was unusable');
  await drawDigit(page, 5, [0.2, 0.1, 0.7]);
  expect(await settledPrediction(page)).toBe('5');

  // The repaired copy is good: the next load uses it.
  await page.reload();
  await page.goto('./#/about');
  await expect(page.getByTestId('model-source')).toHaveText('device cache (IndexedDB)');
});

test('is cross-origin isolated and the WASM backend runs its threaded build', async ({ page }) => {
  await page.goto('./');
  await waitForServiceWorker(page);
  const recognizer = computeWorker(page, 'recognizer');
  await page.reload();
  await waitForRecognizer(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('backend')).toContainText(
    /WASM · SIMD · threaded build · \d+ threads?/,
  );
  // The recognizer's worker loads the binary.
  const wasmFiles = await (
    await recognizer
  ).evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((n) => n.endsWith('.wasm')),
  );
  expect(wasmFiles.some((n) => /threaded-simd/.test(n))).toBe(true);
});

test('is installable: Chromium reports no installability errors', async ({ baseURL }) => {
  // Installability is never reported in incognito contexts, so use a real profile.
  const profile = mkdtempSync(join(tmpdir(), 'digit-lens-'));
  const context = await chromium.launchPersistentContext(
    profile,
    test.info().project.use.launchOptions,
  );
  try {
    const page = await context.newPage();
    await page.goto(baseURL!);
    await waitForServiceWorker(page);
    await page.reload();
    await waitForRecognizer(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await (await page.request.get(`${baseURL}manifest.webmanifest`)).json();
    expect(manifest.display).toBe('standalone');
    expect(
      manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`),
    ).toEqual(
      expect.arrayContaining([
        '192x192 any',
        '512x512 any',
        '192x192 maskable',
        '512x512 maskable',
      ]),
    );
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
