import { ApplicationFailure } from '@temporalio/activity';

/** Error types that a retry cannot fix: the workflow fails at once with the message. */
export const nonRetryableTypes = {
  datasetNotFound: 'DatasetNotFound',
  invalidInput: 'InvalidTrainingInput',
} as const;

export function nonRetryable(type: string, message: string, cause?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, cause: cause instanceof Error ? cause : undefined });
}
