import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { searchIndexFromEnvironment } from '../adapters/search-index-from-environment';
import { planIndexChanges } from '../core/plan-index-changes';
import type { SearchIndex } from '../ports/search-index';

let index: SearchIndex | undefined;

/**
 * The Images table's stream: applies the batch's changes to the index in one write, and reports the records
 * it could not index, so that Lambda retries only from the first of them. An error while writing the index
 * fails the whole batch.
 */
export async function indexImages(
  search: SearchIndex,
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const plan = planIndexChanges(event.Records);
  await search.apply(plan.changes);
  for (const problem of plan.problems) console.warn(problem);
  return { batchItemFailures: plan.failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) };
}

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  index ??= searchIndexFromEnvironment();
  return indexImages(index, event);
}
