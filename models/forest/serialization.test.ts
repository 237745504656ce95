import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomForestClassifier } from './index';
import { fitForest } from '../../test/support/forest-fit';
import { splitRows, syntheticSet } from '../../test/support/forest-data';

const [train, test] = splitRows(syntheticSet({ rows: 2000, arities: [12, 300], seed: 5 }), 1500);
const trained = fitForest(train, { numTrees: 8 });

/** A saved forest as a plain object, after a trip through JSON text (as it is stored). */
async function saved(): Promise<Record<string, unknown>> {
  return JSON.parse(JSON.stringify(await trained)) as Record<string, unknown>;
}

describe('forest save and load', () => {
  it('loads a saved forest that predicts exactly as the original', async () => {
    const forest = await trained;
    const loaded = RandomForestClassifier.load(await saved());
    assert.deepEqual(loaded.predictProba(test.X), forest.predictProba(test.X));
    assert.deepEqual(loaded.predict(test.X), forest.predict(test.X));
    const d = test.features.length;
    for (let i = 0; i < 20; i++) {
      const row = test.X.subarray(i * d, (i + 1) * d);
      assert.equal(loaded.predictOne(Array.from(row)), forest.predict(test.X)[i]);
      assert.deepEqual(loaded.predictProbaOne(row), forest.predictProba(test.X).subarray(i * 4, i * 4 + 4));
    }
    assert.deepEqual(loaded.featureImportances(), forest.featureImportances());
    assert.deepEqual(loaded.toJSON(), forest.toJSON());
    assert.equal(loaded.options.seed, forest.options.seed);
  });

  it('saves compactly: metadata as JSON, the trees as base64 typed arrays', async () => {
    const json = (await trained).toJSON();
    assert.equal(json.type, 'RandomForestClassifier');
    assert.equal(json.version, 1);
    for (const value of Object.values(json.trees)) assert.match(value, /^[A-Za-z0-9+/]*={0,2}$/);
  });

  it('rejects a wrong type or version with a RangeError naming the value', async () => {
    const json = await saved();
    assert.throws(() => RandomForestClassifier.load({ ...json, type: 'DecisionTree' }), (e: unknown) => e instanceof RangeError && /json\.type.*"DecisionTree"/.test(e.message));
    assert.throws(() => RandomForestClassifier.load({ ...json, version: 2 }), (e: unknown) => e instanceof RangeError && /json\.version.*got 2/.test(e.message));
    assert.throws(() => RandomForestClassifier.load(null), RangeError);
  });

  it('rejects a damaged structure before it can be scored', async () => {
    const json = await saved();
    const trees = json.trees as Record<string, string>;
    const damaged = (name: string, value: string): unknown => ({ ...json, trees: { ...trees, [name]: value } });
    // A child pointing back at the root would loop forever.
    const left = Buffer.from(trees.left!, 'base64');
    left.writeInt32LE(0, 0);
    assert.throws(() => RandomForestClassifier.load(damaged('left', left.toString('base64'))), /child 0 is not after the node/);
    assert.throws(() => RandomForestClassifier.load(damaged('threshold', 'not base64!')), /json\.trees\.threshold/);
    const offset = Buffer.from(trees.offset!, 'base64');
    offset.writeInt32LE(1 << 30, 4 * (offset.length / 4 - 1));
    assert.throws(() => RandomForestClassifier.load(damaged('offset', offset.toString('base64'))), /leaf offset 1073741824 is outside leafValues/);
    assert.throws(() => RandomForestClassifier.load(damaged('roots', Buffer.alloc(4).toString('base64'))), /json\.trees\.roots/);
    assert.throws(() => RandomForestClassifier.load({ ...json, importances: [1] }), /json\.importances/);
    assert.throws(() => RandomForestClassifier.load({ ...json, options: { ...(json.options as object), maxDepth: -1 } }), /options\.maxDepth/);
  });

  it('refuses to predict or save before training', () => {
    const forest = new RandomForestClassifier();
    assert.throws(() => forest.predict(new Float64Array(0)), /not trained/);
    assert.throws(() => forest.toJSON(), /not trained/);
  });
});
