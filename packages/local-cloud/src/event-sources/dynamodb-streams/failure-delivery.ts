// Where a given-up batch's description goes, and the one line that says so, for both stream sources (DynamoDB
// Streams and Kinesis). The on-failure destination, a queue or a topic, gets AWS's failure record as its message
// through the platform's deliver(), so a queue holds it and a topic's subscribers receive it, as on AWS; an S3
// bucket destination is not emulated, and the line says the description was not delivered rather than claim it was.
import type { DeliverToTarget } from '../../platform/targets';
import type { StreamFailureDestination } from './stream-mappings';

export interface StreamBatchFailure<R extends object = object> {
  functionKey: string;
  /** AWS's failure record (DDBStreamBatchInfo or KinesisBatchInfo), as the destination gets it. */
  record: R;
  /** What the records came from, for the log: a table's name or a stream's ARN. */
  source: string;
  batchSize: number;
  attempts: number;
  /** The mapping's destinations.onFailure ARN; undefined when it has none (the records are skipped). */
  destination?: string;
  /** Present when there is a destination: resolves with the message id, or rejects with why it was not sent. */
  delivery?: Promise<string>;
}

/** Sends the failure record to the destination; rejects with the reason when it cannot be delivered. */
export function deliverFailureRecord(
  destination: StreamFailureDestination,
  record: object,
  deliver: DeliverToTarget | undefined,
): Promise<string> {
  if (destination.type === 's3') {
    return Promise.reject(
      new Error('local-cloud does not emulate S3 destinations; a queue or topic destination is delivered'),
    );
  }
  if (!deliver) return Promise.reject(new Error('no service receives on-failure destinations'));
  return deliver(destination.arn, { body: JSON.stringify(record) }).then((delivered) => delivered.id);
}

/** Logs the given-up batch once its description was delivered or refused; a refusal is a warning. */
export function reportStreamFailure(failure: StreamBatchFailure, say: (line: string) => void): Promise<void> {
  const gaveUp = `${failure.functionKey} gave up on ${failure.batchSize} record(s) of ${failure.source} after ${failure.attempts} attempt(s)`;
  const { destination, delivery } = failure;
  if (destination === undefined || delivery === undefined) {
    say(`${gaveUp}; they are skipped (no destinations.onFailure)`);
    return Promise.resolve();
  }
  // A topic publishes it (to its subscribers), a queue holds it.
  const verb = destination.split(':')[2] === 'sns' ? 'published' : 'sent';
  return delivery.then(
    (messageId) => say(`${gaveUp}; ${verb} their description to ${destination} (message ${messageId})`),
    (error: Error) =>
      say(
        `warning: ${gaveUp}; their description was NOT delivered to ${destination}: ${error.message}. The records are skipped`,
      ),
  );
}
