// Where a given-up batch's description goes, and the one line that says so. An SNS topic gets it as a
// Publish through local-cloud's SNS service, so the topic's subscribers (functions) receive it as on AWS;
// SQS and S3 are not emulated, and the line says the description was not delivered rather than claim it was.
import type { StreamFailureRecord } from './failure-record';
import type { StreamFailureDestination } from './stream-mappings';

/** Publishes a message to an SNS topic (the SNS service's publish); returns the message id, throws if refused. */
export type PublishToTopic = (topicArn: string, message: string) => string;

/** What happened to the description of a batch that was given up. */
export type FailureDelivery =
  { status: 'published'; messageId: string } | { status: 'not-delivered'; reason: string };

export interface StreamBatchFailure {
  functionKey: string;
  tableName: string;
  /** The mapping's destinations.onFailure ARN; undefined when it has none (the records are skipped). */
  destination?: string;
  /** Present when there is a destination. */
  delivery?: FailureDelivery;
  record: StreamFailureRecord;
}

export function deliverFailureRecord(
  destination: StreamFailureDestination,
  record: StreamFailureRecord,
  publishToTopic: PublishToTopic | undefined,
): FailureDelivery {
  switch (destination.type) {
    case 'sns':
      if (!publishToTopic) return { status: 'not-delivered', reason: 'no SNS service is connected' };
      try {
        return { status: 'published', messageId: publishToTopic(destination.arn, JSON.stringify(record)) };
      } catch (error) {
        return { status: 'not-delivered', reason: `SNS refused the Publish: ${(error as Error).message}` };
      }
    case 'sqs':
      return {
        status: 'not-delivered',
        reason: 'local-cloud does not emulate SQS; an SNS topic destination is delivered to its subscribers',
      };
    case 's3':
      return {
        status: 'not-delivered',
        reason:
          'local-cloud does not emulate S3 destinations; an SNS topic destination is delivered to its subscribers',
      };
  }
}

/** The log line for a given-up batch; a description that did not reach its destination is a warning. */
export function describeStreamFailure(failure: StreamBatchFailure): string {
  const { record } = failure;
  const gaveUp = `${failure.functionKey} gave up on ${record.DDBStreamBatchInfo.batchSize} record(s) of ${failure.tableName} after ${record.requestContext.approximateInvokeCount} attempt(s)`;
  const { destination, delivery } = failure;
  if (destination === undefined || delivery === undefined) {
    return `${gaveUp}; they are skipped (no destinations.onFailure)`;
  }
  if (delivery.status === 'published') {
    return `${gaveUp}; published their description to ${destination} (message ${delivery.messageId})`;
  }
  return `warning: ${gaveUp}; their description was NOT delivered to ${destination}: ${delivery.reason}. The records are skipped`;
}
