// ESLint flat config in the shape `npx sv add eslint` generates for a Svelte + TypeScript project.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import ts from 'typescript-eslint';

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
