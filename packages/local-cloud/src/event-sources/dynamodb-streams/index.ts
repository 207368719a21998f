export {
  createDynamoDbStreamsPoller,
  DEFAULT_POLL_INTERVAL_MS,
  type DynamoDbStreamsPoller,
  type DynamoDbStreamsPollerOptions,
} from './poller';
export type { StreamBatchReport, BatchOutcome } from './shard-consumer';
export { reportStreamFailure, type StreamBatchFailure } from './failure-delivery';
export type { StreamFailureRecord } from './failure-record';
export type { LambdaStreamRecord } from './stream-records';
export { streamMappings, type StreamFailureDestination, type StreamMapping } from './stream-mappings';
