/**
 * Fails the build loudly when the service worker would not precache a file it must have: every file in the
 * build that matches the precache globs must be listed in dist/sw.js (Workbox silently skips files over
 * its size limit), and the model and all three tfjs .wasm binaries must be among them. Also checks that the
 * page's entry script carries V8's compile hint (vite.config.ts), which keeps compiling off the page's main thread.
 * Usage: tsx scripts/check-build.ts [distDir]
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { precachedFiles } from './build-files.ts';
import { COMPILE_HINT } from './compile-hints.ts';

const dist = process.argv[2] ?? 'dist';
const REQUIRED = [
  /^model\/model\.json$/,
  /^model\/.*\.bin$/,
  /tfjs-backend-wasm-[\w-]*\.wasm$/,
  /tfjs-backend-wasm-simd-[\w-]*\.wasm$/,
  /tfjs-backend-wasm-threaded-simd-[\w-]*\.wasm$/,
  /^index\.html$/,
];

const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
const files = precachedFiles(dist);
const missing = files.filter(
  (f) => !sw.includes(`"${f}"`) && !sw.includes(`'${f}'`) && !sw.includes(`url:"${f}"`),
);
const absent = REQUIRED.filter((re) => !files.some((f) => re.test(f)));
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = /<script type="module"[^>]*src="[^"]*?(assets\/[^"]+\.js)"/.exec(html)?.[1];
const hinted =
  entry !== undefined && readFileSync(join(dist, entry), 'utf8').startsWith(COMPILE_HINT);
const bytes = files.reduce((sum, f) => sum + statSync(join(dist, f)).size, 0);

if (missing.length || absent.length || !hinted) {
  console.error('Build check FAILED:');
  for (const f of missing)
    console.error(`  not precached: ${f} (${statSync(join(dist, f)).size} bytes)`);
  for (const re of absent) console.error(`  no file in the build matches ${re}`);
  if (!hinted) console.error(`  the entry script (${entry ?? 'not found'}) lacks ${COMPILE_HINT}`);
  process.exit(1);
}
console.log(
  `Build check: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB, all precached; the entry script has the compile hint.`,
);
