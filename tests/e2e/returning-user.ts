/**
 * A returning user: what the app kept in this browser after a real first visit (the backends measured in
 * full, the choice remembered, the model cached), saved once by first-visit.setup.ts. Specs that do not
 * test a first visit start from it, so they do not measure every backend again on SwiftShader.
 */
import { fileURLToPath } from 'node:url';

/** Playwright storage state (IndexedDB included) of the returning user, for the test server's origin. */
export const RETURNING_USER = fileURLToPath(
  new URL('../../test-results/.returning-user.json', import.meta.url),
);
