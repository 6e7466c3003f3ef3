// ESLint flat config in the shape `npx sv add eslint` generates for a Svelte + TypeScript project.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import ts from 'typescript-eslint';

/**
 * Forbids files matching `files` to import what `patterns` match. A later entry replaces an earlier one's
 * options for the files both match, so each layer lists every rule that applies to it.
 */
function layer(files, patterns) {
  return [{ files: [files], rules: { 'no-restricted-imports': ['error', { patterns }] } }];
}
/** Imports point one way: pages → components → state → lib/{ml, bench, storage, pwa}. */
const SRC = [
  { group: ['**/scripts/**', '**/tests/**'], message: 'src never imports scripts or tests' },
];
const LIB = [
  ...SRC,
  {
    group: ['**/state/*', '**/components/*', '**/pages/*', '**/*.svelte'],
    message: 'lib knows no UI',
  },
];

export default defineConfig(
  {
    ignores: [
      'dist/',
      'dist-*/',
      'node_modules/',
      'reports/',
      'test-results/',
      'playwright-report/',
      '.gpu-*/',
      '.gl/',
    ],
  },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs['flat/recommended'],
  prettier,
  svelte.configs['flat/prettier'],
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // TypeScript checks undefined names itself (typescript-eslint recommends turning this off);
      // the build-time constants are declared in src/globals.d.ts.
      'no-undef': 'off',
    },
  },
  ...layer('src/**', SRC),
  ...layer('src/lib/**', LIB),
  ...layer('src/lib/ml/**', [
    ...LIB,
    { group: ['**/bench/*'], message: 'ML code never imports the benchmark' },
  ]),
  ...layer('src/lib/vision/**', [
    ...LIB,
    {
      group: ['**/bench/*', '**/storage/*', '**/pwa/*', '**/camera/*'],
      message: 'vision reads pixels and calls the model it is given',
    },
  ]),
  ...layer('src/lib/storage/**', [
    ...LIB,
    { group: ['**/ml/*', '**/bench/*', '**/pwa/*'], message: 'storage stores what it is given' },
  ]),
  ...layer('src/components/**', [
    ...SRC,
    { group: ['**/pages/*'], message: 'components never import pages' },
  ]),
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        parser: ts.parser,
        extraFileExtensions: ['.svelte'],
      },
    },
  },
);
