import type { DynamoDBRecord } from 'aws-lambda';
import type { IndexChange } from '../ports/search-index';
import { imageIdOf, toIndexChange, UnindexableRecordError } from './image-record';

export interface IndexPlan {
  /** What to apply to the index, in stream order. */
  changes: IndexChange[];
  /** Sequence numbers to report as batchItemFailures, in stream order. */
  failedSequenceNumbers: string[];
  /** One line per failed record, for the logs. */
  problems: string[];
}

/**
 * Splits a stream batch into the changes to apply and the records to report as failed. A record that cannot
 * be indexed fails alone; the rest of the batch still reaches the index. A later record about an image whose
 * earlier record failed is held back too (reported failed), so that one image's changes are never applied out
 * of order. Anything other than an unindexable record is a real error and fails the whole invocation.
 */
export function planIndexChanges(records: readonly DynamoDBRecord[]): IndexPlan {
  // BEGIN SOLUTION stream-failures
  // TODO(stream-failures): turn each record into a change; report unindexable ones (and later records of the same image) as failed.
  const plan: IndexPlan = { changes: [], failedSequenceNumbers: [], problems: [] };
  const heldBack = new Set<string>();
  for (const record of records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    let change: IndexChange;
    try {
      change = toIndexChange(record);
    } catch (error) {
      if (!(error instanceof UnindexableRecordError)) throw error;
      if (error.imageId !== undefined) heldBack.add(error.imageId);
      plan.failedSequenceNumbers.push(sequenceNumber);
      plan.problems.push(`record ${sequenceNumber}: ${error.message}`);
      continue;
    }
    if (heldBack.has(imageIdOf(change))) {
      plan.failedSequenceNumbers.push(sequenceNumber);
      plan.problems.push(`record ${sequenceNumber}: held back behind an earlier failed record of its image`);
      continue;
    }
    plan.changes.push(change);
  }
  return plan;
  // END SOLUTION
}
