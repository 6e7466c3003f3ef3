/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The committed model files that the app serves under `<base>model/`. */
const MODEL_DIR = 'model';
const MODEL_FILES = readdirSync(MODEL_DIR).filter((f) => f.endsWith('.json') || f.endsWith('.bin'));

/** Serves model/ in dev and emits it into the build as `model/*`, unhashed (model.json names its shards). */
function modelFiles(): Plugin {
  return {
    name: 'digit-lens:model-files',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /\/model\/([\w.-]+)$/.exec(req.url?.split('?')[0] ?? '');
        if (!match || !MODEL_FILES.includes(match[1])) return next();
        res.setHeader('Content-Type', match[1].endsWith('.json') ? 'application/json' : 'application/octet-stream');
        res.end(readFileSync(join(MODEL_DIR, match[1])));
      });
    },
    generateBundle() {
      for (const file of MODEL_FILES) {
        this.emitFile({ type: 'asset', fileName: `model/${file}`, source: readFileSync(join(MODEL_DIR, file)) });
      }
    },
  };
}

export default defineConfig({
  base: process.env.BASE_PATH ?? '/',
  plugins: [svelte(), modelFiles()],
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    expect: { requireAssertions: true },
  },
});
