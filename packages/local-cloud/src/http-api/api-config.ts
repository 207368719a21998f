// `provider.httpApi` as the Serverless Framework v3 deploys it (compile/events/http-api.js): the payload
// format version of every integration (`payload`, default 2.0), the API's CORS configuration (read in
// cors.ts), and the authorizers routes name: JWT authorizers (issuerUrl, audience) and Lambda authorizers
// (`type: request`). What a deploy would refuse, and what
// local-cloud cannot run (an authorizer function of another service, an API of another stack), is refused
// here with the fix.
import { MAX_RESULT_TTL_SECONDS } from '../authorizers/authorizer-config';
import type { ServiceDefinition } from '../config/service-definition';
import { isRecord } from '../common/records';
import { httpApiConfigError } from './config-error';
import { corsConfigOf } from './cors';
import type { HttpApiRoute } from './route-definitions';

export type PayloadVersion = '1.0' | '2.0';

export interface HttpApiCors {
  allowOrigins: string[];
  allowHeaders: string[];
  allowMethods: string[];
  allowCredentials: boolean;
  exposeHeaders: string[];
  maxAge?: number;
}

/** An identity source, `$request.header.Authorization`, split into where and what. */
export interface IdentitySource {
  /** As written, for log lines. */
  expression: string;
  where: 'header' | 'querystring' | 'context' | 'stageVariables';
  name: string;
}

export interface JwtAuthorizerConfig {
  type: 'jwt';
  name: string;
  identitySource: IdentitySource;
  issuerUrl: string;
  audience: string[];
}

export interface LambdaAuthorizerConfig {
  type: 'request';
  name: string;
  functionKey: string;
  identitySources: IdentitySource[];
  enableSimpleResponses: boolean;
  payloadVersion: PayloadVersion;
  /** 0: no caching. */
  resultTtlInSeconds: number;
}

export type HttpApiAuthorizerConfig = JwtAuthorizerConfig | LambdaAuthorizerConfig;

export interface HttpApiConfig {
  payloadVersion: PayloadVersion;
  cors?: HttpApiCors;
  authorizers: Map<string, HttpApiAuthorizerConfig>;
}

type Service = Pick<ServiceDefinition, 'servicePath' | 'functions' | 'provider'>;

export function httpApiConfig(service: Service, routes: readonly HttpApiRoute[]): HttpApiConfig {
  const raw = service.provider.httpApi ?? {};
  if (raw.id !== undefined) {
    throw httpApiConfigError(
      service,
      'provider.httpApi.id names an HTTP API deployed outside this service, which local-cloud cannot serve',
      'remove provider.httpApi.id while you run the service locally',
    );
  }
  const payload = versionOf(raw.payload);
  if (payload !== '1.0' && payload !== '2.0') {
    throw httpApiConfigError(
      service,
      `provider.httpApi.payload is ${JSON.stringify(raw.payload)}`,
      "use '2.0' or '1.0'",
    );
  }
  const config: HttpApiConfig = {
    payloadVersion: payload,
    authorizers: authorizersOf(raw.authorizers, service),
  };
  const cors = corsConfigOf(raw.cors, routes, service);
  if (cors) config.cors = cors;
  for (const route of routes) {
    if (route.authorizer && !config.authorizers.has(route.authorizer.name)) {
      const known = [...config.authorizers.keys()].join(', ') || 'none';
      throw httpApiConfigError(
        service,
        `functions.${route.functionKey}: the route ${route.routeKey} names the authorizer "${route.authorizer.name}", which provider.httpApi.authorizers does not declare (declared: ${known})`,
        'declare it under provider.httpApi.authorizers, or name one that is',
      );
    }
  }
  return config;
}

function authorizersOf(value: unknown, service: Service): Map<string, HttpApiAuthorizerConfig> {
  const authorizers = new Map<string, HttpApiAuthorizerConfig>();
  if (value === undefined || value === null) return authorizers;
  if (!isRecord(value)) {
    throw httpApiConfigError(
      service,
      'provider.httpApi.authorizers is not a mapping',
      'key each authorizer by its name',
    );
  }
  for (const [key, raw] of Object.entries(value)) {
    const field = `provider.httpApi.authorizers.${key}`;
    if (!isRecord(raw))
      throw httpApiConfigError(service, `${field} is not a mapping`, 'give it issuerUrl and audience');
    const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : key;
    authorizers.set(
      key,
      raw.type === 'request'
        ? lambdaAuthorizer(name, raw, field, service)
        : jwtAuthorizer(name, raw, field, service),
    );
  }
  return authorizers;
}

