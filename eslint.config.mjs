// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers',
  'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const serviceClients = ['kafkajs', 'mongodb', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'];

/*
 * Import directions: each folder may import only from the floors below it (README, "How it fits
 * together"). From the ground up:
 *   models/                the ML library: nothing of the services, nothing of the project above it
 *   data/                  data sets and their loaders: models/ only, no service client
 *   common/                config, names, clients, logging, the collections in MongoDB; common/prediction/
 *                          (the prediction contract) and common/contracts/ (the workflows' contracts)
 *   workflows/, activities/  the two sides of Temporal: activities never import a workflow, workflows
 *                          import activities as types only
 *   workers/, api/, cli/   processes: what they run, serve or are typed
 *   infra/                 the local stack: common/ only, and the service clients in its probes (infra/probes.ts) only
 * Tests and benchmarks may import anything.
 */
const folders = ['models', 'data', 'common', 'workflows', 'activities', 'workers', 'api', 'cli', 'infra', 'test', 'bench'];
const folderPattern = (folder) => [`**/${folder}`, `**/${folder}/**`];
/** No import from the named folders (relative paths into them), saying where the file may import from. */
const noImportsFrom = (room, banned, { allowTypeImports = [] } = {}) =>
  banned.map((folder) => ({
    group: folderPattern(folder),
    ...(allowTypeImports.includes(folder) ? { allowTypeImports: true } : {}),
    message: `${room} may not import from ${folder}/ (an upward or sideways import; see "How it fits together" in the README): ` +
      'move the shared definition down, into common/ (common/contracts/ for a workflow\'s messages), models/ or data/.',
  }));
const restrictImports = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });
const ignoreTests = ['**/*.test.ts'];
const clientsNamed = (names, room, allowTypeImports) =>
  names.map((name) => ({ name, ...(allowTypeImports ? { allowTypeImports: true } : {}), message: `${room} imports no service client: take it as a parameter (types only).` }));
const deterministic = (message) => [...nodeBuiltins, ...nodeBuiltins.map((m) => `node:${m}`)].map((name) => ({ name, message }));
const deterministicMessage = 'workflows/ must stay deterministic: do I/O in an activity (activities/) and call it through proxyActivities.';
const contractMessage = 'common/contracts/ is bundled into the workflows: it must stay deterministic (no Node built-ins, no I/O).';

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
    // The dashboard's live-accuracy card, loaded after dashboard.js: the helpers that file defines.
    files: ['api/web/live-accuracy.js'],
    languageOptions: { globals: Object.fromEntries(['$', 'el', 'isNum', 'fmtInt', 'fmtPct'].map((g) => [g, 'readonly'])) },
  },
  // --- import directions (the rules below replace one another per file: the most specific comes last) ---
  {
    files: ['models/**/*.ts'],
    ignores: ignoreTests,
    rules: restrictImports(
      clientsNamed([...serviceClients, '@temporalio/workflow', '@temporalio/common'], 'models/', false),
      noImportsFrom('models/', folders.filter((f) => f !== 'models')),
    ),
  },
  {
    files: ['data/**/*.ts'],
    ignores: ignoreTests,
    rules: restrictImports(
      clientsNamed(serviceClients, 'data/', false),
      noImportsFrom('data/', ['common', 'workflows', 'activities', 'workers', 'api', 'cli', 'infra', 'test', 'bench']),
    ),
  },
  {
    files: ['common/**/*.ts'],
    ignores: ignoreTests,
    rules: restrictImports([], noImportsFrom('common/', ['workflows', 'activities', 'workers', 'api', 'cli', 'infra', 'test', 'bench'])),
  },
  {
    // The prediction contract: used alike by the stream, the batch, the archiving and the API.
    files: ['common/prediction/**/*.ts'],
    ignores: ignoreTests,
    rules: restrictImports(clientsNamed(serviceClients, 'common/prediction/', true), [
      ...noImportsFrom('common/prediction/', ['workflows', 'activities', 'workers', 'api', 'cli', 'infra', 'test', 'bench', 'clients']),
    ]),
  },
  {
    // The workflows' contracts are bundled with the workflows: deterministic, clients as types only.
    files: ['common/contracts/**/*.ts'],
    ignores: ignoreTests,
    rules: restrictImports(
      [...deterministic(contractMessage), ...clientsNamed(serviceClients, 'common/contracts/', true)],
      noImportsFrom('common/contracts/', ['workflows', 'activities', 'workers', 'api', 'cli', 'infra', 'test', 'bench', 'data', 'clients']),
    ),
  },
  {
    files: ['activities/**/*.ts'],
    ignores: ignoreTests,
    rules: restrictImports([], noImportsFrom('activities/', ['workflows', 'workers', 'api', 'cli', 'infra', 'test', 'bench'])),
  },
  {
    // Workers name the workflows by path (require.resolve) for Temporal's bundler, never by import.
    files: ['workers/**/*.ts', 'api/**/*.ts', 'cli/**/*.ts'],
    ignores: ignoreTests,
    rules: restrictImports([], noImportsFrom('workers/, api/ and cli/', ['workflows', 'test', 'bench'])),
  },
  {
    files: ['infra/**/*.ts'],
    ignores: ignoreTests,
    rules: restrictImports([], noImportsFrom('infra/', ['models', 'data', 'workflows', 'activities', 'workers', 'api', 'cli', 'test', 'bench', 'common/prediction', 'common/contracts'])),
  },
  {
    // The stack reaches the services through its probes, which use the project's clients; nothing else in it does.
    files: ['infra/**/*.ts'],
    ignores: [...ignoreTests, 'infra/probes.ts'],
    rules: restrictImports(
      serviceClients.map((name) => ({ name, message: 'infra/ uses the service clients only in its probes (infra/probes.ts).' })),
      [
        ...noImportsFrom('infra/', ['models', 'data', 'workflows', 'activities', 'workers', 'api', 'cli', 'test', 'bench', 'common/prediction', 'common/contracts']),
        { group: folderPattern('common/clients'), message: 'infra/ uses the service clients only in its probes (infra/probes.ts).' },
      ],
    ),
  },
  {
    // Workflow code is replayed by Temporal and must stay deterministic: no I/O, no Node built-ins, no clients.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: restrictImports(
      [...deterministic(deterministicMessage), ...serviceClients.map((name) => ({ name, message: deterministicMessage }))],
      [
        {
          group: [...folderPattern('activities'), ...folderPattern('common/clients')],
          allowTypeImports: true,
          message: 'workflows/ may import activities as types only (import type ...).',
        },
        ...noImportsFrom('workflows/', ['data', 'workers', 'api', 'cli', 'infra', 'test', 'bench']),
      ],
    ),
  },
);
