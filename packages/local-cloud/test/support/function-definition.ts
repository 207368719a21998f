// FunctionDefinitions and ServiceDefinitions built in code, as the config loader (tested on its own) would
// normalise them, with the framework's defaults: 1,024 MB, 6 s, two async retries, events kept for 6 hours.
// A test names only what it is about.
import type {
  FunctionDefinition,
  ProviderDefinition,
  ServiceDefinition,
} from '../../src/config/service-definition';

export type FunctionOverrides = Partial<FunctionDefinition> & {
  /** For the default name, `<service>-<stage>-<key>`; `test-service` unless given. */
  service?: string;
  /** For the default name; `dev` unless given. */
  stage?: string;
};

/** A function named `<service>-<stage>-<key>`, its handler the export `handler` of `src/<key>`. */
export function functionDefinition(key: string, overrides: FunctionOverrides = {}): FunctionDefinition {
  const { service = 'test-service', stage = 'dev', ...fields } = overrides;
  return {
    key,
    name: `${service}-${stage}-${key}`,
    handler: `src/${key}.handler`,
    runtime: 'nodejs24.x',
    memorySize: 1024,
    timeout: 6,
    environment: {},
    maximumRetryAttempts: 2,
    maximumEventAge: 21_600,
    destinations: {},
    httpEvents: [],
    events: [],
    ...fields,
  };
}

export interface ServiceInput {
  service: string;
  servicePath: string;
  /** Region `us-east-1`, stage `dev`, runtime `nodejs24.x` and no binary media types unless given. */
  provider?: Partial<ProviderDefinition>;
  /** Function key to what differs from `functionDefinition`'s defaults; named after this service and stage. */
  functions?: Record<string, Partial<FunctionDefinition>>;
  resources?: Record<string, unknown>;
  custom?: Record<string, unknown>;
}

export function serviceDefinition(input: ServiceInput): ServiceDefinition {
  const provider: ProviderDefinition = {
    region: 'us-east-1',
    stage: 'dev',
    runtime: 'nodejs24.x',
    binaryMediaTypes: [],
    ...input.provider,
  };
  return {
    service: input.service,
    servicePath: input.servicePath,
    provider,
    functions: Object.fromEntries(
      Object.entries(input.functions ?? {}).map(([key, fields]) => [
        key,
        functionDefinition(key, { service: input.service, stage: provider.stage, ...fields }),
      ]),
    ),
    resources: input.resources ?? {},
    custom: input.custom ?? {},
  };
}

/** Function key to its events as `serverless print` lists them, made the `functions` of `serviceDefinition`. */
export function functionsWithEvents(
  functions: Record<string, Record<string, unknown>[]>,
): Record<string, Partial<FunctionDefinition>> {
  return Object.fromEntries(Object.entries(functions).map(([key, events]) => [key, { events }]));
}
