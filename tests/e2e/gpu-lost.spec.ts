import { expect, test } from '@playwright/test';
import { GPU_FAULTS } from '../../scripts/gpu-faults.ts';
import { computeWorkers } from '../../scripts/compute-workers.ts';
import { drawDigit, settledPrediction } from './draw.ts';
import { waitForRecognizer } from './pwa.ts';
import { waitForChoice } from './measurements.ts';

/** The notice when the GPU handle of the backend in use is lost (see gpu-faults.ts). */
const LOST_NOTICE = {
  webgl: /WebGL failed \(the WebGL context was lost\); switched to /,
  webgpu: /WebGPU failed \(the WebGPU device was lost \(destroyed.*\)\); switched to /,
};

for (const gpu of GPU_FAULTS) {
  test(`${gpu.fault} while the recognizer uses it: one line says so, the next backend takes over`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    // The recognizer runs in its worker (replaced when the app tunes WASM's threads): the fault goes there.
    const recognizer = computeWorkers(page, 'recognizer', gpu.keep);
    await page.goto('./');
    await waitForRecognizer(page);
    await waitForChoice(page);
    await page.getByTestId('backend').click();
    await page.getByRole('button', { name: `Use ${gpu.title}` }).click();
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', gpu.backend, {
      timeout: 60_000,
    });
    await expect(page.getByTestId('backend')).toHaveAttribute('data-state', 'pinned');
    await drawDigit(page, 1, [0.2, 0.1, 0.7]);
    expect(await settledPrediction(page)).toBe('1');

    expect(await recognizer.latest().evaluate(gpu.lose)).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await drawDigit(page, 7, [0.2, 0.1, 0.7]);
    expect(await settledPrediction(page)).toBe('7');
    await expect(page.getByTestId('notice')).toContainText(LOST_NOTICE[gpu.backend]);
    expect(await page.getByTestId('backend').getAttribute('data-backend')).not.toBe(gpu.backend);
    // Also in the failure log on the benchmark page (kept on the device).
    await page.getByRole('link', { name: 'Benchmark' }).click();
    await page
      .getByTestId('failure-log')
      .getByText(/Backend failures on this device/)
      .click();
    await expect(page.getByTestId('failure-log')).toContainText(
      new RegExp(
        `${gpu.title} — the ${gpu.title === 'WebGL' ? 'WebGL context' : 'WebGPU device'} was lost.*; switched to`,
      ),
    );
  });
}
