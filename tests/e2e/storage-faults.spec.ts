import { expect, test, type Page } from '@playwright/test';
import { drawDigit, settledPrediction } from './draw.ts';
import { waitForRecognizer } from './pwa.ts';

const SWEEP = '#/bench?backends=wasm&batches=1&warmup=0&runs=2';

async function drawAndRead(page: Page, digit: number) {
  await page.keyboard.press('Escape');
  await drawDigit(page, digit);
  return settledPrediction(page);
}

async function quickBench(page: Page) {
  await page.goto(`./${SWEEP}`);
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText(/^Done/, { timeout: 60_000 });
}

/** Runs `fn` on every record of one store of tfjs' IndexedDB database; returns the records' keys. */
function editModels(page: Page, edit: 'truncate' | 'add-stale' | 'list') {
  return page.evaluate(
    (edit) =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('tensorflowjs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['models_store', 'model_info_store'], 'readwrite');
          const models = tx.objectStore('models_store');
          const all = models.getAll();
          all.onsuccess = () => {
            for (const record of all.result) {
              if (edit === 'truncate') {
                record.modelArtifacts.weightData = (
                  record.modelArtifacts.weightData as ArrayBuffer
                ).slice(0, 1000);
                models.put(record);
              } else if (edit === 'add-stale') {
                const stale = structuredClone(record);
                stale.modelPath =
                  'digit-cnn-0000000000000000000000000000000000000000000000000000000000000000';
                models.put(stale);
                tx.objectStore('model_info_store').put({
                  modelPath: stale.modelPath,
                  modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' },
                });
              }
            }
          };
          const keys = models.getAllKeys();
          tx.oncomplete = () => resolve((keys.result as string[]).map(String));
        };
      }),
    edit,
  );
}

test('IndexedDB that throws on open: the app works from the network and says it cannot keep things', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    indexedDB.open = () => {
      throw new DOMException('IndexedDB blocked by the test', 'UnknownError');
    };
  });
  await page.goto('./');
  await waitForRecognizer(page);
  await expect(page.getByTestId('notice')).toContainText('could not be stored on this device');
  expect(await drawAndRead(page, 2)).toBe('2');
  await page.goto(`./${SWEEP}`);
  await expect(page.getByTestId('bench-error')).toContainText(
    'Saved benchmark runs could not be read',
  );
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText(/^Done/, { timeout: 60_000 });
  await expect(page.getByTestId('bench-error')).toContainText('could not be saved on this device');
  await expect(page.locator('[data-testid="result-row"][data-backend="wasm"]')).toBeVisible();
});

test('a quota error on every save: predictions and benchmarks still work, with a clear message', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    const quota = () => {
      throw new DOMException('The quota has been exceeded (test).', 'QuotaExceededError');
    };
    IDBObjectStore.prototype.put = quota;
    IDBObjectStore.prototype.add = quota;
  });
  await page.goto('./');
  await waitForRecognizer(page);
  await expect(page.getByTestId('notice')).toContainText(
    /could not be stored on this device.*quota/i,
  );
  expect(await drawAndRead(page, 7)).toBe('7');
  await quickBench(page);
  await expect(page.getByTestId('bench-error')).toContainText(
    /could not be saved on this device.*quota/i,
  );
  await expect(page.getByTestId('history-item')).toHaveCount(1);
});

test('a truncated model record and a stale older version are repaired; the benchmark history survives', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./');
  await waitForRecognizer(page);
  await quickBench(page);
  await expect(page.getByTestId('history-item')).toHaveCount(1);

  const keys = await editModels(page, 'truncate');
  expect(keys).toHaveLength(1);
  await editModels(page, 'add-stale');
  expect(await editModels(page, 'list')).toHaveLength(2);

  await page.goto('./#/');
  await page.reload();
  await waitForRecognizer(page);
  await expect(page.getByTestId('notice')).toContainText('Cached model was unusable');
  expect(await drawAndRead(page, 9)).toBe('9');
  // Only the current, repaired version is left; the user's benchmark runs are untouched.
  await expect.poll(() => editModels(page, 'list')).toEqual(keys);
  await page.goto(`./${SWEEP}`);
  await expect(page.getByTestId('history-item')).toHaveCount(1);
});
