/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ISOLATION_HEADERS } from './src/lib/pwa/isolation.ts';
import { PRECACHE_GLOBS, PRECACHE_MAX_BYTES } from './src/lib/pwa/precache.ts';
import { SHARE_TARGET } from './src/lib/pwa/share-target.ts';
import { compileHints } from './scripts/compile-hints.ts';

/** Base path the app is served under, e.g. "/digit-lens/" on GitHub Pages; "/" by default. */
const BASE = process.env.BASE_PATH ?? '/';

/** The committed model files that the app serves under `<base>model/`. */
const MODEL_DIR = 'model';
const MODEL_FILES = readdirSync(MODEL_DIR).filter((f) => f.endsWith('.json') || f.endsWith('.bin'));
const MODEL_META = JSON.parse(
  readFileSync(join(MODEL_DIR, 'model.json'), 'utf8'),
).userDefinedMetadata;
const PACKAGE = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * The Content-Security-Policy, as a meta tag because GitHub Pages sends no headers. Nothing may load or connect
 * outside the app's origin. 'wasm-unsafe-eval' lets WebAssembly compile; the WASM backend's threads are
 * workers made from blob: URLs (created by the app's own code) that import a blob: script, hence blob: in
 * worker-src and script-src. Added to the build only: the dev server needs inline scripts and a websocket for hot reload.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'digit-lens:csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/** Serves model/ in dev and emits it into the build as `model/*`, unhashed (model.json names its shards). */
function modelFiles(): Plugin {
  return {
    name: 'digit-lens:model-files',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /\/model\/([\w.-]+)$/.exec(req.url?.split('?')[0] ?? '');
        if (!match || !MODEL_FILES.includes(match[1])) return next();
        res.setHeader(
          'Content-Type',
          match[1].endsWith('.json') ? 'application/json' : 'application/octet-stream',
        );
        res.end(readFileSync(join(MODEL_DIR, match[1])));
      });
    },
    generateBundle() {
      for (const file of MODEL_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `model/${file}`,
          source: readFileSync(join(MODEL_DIR, file)),
        });
      }
    },
  };
}

export default defineConfig({
  base: BASE,
  define: {
    __MODEL_SHA256__: JSON.stringify(MODEL_META.weightsSha256),
    __MODEL_BYTES__: JSON.stringify(MODEL_META.weightBytes),
    __BUILD_ID__: JSON.stringify(process.env.BUILD_ID ?? new Date().toISOString()),
    __APP_VERSION__: JSON.stringify(PACKAGE.version),
  },
  plugins: [
    svelte(),
    modelFiles(),
    contentSecurityPolicy(),
    compileHints(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: [],
      includeManifestIcons: false,
      manifest: {
        name: 'Digit Lens — on-device digit recognition',
        short_name: 'Digit Lens',
        description:
          "Recognize hand-drawn digits with a CNN that runs entirely in your browser, and benchmark your device's ML backends. Works offline; nothing you draw leaves the device.",
        theme_color: '#2457d6',
        background_color: '#f7f7f5',
        display: 'standalone',
        start_url: '.',
        scope: '.',
        id: '.',
        share_target: {
          ...SHARE_TARGET,
          params: {
            files: SHARE_TARGET.params.files.map((f) => ({ ...f, accept: [...f.accept] })),
          },
        },
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: 'icons/maskable-192.png',
            sizes: '192x192',
            type: 'image/png',
            purpose: 'maskable',
          },
          {
            src: 'icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      injectManifest: {
        // A classic script: the "es" build passes Rollup's deprecated inlineDynamicImports (a build warning),
        // and the worker imports nothing at run time anyway.
        rollupFormat: 'iife',
        globPatterns: PRECACHE_GLOBS,
        // The plugin lists the manifest itself; matched by the globs too, it was listed twice (42 entries, 41 files).
        globIgnores: ['manifest.webmanifest'],
        maximumFileSizeToCacheInBytes: PRECACHE_MAX_BYTES,
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // tfjs-backend-wasm's threaded worker breaks if `typeof x == "undefined"` is rewritten (tfjs README).
    minify: 'terser',
    // Every browser that runs the app preloads modules itself.
    modulePreload: { polyfill: false },
    terserOptions: { compress: { typeofs: false } },
    // Terser on tfjs takes seconds, more on a busy machine; Rolldown's "plugins took significant time"
    // warning says only that, and would make every such build look broken.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  // The measuring worker imports backends lazily, which needs module workers.
  worker: { format: 'es', rolldownOptions: { checks: { bundlerTimings: false } } },
  server: { headers: ISOLATION_HEADERS },
  preview: { port: 4173, strictPort: true, headers: ISOLATION_HEADERS },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    expect: { requireAssertions: true },
  },
});
