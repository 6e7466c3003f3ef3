/** The build's compile hint for V8 (a Vite plugin, in vite.config.ts) and the string the build check looks for. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Marks the entry chunk with V8's explicit compile hint: Chromium then compiles all of it while the file
 * streams in, on a background thread, instead of compiling each function on its first call in the task
 * that mounts the app (about half of that task on a first visit). Added to the written file (minification drops
 * comments). The entry holds only what start-up runs; the other pages' chunks keep lazy compilation.
 */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

export function compileHints(): Plugin {
  return {
    name: 'digit-lens:compile-hints',
    apply: 'build',
    // On the written file: Vite still rewrites the chunks' code in generateBundle (its preload helper).
    writeBundle(options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
        const file = join(options.dir ?? 'dist', chunk.fileName);
        const code = readFileSync(file, 'utf8');
        if (!code.startsWith(COMPILE_HINT)) writeFileSync(file, `${COMPILE_HINT}\n${code}`);
      }
    },
  };
}
