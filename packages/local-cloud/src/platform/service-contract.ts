// The one contract every local-cloud service keeps with the platform. A service is a module (a
// `service-module.ts` in its own folder) that says when it runs, how it starts and stops, what it mounts on the
// edge, what sandboxes get, what endpoints.json and the start-up summary show, and what it does once functions
// can run. The platform composes the list in service-modules.ts: adding a service is its folder and one entry
// there, with no edit to the platform, the sandbox environment, endpoints.json or the summary.
//
// Only types live here, so a service's folder can import it without pulling in the platform.
import type { ServiceDefinition } from '../config/service-definition';
import type { Edge } from '../edge';
import type { AccessKeyPair, PlatformEndpointsInfo } from '../endpoints';
import type { AsyncInvoker } from '../event-sources/async-invoker';
import type { LambdaService } from '../lambda/lambda-service';
import type { TraceCollector } from '../services/tracing';
import type { PreparePlatformOptions } from './platform';
import type { PlatformPorts } from './ports';
import type { ResolvedResource, ResourceContextInput } from './resolve-intrinsics';
import type { ArnTarget, DeliverToTarget } from './targets';
import type { Authorizer } from '../iam/authorizer';

export interface Stoppable {
  stop(): Promise<void>;
}

/** What a service is started with: the same for every service. */
export interface ServiceContext {
  /** The service as loaded (functions' environments not yet resolved). */
  service: ServiceDefinition;
  /** The key pair every AWS API verifies signatures against (it also accepts the functions' role sessions). */
  credentials: AccessKeyPair;
  /** Checks a function's call against its role; an API asks it after the signature holds (src/iam). */
  authorizer: Authorizer;
  host: string;
  region: string;
  ports: Partial<PlatformPorts>;
  inMemory: boolean | undefined;
  /** The one AWS endpoint: `edge.mount([...apis])` gives a service its listener. */
  edge: Edge;
  /** Lambda's async queue (S3 notifications, SNS fan-out). */
  asyncInvoker: AsyncInvoker;
  /** The Lambda runtime; a call before connect() waits for it. */
  lambda: LambdaService;
  /**
   * Publishes to one of the service's SNS topics (usable by a service started after SNS) and returns the message
   * id; throws SNS's error for an unknown topic or a message SNS refuses.
   */
  publishToTopic: (topicArn: string, message: string, subject?: string) => string;
  /**
   * Hands a message to the resource an ARN names (a function, queue, topic, event bus, state machine), through
   * whichever running service receives that ARN's service (its `target` hook). Rejects with that service's
   * error, or UndeliverableTargetError when no running service receives it.
   */
  deliver: DeliverToTarget;
  /** Where X-Ray documents and OpenTelemetry spans meet, one tree per trace. */
  traces: TraceCollector;
  /** preparePlatform()'s options, for the settings of one service (identity, dynamoDb, stream polling). */
  options: PreparePlatformOptions;
  /** A line in local-cloud's log under the module's name: `[s3] ...`. */
  log: (line: string) => void;
  /** A line under another name, for a part with a name of its own (`[dynamodb-streams] ...`). */
  logAs: (source: string) => (line: string) => void;
}

/** What a service shows once functions can run (connect), with the resolved service. */
export interface ConnectContext extends ServiceContext {
  /** Functions' environments with CloudFormation references resolved. */
  service: ServiceDefinition;
  lambda: LambdaService;
}

/** One row of the start-up summary: `S3  AWS endpoint  buckets images`. */
export interface SummaryRow {
  name: string;
  where: string;
  detail: string;
}

export interface SummaryView {
  resources: Record<string, ResolvedResource>;
  /** The service folder relative to where local-cloud was started: what the printed commands name. */
  folder: string;
}

/** What a service adds to endpoints.json: entries of `endpoints`, and sections of its own. */
export type EndpointsEntry = Partial<Omit<PlatformEndpointsInfo, 'environment' | 'resources' | 'schedules'>>;

export interface ServiceModule<K extends string, T extends Stoppable> {
  /** Its name in PlatformServices and in the log: `[s3] ...`. */
  key: K;
  /** Present when the service runs only for some services (DynamoDB Local only with tables). */
  runsFor?(service: ServiceDefinition): boolean;
  /** Services that must be running before this one starts (S3 publishes to SNS topics). */
  after?: string[];
  /** The serverless.yml event types and CloudFormation resource types it brings to life (not-emulated.ts). */
  emulates?: { events?: readonly string[]; resources?: readonly string[] };
  start(context: ServiceContext): Promise<T>;
  /** Variables every sandbox gets. */
  environment?(running: T): Record<string, string>;
  endpoints?(running: T): EndpointsEntry;
  summary?(running: T, view: SummaryView): SummaryRow[];
  /** What CloudFormation references to its resources resolve to, once it runs (stream ARNs, the API's id). */
  resourceFacts?(running: T, context: ServiceContext): Promise<Partial<ResourceContextInput>>;
  /**
   * The resources it creates, by logical id, with what `Ref` and `Fn::GetAtt` give (a queue's URL and ARN):
   * added to those the platform resolves itself, for environments, endpoints.json and the summary.
   */
  resources?(running: T, context: ServiceContext): Record<string, ResolvedResource>;
  /** Configuration it reads but cannot honour, one line each. */
  warnings?(running: T | undefined, service: ServiceDefinition): string[];
  /** What it receives from other services by ARN (SQS: messages to its queues), see targets.ts. */
  target?(running: T): ArnTarget;
  /** Starts what it invokes functions with (a poller, a listener); stopped before every service. */
  connect?(running: T, context: ConnectContext): Promise<Stoppable | undefined>;
}

/** Declares a service that runs for every service. Its key and running type are kept exactly, which is what
 * lets PlatformServices be derived from the list. */
export function serviceModule<K extends string, T extends Stoppable>(
  module: Omit<ServiceModule<K, T>, 'runsFor'>,
): ServiceModule<K, T> {
  return module;
}

/** Declares a service that runs only when `runsFor` says so: in PlatformServices it may be undefined. */
export function optionalServiceModule<K extends string, T extends Stoppable>(
  module: ServiceModule<K, T> & Required<Pick<ServiceModule<K, T>, 'runsFor'>>,
): ServiceModule<K, T> & Required<Pick<ServiceModule<K, T>, 'runsFor'>> {
  return module;
}
