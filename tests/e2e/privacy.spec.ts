import { expect, test, type Page } from '@playwright/test';
import { ISOLATION_HEADERS, serveStatic, type StaticServer } from '../../scripts/static-server.ts';
import { drawDigit, settledPrediction } from './draw.ts';
import { waitForRecognizer, waitForServiceWorker } from './pwa.ts';

let server: StaticServer;
let other: StaticServer;

test.beforeAll(async () => {
  // The build served like GitHub Pages would (plus isolation headers, as vite preview sends), counting requests.
  server = await serveStatic('dist', '/', ISOLATION_HEADERS);
  other = await serveStatic('dist', '/');
});
test.afterAll(async () => {
  await server?.close();
  await other?.close();
});

/** Records CSP violations in the page. */
async function watchViolations(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
}
const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

test('nothing leaves the origin, and drawing and predicting make no requests at all', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  const seen: string[] = [];
  context.on('request', (r) => seen.push(`${r.method()} ${r.url()}`));
  await page.goto(server.url);
  await waitForRecognizer(page);
  await waitForServiceWorker(page);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-state', 'measured', {
    timeout: 60_000,
  });

  const before = { browser: seen.length, server: server.requests.length };
  for (const digit of [3, 8, 0]) {
    await page.keyboard.press('Escape');
    await drawDigit(page, digit);
    expect(await settledPrediction(page)).toBe(String(digit));
  }
  expect(seen.slice(before.browser)).toEqual([]);
  // The browser's own service-worker update check (GET sw.js, scheduled after a worker starts) may land here;
  // it carries nothing. Nothing else may reach the server.
  expect(server.requests.slice(before.server).filter((path) => path !== '/sw.js')).toEqual([]);

  // A whole session: benchmark, export, storage page.
  await page.goto(`${server.url}#/bench?backends=wasm,cpu&batches=1,4&warmup=1&runs=2`);
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText(/^Done/, { timeout: 120_000 });
  await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  await page.goto(`${server.url}#/about`);
  await expect(page.getByTestId('model-version')).toBeVisible();

  const origin = new URL(server.url).origin;
  const outside = seen.filter((s) => {
    const url = s.slice(s.indexOf(' ') + 1);
    return !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:');
  });
  expect(outside).toEqual([]);
  expect(seen.filter((s) => !s.startsWith('GET '))).toEqual([]);
  expect(other.requests).toEqual([]);
});

test('the Content-Security-Policy is in force, every backend works under it, and a cross-origin fetch is blocked', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await watchViolations(page);
  await page.goto(server.url);
  const csp = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  for (const directive of [
    "default-src 'self'",
    "connect-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' blob:",
    "worker-src 'self' blob:",
  ]) {
    expect(csp).toContain(directive);
  }
  await waitForRecognizer(page);
  await drawDigit(page, 6);
  expect(await settledPrediction(page)).toBe('6');

  // Every backend, in the benchmark worker, under the same policy.
  await page.goto(`${server.url}#/bench?batches=1&warmup=1&runs=2`);
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText(
    /^Done: (\d) of \1 backends? measured\.$/,
    { timeout: 120_000 },
  );
  for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu']) {
    await expect(
      page.locator(`[data-testid="result-row"][data-backend="${backend}"]`),
    ).toHaveAttribute('data-status', 'ok');
  }
  expect(await violations(page)).toEqual([]);

  // A fetch to another origin (a live server on another port) is refused by the policy and never arrives.
  const result = await page.evaluate(
    (url) =>
      fetch(url, { mode: 'no-cors' }).then(
        () => 'sent',
        () => 'blocked',
      ),
    `${other.url}index.html`,
  );
  expect(result).toBe('blocked');
  await expect.poll(() => violations(page)).toEqual([`connect-src ${other.url}index.html`]);
  expect(other.requests).toEqual([]);
});
