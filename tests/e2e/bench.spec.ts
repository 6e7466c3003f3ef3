import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { GPU_FAULTS } from '../../scripts/gpu-faults.ts';
import { drawDigit, settledPrediction } from './draw.ts';
import { waitForRecognizer } from './pwa.ts';
import { computeWorker, watchComputeWorkers } from '../../scripts/compute-workers.ts';

const SWEEP_TIMEOUT = 180_000;
const ALL = ['webgpu', 'webgl', 'wasm', 'cpu'];

async function runBench(page: Page, query: string) {
  await page.goto(`./#/bench?${query}`);
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText(/^Done/, { timeout: SWEEP_TIMEOUT });
}

const modelFiles = () => [
  { name: 'model.json', mimeType: 'application/json', buffer: readFileSync('model/model.json') },
  {
    name: 'group1-shard1of1.bin',
    mimeType: 'application/octet-stream',
    buffer: readFileSync('model/group1-shard1of1.bin'),
  },
];

// A prediction that leaked even one tensor would leave tensors behind: the sweep checks every backend after
// a warm-up and RUNS timed predictions per batch size (few: the GPU ones run on SwiftShader here), and a test
// below makes 1,000 on each of the fast ones.
const RUNS = 2;

test('a sweep on every backend: table, charts, no leaks, JSON/CSV export, import and compare', async ({
  page,
}) => {
  test.setTimeout(SWEEP_TIMEOUT * 2);
  await runBench(page, `batches=1,8&warmup=1&runs=${RUNS}`);
  for (const backend of ALL) {
    for (const batch of ['1', '8']) {
      const row = page.locator(
        `[data-testid="result-row"][data-backend="${backend}"][data-batch="${batch}"]`,
      );
      await expect(row).toHaveAttribute('data-status', 'ok');
      await expect(row.locator('td').last()).toHaveText(String(RUNS));
    }
    await expect(
      page.locator(`[data-testid="backend-row"][data-backend="${backend}"]`),
    ).toHaveAttribute('data-leaked', '0');
  }
  for (const chart of ['chart-latency', 'chart-throughput']) {
    const series = await page
      .getByTestId(chart)
      .locator('[data-series]')
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-series')));
    expect(series).toEqual(['WebGPU', 'WebGL', 'WASM', 'CPU']);
    await expect(page.getByTestId(chart).locator('[data-series="WASM"] .marker')).toHaveCount(2);
  }
  await expect(page.getByTestId('environment')).toContainText('4.22.0');
  await expect(page.getByTestId('history-item')).toHaveCount(1);

  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const exported = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(exported.results.map((r: { backend: string }) => r.backend)).toEqual(ALL);
  expect(
    exported.results.every(
      (r: { memory: { leakedTensors: number } }) => r.memory.leakedTensors === 0,
    ),
  ).toBe(true);
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const rows = readFileSync((await csv.path())!, 'utf8')
    .trim()
    .split('\n');
  expect(rows[0]).toMatch(/^run,created,model,backend,status,batch,median_ms/);
  expect(rows).toHaveLength(1 + ALL.length * 2);

  // The same export as if from another device: import it and compare side by side.
  const other = {
    ...exported,
    id: 'other-device',
    label: 'Phone run',
    environment: { ...exported.environment, platform: 'Android' },
  };
  await page.getByTestId('import-run').setInputFiles({
    name: 'phone.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(other)),
  });
  await expect(page.getByTestId('compare')).toBeVisible();
  await expect(page.getByTestId('compare-a')).toContainText(exported.environment.platform);
  await expect(page.getByTestId('compare-b')).toContainText('Android');
  await expect(page.getByTestId('history-item')).toHaveCount(2);

  // A broken import is refused with a message; nothing is lost.
  await page.getByTestId('import-run').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format":"x"}'),
  });
  await expect(page.getByTestId('bench-error')).toContainText('Not a valid benchmark export');
  await expect(page.getByTestId('history-item')).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId('history-item')).toHaveCount(2);
});

