// Turns the framework's resolved configuration (`serverless print --format json`) into a ServiceDefinition,
// applying the defaults the framework applies when it deploys (packages/serverless/lib/plugins/aws/package/
// compile/functions.js and .../events/api-gateway/lib/validate.js in v3), and rejecting what Lambda would.
import type {
  CorsDefinition,
  FunctionDefinition,
  HttpEventDefinition,
  ServiceDefinition,
} from './service-definition';
import { ServiceConfigError } from './service-config-error';

export const DEFAULT_MEMORY_SIZE_MB = 1024;
export const DEFAULT_TIMEOUT_SECONDS = 6;
/** What osls 3.x (the framework the course uses) deploys when neither the function nor the provider names a runtime. */
export const DEFAULT_RUNTIME = 'nodejs24.x';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_STAGE = 'dev';
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;

/** The framework's `cors: true` headers (v3 validate.js getCors). */
export const DEFAULT_CORS_HEADERS = [
  'Content-Type',
  'X-Amz-Date',
  'Authorization',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
  'X-Amzn-Trace-Id',
];

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE', 'ANY'];
const PROXY_INTEGRATIONS = ['AWS_PROXY', 'LAMBDA_PROXY'];

type Json = Record<string, unknown>;

export interface NormalizeOptions {
  /** Absolute path of the service folder. */
  servicePath: string;
  /** The configuration file (absolute), named in errors. */
  configFile: string;
  /** Wins over provider.stage, as `--stage` does. */
  stage?: string;
}

export function normalizeService(config: Json, options: NormalizeOptions): ServiceDefinition {
  const fail = (problem: string, fix: string): never => {
    throw new ServiceConfigError(options.configFile, problem, fix);
  };
  const service = serviceName(config.service);
  if (!service) fail('`service:` is missing', 'add `service: my-service` at the top');
  const provider = asObject(config.provider);
  if (provider.name !== undefined && provider.name !== 'aws') {
    fail(
      `provider.name is ${shown(provider.name)}; local-cloud emulates AWS only`,
      'set `provider.name: aws`',
    );
  }
  const stage = options.stage ?? optionalString(provider.stage) ?? DEFAULT_STAGE;
  const region = optionalString(provider.region) ?? DEFAULT_REGION;
  const providerRuntime = optionalString(provider.runtime) ?? DEFAULT_RUNTIME;
  const apiGateway = asObject(provider.apiGateway);
  const providerEnvironment = environmentOf(provider.environment, 'provider.environment', fail);

  const functions: Record<string, FunctionDefinition> = {};
  for (const [key, value] of Object.entries(asObject(config.functions))) {
    functions[key] = normalizeFunction(key, asObject(value), {
      service: service!,
      stage,
      providerRuntime,
      provider,
      providerEnvironment,
      providerSchemas: asObject(asObject(apiGateway.request).schemas),
      fail,
    });
  }

  const hasHttpEvents = Object.values(functions).some((fn) => fn.httpEvents.length > 0);
  if (hasHttpEvents && !/^[-_a-zA-Z0-9]+$/.test(stage)) {
    // The framework refuses it too (API_GATEWAY_INVALID_STAGE_NAME): the stage is a URL path segment.
    fail(`the stage "${stage}" is not a valid API Gateway stage name`, 'use only letters, digits, - and _');
  }

  const routeSelectionExpression = optionalString(provider.websocketsApiRouteSelectionExpression);
  return {
    service: service!,
    servicePath: options.servicePath,
    provider: {
      region,
      stage,
      runtime: providerRuntime,
      binaryMediaTypes: stringList(apiGateway.binaryMediaTypes),
      ...(routeSelectionExpression === undefined
        ? {}
        : { websocketsApiRouteSelectionExpression: routeSelectionExpression }),
      ...(provider.httpApi === undefined ? {} : { httpApi: asObject(provider.httpApi) }),
      ...iamRoleOf(provider),
    },
    functions,
    resources: asObject(asObject(config.resources).Resources),
    custom: asObject(config.custom),
    ...(config.stepFunctions === undefined ? {} : { stepFunctions: asObject(config.stepFunctions) }),
  };
}

interface FunctionContext {
  service: string;
  stage: string;
  providerRuntime: string;
  provider: Json;
  providerEnvironment: Record<string, string>;
  providerSchemas: Json;
  fail: (problem: string, fix: string) => never;
}

