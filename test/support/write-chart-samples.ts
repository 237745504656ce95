/**
 * Writes the charts drawn from the realistic samples, to look at them:
 * `npx tsx test/support/write-chart-samples.ts [folder]` (default /tmp/charts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { confusionMatrixPng, featureImportancePng } from '../../models/report';
import { sampleConfusion, sampleImportances, sampleLabels } from './chart-samples';

const folder = process.argv[2] ?? '/tmp/charts';
mkdirSync(folder, { recursive: true });
const charts: [string, Buffer][] = [
  ['confusion.png', confusionMatrixPng(sampleConfusion, sampleLabels, { title: 'Confusion matrix \u2014 held-out rows, accuracy 0.529' })],
  ['importance.png', featureImportancePng(sampleImportances, { title: 'Feature importance \u2014 random forest, 9 features' })],
];
for (const [name, png] of charts) {
  writeFileSync(join(folder, name), png);
  console.log(`${join(folder, name)}: ${png.length} bytes`);
}
