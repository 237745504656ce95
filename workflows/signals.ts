import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Sent by the training workflow when it promotes a champion: scoring reloads it without a restart. */
export const reloadModelSignal = defineSignal<[{ version: string }]>('reloadModel');

/** Where a training workflow is: for the CLI, the API and the Temporal UI's query tab. */
export interface TrainingStatus {
  stage: 'starting' | 'preparing features' | 'training' | 'evaluating' | 'logging to MLflow' | 'registering' | 'promoting' | 'done' | 'failed';
  mlflowRunId?: string;
  mlflowRunUrl?: string;
  version?: string;
  accuracy?: number;
}
export const trainingStatusQuery = defineQuery<TrainingStatus>('trainingStatus');
