// DynamoDB Streams to functions, as Lambda's event source mappings deliver them: for each `stream` event of
// the service, every shard of the table's stream is polled (DescribeStream, GetShardIterator, GetRecords
// through @aws-sdk/client-dynamodb-streams) and its records invoke the function synchronously, in order,
// through the LambdaService. A closed shard's children start once it is finished, as DynamoDB requires for
// order; a table whose stream changes (deleted and created again) is followed to its new stream. A batch
// given up goes to the mapping's on-failure destination (failure-delivery.ts).
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ResourceNotFoundException as StreamNotFoundException,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { ServiceDefinition } from '../../config/service-definition';
import type { AccessKeyPair } from '../../protocol/sigv4';
import type { LambdaService } from '../../lambda/lambda-service';
import type { DeliverToTarget } from '../../platform/targets';
import { deliverFailureRecord, type StreamBatchFailure } from './failure-delivery';
import type { StreamFailureRecord } from './failure-record';
import { ShardConsumer, type StreamBatchReport, type StreamTiming } from './shard-consumer';
import { streamMappings, type StreamMapping } from './stream-mappings';
import { awsStreamArn } from './stream-records';

export interface DynamoDbStreamsPollerOptions {
  lambda: LambdaService;
  /** Sends the on-failure record to its queue or topic (the platform's deliver); without it, nothing is sent. */
  deliver?: DeliverToTarget;
  service: ServiceDefinition;
  /** local-cloud's DynamoDB endpoint (DynamoDbService.url). */
  dynamoDbUrl: string;
  credentials: AccessKeyPair;
  region: string;
  /** How often an idle shard is polled; Lambda polls about 4 times a second. */
  pollIntervalMs?: number;
  /** Wait before the first retry of a failed batch; it doubles with each retry up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How often the shards of each stream are listed again (new shards, a new stream). */
  discoveryIntervalMs?: number;
  /** Called after every invocation (or attempt) with a batch. */
  onBatch?: (report: StreamBatchReport) => void;
  /** Called for every batch given up after its retries, with what became of its description. */
  onFailure?: (failure: StreamBatchFailure<StreamFailureRecord>) => void;
  /** Settings not emulated, tables without streams, unexpected errors while polling. */
  onWarning?: (message: string) => void;
}

export interface DynamoDbStreamsPoller {
  /** The enabled DynamoDB stream mappings it serves. */
  mappings: StreamMapping[];
  /** Stops polling; an invocation in progress finishes first (for at most stopTimeoutMs). */
  stop(): Promise<void>;
}

export const DEFAULT_POLL_INTERVAL_MS = 250;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts polling. Resolves once every mapping holds its starting position, so with LATEST every write made
 * after this resolves reaches the function.
 */
export async function createDynamoDbStreamsPoller(
  options: DynamoDbStreamsPollerOptions,
): Promise<DynamoDbStreamsPoller> {
  const { mappings, warnings } = streamMappings(options.service, options.region);
  warnings.forEach((warning) => options.onWarning?.(warning));
  const clientConfig = {
    endpoint: options.dynamoDbUrl,
    region: options.region,
    credentials: options.credentials,
    maxAttempts: 2,
  };
  const dynamodb = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const controller = new AbortController();
  const timing: StreamTiming = {
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    retryDelayMs: options.retryDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
  };
  const subscriptions = mappings.map(
    (mapping) =>
      new StreamSubscription(mapping, {
        options,
        dynamodb,
        streams,
        timing,
        signal: controller.signal,
        discoveryIntervalMs: options.discoveryIntervalMs ?? 5_000,
      }),
  );
  try {
    await Promise.all(subscriptions.map((subscription) => subscription.start()));
  } catch (error) {
    controller.abort();
    dynamodb.destroy();
    streams.destroy();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    mappings,
    stop: () => {
      stopping ??= (async () => {
        controller.abort();
        await Promise.race([
          Promise.allSettled(subscriptions.map((subscription) => subscription.finished())),
          new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref()),
        ]);
        dynamodb.destroy();
        streams.destroy();
      })();
      return stopping;
    },
  };
}

interface SubscriptionContext {
  options: DynamoDbStreamsPollerOptions;
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  timing: StreamTiming;
  signal: AbortSignal;
  discoveryIntervalMs: number;
}

/** One mapping: follows its table's current stream and runs a consumer per shard. */
class StreamSubscription {
  private localStreamArn: string | undefined;
  private readonly consumers = new Map<string, ShardConsumer>();
  private readonly finishedShards = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private discovering: Promise<void> = Promise.resolve();
  private warnedNoStream = false;
  /** The shards listed at start-up, which start at the mapping's startingPosition; others from their start. */
  private fromStartingPosition: Set<string> | undefined;

  constructor(
    private readonly mapping: StreamMapping,
    private readonly context: SubscriptionContext,
  ) {}

  async start(): Promise<void> {
    await this.discover(true);
    this.schedule();
  }

