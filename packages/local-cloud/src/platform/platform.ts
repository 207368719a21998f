// The data services and event sources of a service, as one object start() composes with the Lambda runtime.
// Two phases, because each needs the other:
//
//   preparePlatform()  starts the services (S3, SNS, Secrets Manager + SSM, the identity issuer; DynamoDB
//                      Local when the service declares tables; the WebSocket API when it has `websocket`
//                      events). The AWS APIs attach to one edge endpoint (AWS_ENDPOINT_URL); `environment` and
//                      the service with its functions' CloudFormation references resolved go to the runtime.
//   connect({ lambda })  hands the runtime to what invokes functions: the async queue (S3 notifications, SNS
//                      fan-out, schedules), the DynamoDB Streams poller, the scheduler, the WebSocket API.
//   stop()             event sources first (nothing new is invoked), then the services; the streams poller
//                      stops before DynamoDB Local, and no Java process is left.
//
// Events that come between the two phases (an object written while sandboxes are configured) are held and
// delivered at connect(), in order.
import type * as DynamoDbClientModule from '@aws-sdk/client-dynamodb';
import type { ServiceDefinition } from '../config/service-definition';
import { createEdge, type Edge } from '../edge';
import type { AccessKeyPair, PlatformEndpointsInfo } from '../endpoints';
import { describeStreamFailure } from '../event-sources/dynamodb-streams/failure-delivery';
import type * as PollerModule from '../event-sources/dynamodb-streams/poller';
import type { DynamoDbStreamsPoller } from '../event-sources/dynamodb-streams/poller';
import { streamMappings } from '../event-sources/dynamodb-streams/stream-mappings';
import { awsStreamArn } from '../event-sources/dynamodb-streams/stream-records';
import { createS3Notifier } from '../event-sources/s3-notifications/s3-notifier';
import type * as SchedulerModule from '../event-sources/schedules/scheduler';
import type { Firing, Scheduler } from '../event-sources/schedules/scheduler';
import type * as ScheduleRulesModule from '../event-sources/schedules/scheduled-rules';
import type { ScheduleRule } from '../event-sources/schedules/scheduled-rules';
import type { AsyncRetry } from '../invoke-api/async-queue';
import type { AsyncQueue } from '../invoke-api/invoke-api';
import type { LambdaService } from '../lambda/lambda-service';
import { ACCOUNT_ID } from '../common/account';
import { listen } from '../http-listener';
import { clockTime, formatAsyncOutcome, formatAsyncRetry, plainColors, type Colors } from '../logging';
import type * as DynamoDbModule from '../services/dynamodb/dynamodb-service';
import type { DynamoDbService } from '../services/dynamodb/dynamodb-service';
import { tableDefinitions } from '../services/dynamodb/table-definitions';
import {
  createIdentityService,
  identityDataDir,
  type IdentityService,
} from '../services/identity/identity-service';
import { identityClients } from '../services/identity/clients';
import { createS3Service, type S3Service } from '../services/s3/s3-service';
import { createSecretsService, type SecretsService } from '../services/secrets/secrets-service';
import { createSnsService, type SnsService } from '../services/sns/sns-service';
import { createOtlpReceiver, type OtlpReceiver } from '../services/tracing';
import { createTraceCollector, createXRayDaemon, formatTrace, type XRayDaemon } from '../services/tracing';
import type * as WebSocketModule from '../websocket/websocket-api';
import type { WebSocketApi } from '../websocket/websocket-api';
import { PlatformAsyncInvoker } from './async-invoker';
import { DeferredLambdaService, PlatformStoppedError } from './deferred-lambda';
import { notEmulated } from './not-emulated';
import { platformEndpoints, sandboxEnvironment } from './platform-description';
import type { PlatformPorts } from './ports';
import { environmentResolver, localResources, type ResolvedResource } from './resolve-intrinsics';