test('a long run never blocks the recognizer; Cancel stops it at once and keeps what it had', async ({
  page,
}) => {
  test.setTimeout(SWEEP_TIMEOUT);
  const workers = watchComputeWorkers(page);
  const benchWorker = computeWorker(page, 'benchmark');
  await page.goto('./#/bench?backends=cpu&batches=256&warmup=0&runs=1000');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-progress')).toContainText('timed run', { timeout: 30_000 });
  const sweep = await benchWorker;
  const sweepClosed = new Promise<void>((resolve) => sweep.on('close', () => resolve()));

  // The sweep has a worker of its own: the recognizer reads a digit while the sweep runs.
  await page.getByRole('link', { name: 'Recognize' }).click();
  await waitForRecognizer(page);
  await drawDigit(page, 2);
  expect(await settledPrediction(page)).toBe('2');
  await page.getByRole('link', { name: 'Benchmark' }).click();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await expect(page.getByTestId('bench-status')).toHaveCount(0);

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText(/Cancelled/);
  await sweepClosed;
  expect(workers.closed).toContain(sweep.url());
  await expect(page.getByTestId('run')).toHaveAttribute('data-complete', 'false');
  await expect(page.getByTestId('history-item')).toContainText('(incomplete)');

  await page.getByRole('link', { name: 'Recognize' }).click();
  await page.keyboard.press('Escape');
  await drawDigit(page, 4);
  expect(await settledPrediction(page)).toBe('4');
});

/** What the results table says when the sweep's GPU handle is lost (see gpu-faults.ts). */
const LOST_MESSAGE = {
  webgl: /^Failed: the WebGL context was lost$/,
  webgpu: /^Failed: the WebGPU device was lost \(destroyed/,
};

test.describe('a GPU lost in the middle of a sweep', () => {
  // Without a service worker the compute worker's script comes from the network, where the test can see it.
  test.use({ serviceWorkers: 'block' });
  for (const gpu of GPU_FAULTS) {
    test(`${gpu.fault} during a benchmark: ${gpu.title} fails in one line, the sweep goes on, the app works`, async ({
      page,
    }) => {
      test.setTimeout(SWEEP_TIMEOUT * 2);
      // The sweep runs in a worker of its own, out of reach of page scripts, and starts its GPU backend at once:
      // the worker's script comes with the fault prepared in front (it runs before any of the app's code).
      await page.route(/\/assets\/compute\.worker-[\w-]+\.js$/, async (route) => {
        const response = await route.fetch();
        const body = `(${gpu.keep.toString()})();\n${await response.text()}`;
        await route.fulfill({ response, body });
      });
      const benchWorker = computeWorker(page, 'benchmark');
      const runs = gpu.backend === 'webgpu' ? 40 : 200;
      await page.goto(`./#/bench?backends=${gpu.backend},wasm&batches=1,8&warmup=1&runs=${runs}`);
      await page.getByRole('button', { name: 'Run benchmark' }).click();
      const worker = await benchWorker;
      await expect(page.getByTestId('bench-progress')).toContainText(
        new RegExp(`${gpu.title}, batch 8: timed run`),
        { timeout: 90_000 },
      );
      expect(await worker.evaluate(gpu.lose)).toBeGreaterThan(0);
      await expect(page.getByTestId('bench-status')).toHaveText(
        'Done (1 backend failed): 1 of 2 backends measured.',
        {
          timeout: 150_000,
        },
      );
      await expect(
        page.locator(
          `[data-testid="result-row"][data-backend="${gpu.backend}"]:not([data-batch]) td`,
        ),
      ).toHaveText(LOST_MESSAGE[gpu.backend]);
      // What the backend measured before the loss is kept; the other backend ran in full.
      await expect(
        page
          .locator(`[data-testid="result-row"][data-backend="${gpu.backend}"][data-batch="1"] td`)
          .last(),
      ).toHaveText(String(runs));
      for (const batch of ['1', '8']) {
        await expect(
          page.locator(`[data-testid="result-row"][data-backend="wasm"][data-batch="${batch}"]`),
        ).toHaveAttribute('data-status', 'ok');
      }
      await expect(page.getByTestId('history-item')).toHaveCount(1);

      // The loss was the worker's own: the next run gets a fresh context or device, and the backend works again.
      await runBench(page, `backends=${gpu.backend}&batches=1&warmup=1&runs=3`);
      await expect(
        page.locator(`[data-testid="result-row"][data-backend="${gpu.backend}"][data-batch="1"]`),
      ).toHaveAttribute('data-status', 'ok');

      await page.getByRole('link', { name: 'Recognize' }).click();
      await waitForRecognizer(page);
      await drawDigit(page, 7);
      expect(await settledPrediction(page)).toBe('7');
    });
  }
});

test("benchmarks the user's own model, read from files on the device", async ({ page }) => {
  test.setTimeout(SWEEP_TIMEOUT);
  const uploads: string[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET') uploads.push(`${r.method()} ${r.url()}`);
  });
  await page.goto('./#/bench?backends=wasm,cpu&batches=1,2&warmup=1&runs=2');
  await page.locator('input[type="file"][multiple]').setInputFiles(modelFiles());
  await expect(
    page.getByRole('radio', { name: /Your own model: model.json, input 28×28×1/ }),
  ).toBeChecked();
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText(/^Done/, { timeout: SWEEP_TIMEOUT });
  await expect(page.getByTestId('environment')).toContainText('Model');
  await expect(page.getByTestId('environment')).toContainText('model.json, input 28×28×1');
  await expect(page.locator('[data-testid="result-row"][data-backend="wasm"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="backend-row"][data-backend="cpu"]')).toHaveAttribute(
    'data-leaked',
    '0',
  );
  expect(uploads).toEqual([]);
});

