export { RandomForestClassifier } from './random-forest';
export { ForestError } from './errors';
export type { FeatureSpec } from './feature-spec';
export { defaultTrainingOptions, type FeatureSubsetStrategy, type ForestOptions, type Impurity, type TrainingOptions } from './options';
export type { FitHooks, FitProgress } from './training';
export type { ForestJSON } from './serialization';