// DynamoDB (the SDK client, DynamoDB Local's process), the WebSocket API (certificate generation) and the
// scheduler (cron parsing) are loaded only for services that use them: a service without tables, sockets or
// schedules (most labs) starts without paying for their modules, several hundred ms on a laptop.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, as explained above */
const loadDynamoDb = () => require('../services/dynamodb/dynamodb-service') as typeof DynamoDbModule;
const loadStreamsPoller = () => require('../event-sources/dynamodb-streams/poller') as typeof PollerModule;
const loadWebSocketApi = () => require('../websocket/websocket-api') as typeof WebSocketModule;
const loadScheduleRules = () =>
  require('../event-sources/schedules/scheduled-rules') as typeof ScheduleRulesModule;
const loadScheduler = () => require('../event-sources/schedules/scheduler') as typeof SchedulerModule;
const loadDynamoDbClient = () => require('@aws-sdk/client-dynamodb') as typeof DynamoDbClientModule;
/* eslint-enable @typescript-eslint/no-require-imports */

export interface PreparePlatformOptions {
  /** The service as loaded; its functions' environments may hold CloudFormation references. */
  service: ServiceDefinition;
  /** The key pair every service verifies signatures against (local-cloud's published pair). */
  credentials: AccessKeyPair;
  /** Default 127.0.0.1. DynamoDB always listens on 127.0.0.1. */
  host?: string;
  /**
   * The endpoint the AWS APIs attach to (start() gives the one on the Lambda port, which the Invoke API joins).
   * Absent: the platform opens its own on a free port, and closes it at stop().
   */
  edge?: Edge;
  /** The WebSocket API's and the identity issuer's ports; 0 or absent: a free port. The CLI's are platformPorts(--port). */
  ports?: Partial<PlatformPorts>;
  /** Keep no data on disk (DynamoDB, S3, SNS, generated secrets): every start begins empty. */
  inMemory?: boolean;
  /** Waits before the 2 retries of a failed event from S3, SNS or a schedule (AWS: about 1 and 2 minutes). */
  asyncRetryDelaysMs?: readonly [number, number];
  /** The identity issuer's `iss` and default `aud`. */
  identity?: { issuer?: string; audience?: string };
  /** DynamoDB Local's Java and start timeout (tests). */
  dynamoDb?: { javaCommand?: string; startTimeoutMs?: number };
  /** How often the streams poller reads an idle shard. Default 250 ms, as Lambda polls about 4 times a second. */
  streamPollIntervalMs?: number;
  /** Services' warnings, failed async events, schedule firings, stream batches given up. */
  log?: (line: string) => void;
  colors?: Colors;
}

/** The services that run; the optional ones only when the service needs them. */
export interface PlatformServices {
  s3: S3Service;
  sns: SnsService;
  secrets: SecretsService;
  identity: IdentityService;
  dynamoDb?: DynamoDbService;
  webSocket?: WebSocketApi;
  /**
   * The X-Ray daemon's UDP endpoint, for the X-Ray SDK. Its traces() are every finished trace, the OTLP
   * receiver's too: both feed one collector, which prints each trace as a tree through `log`.
   */
  xray: XRayDaemon;
  /** The OTLP/HTTP trace receiver, for the OpenTelemetry SDK (what ADOT exports to on AWS). */
  otlp: OtlpReceiver;
}

export interface Platform {
  /** The one endpoint of every AWS API local-cloud emulates: what AWS_ENDPOINT_URL holds. */
  edge: Edge;
  /** Lambda's async queue, which every event source uses: give it to the Invoke API (its `queue` option). */
  asyncQueue: AsyncQueue;
  /**
   * The service as the runtime must run it: each function's environment with its CloudFormation references
   * resolved (`Ref: ImagesTable` is the table's name). Give it to createLambdaService.
   */
  service: ServiceDefinition;
  /**
   * Variables every sandbox gets (LambdaServiceOptions.extraEnvironment): AWS_ENDPOINT_URL (the edge, for every
   * AWS API), NODE_EXTRA_CA_CERTS with the WebSocket API (its management endpoint is HTTPS with a local
   * certificate authority), the identity issuer's and the tracing receivers' addresses.
   */
  environment: Record<string, string>;
  /** What endpoints.json gains: pass as describeEndpoints({ platform }). */
  endpointsFile: PlatformEndpointsInfo;
  services: PlatformServices;
  /** `Ref` / `Fn::GetAtt` values of every resource local-cloud created, by logical id. */
  resources: Record<string, ResolvedResource>;
  /** Resolves CloudFormation references in a set of variables (what `service` holds, already applied). */
  resolveEnvironment(environment: Record<string, string>): Record<string, string>;
  /** The schedule rules (armed once connected). */
  schedules: ScheduleRule[];
  /** Configuration local-cloud reads but cannot honour, one line each (already logged). */
  warnings: string[];
  /** From preparePlatform's call to its services being ready, ms. */
  startupMs: number;
  /** Starts delivering events to the runtime. Call once, after createLambdaService(platform.service). */
  connect(options: { lambda: LambdaService }): Promise<void>;
  /**
   * Fires a schedule rule now (rule name or logical id, function key or name); after connect(). Rejects with
   * ScheduleNotFoundError (exit code 2, naming the service's rules) when nothing matches.
   */
  fireSchedule(target: string): Promise<Firing[]>;
  /** Event sources, then services. Safe to call more than once, and after a failed connect(). */
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<void>;
}