  async finished(): Promise<void> {
    clearTimeout(this.timer);
    await this.discovering.catch(() => undefined);
    await Promise.allSettled([...this.consumers.values()].map((consumer) => consumer.finished));
  }

  private schedule(): void {
    if (this.context.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.rediscover();
      this.schedule();
    }, this.context.discoveryIntervalMs);
  }

  private rediscover(): void {
    this.discovering = this.discovering
      .then(() => this.discover(false))
      .catch((error: Error) => {
        if (!this.context.signal.aborted) this.warn(`polling the stream failed: ${error.message}`);
      });
  }

  private async discover(initial: boolean): Promise<void> {
    if (this.context.signal.aborted) return;
    const latest = await this.latestStreamArn();
    if (latest === undefined) return;
    if (latest !== this.localStreamArn) {
      // A new stream (the table was created again, or its stream re-enabled) is read from its start; only
      // the shards found at start-up honour startingPosition.
      this.fromStartingPosition = undefined;
      this.localStreamArn = latest;
    }
    const shards = await this.shards(latest);
    if (initial) this.fromStartingPosition = new Set(shards.map((shard) => shard.ShardId as string));
    const listed = new Set(shards.map((shard) => shard.ShardId));
    for (const shard of shards) {
      const shardId = shard.ShardId as string;
      if (this.consumers.has(shardId)) continue;
      const parent = shard.ParentShardId;
      // A child shard waits until its parent is fully delivered, which keeps the order of each key's changes.
      if (parent && listed.has(parent) && !this.finishedShards.has(parent)) continue;
      const startAt = this.fromStartingPosition?.has(shardId)
        ? this.mapping.startingPosition
        : 'TRIM_HORIZON';
      await this.startConsumer(shardId, latest, startAt);
    }
  }

  private async startConsumer(
    shardId: string,
    localStreamArn: string,
    startAt: 'LATEST' | 'TRIM_HORIZON',
  ): Promise<void> {
    const { options, streams, timing, signal } = this.context;
    const fn = options.lambda.findFunction(this.mapping.functionKey);
    if (!fn) throw new Error(`function ${this.mapping.functionKey} is not in the Lambda service`);
    const consumer = new ShardConsumer(
      {
        mapping: this.mapping,
        fn,
        functionArn: options.lambda.functionArn(fn),
        lambda: options.lambda,
        streams,
        localStreamArn,
        streamArn: awsStreamArn(localStreamArn, options.region, options.lambda.accountId),
        region: options.region,
        timing,
        signal,
        onBatch: (report) => options.onBatch?.(report),
        onGiveUp: (record) => this.giveUp(record),
        onError: (error) => this.warn(`shard ${shardId}: ${error.message}`),
      },
      shardId,
      startAt,
    );
    this.consumers.set(shardId, consumer);
    await consumer.start();
    void consumer.finished.then(() => {
      this.finishedShards.add(shardId);
      // Its children may start now.
      if (!signal.aborted) this.rediscover();
    });
  }

  private giveUp(record: StreamFailureRecord): void {
    const { options } = this.context;
    const destination = this.mapping.onFailure;
    const failure: StreamBatchFailure<StreamFailureRecord> = {
      functionKey: this.mapping.functionKey,
      source: this.mapping.tableName,
      batchSize: record.DDBStreamBatchInfo.batchSize,
      attempts: record.requestContext.approximateInvokeCount,
      record,
    };
    if (destination) {
      failure.destination = destination.arn;
      failure.delivery = deliverFailureRecord(destination, record, options.deliver);
    }
    options.onFailure?.(failure);
  }

  private async latestStreamArn(): Promise<string | undefined> {
    try {
      const { Table } = await this.context.dynamodb.send(
        new DescribeTableCommand({ TableName: this.mapping.tableName }),
        { abortSignal: this.context.signal },
      );
      const arn = Table?.StreamSpecification?.StreamEnabled ? Table.LatestStreamArn : undefined;
      if (!arn) this.warnOnce(`table "${this.mapping.tableName}" has no stream enabled; waiting for one`);
      return arn;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      this.warnOnce(`table "${this.mapping.tableName}" does not exist; waiting for it`);
      return undefined;
    }
  }

  private async shards(localStreamArn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    try {
      do {
        const { StreamDescription } = await this.context.streams.send(
          new DescribeStreamCommand({ StreamArn: localStreamArn, ExclusiveStartShardId: start }),
          { abortSignal: this.context.signal },
        );
        shards.push(...(StreamDescription?.Shards ?? []));
        start = StreamDescription?.LastEvaluatedShardId;
      } while (start);
    } catch (error) {
      if (error instanceof StreamNotFoundException) return [];
      throw error;
    }
    return shards;
  }

  private warn(message: string): void {
    this.context.options.onWarning?.(`${this.mapping.source}: ${message}`);
  }

  private warnOnce(message: string): void {
    if (this.warnedNoStream) return;
    this.warnedNoStream = true;
    this.warn(message);
  }
}