function normalizeFunction(key: string, fn: Json, context: FunctionContext): FunctionDefinition {
  const { fail } = context;
  const field = `functions.${key}`;
  if (fn.image !== undefined && fn.handler === undefined) {
    fail(`${field} is a container image; local-cloud runs Node.js handlers`, `give ${field} a \`handler:\``);
  }
  if (typeof fn.handler !== 'string' || fn.handler.trim() === '') {
    fail(
      `${field}.handler is missing`,
      `add \`handler: src/handlers/${key}.handler\` (file path, then the export)`,
    );
  }
  const handler = (fn.handler as string).trim();
  if (!/^.+\.[A-Za-z_$][\w$]*$/.test(handler)) {
    fail(
      `${field}.handler is "${handler}", which names no export`,
      'write it as <file path without extension>.<export>, e.g. src/handlers/hello.handler',
    );
  }
  const runtime = optionalString(fn.runtime) ?? context.providerRuntime;
  if (!runtime.startsWith('nodejs')) {
    fail(`${field}.runtime is ${runtime}; local-cloud runs Node.js functions only`, 'use a nodejs runtime');
  }
  const memorySize = integerSetting(fn.memorySize ?? context.provider.memorySize, DEFAULT_MEMORY_SIZE_MB);
  if (memorySize === undefined || memorySize < 128 || memorySize > 10_240) {
    fail(
      `${field}.memorySize is ${shown(fn.memorySize ?? context.provider.memorySize)}, but Lambda accepts 128 to 10240 MB`,
      'set memorySize to a whole number of MB between 128 and 10240',
    );
  }
  const timeout = numberSetting(fn.timeout ?? context.provider.timeout, DEFAULT_TIMEOUT_SECONDS);
  if (timeout === undefined || timeout < 1 || timeout > 900) {
    fail(
      `${field}.timeout is ${shown(fn.timeout ?? context.provider.timeout)}, but Lambda accepts 1 to 900 seconds`,
      'set timeout to a number of seconds between 1 and 900',
    );
  }
  const environment = {
    ...context.providerEnvironment,
    ...environmentOf(fn.environment, `${field}.environment`, fail),
  };
  const reservedConcurrency =
    fn.reservedConcurrency === undefined ? undefined : integerSetting(fn.reservedConcurrency, 0);
  if (reservedConcurrency !== undefined && reservedConcurrency < 0) {
    fail(
      `${field}.reservedConcurrency is ${shown(fn.reservedConcurrency)}`,
      'set it to a whole number, 0 or more',
    );
  }
  const maximumRetryAttempts = integerSetting(fn.maximumRetryAttempts, DEFAULT_MAXIMUM_RETRY_ATTEMPTS);
  if (maximumRetryAttempts === undefined || maximumRetryAttempts < 0 || maximumRetryAttempts > 2) {
    fail(`${field}.maximumRetryAttempts is ${shown(fn.maximumRetryAttempts)}`, 'set it to 0, 1 or 2');
  }
  const maximumEventAge = integerSetting(fn.maximumEventAge, DEFAULT_MAXIMUM_EVENT_AGE_SECONDS);
  if (maximumEventAge === undefined || maximumEventAge < 60 || maximumEventAge > 21_600) {
    fail(
      `${field}.maximumEventAge is ${shown(fn.maximumEventAge)}, but Lambda accepts 60 to 21600 seconds`,
      'set it to a whole number of seconds between 60 and 21600',
    );
  }
  const events = Array.isArray(fn.events) ? fn.events.map(asObject) : [];
  const httpEvents = events
    .filter((event) => event.http !== undefined)
    .map((event, index) => normalizeHttpEvent(event.http, `${field}.events[${index}].http`, context));

  const definition: FunctionDefinition = {
    key,
    name: optionalString(fn.name) ?? `${context.service}-${context.stage}-${key}`,
    handler,
    runtime,
    memorySize: memorySize!,
    timeout: timeout!,
    environment,
    maximumRetryAttempts: maximumRetryAttempts!,
    maximumEventAge: maximumEventAge!,
    destinations: destinationsOf(fn.destinations),
    httpEvents,
    events,
  };
  if (reservedConcurrency !== undefined) definition.reservedConcurrency = reservedConcurrency;
  const iam = functionIamOf(fn);
  if (iam !== undefined) definition.iam = iam;
  const deadLetterTarget = targetOf(fn.onError);
  if (deadLetterTarget !== undefined) definition.deadLetterTarget = deadLetterTarget;
  const unread = Object.keys(fn).filter((setting) => !FUNCTION_SETTINGS_READ.has(setting));
  if (unread.length > 0) definition.settingsNotRead = unread;
  return definition;
}

