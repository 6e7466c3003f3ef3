/** What every benchmark script does around its measurements: build if needed, serve dist/, drive Chromium. */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts';
import { ISOLATION_HEADERS, serveStatic } from './static-server.ts';

/** Builds dist/ when it is missing. */
export function ensureBuilt(): void {
  if (!existsSync('dist/index.html')) execSync('npm run build', { stdio: 'inherit' });
}

/** Serves the production build (with isolation headers, as vite preview) to a headless Chromium for `fn`. */
export async function withServedBuild<T>(
  fn: (browser: Browser, url: string) => Promise<T>,
): Promise<T> {
  ensureBuilt();
  const server = await serveStatic('dist', '/', ISOLATION_HEADERS);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    return await fn(browser, server.url);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Runs `main` when the module at `moduleUrl` is the script node was started with; exits 1 on failure. */
export function runIfMain(moduleUrl: string, main: () => Promise<void>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
