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
import type { FunctionDefinition, ServiceDefinition } from '../config/service-definition';
import { createEdge, type Edge } from '../edge';
import type { PlatformEndpointsInfo } from '../endpoints';
import type { AccessKeyPair } from '../endpoints';
import type * as SchedulerModule from '../event-sources/schedules/scheduler';
import type { Firing, Scheduler } from '../event-sources/schedules/scheduler';
import type * as ScheduleRulesModule from '../event-sources/schedules/scheduled-rules';
import type { ScheduleRule } from '../event-sources/schedules/scheduled-rules';
import type { AsyncRetry } from '../invoke-api/async-queue';
import type { AsyncQueue } from '../invoke-api/invoke-api';
import type { LambdaService } from '../lambda/lambda-service';
import { ACCOUNT_ID } from '../common/account';
import { listen } from '../http-listener';
import { loadOrCreateCertificates, localTlsDir } from '../tls/local-certificates';
import { formatAsyncOutcome, formatAsyncRetry, plainColors, type Colors } from '../logging';
import { createTraceCollector, formatTrace } from '../services/tracing';
import { PlatformAsyncInvoker } from './async-invoker';
import { DeferredLambdaService, PlatformStoppedError } from './deferred-lambda';
import { notEmulated } from './not-emulated';
import { platformEndpoints, sandboxEnvironment } from './platform-description';
import { formatPlatformLine } from './platform-line';
import type { PlatformPorts } from './ports';
import {
  environmentResolver,
  intrinsicOf,
  localResources,
  type EnvironmentResolver,
  type ResolvedResource,
  type ResourceContextInput,
} from './resolve-intrinsics';
import { RunningServices } from './running-services';
import type { ServiceContext, ServiceModule, Stoppable, SummaryRow } from './service-contract';
import { serviceModules, type PlatformServices } from './service-modules';
import { targetRouter, type ArnTarget } from './targets';
import { createAuthorizer, type Authorizer, type IamMode } from '../iam/authorizer';
import { functionRoles, type FunctionRole } from '../iam/function-roles';
import { RoleSessions, type SessionCredentials } from '../iam/role-sessions';
import { iamSummaryRow } from '../iam/iam-summary';

export type { PlatformServices } from './service-modules';
export { formatPlatformLine } from './platform-line';

// The scheduler (cron parsing) is loaded only for services with schedules: most labs start without paying for
// its modules. Each service module loads its own heavy parts the same way.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, as explained above */
const loadScheduleRules = () =>
  require('../event-sources/schedules/scheduled-rules') as typeof ScheduleRulesModule;
const loadScheduler = () => require('../event-sources/schedules/scheduler') as typeof SchedulerModule;
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
  /**
   * How calls from functions are checked against their roles: `enforce` (default, as AWS does), `warn` (allow,
   * and log what AWS would deny) or `off`.
   */
  iam?: IamMode;
  /** Services' warnings, failed async events, schedule firings, stream batches given up. */
  log?: (line: string) => void;
  colors?: Colors;
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
  /**
   * The key pair every AWS API accepts (the account's), which also accepts each function's role session keys:
   * give it to the APIs started outside the platform (the Invoke API).
   */
  credentials: AccessKeyPair;
  /** Checks calls from functions against their roles: give it to the APIs started outside the platform. */
  authorizer: Authorizer;
  /** Each function's roles, and what local-cloud could not read of them (already logged). */
  iam: { mode: IamMode; roles: Record<string, FunctionRole> };
  /** A function's role session keys, which its sandboxes sign with; undefined for a key with no role. */
  credentialsOf(functionKey: string): SessionCredentials | undefined;
  /**
   * One function's own variables (LambdaServiceOptions.functionEnvironment): its role's temporary credentials,
   * as AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
   */
  functionEnvironment(fn: FunctionDefinition): Record<string, string>;
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
  /** The start-up summary's rows of the running services; `folder` is what printed commands name. */
  summaryRows(folder: string): SummaryRow[];
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

