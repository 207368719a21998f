// An Images table stream record, as the change it makes to the search index. Images arrive in DynamoDB JSON
// ({ "S": "..." }); only the string attributes the index needs are read.
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { ImageDocument, IndexChange } from '../ports/search-index';

/** A record that can never be indexed, however often it is retried: a poison record. */
export class UnindexableRecordError extends Error {
  constructor(
    message: string,
    /** The image it is about, when the record says. */
    readonly imageId?: string,
  ) {
    super(message);
    this.name = 'UnindexableRecordError';
  }
}

export function toIndexChange(record: DynamoDBRecord): IndexChange {
  const { NewImage, OldImage } = record.dynamodb ?? {};
  if (record.eventName === 'REMOVE') {
    const imageId = OldImage?.imageId?.S;
    if (!imageId) throw new UnindexableRecordError('a REMOVE record without OldImage.imageId');
    return { type: 'remove', imageId };
  }
  const imageId = NewImage?.imageId?.S;
  if (!NewImage || !imageId) {
    throw new UnindexableRecordError(`an ${record.eventName ?? 'unnamed'} record without NewImage.imageId`);
  }
  return {
    type: 'upsert',
    document: {
      imageId,
      groupId: requiredString(NewImage, 'groupId', imageId),
      title: requiredString(NewImage, 'title', imageId),
      timestamp: requiredString(NewImage, 'timestamp', imageId),
    } satisfies ImageDocument,
  };
}

function requiredString(image: Record<string, AttributeValue>, name: string, imageId: string): string {
  const value = image[name]?.S;
  if (value === undefined) {
    throw new UnindexableRecordError(`image ${imageId} has no string attribute ${name}`, imageId);
  }
  return value;
}

export function imageIdOf(change: IndexChange): string {
  return change.type === 'upsert' ? change.document.imageId : change.imageId;
}
