/**
 * Production-like hosting: a static server with no COOP/COEP headers (as on GitHub Pages), under a subpath,
 * and a second deploy while the app is open.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { drawDigit, settledPrediction } from './draw.ts';
import { waitForRecognizer, waitForServiceWorker } from './pwa.ts';
import { serveStatic, type StaticServer } from '../../scripts/static-server.ts';

let server: StaticServer;
test.afterEach(async () => server?.close());

test('under /digits/ with no server headers: the worker isolates the page and the app works offline', async ({
  page,
  context,
}) => {
  server = await serveStatic('dist-digits', '/digits/');
  await page.goto(server.url);
  await waitForRecognizer(page);
  // First visit: the host sends no headers, so no isolation yet; the app works on single-threaded WASM.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.getByTestId('backend')).toContainText('WASM · SIMD · single-threaded build');
  await waitForServiceWorker(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
    `${server.url}sw.js`,
  );

  // Second load, from the worker: isolated, so the threaded WASM build can run.
  await page.reload();
  await waitForRecognizer(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('backend')).toContainText(
    /WASM · SIMD · threaded build · \d+ threads?/,
  );

  await context.setOffline(true);
  await page.reload();
  await waitForRecognizer(page);
  await drawDigit(page, 6, [0.1, 0.1, 0.8]);
  expect(await settledPrediction(page)).toBe('6');
  expect(server.requests.every((p) => p.startsWith('/digits/'))).toBe(true);
});

test('a new deploy shows "Update available"; accepting it runs the new version', async ({
  page,
}) => {
  server = await serveStatic('dist', '/');
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await page.goto(`${server.url}#/about`);
  const first = await page.getByTestId('build-id').textContent();

  server.root = 'dist-next';
  await page.reload();
  await expect(page.getByTestId('update-prompt')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('build-id')).toHaveText(first!);
  await page.getByTestId('update-prompt').getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByTestId('build-id')).not.toHaveText(first!, { timeout: 30_000 });
  await expect(page.getByTestId('build-id')).toContainText('next');
  await expect(page.getByTestId('update-prompt')).toBeHidden();
  await page.goto(`${server.url}#/`);
  await waitForRecognizer(page);
});

test('a new deploy while a benchmark runs does not interrupt it; after the update, app and model match', async ({
  page,
}) => {
  test.setTimeout(180_000);
  server = await serveStatic('dist', '/');
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await page.goto(`${server.url}#/bench?backends=cpu&batches=32&warmup=0&runs=60`);
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-progress')).toContainText('timed run', { timeout: 30_000 });

  server.root = 'dist-next';
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  await expect(page.getByTestId('update-prompt')).toBeVisible({ timeout: 30_000 });
  // The run goes on to the end, on the old version.
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await expect(page.getByTestId('bench-status')).toHaveText(
    /^Done: (\d) of \1 backends? measured\.$/,
    { timeout: 120_000 },
  );
  await expect(page.getByTestId('run')).toHaveAttribute('data-complete', 'true');

  await page.goto(`${server.url}#/about`);
  await page.getByTestId('update-prompt').getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByTestId('build-id')).toContainText('next', { timeout: 30_000 });
  const sha = JSON.parse(readFileSync('dist-next/model/model.json', 'utf8')).userDefinedMetadata
    .weightsSha256 as string;
  await expect(page.getByTestId('model-version')).toContainText(sha.slice(0, 12));
  // The run made before the update is still in the history.
  await page.goto(`${server.url}#/bench`);
  await expect(page.getByTestId('history-item')).toHaveCount(1);
});