export async function preparePlatform(options: PreparePlatformOptions): Promise<Platform> {
  const started = performance.now();
  const { service: loaded } = options;
  const host = options.host ?? '127.0.0.1';
  const region = loaded.provider.region;
  const colors = options.colors ?? plainColors;
  const log = options.log ?? (() => {});
  const logAs = (source: string) => (line: string) => log(formatPlatformLine(source, line, colors));
  const iamMode = options.iam ?? 'enforce';
  const sessions = new RoleSessions();
  // The account's pair, which now also accepts the functions' session keys (sigv4.ts asks `sessions`).
  const credentials: AccessKeyPair = { ...options.credentials, sessions };
  const authorizer = createAuthorizer({ mode: iamMode, sessions, log: logAs('iam') });

  // Configuration errors first: they cost nothing, and name the file and the fix before anything starts.
  const hasSchedules = Object.values(loaded.functions).some((fn) =>
    fn.events.some((event) => 'schedule' in event),
  );
  const schedules = hasSchedules
    ? loadScheduleRules().scheduleRules(loaded, { region, accountId: ACCOUNT_ID })
    : [];

  const invoker = new PlatformAsyncInvoker({
    service: loaded,
    retryDelaysMs: options.asyncRetryDelaysMs,
    onOutcome: (outcome) => log(formatAsyncOutcome(outcome, colors)),
    onRetry: (retry: AsyncRetry) => log(formatAsyncRetry(retry, colors)),
    // Destinations and dead-letter queues that are queues, topics or buses; the router is made just below.
    deliverToTarget: (arn, message) => deliver(arn, message),
  });
  const deferredLambda = new DeferredLambdaService(loaded);
  const running = new RunningServices();
  const edge = options.edge ?? (await ownEdge(loaded.servicePath, host, running));
  // One collector behind both tracing receivers: a trace is one tree whether its parts came as X-Ray
  // documents or OpenTelemetry spans, and the function's segment from the invocation report joins either.
  const traces = createTraceCollector({ onTrace: (trace) => formatTrace(trace).forEach(logAs('xray')) });
  // What each running service receives, asked of the modules once every service has started (a delivery during
  // start sees the services started so far).
  let targets: ArnTarget[] | undefined;
  const runningTargets = () =>
    running.withModules().flatMap(({ module, running: started }) => module.target?.(started) ?? []);
  const deliver = targetRouter(invoker, () => targets ?? runningTargets());
  const contextOf = (module: ServiceModule<string, Stoppable>): ServiceContext => ({
    service: loaded,
    credentials,
    authorizer,
    host,
    region,
    ports: options.ports ?? {},
    inMemory: options.inMemory,
    edge,
    asyncInvoker: invoker,
    lambda: deferredLambda,
    publishToTopic: (topicArn, message, subject) =>
      running.services().sns.publish(topicArn, message, subject),
    deliver,
    traces,
    options,
    log: logAs(module.key),
    logAs,
  });

  const modules = serviceModules.filter((module) => module.runsFor?.(loaded) ?? true);
  let resources: Record<string, ResolvedResource>;
  let facts: Partial<ResourceContextInput> = {};
  try {
    await running.start(modules, (module) => module.start(contextOf(module)));
    targets = runningTargets();
    for (const module of modules) {
      facts = { ...facts, ...(await module.resourceFacts?.(running.of(module), contextOf(module))) };
    }
    resources = localResources({ ...facts, service: loaded, region, accountId: ACCOUNT_ID });
    for (const module of modules)
      Object.assign(resources, module.resources?.(running.of(module), contextOf(module)));
  } catch (error) {
    invoker.stop();
    deferredLambda.close();
    await running.stopAll().catch(() => undefined);
    throw error;
  }

  const resolver = environmentResolver(
    { service: loaded, region, accountId: ACCOUNT_ID, webSocket: facts.webSocket },
    resources,
  );
  const service = withResolvedEnvironments(loaded, resolver);

  const { roles, warnings: roleWarnings } = functionRoles(loaded, {
    accountId: ACCOUNT_ID,
    region,
    resolveValue: (value) => resolver.resolveValue(value),
  });
  // Every function has a role (the framework's own one at least); a function added since start has none yet.
  const credentialsOf = (functionKey: string) => {
    const role = roles[functionKey];
    return role === undefined ? undefined : sessions.credentialsOf(functionKey, role);
  };
  const warnings = [
    ...notEmulated(loaded),
    ...roleWarnings,
    ...serviceModules.flatMap((module) => module.warnings?.(running.optional(module), loaded) ?? []),
    ...resolver.warnings,
  ];
  warnings.forEach((warning) => logAs('local-cloud')(`warning: ${warning}`));

  const services = running.services();
  const environment = sandboxEnvironment(edge, running.withModules());
  const endpointsFile = platformEndpoints({
    edge,
    running: running.withModules(),
    environment,
    resources,
    schedules,
  });
  let scheduler: Scheduler | undefined;
  const eventSources: Stoppable[] = [];
  let connected = false;
  let stopping: Promise<void> | undefined;
  const startupMs = Math.round(performance.now() - started);

  return {
    edge,
    asyncQueue: invoker,
    service,
    credentials,
    authorizer,
    iam: { mode: iamMode, roles },
    credentialsOf,
    functionEnvironment: (fn): Record<string, string> => {
      const keys = credentialsOf(fn.key);
      if (keys === undefined) return {};
      return {
        AWS_ACCESS_KEY_ID: keys.accessKeyId,
        AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
        AWS_SESSION_TOKEN: keys.sessionToken,
      };
    },
    environment,
    endpointsFile,
    services,
    resources,
    resolveEnvironment: (variables) => resolver.resolveEnvironment(variables),
    schedules,
    warnings,
    startupMs,
    summaryRows: (folder) => [
      ...running
        .withModules()
        .flatMap(({ module, running: started }) => module.summary?.(started, { resources, folder }) ?? []),
      iamSummaryRow(iamMode, roles),
    ],
    connect: async ({ lambda }) => {
      if (stopping) throw new Error('connect() after stop(): prepare a new platform');
      if (connected) throw new Error('connect() was already called');
      connected = true;
      invoker.connect(lambda);
      deferredLambda.bind(lambda);
      if (schedules.length > 0) {
        scheduler = loadScheduler().createScheduler({
          service,
          asyncInvoker: invoker,
          region,
          log: logAs('schedule'),
        });
      }
      for (const { module, running: started } of running.withModules()) {
        const source = await module.connect?.(started, { ...contextOf(module), service, lambda });
        if (source) eventSources.push(source);
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
        await Promise.allSettled(eventSources.map((source) => source.stop()));
        invoker.stop();
        deferredLambda.close();
        // Then the services; the poller no longer reads DynamoDB.
        await running.stopAll();
      })();
      return stopping;
    },
  };
}

