import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomForestClassifier } from './index';
import { featuresPerNode, resolveForestOptions } from './options';

describe('forest options', () => {
  it("default to Spark's RandomForestClassifier parameters", () => {
    const o = new RandomForestClassifier().options;
    assert.deepEqual(
      { ...o, threads: undefined },
      {
        numTrees: 20,
        maxDepth: 5,
        maxBins: 32,
        minInstancesPerNode: 1,
        minInfoGain: 0,
        featureSubsetStrategy: 'auto',
        subsamplingRate: 1,
        bootstrap: true,
        impurity: 'gini',
        seed: 42,
        threads: undefined,
      },
    );
    assert.ok(o.threads >= 1 && o.threads <= 20);
    assert.equal(resolveForestOptions({ numTrees: 1 }).threads, 1);
  });

  const bad: [string, Record<string, unknown>][] = [
    ['numTrees', { numTrees: 0 }],
    ['maxDepth', { maxDepth: -1 }],
    ['maxBins', { maxBins: 1 }],
    ['featureSubsetStrategy', { featureSubsetStrategy: 'half' }],
    ['featureSubsetStrategy', { featureSubsetStrategy: 1.5 }],
    ['subsamplingRate', { subsamplingRate: 0 }],
    ['minInstancesPerNode', { minInstancesPerNode: 0.5 }],
    ['minInfoGain', { minInfoGain: -1 }],
    ['impurity', { impurity: 'variance' }],
    ['bootstrap', { bootstrap: 'yes' }],
    ['seed', { seed: 1.5 }],
    ['threads', { threads: 0 }],
    ['numtrees', { numtrees: 10 }],
  ];
  for (const [name, options] of bad) {
    it(`reject ${JSON.stringify(options)} with a RangeError naming ${name}`, () => {
      assert.throws(
        () => new RandomForestClassifier(options),
        (e: unknown) => e instanceof RangeError && e.message.startsWith(`options.${name}:`),
      );
    });
  }

  it('take the default for an option given as undefined', () => {
    assert.equal(new RandomForestClassifier({ numTrees: undefined }).options.numTrees, 20);
  });

  it('count features per node as Spark does', () => {
    assert.equal(featuresPerNode('auto', 9, 20), 3);
    assert.equal(featuresPerNode('auto', 9, 1), 9);
    assert.equal(featuresPerNode('sqrt', 7, 20), 3);
    assert.equal(featuresPerNode('log2', 9, 20), 4);
    assert.equal(featuresPerNode('onethird', 7, 20), 3);
    assert.equal(featuresPerNode('all', 7, 20), 7);
    assert.equal(featuresPerNode(0.5, 7, 20), 4);
    assert.equal(featuresPerNode('log2', 1, 20), 1);
  });
});
