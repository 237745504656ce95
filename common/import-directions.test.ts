import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from './config';

/**
 * The lint holds the import directions of the README's "How it fits together": each case lints a
 * virtual file in a folder and says whether its import is refused.
 */
const cases: { file: string; code: string; refused: boolean }[] = [
  { file: 'activities/lint-probe.ts', code: `import { streamFlightDelayPredictions } from '../workflows/streaming';\nexport const w = streamFlightDelayPredictions;\n`, refused: true },
  { file: 'activities/lint-probe.ts', code: `import type { StreamState } from '../workflows/streaming';\nexport type S = StreamState;\n`, refused: true },
  { file: 'activities/lint-probe.ts', code: `import { streamControlQuery } from '../common/contracts/streaming';\nexport const q = streamControlQuery;\n`, refused: false },
  { file: 'common/lint-probe.ts', code: `import { trainFlightDelayModel } from '../workflows/training';\nexport const w = trainFlightDelayModel;\n`, refused: true },
  { file: 'common/lint-probe.ts', code: `import { createBatchActivities } from '../activities/batch';\nexport const a = createBatchActivities;\n`, refused: true },
  { file: 'data/lint-probe.ts', code: `import { batchWorkflowId } from '../workflows/batch';\nexport const b = batchWorkflowId;\n`, refused: true },
  { file: 'data/lint-probe.ts', code: `import { parseRequest } from '../common/prediction/request';\nexport const p = parseRequest;\n`, refused: true },
  { file: 'data/lint-probe.ts', code: `import { mongoNames } from '../common/names';\nexport const n = mongoNames;\n`, refused: true },
  { file: 'data/lint-probe.ts', code: `import { loadFlights } from './load-flights';\nexport const l = loadFlights;\n`, refused: false },
  { file: 'models/lint-probe.ts', code: `import { mongoNames } from '../common/names';\nexport const n = mongoNames;\n`, refused: true },
  { file: 'models/lint-probe.ts', code: `import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n`, refused: true },
  { file: 'models/lint-probe.ts', code: `import { FeaturePipeline } from './features/pipeline';\nexport const f = FeaturePipeline;\n`, refused: false },
  { file: 'common/prediction/lint-probe.ts', code: `import { MongoClient } from 'mongodb';\nexport const m = MongoClient;\n`, refused: true },
  { file: 'common/prediction/lint-probe.ts', code: `import type { Db } from 'mongodb';\nexport type D = Db;\n`, refused: false },
  { file: 'common/prediction/lint-probe.ts', code: `import { createKafka } from '../clients/kafka';\nexport const k = createKafka;\n`, refused: true },
  { file: 'common/contracts/lint-probe.ts', code: `import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n`, refused: true },
  { file: 'common/contracts/lint-probe.ts', code: `import type { Client } from '@temporalio/client';\nexport type C = Client;\n`, refused: false },
  { file: 'api/lint-probe.ts', code: `import { batchStatusQuery } from '../workflows/batch';\nexport const q = batchStatusQuery;\n`, refused: true },
  { file: 'cli/lint-probe.ts', code: `import { trainFlightDelayModel } from '../workflows/training';\nexport const w = trainFlightDelayModel;\n`, refused: true },
  { file: 'workers/lint-probe.ts', code: `import { startTraining } from '../common/contracts/training';\nexport const s = startTraining;\n`, refused: false },
  { file: 'infra/lint-probe.ts', code: `import { createTrainingActivities } from '../activities/training';\nexport const a = createTrainingActivities;\n`, refused: true },
  { file: 'infra/lint-probe.ts', code: `import { createKafka } from '../common/clients/kafka';\nexport const k = createKafka;\n`, refused: true },
  { file: 'infra/lint-probe.ts', code: `import { MongoClient } from 'mongodb';\nexport const m = MongoClient;\n`, refused: true },
  { file: 'infra/lint-probe.ts', code: `import { createLogger } from '../common/logger';\nexport const l = createLogger;\n`, refused: false },
];

const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: [...new Set(cases.map((c) => c.file))], maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 20 },
      },
    },
  },
});

describe('ESLint keeps the import directions', () => {
  for (const { file, code, refused } of cases) {
    const source = /from '([^']+)'/.exec(code)?.[1];
    it(`${refused ? 'refuses' : 'allows'} ${code.startsWith('import type') ? 'a type import of' : 'an import of'} ${source} in ${file.replace('/lint-probe.ts', '/')}`, async () => {
      const [result] = await eslint.lintText(code, { filePath: file });
      assert.ok(result, 'ESLint returned no result');
      const restricted = result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
      const fatal = result.messages.filter((m) => m.fatal);
      assert.deepEqual(fatal, [], 'the probe must parse');
      assert.equal(restricted.length > 0, refused, JSON.stringify(result.messages.map((m) => m.message)));
    });
  }
});