/** The service with each function's environment resolved as a deployment resolves it. */
function withResolvedEnvironments(
  loaded: ServiceDefinition,
  resolver: EnvironmentResolver,
): ServiceDefinition {
  return {
    ...loaded,
    functions: Object.fromEntries(
      Object.entries(loaded.functions).map(([key, fn]) => [
        key,
        {
          ...fn,
          environment: resolver.resolveEnvironment(fn.environment, `functions.${key}.environment`),
          destinations: {
            ...resolvedTarget('onSuccess', fn.destinations.onSuccess, resolver),
            ...resolvedTarget('onFailure', fn.destinations.onFailure, resolver),
          },
          ...resolvedTarget('deadLetterTarget', fn.deadLetterTarget, resolver),
        },
      ]),
    ),
  };
}

/** A destination or dead-letter target written as an intrinsic (`Fn::GetAtt: [Queue, Arn]`), as its ARN. */
function resolvedTarget<K extends string>(
  key: K,
  target: string | undefined,
  resolver: EnvironmentResolver,
): Partial<Record<K, string>> {
  if (target === undefined) return {};
  const intrinsic = intrinsicOf(target);
  const resolved = intrinsic === undefined ? target : (resolver.resolveValue(intrinsic) ?? target);
  return { [key]: resolved } as Partial<Record<K, string>>;
}

/** An edge of the platform's own on a free port, closed after every service (they only detach from it). */
async function ownEdge(servicePath: string, host: string, running: RunningServices): Promise<Edge> {
  const certificates = await loadOrCreateCertificates(localTlsDir(servicePath), host);
  const listener = await listen({
    port: 0,
    host,
    purpose: 'AWS endpoint',
    fix: 'try again (it takes a free port)',
    tls: { key: certificates.privateKey, cert: certificates.certificate },
  });
  running.closeLast(() => listener.close());
  return createEdge(listener, host, certificates.caCertificateFile);
}