function jwtAuthorizer(
  name: string,
  raw: Record<string, unknown>,
  field: string,
  service: Service,
): JwtAuthorizerConfig {
  if (raw.type !== undefined && raw.type !== 'jwt') {
    throw httpApiConfigError(
      service,
      `${field}.type is ${JSON.stringify(raw.type)}`,
      'use `type: request` for a Lambda authorizer, or leave it out for JWT',
    );
  }
  if (typeof raw.issuerUrl !== 'string' || raw.issuerUrl === '') {
    throw httpApiConfigError(
      service,
      `${field} is a JWT authorizer without issuerUrl`,
      "add the issuer of your tokens, such as `issuerUrl: ${env:AUTH_ISSUER, 'http://127.0.0.1:3003/'}` (local-cloud's own issuer with --port 3000)",
    );
  }
  const audience =
    raw.audience === undefined
      ? []
      : (Array.isArray(raw.audience) ? raw.audience : [raw.audience]).map(String);
  if (audience.length === 0) {
    throw httpApiConfigError(
      service,
      `${field} is a JWT authorizer without audience`,
      'add `audience:` with the audiences (or client ids) your tokens carry',
    );
  }
  const [source, ...more] = identitySourcesOf(
    raw.identitySource ?? '$request.header.Authorization',
    field,
    service,
  );
  if (!source || more.length > 0 || (source.where !== 'header' && source.where !== 'querystring')) {
    throw httpApiConfigError(
      service,
      `${field}.identitySource is ${JSON.stringify(raw.identitySource)}; a JWT authorizer reads the token from one header or query parameter`,
      'use `identitySource: $request.header.Authorization`',
    );
  }
  return { type: 'jwt', name, identitySource: source, issuerUrl: raw.issuerUrl, audience };
}

function lambdaAuthorizer(
  name: string,
  raw: Record<string, unknown>,
  field: string,
  service: Service,
): LambdaAuthorizerConfig {
  const functionKey = functionOf(raw, field, service);
  const payloadVersion = versionOf(raw.payloadVersion);
  if (payloadVersion !== '1.0' && payloadVersion !== '2.0') {
    throw httpApiConfigError(
      service,
      `${field}.payloadVersion is ${JSON.stringify(raw.payloadVersion)}`,
      "use '2.0' or '1.0'",
    );
  }
  const enableSimpleResponses = raw.enableSimpleResponses === true;
  if (enableSimpleResponses && payloadVersion !== '2.0') {
    throw httpApiConfigError(
      service,
      `${field} enables simple responses with payloadVersion 1.0, which API Gateway refuses`,
      "use payloadVersion '2.0', or return an IAM policy",
    );
  }
  const ttl = raw.resultTtlInSeconds === undefined ? 0 : Number(raw.resultTtlInSeconds);
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_RESULT_TTL_SECONDS) {
    throw httpApiConfigError(
      service,
      `${field}.resultTtlInSeconds is ${JSON.stringify(raw.resultTtlInSeconds)}`,
      'give 0 (no caching) to 3600 seconds',
    );
  }
  const identitySources =
    raw.identitySource === undefined ? [] : identitySourcesOf(raw.identitySource, field, service);
  if (ttl > 0 && identitySources.length === 0) {
    throw httpApiConfigError(
      service,
      `${field} caches results (resultTtlInSeconds ${ttl}) without an identitySource`,
      'add the identity sources that key the cache, such as $request.header.Authorization',
    );
  }
  return {
    type: 'request',
    name,
    functionKey,
    identitySources,
    enableSimpleResponses,
    payloadVersion,
    resultTtlInSeconds: ttl,
  };
}

/** `functionName: <key>`, or a `functionArn` naming a function of this service by its deployed name. */
function functionOf(raw: Record<string, unknown>, field: string, service: Service): string {
  if (typeof raw.functionName === 'string') {
    if (service.functions[raw.functionName]) return raw.functionName;
    throw httpApiConfigError(
      service,
      `${field}.functionName is "${raw.functionName}", which is not a function of this service`,
      `use one of: ${Object.keys(service.functions).join(', ')}`,
    );
  }
  if (typeof raw.functionArn === 'string') {
    const deployedName = /:function:([^:]+)(?::[^:]+)?$/.exec(raw.functionArn)?.[1];
    const fn = Object.values(service.functions).find((candidate) => candidate.name === deployedName);
    if (fn) return fn.key;
  }
  throw httpApiConfigError(
    service,
    `${field} is a Lambda authorizer without a function of this service (${JSON.stringify(raw.functionArn ?? raw.functionName)})`,
    'local-cloud runs authorizers that are functions of this service: set `functionName:` to its key',
  );
}

/** `'2.0'` (the default), `'1.0'`, or the value as written for the error (YAML may give 2 as a number). */
function versionOf(value: unknown): string {
  if (value === undefined) return '2.0';
  return typeof value === 'number'
    ? value.toFixed(1)
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
}

const SOURCE = /^\$(request\.header|request\.querystring|context|stageVariables)\.(.+)$/;

/**
 * A list, or a comma-separated string, of `$request.header.X`, `$request.querystring.x`, `$context.x` and
 * `$stageVariables.x`.
 */
function identitySourcesOf(value: unknown, field: string, service: Service): IdentitySource[] {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [value];
  return items.map((item) => {
    const expression = typeof item === 'string' ? item.trim() : '';
    const match = SOURCE.exec(expression);
    if (!match) {
      throw httpApiConfigError(
        service,
        `${field}.identitySource has ${JSON.stringify(item)}`,
        'use $request.header.<Name>, $request.querystring.<name>, $context.<variable> or $stageVariables.<name>',
      );
    }
    const where = (match[1] as string).replace('request.', '') as IdentitySource['where'];
    return { expression, where, name: match[2] as string };
  });
}
