/** Chart renderers for training reports: PNG bytes drawn with an embedded bitmap font, no native code. */
export { confusionMatrixPng, confusionMatrixLayout, shareColor, type ConfusionLayout } from './confusion-matrix';
export { featureImportancePng, type FeatureImportance } from './feature-importance';
export { Raster, measureText, wrapText, type Rgb, type TextOptions, type TextSize } from './raster';
export { reliabilityPng, reliabilityLayout, type ReliabilityLayout } from './reliability';
