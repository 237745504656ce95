import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../common/config';

/** The project's ESLint config, with the virtual probe files admitted to typed linting. */
const probeFiles = ['workflows/lint-probe.ts', 'activities/lint-probe.ts'];
const projectEslint = (): ESLint =>
  new ESLint({
    cwd: repoRoot,
    overrideConfig: { languageOptions: { parserOptions: { projectService: { allowDefaultProject: probeFiles } } } },
  });

/** Lints `code` as if it were a file in workflows/ and returns the ids of the rules it broke. */
async function ruleIdsFor(code: string, file = 'workflows/lint-probe.ts'): Promise<string[]> {
  const eslint = projectEslint();
  const [result] = await eslint.lintText(code, { filePath: file });
  assert.ok(result, 'ESLint returned no result');
  return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('ESLint keeps workflows/ deterministic', () => {
  for (const mod of ['node:fs', 'fs', 'http', 'node:crypto', 'child_process', 'kafkajs', 'mongodb', '@temporalio/client']) {
    it(`rejects an import of ${mod}`, async () => {
      const ids = await ruleIdsFor(`import * as m from '${mod}';\nexport const x = typeof m;\n`);
      assert.ok(ids.includes('no-restricted-imports'), `expected no-restricted-imports, got ${JSON.stringify(ids)}`);
    });
  }

  it('rejects a value import of activities but allows a type-only one', async () => {
    const value = await ruleIdsFor(`import { createActivities } from '../activities/training';\nexport const x = createActivities;\n`);
    assert.ok(value.includes('no-restricted-imports'), JSON.stringify(value));
    const typeOnly = await ruleIdsFor(`import type { createActivities } from '../activities/training';\nexport type X = typeof createActivities;\n`);
    assert.ok(!typeOnly.includes('no-restricted-imports'), JSON.stringify(typeOnly));
  });

  it('rejects a value import from deep inside activities/', async () => {
    const ids = await ruleIdsFor(`import { nonRetryableTypes } from '../activities/training/failures';\nexport const x = nonRetryableTypes;\n`);
    assert.ok(ids.includes('no-restricted-imports'), JSON.stringify(ids));
  });

  it('leaves activities/ free to do I/O', async () => {
    const ids = await ruleIdsFor(`import { readFileSync } from 'node:fs';\nexport const read = (p: string): string => readFileSync(p, 'utf8');\n`, 'activities/lint-probe.ts');
    assert.deepEqual(ids.filter((id) => id === 'no-restricted-imports'), []);
  });

  it('allows @temporalio/workflow', async () => {
    const ids = await ruleIdsFor(`import { sleep } from '@temporalio/workflow';\nexport async function w(): Promise<void> { await sleep(1); }\n`);
    assert.deepEqual(ids.filter((id) => id === 'no-restricted-imports'), []);
  });

  it('reports a floating promise as an error anywhere in the project', async () => {
    const eslint = projectEslint();
    const [result] = await eslint.lintText(`export async function f(): Promise<void> {}\nexport function g(): void { f(); }\n`, {
      filePath: 'activities/lint-probe.ts',
    });
    const floating = result?.messages.find((m) => m.ruleId === '@typescript-eslint/no-floating-promises');
    assert.ok(floating, JSON.stringify(result?.messages));
    assert.equal(floating.severity, 2);
  });
});
