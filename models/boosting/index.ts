export { BoostedTreesClassifier } from './boosted-trees';
export { defaultBoostedOptions, type BoostedOptions } from './options';
export type { BoostedJSON } from './serialization';
