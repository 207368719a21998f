// The images table's stream keeps the search index current: inserts and updates are (re)indexed, removals
// dropped. With ReportBatchItemFailures, only the records from the first that failed are retried.
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { IndexChange } from '../core/model';
import { indexChanges } from '../core/search-indexing';
import { searchIndex } from './search-dependencies';
import { flushingTraces } from '../adapters/aws-clients';

async function handle(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const changes = event.Records.flatMap((record) => {
    const change = changeOf(record);
    if (!change)
      console.warn(`Skipping stream record ${record.eventID ?? '?'}: it does not describe an image`);
    return change ? [change] : [];
  });
  const failed = await indexChanges(searchIndex(), changes);
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

function changeOf(record: DynamoDBRecord): IndexChange | undefined {
  const id = record.dynamodb?.SequenceNumber;
  if (id === undefined) return undefined;
  if (record.eventName === 'REMOVE') {
    const imageId = stringOf(record.dynamodb?.Keys?.imageId);
    return imageId === undefined ? undefined : { id, kind: 'remove', imageId };
  }
  const image = record.dynamodb?.NewImage;
  const imageId = stringOf(image?.imageId);
  const groupId = stringOf(image?.groupId);
  const title = stringOf(image?.title);
  if (imageId === undefined || groupId === undefined || title === undefined) return undefined;
  return { id, kind: 'upsert', document: { imageId, groupId, title } };
}

/** The three attributes the index needs are strings: reading `S` is all the unmarshalling they need. */
function stringOf(value: AttributeValue | undefined): string | undefined {
  return typeof value?.S === 'string' ? value.S : undefined;
}

export const handler = flushingTraces(handle);