/**
 * The function settings local-cloud reads (above), or that change nothing about how a function runs here:
 * the others are listed at start (platform/not-emulated.ts), so none is ignored silently.
 */
const FUNCTION_SETTINGS_READ = new Set([
  'handler',
  'image',
  'runtime',
  'memorySize',
  'timeout',
  'environment',
  'reservedConcurrency',
  'maximumRetryAttempts',
  'maximumEventAge',
  'destinations',
  'onError',
  'events',
  'name',
  'role',
  'iamRoleStatements',
  'iamRoleStatementsInherit',
  'iamRoleStatementsName',
  // How it is deployed, described or logged, with no effect on a local run.
  'description',
  'tags',
  'package',
  'architecture',
  'logRetentionInDays',
  'tracing',
  'disableLogs',
]);

/**
 * `provider.iam.role`, or what the framework v2 keys say in its place (`provider.role` is a role to use;
 * `iamRoleStatements` and `iamManagedPolicies` fill the role the framework creates).
 */
function iamRoleOf(provider: Json): { iamRole?: unknown } {
  const iam = asObject(provider.iam);
  if (iam.role !== undefined) return { iamRole: iam.role };
  if (provider.role !== undefined) return { iamRole: provider.role };
  if (provider.iamRoleStatements === undefined && provider.iamManagedPolicies === undefined) return {};
  return {
    iamRole: {
      ...(provider.iamRoleStatements === undefined ? {} : { statements: provider.iamRoleStatements }),
      ...(provider.iamManagedPolicies === undefined ? {} : { managedPolicies: provider.iamManagedPolicies }),
    },
  };
}

/** A function's `role:` and the serverless-iam-roles-per-function plugin's settings; undefined without them. */
function functionIamOf(fn: Json): FunctionDefinition['iam'] {
  if (fn.role === undefined && fn.iamRoleStatements === undefined) return undefined;
  return {
    ...(fn.role === undefined ? {} : { role: fn.role }),
    ...(Array.isArray(fn.iamRoleStatements) ? { statements: fn.iamRoleStatements as unknown[] } : {}),
    ...(fn.iamRoleStatementsInherit === true ? { inherit: true } : {}),
    ...(typeof fn.iamRoleStatementsName === 'string' ? { roleName: fn.iamRoleStatementsName } : {}),
  };
}

function normalizeHttpEvent(value: unknown, field: string, context: FunctionContext): HttpEventDefinition {
  const { fail } = context;
  let http: Json;
  if (typeof value === 'string') {
    // The short form, `http: GET /hello` (the framework splits it on the space too).
    const [method = '', path = ''] = value.trim().split(/\s+/);
    http = { method, path };
  } else {
    http = asObject(value);
  }
  const method = shown(http.method ?? '').toUpperCase();
  if (!HTTP_METHODS.includes(method)) {
    fail(`${field}.method is "${shown(http.method ?? '')}"`, `use one of ${HTTP_METHODS.join(', ')}`);
  }
  if (typeof http.path !== 'string') fail(`${field}.path is missing`, 'add `path: /items/{id}`');
  const integration = shown(http.integration ?? 'AWS_PROXY')
    .toUpperCase()
    .replace('-', '_');
  if (!PROXY_INTEGRATIONS.includes(integration)) {
    fail(
      `${field}.integration is ${shown(http.integration)}; local-cloud serves the Lambda proxy integration only`,
      'remove `integration:` to use lambda-proxy, the default',
    );
  }
  const event: HttpEventDefinition = {
    method,
    // The framework trims leading and trailing slashes; API Gateway resources start with one.
    path: `/${(http.path as string).replace(/^\//, '').replace(/\/$/, '')}`,
    requestSchemas: requestSchemasOf(asObject(http.request), field, context),
  };
  if (http.cors !== undefined && http.cors !== false) event.cors = corsOf(http.cors, method);
  if (http.authorizer !== undefined) event.authorizer = http.authorizer;
  return event;
}

