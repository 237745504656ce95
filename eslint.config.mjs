// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers',
  'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const serviceClients = ['kafkajs', 'mongodb', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.stack/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        // node:test's describe/it return promises the runner itself awaits.
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // Integration tests read JSON answers (supertest's body is any) field by field.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The pages' browser scripts: plain JavaScript, no type information.
    files: ['api/web/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      sourceType: 'script',
      globals: Object.fromEntries(
        ['window', 'document', 'io', 'fetch', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance',
          'URLSearchParams', 'URL', 'navigator', 'requestAnimationFrame', 'location', 'Image', 'Intl', 'Node', 'CSS',
          // defined by api/web/common.js for the page scripts loaded after it
          'CLASS_LABELS', 'loadLinks'].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    // Workflow code is replayed by Temporal and must stay deterministic: no I/O, no Node built-ins, no clients.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...nodeBuiltins, ...nodeBuiltins.map((m) => `node:${m}`), ...serviceClients].map((name) => ({
          name,
          message: 'workflows/ must stay deterministic: do I/O in an activity (activities/) and call it through proxyActivities.',
        })),
        patterns: [{
          group: ['**/activities', '**/activities/**', '**/common/clients', '**/common/clients/**'],
          allowTypeImports: true,
          message: 'workflows/ may import activities as types only (import type ...).',
        }],
      }],
    },
  },
);
