import { dirname, join } from 'node:path';

/** Where the npm package vega-datasets keeps its data files (its package exports expose only its code). */
export function vegaDatasetsDir(): string {
  try {
    return join(dirname(require.resolve('vega-datasets')), '..', 'data'); // resolves to build/index.js
  } catch {
    return join(__dirname, '..', 'node_modules', 'vega-datasets', 'data');
  }
}
