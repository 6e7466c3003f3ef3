/**
 * What the service worker precaches: every build file of these types, up to a size limit. One home for the
 * build (vite.config.ts) and the scripts that check the build (scripts/build-files.ts).
 */

/** File types the service worker precaches. */
export const PRECACHE_EXTENSIONS = [
  'js',
  'css',
  'html',
  'svg',
  'png',
  'ico',
  'webmanifest',
  'json',
  'bin',
  'wasm',
];

/** The same, as Workbox globs. */
export const PRECACHE_GLOBS = [`**/*.{${PRECACHE_EXTENSIONS.join(',')}}`];

/** The same, as a test on a file's path. */
export const PRECACHED = new RegExp(`\\.(${PRECACHE_EXTENSIONS.join('|')})$`);

/** Largest file the service worker precaches; a larger one fails the build (scripts/check-build.ts). */
export const PRECACHE_MAX_BYTES = 4 * 1024 * 1024;
