export {
  createDynamoDbStreamsPoller,
  DEFAULT_POLL_INTERVAL_MS,
  type DynamoDbStreamsPoller,
  type DynamoDbStreamsPollerOptions,
} from './poller';
export type { StreamBatchFailure, StreamBatchReport, BatchOutcome } from './shard-consumer';
export type { StreamFailureRecord } from './failure-record';
export type { LambdaStreamRecord } from './stream-records';
export { streamMappings, type StreamMapping } from './stream-mappings';