export async function preparePlatform(options: PreparePlatformOptions): Promise<Platform> {
  const started = performance.now();
  const { service: loaded, credentials } = options;
  const host = options.host ?? '127.0.0.1';
  const ports = options.ports ?? {};
  const region = loaded.provider.region;
  const colors = options.colors ?? plainColors;
  const log = options.log ?? (() => {});
  const say = (source: string, line: string) => log(formatPlatformLine(source, line, colors));

  // Configuration errors first: they cost nothing, and name the file and the fix before anything starts.
  const hasSchedules = Object.values(loaded.functions).some((fn) =>
    fn.events.some((event) => 'schedule' in event),
  );
  const schedules = hasSchedules
    ? loadScheduleRules().scheduleRules(loaded, { region, accountId: ACCOUNT_ID })
    : [];
  const hasTables = tableDefinitions(loaded, region).length > 0;
  const streams = streamMappings(loaded, region);
  const hasWebSocket = Object.values(loaded.functions).some((fn) =>
    fn.events.some((event) => 'websocket' in event),
  );

  const invoker = new PlatformAsyncInvoker({
    service: loaded,
    retryDelaysMs: options.asyncRetryDelaysMs,
    onOutcome: (outcome) => log(formatAsyncOutcome(outcome, colors)),
    onRetry: (retry: AsyncRetry) => log(formatAsyncRetry(retry, colors)),
  });
  const deferredLambda = new DeferredLambdaService(loaded);

  const running: Stoppable[] = [];
  let edge = options.edge;
  if (!edge) {
    const edgeListener = await listen({
      port: 0,
      host,
      purpose: 'AWS endpoint',
      fix: 'try again (it takes a free port)',
    });
    edge = createEdge(edgeListener, host);
    // Stopped last of all: stopAll() runs the services' stops side by side, and they only detach from it.
    running.push({ stop: () => edgeListener.close() });
  }
  const onEdge = edge;
  const startService = async <T extends Stoppable>(start: () => Promise<T>): Promise<T> => {
    const service = await start();
    running.push(service);
    return service;
  };
  const settled = await Promise.allSettled([
    startService(() =>
      createSnsService({
        service: loaded,
        listener: onEdge.mount(['sns']),
        host,
        credentials,
        region,
        asyncInvoker: invoker,
        inMemory: options.inMemory,
        log: (line) => say('sns', line),
      }),
    ),
    startService(() =>
      createSecretsService({
        service: loaded,
        listener: onEdge.mount(['secretsmanager', 'ssm']),
        host,
        credentials,
        region,
        inMemory: options.inMemory,
        log: (line) => say('secrets', line),
      }),
    ),
    startService(() =>
      createIdentityService({
        port: ports.identity ?? 0,
        host,
        dataDir: identityDataDir(loaded.servicePath),
        issuer: options.identity?.issuer,
        audience: options.identity?.audience,
        clients: identityClients(loaded),
        log: (line) => say('identity', line),
      }),
    ),
    hasTables
      ? startService(async () =>
          loadDynamoDb().createDynamoDbService({
            service: loaded,
            credentials,
            listener: onEdge.mount(['dynamodb', 'dynamodbstreams']),
            inMemory: options.inMemory,
            region,
            javaCommand: options.dynamoDb?.javaCommand,
            startTimeoutMs: options.dynamoDb?.startTimeoutMs,
            log: (line) => say('dynamodb', line),
          }),
        )
      : Promise.resolve(undefined),
    hasWebSocket
      ? startService(async () =>
          loadWebSocketApi().createWebSocketApi({
            lambda: deferredLambda,
            service: loaded,
            port: ports.websocket ?? 0,
            host,
            stage: loaded.provider.stage,
            region,
            credentials,
            log: (line) => say('websocket', line),
          }),
        )
      : Promise.resolve(undefined),
  ]);
  const stopAll = async (stoppables: Stoppable[]) => {
    const results = await Promise.allSettled(stoppables.map((service) => service.stop()));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) {
    invoker.stop();
    deferredLambda.close();
    await Promise.allSettled(running.map((service) => service.stop()));
    throw failure.reason;
  }
  const [sns, secrets, identity, dynamoDb, webSocket] = settled.map(
    (result) => (result as PromiseFulfilledResult<unknown>).value,
  ) as [SnsService, SecretsService, IdentityService, DynamoDbService | undefined, WebSocketApi | undefined];

  let s3: S3Service;
  let xray: XRayDaemon;
  let otlp: OtlpReceiver;
  let resources: Record<string, ResolvedResource>;
  try {
    // S3 after SNS: a bucket's TopicConfigurations publish to it. The notifier reads (and checks) the
    // notification configuration before the bucket exists.
    const notifier = createS3Notifier({
      service: loaded,
      asyncInvoker: invoker,
      publishToTopic: (topicArn, message, subject) => {
        sns.publish(topicArn, message, subject);
      },
      region,
      log: (line) => say('s3', line),
    });
    notifier.warnings.forEach((warning) => say('s3', `warning: ${warning}`));
    // One collector behind both receivers: a trace is one tree whether its parts came as X-Ray documents or
    // OpenTelemetry spans, and the function's segment from the invocation report joins either.
    const traces = createTraceCollector({
      onTrace: (trace) => formatTrace(trace).forEach((line) => say('xray', line)),
    });
    xray = await startService(() =>
      createXRayDaemon({ host, collector: traces, log: (line) => say('xray', line) }),
    );
    otlp = await startService(() =>
      createOtlpReceiver({ host, collector: traces, log: (line) => say('otlp', line) }),
    );
    s3 = await startService(() =>
      createS3Service({
        service: loaded,
        listener: onEdge.mount(['s3']),
        host,
        inMemory: options.inMemory,
        credentials,
        region,
        onObjectEvent: notifier.onObjectEvent,
        log: (line) => say('s3', line),
      }),
    );
    resources = localResources({
      service: loaded,
      region,
      accountId: ACCOUNT_ID,
      streamArns: dynamoDb ? await streamArnsOf(dynamoDb, credentials, region) : undefined,
      webSocket: webSocket
        ? { apiId: webSocket.apiId, domainName: webSocket.domainName, stage: loaded.provider.stage }
        : undefined,
    });
  } catch (error) {
    invoker.stop();
    deferredLambda.close();
    await Promise.allSettled(running.map((service) => service.stop()));
    throw error;
  }

  const resolver = environmentResolver(
    {
      service: loaded,
      region,
      accountId: ACCOUNT_ID,
      webSocket: webSocket
        ? { apiId: webSocket.apiId, domainName: webSocket.domainName, stage: loaded.provider.stage }
        : undefined,
    },
    resources,
  );
  const service: ServiceDefinition = {
    ...loaded,
    functions: Object.fromEntries(
      Object.entries(loaded.functions).map(([key, fn]) => [
        key,
        { ...fn, environment: resolver.resolveEnvironment(fn.environment, `functions.${key}.environment`) },
      ]),
    ),
  };

  const warnings = [
    ...notEmulated(loaded),
    ...streams.warnings,
    ...(dynamoDb?.warnings ?? []),
    ...(!dynamoDb && streams.mappings.length > 0
      ? [
          'stream events name tables the service does not declare, so no DynamoDB runs and they get no events. Fix: declare the tables under resources.Resources as AWS::DynamoDB::Table',
        ]
      : []),
    ...resolver.warnings,
  ];
  warnings.forEach((warning) => say('local-cloud', `warning: ${warning}`));

  const services: PlatformServices = { s3, sns, secrets, identity, dynamoDb, webSocket, xray, otlp };
  const environment = sandboxEnvironment(onEdge, services);
  const endpointsFile = platformEndpoints({ edge: onEdge, services, environment, resources, schedules });
  let scheduler: Scheduler | undefined;
  let poller: DynamoDbStreamsPoller | undefined;
  let connected = false;
  let stopTracing: (() => void) | undefined;
  let stopping: Promise<void> | undefined;
  const startupMs = Math.round(performance.now() - started);

  return {
    edge: onEdge,
    asyncQueue: invoker,
    service,
    environment,
    endpointsFile,
    services,
    resources,
    resolveEnvironment: (variables) => resolver.resolveEnvironment(variables),
    schedules,
    warnings,
    startupMs,
    connect: async ({ lambda }) => {
      if (stopping) throw new Error('connect() after stop(): prepare a new platform');
      if (connected) throw new Error('connect() was already called');
      connected = true;
      invoker.connect(lambda);
      deferredLambda.bind(lambda);
      stopTracing = lambda.onInvocation((report) => xray.recordInvocation(report));
      if (schedules.length > 0) {
        scheduler = loadScheduler().createScheduler({
          service,
          asyncInvoker: invoker,
          region,
          log: (line) => say('schedule', line),
        });
      }
      if (dynamoDb && streams.mappings.length > 0) {
        poller = await loadStreamsPoller().createDynamoDbStreamsPoller({
          lambda,
          publishToTopic: (topicArn, message) => sns.publish(topicArn, message),
          service,
          dynamoDbUrl: dynamoDb.url,
          credentials,
          region,
          pollIntervalMs: options.streamPollIntervalMs,
          onFailure: (failure) => say('dynamodb-streams', describeStreamFailure(failure)),
          onWarning: (line) => say('dynamodb-streams', line),
        });
      }
    },
    fireSchedule: async (target) => {
      if (stopping) throw new PlatformStoppedError();
      if (!connected) throw new Error('fireSchedule() before connect(): functions cannot run yet');
      // Without schedule events there is no scheduler; one over no rules gives the error that says so.
      const firing = scheduler ?? loadScheduler().createScheduler({ service, asyncInvoker: invoker, region });
      return firing.fireNow(target);
    },
    stop: () => {
      stopping ??= (async () => {
        // Nothing new is invoked: timers cleared, polling ended (its batch in flight finishes first).
        await scheduler?.stop();
        await poller?.stop();
        invoker.stop();
        deferredLambda.close();
        stopTracing?.();
        // Then the services; the poller no longer reads DynamoDB.
        await stopAll(running);
      })();
      return stopping;
    },
  };
}

/** Each table's current stream ARN, as AWS formats it and as stream records carry it, by logical id. */
async function streamArnsOf(
  dynamoDb: DynamoDbService,
  credentials: AccessKeyPair,
  region: string,
): Promise<Record<string, string>> {
  const { DescribeTableCommand, DynamoDBClient } = loadDynamoDbClient();
  const client = new DynamoDBClient({ endpoint: dynamoDb.url, region, credentials });
  try {
    const entries = await Promise.all(
      Object.entries(dynamoDb.tableNames).map(async ([logicalId, tableName]) => {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
        const local = Table?.LatestStreamArn;
        return local ? [[logicalId, awsStreamArn(local, region, ACCOUNT_ID)] as const] : [];
      }),
    );
    return Object.fromEntries(entries.flat());
  } finally {
    client.destroy();
  }
}

/** `12:04:05.123 [s3] message`: a service's line among the invocation lines. */
export function formatPlatformLine(source: string, line: string, colors: Colors = plainColors): string {
  return `${colors.dim(clockTime(new Date()))} ${colors.magenta(`[${source}]`)} ${line}`;
}
