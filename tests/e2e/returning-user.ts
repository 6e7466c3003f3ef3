/**
 * A returning user: what the app kept in this browser after a real first visit (the backends measured in
 * full, the choice remembered, the model cached), saved once by first-visit.setup.ts. Specs that do not
 * test a first visit start from it, so they do not measure every backend again on SwiftShader.
 */
import { expect, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';

/** Playwright storage state (IndexedDB included) of the returning user, for the test server's origin. */
export const RETURNING_USER = fileURLToPath(
  new URL('../../test-results/.returning-user.json', import.meta.url),
);

/** Waits until the backend choice is settled: measured on this visit, or remembered from an earlier one. */
export async function waitForChoice(page: Page, timeout = 60_000): Promise<void> {
  await expect(page.getByTestId('backend')).toHaveAttribute(
    'data-state',
    /^(measured|remembered)$/,
    {
      timeout,
    },
  );
}