/** As the framework's getCors: `true` gives the defaults; the object form overrides them field by field. */
function corsOf(value: unknown, method: string): CorsDefinition {
  if (typeof value !== 'object' || value === null) {
    return {
      origins: ['*'],
      headers: [...DEFAULT_CORS_HEADERS],
      methods: ['OPTIONS', method],
      allowCredentials: false,
    };
  }
  const cors = value as Json;
  const origins = Array.isArray(cors.origins)
    ? stringList(cors.origins)
    : [typeof cors.origin === 'string' ? cors.origin : '*'];
  const headers =
    typeof cors.headers === 'string'
      ? [cors.headers]
      : Array.isArray(cors.headers)
        ? stringList(cors.headers)
        : [...DEFAULT_CORS_HEADERS];
  const methods = stringList(cors.methods).map((m) => m.toUpperCase());
  if (!methods.includes('OPTIONS')) methods.push('OPTIONS');
  if (!methods.includes(method)) methods.push(method);
  const definition: CorsDefinition = {
    origins,
    headers,
    methods,
    allowCredentials: Boolean(cors.allowCredentials),
  };
  if (typeof cors.maxAge === 'number') definition.maxAge = cors.maxAge;
  return definition;
}

/**
 * `request.schemas` maps a content type to a model: the schema itself, `{ schema, name, description }`, or
 * the name of a model in provider.apiGateway.request.schemas. `request.schema` is the framework v2 spelling,
 * which v3 still accepts for the proxy integration.
 */
function requestSchemasOf(request: Json, field: string, context: FunctionContext): Record<string, object> {
  const schemas: Record<string, object> = {};
  const declared = { ...asObject(request.schema), ...asObject(request.schemas) };
  for (const [contentType, model] of Object.entries(declared)) {
    let resolved: unknown = model;
    if (typeof model === 'string') {
      const providerModel = context.providerSchemas[model];
      if (providerModel !== undefined) {
        resolved = asObject(providerModel).schema ?? providerModel;
      } else {
        try {
          resolved = JSON.parse(model);
        } catch {
          context.fail(
            `${field}.request.schemas["${contentType}"] is "${model}", neither a JSON Schema nor a model in provider.apiGateway.request.schemas`,
            'write the schema inline, load it with ${file(./schemas/model.json)}, or declare the model under provider.apiGateway.request.schemas',
          );
        }
      }
    } else if (typeof model === 'object' && model !== null && 'schema' in model) {
      resolved = (model as Json).schema;
    }
    if (typeof resolved !== 'object' || resolved === null || Array.isArray(resolved)) {
      context.fail(
        `${field}.request.schemas["${contentType}"] is not a JSON Schema object`,
        'give it a JSON Schema',
      );
    }
    schemas[contentType] = resolved;
  }
  return schemas;
}

/**
 * A destination or `onError` target: a function name, an ARN, `{ arn }` (the framework's long form, with `type`),
 * or an intrinsic function, kept as its JSON until the platform resolves it.
 */
function targetOf(entry: unknown): string | undefined {
  if (entry === undefined || entry === null) return undefined;
  if (typeof entry === 'string') return entry;
  const object = asObject(entry);
  const arn = 'arn' in object ? object.arn : Object.keys(object).length === 1 ? object : undefined;
  if (arn === undefined) return undefined;
  return typeof arn === 'string' ? arn : JSON.stringify(arn);
}

function destinationsOf(value: unknown): FunctionDefinition['destinations'] {
  const destinations = asObject(value);
  const target = targetOf;
  const result: FunctionDefinition['destinations'] = {};
  const onSuccess = target(destinations.onSuccess);
  const onFailure = target(destinations.onFailure);
  if (onSuccess !== undefined) result.onSuccess = onSuccess;
  if (onFailure !== undefined) result.onFailure = onFailure;
  return result;
}

/**
 * Lambda's variables are strings; CloudFormation turns numbers and booleans into strings. An intrinsic
 * function (`{ Ref: ImagesTable }`) cannot be resolved without a deployment, so it is kept as its JSON for
 * the data services to resolve (a later issue).
 */
function environmentOf(
  value: unknown,
  field: string,
  fail: (problem: string, fix: string) => never,
): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    fail(`${field} is not a mapping`, 'write it as NAME: value lines');
  }
  const environment: Record<string, string> = {};
  for (const [name, variable] of Object.entries(value as Json)) {
    if (variable === null || variable === undefined) continue;
    environment[name] = shown(variable);
  }
  return environment;
}

/** A value as text: scalars as they read in YAML, mappings and lists as JSON. */
function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? 'undefined';
}

function serviceName(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return optionalString(asObject(value).name);
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The value as a whole number (the framework accepts numeric strings); undefined when it is not one. */
function integerSetting(value: unknown, fallback: number): number | undefined {
  const number = numberSetting(value, fallback);
  return number !== undefined && Number.isInteger(number) ? number : undefined;
}

function numberSetting(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === null) return fallback;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}
