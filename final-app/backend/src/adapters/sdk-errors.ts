// SDK failures the API answers itself: a condition that failed is part of the use case (the repositories
// say so), throttling that outlasted the SDK's retries is a 503 the client may retry.
import { ServiceUnavailableError } from '../core/errors';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'SlowDown',
  'TooManyRequestsException',
]);

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Rethrows throttling as ServiceUnavailableError; anything else unchanged. */
export function translateSdkError(error: unknown): never {
  if (error instanceof Error && THROTTLING.has(error.name)) {
    throw new ServiceUnavailableError('The service is busy right now. Retry in a few seconds');
  }
  throw error;
}
