import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomForestClassifier } from './index';
import { fitForest } from '../../test/support/forest-fit';
import { splitRows, syntheticSet } from '../../test/support/forest-data';

const [train, test] = splitRows(syntheticSet({ rows: 3000, arities: [12, 80], seed: 11 }), 2500);

describe('forest reproducibility', () => {
  it('gives the same forest and predictions for the same seed', async () => {
    const a = await fitForest(train, { seed: 7 });
    const b = await fitForest(train, { seed: 7 });
    assert.deepEqual(a.toJSON(), b.toJSON());
    assert.deepEqual(a.predictProba(test.X), b.predictProba(test.X));
  });

  it('gives a different forest for a different seed', async () => {
    const a = await fitForest(train, { seed: 7 });
    const b = await fitForest(train, { seed: 8 });
    assert.notDeepEqual(a.toJSON().trees, b.toJSON().trees);
    assert.notDeepEqual(a.predictProba(test.X), b.predictProba(test.X));
  });

  it('gives the same forest on 1 and 2 threads (workers share the binned data)', async () => {
    const one = await fitForest(train, { threads: 1, numTrees: 6 });
    const progress: number[] = [];
    const two = await new RandomForestClassifier({ threads: 2, numTrees: 6 }).fit(train.X, train.y, train.features, train.numClasses, {
      onProgress: (p) => progress.push(p.treesDone * 100 + p.numTrees),
    });
    assert.deepEqual(one.toJSON(), two.toJSON());
    assert.deepEqual(one.predict(test.X), two.predict(test.X));
    assert.deepEqual(progress, [106, 206, 306, 406, 506, 606]);
  });

  it('reports progress after each tree and stops when aborted', async () => {
    const seen: string[] = [];
    const forest = new RandomForestClassifier({ threads: 1, numTrees: 3 });
    await forest.fit(train.X, train.y, train.features, train.numClasses, { onProgress: (p) => seen.push(`${p.treesDone}/${p.numTrees}`) });
    assert.deepEqual(seen, ['1/3', '2/3', '3/3']);
    for (const threads of [1, 2]) {
      const controller = new AbortController();
      const aborting = new RandomForestClassifier({ threads, numTrees: 50 }).fit(train.X, train.y, train.features, train.numClasses, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.treesDone === 2) controller.abort(new Error('cancelled by test'));
        },
      });
      await assert.rejects(aborting, /cancelled by test/);
    }
  });
});
