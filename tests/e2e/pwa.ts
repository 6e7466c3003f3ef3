/** Helpers for service-worker tests. */
import { expect, type Page } from '@playwright/test';

/** Waits until a service worker has finished precaching (is active) and controls the page. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
  });
}

/** Waits until the recognizer is ready to predict. */
export async function waitForRecognizer(page: Page): Promise<void> {
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 30_000 });
}