test('every bad upload gets its own message and the page keeps working', async ({ page }) => {
  test.setTimeout(SWEEP_TIMEOUT);
  await page.goto('./#/bench?backends=wasm&batches=1&warmup=0&runs=2');
  const input = page.locator('input[type="file"][multiple]');
  const text = readFileSync('model/model.json', 'utf8');
  const shard = readFileSync('model/group1-shard1of1.bin');
  const json = (v: unknown) => ({
    name: 'model.json',
    mimeType: 'application/json',
    buffer: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)),
  });
  const manifest = JSON.parse(text);
  const cases: [Parameters<typeof input.setInputFiles>[0], RegExp][] = [
    [[json('{ not json')], /not valid JSON/],
    [
      [
        json(text.slice(0, 500)),
        { name: 'group1-shard1of1.bin', mimeType: 'application/octet-stream', buffer: shard },
      ],
      /not valid JSON/,
    ],
    [
      [json({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] })],
      /graph model/,
    ],
    [[json(text)], /Missing weight file: group1-shard1of1.bin/],
    [
      [
        json(text),
        {
          name: 'group1-shard1of1.bin',
          mimeType: 'application/octet-stream',
          buffer: Buffer.alloc(0),
        },
      ],
      /is empty/,
    ],
    [
      [
        json(text),
        {
          name: 'group1-shard1of1.bin',
          mimeType: 'application/octet-stream',
          buffer: shard.subarray(0, 1000),
        },
      ],
      /hold 1,000 bytes/,
    ],
    [
      [json({ ...manifest, weightsManifest: [{ paths: 7, weights: {} }] })],
      /needs "paths" and "weights"/,
    ],
    [
      [
        json(text),
        {
          name: 'group1-shard1of1.bin',
          mimeType: 'application/octet-stream',
          buffer: Buffer.from(new Float32Array(shard.length / 4).fill(NaN).buffer),
        },
      ],
      /values that are not numbers/,
    ],
    [
      Array.from({ length: 300 }, (_, i) => ({
        name: `w${i}.bin`,
        mimeType: 'application/octet-stream',
        buffer: Buffer.alloc(1),
      })),
      /300 files is too many/,
    ],
  ];
  for (const [files, why] of cases) {
    await input.setInputFiles(files);
    await expect(page.getByTestId('model-error')).toHaveText(why);
    await expect(page.getByRole('radio', { name: /Digit CNN \(bundled/ })).toBeChecked();
  }
  // Still usable: the bundled model benchmarks fine.
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText(/^Done/, { timeout: SWEEP_TIMEOUT });
  await expect(
    page.locator('[data-testid="result-row"][data-backend="wasm"][data-batch="1"]'),
  ).toBeVisible();
});

const [backends, runs] = ['wasm,cpu', 1000];
test('1,000 predictions on each of WASM and the CPU leave no tensor behind', async ({ page }) => {
  test.setTimeout(SWEEP_TIMEOUT * 2);
  await page.goto(`./#/bench?backends=${backends}&batches=1&warmup=0&runs=${runs}`);
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText('Done: 2 of 2 backends measured.', {
    timeout: SWEEP_TIMEOUT * 2,
  });
  for (const backend of backends.split(',')) {
    await expect(
      page.locator(`[data-testid="result-row"][data-backend="${backend}"] td`).last(),
    ).toHaveText(String(runs));
    await expect(
      page.locator(`[data-testid="backend-row"][data-backend="${backend}"]`),
    ).toHaveAttribute('data-leaked', '0');
  }
});
