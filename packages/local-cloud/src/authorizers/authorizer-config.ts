// The `authorizer:` of an `http` or `websocket` event, read as the Serverless Framework v3 reads it
// (compile/events/api-gateway/lib/validate.js getAuthorizer and websockets/lib/validate.js), into what
// API Gateway would deploy: a Lambda authorizer of type TOKEN or REQUEST, its identity sources, validation
// expression and cache TTL. local-cloud runs authorizers that are functions of the same service; every other
// form (Cognito user pools, AWS_IAM, an existing authorizerId, a function of another service) is refused
// with one line naming serverless.yml and the fix, never served unprotected.
import path from 'node:path';
import { findConfigFile } from '../config/config-inputs';
import type { ServiceDefinition } from '../config/service-definition';
import { ServiceConfigError } from '../config/service-config-error';
import { isRecord } from '../common/records';

export interface AuthorizerConfig {
  /** The authorizer function: its key in serverless.yml. */
  functionKey: string;
  type: 'TOKEN' | 'REQUEST';
  /**
   * Mapping expressions, in order: `method.request.header.Authorization`, `method.request.querystring.token`,
   * `stageVariables.name`, `context.identity.sourceIp`; WebSocket: `route.request.header.Auth`,
   * `route.request.querystring.token`. Empty only for a REQUEST authorizer without caching.
   */
  identitySources: string[];
  /** TOKEN only: the token must match this regular expression (the whole token) or the answer is 401. */
  validationExpression?: string;
  /** 0 turns caching off; default 300, at most 3,600. WebSocket authorizers never cache. */
  resultTtlInSeconds: number;
  /** Which API the authorizer guards: the REQUEST event's shape differs. Default `rest`. */
  api?: 'rest' | 'websocket';
}

export const DEFAULT_RESULT_TTL_SECONDS = 300;
export const MAX_RESULT_TTL_SECONDS = 3600;
/** What the framework puts in `identitySource` when serverless.yml names none. */
export const DEFAULT_HTTP_IDENTITY_SOURCE = 'method.request.header.Authorization';
export const DEFAULT_WEBSOCKET_IDENTITY_SOURCE = 'route.request.header.Auth';

const HTTP_TOKEN_SOURCE = /^method\.request\.header\.[^.\s,]+$/;
const HTTP_REQUEST_SOURCE =
  /^(?:method\.request\.(?:header|multivalueheader|querystring|multivaluequerystring)\.[^\s,]+|stageVariables\.[^\s,]+|context\.[^\s,]+)$/;
const WEBSOCKET_SOURCE =
  /^(?:route\.request\.(?:header|querystring)\.[^\s,]+|stageVariables\.[^\s,]+|context\.[^\s,]+)$/;

const COGNITO_ARN = /^arn:aws[\w-]*:cognito-idp:/;

export interface AuthorizerLocation {
  /** The function whose event has the authorizer. */
  functionKey: string;
  kind: 'http' | 'websocket';
  /** A ServiceDefinition, or just its folder (for the error's file) and functions by key. */
  service: Pick<ServiceDefinition, 'servicePath' | 'functions'>;
}

/**
 * The authorizer an event's raw `authorizer:` value deploys, or undefined when the event has none. Throws a
 * ServiceConfigError for a value the framework or API Gateway would refuse, and for authorizers local-cloud
 * cannot run.
 */
export function authorizerConfigFor(raw: unknown, where: AuthorizerLocation): AuthorizerConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  return where.kind === 'websocket' ? websocketAuthorizer(raw, where) : httpAuthorizer(raw, where);
}

function httpAuthorizer(raw: unknown, where: AuthorizerLocation): AuthorizerConfig {
  const field = `functions.${where.functionKey}: the http event's authorizer`;
  if (typeof raw === 'string') {
    if (raw.toUpperCase() === 'AWS_IAM') throw unsupportedIam(where, field);
    const functionKey = raw.includes(':')
      ? functionOfArn(raw, where, field)
      : functionNamed(raw, where, field);
    return tokenDefaults(functionKey);
  }
  if (!isRecord(raw)) {
    throw configError(
      where,
      `${field} is ${JSON.stringify(raw)}`,
      'write the name of a function of this service (`authorizer: checkToken`) or an object with `name:`',
    );
  }
  const type = typeof raw.type === 'string' ? raw.type.toUpperCase() : undefined;
  if (raw.authorizerId !== undefined) {
    throw configError(
      where,
      `${field} uses authorizerId, an authorizer that exists outside this service`,
      'local-cloud runs Lambda authorizers that are functions of this service: point `name:` at one',
    );
  }
  if (type === 'AWS_IAM') throw unsupportedIam(where, field);
  if (type === 'COGNITO_USER_POOLS' || (typeof raw.arn === 'string' && COGNITO_ARN.test(raw.arn))) {
    throw configError(
      where,
      `${field} is a Cognito user pool authorizer, which local-cloud does not emulate`,
      'use a Lambda authorizer of type token or request that verifies the JWT (local-cloud issues them: ' +
        '`local-cloud token --sub alice`, keys at /.well-known/jwks.json), or test this route on AWS',
    );
  }
  if (type !== undefined && type !== 'TOKEN' && type !== 'REQUEST') {
    throw configError(
      where,
      `${field} has type ${JSON.stringify(raw.type)}; API Gateway's Lambda authorizers are TOKEN or REQUEST`,
      'set `type: token` or `type: request`',
    );
  }
  let functionKey: string;
  if (raw.arn !== undefined) {
    functionKey = functionOfArn(raw.arn, where, field);
  } else if (typeof raw.name === 'string' && raw.name !== '') {
    functionKey = functionNamed(raw.name, where, field);
  } else {
    throw configError(
      where,
      `${field} has neither a name nor an arn`,
      'add `name:` with the key of the authorizer function in serverless.yml',
    );
  }

  const ttl = resultTtlOf(raw.resultTtlInSeconds, where, field);
  const authorizerType = type ?? 'TOKEN';
  const identitySources = identitySourcesOf(raw.identitySource, field, where);
  if (identitySources.length === 0 && !(authorizerType === 'REQUEST' && ttl === 0)) {
    identitySources.push(DEFAULT_HTTP_IDENTITY_SOURCE);
  }
  const config: AuthorizerConfig = {
    functionKey,
    type: authorizerType,
    identitySources,
    resultTtlInSeconds: ttl,
    api: 'rest',
  };
  if (authorizerType === 'TOKEN') {
    const [source, extra] = identitySources;
    if (source === undefined || extra !== undefined || !HTTP_TOKEN_SOURCE.test(source)) {
      throw configError(
        where,
        `${field} is a TOKEN authorizer with identitySource ${JSON.stringify(raw.identitySource)}; a TOKEN ` +
          'authorizer reads exactly one header',
        'use `identitySource: method.request.header.Authorization` (or another header), or `type: request` ' +
          'for query strings and several sources',
      );
    }
    if (raw.identityValidationExpression !== undefined) {
      config.validationExpression = validationExpressionOf(raw.identityValidationExpression, field, where);
    }
  } else {
    // API Gateway ignores a validation expression on REQUEST authorizers, as here.
    for (const source of identitySources) {
      if (!HTTP_REQUEST_SOURCE.test(source)) {
        throw configError(
          where,
          `${field} has identity source "${source}", which API Gateway does not accept for a REST API`,
          'use method.request.header.<Name>, method.request.querystring.<name>, stageVariables.<name> or ' +
            'context.<variable>, separated by commas',
        );
      }
    }
  }
  return config;
}

function websocketAuthorizer(raw: unknown, where: AuthorizerLocation): AuthorizerConfig {
  const field = `functions.${where.functionKey}: the websocket event's authorizer`;
  let functionKey: string;
  let sources: unknown;
  if (typeof raw === 'string') {
    functionKey = raw.includes(':') ? functionOfArn(raw, where, field) : functionNamed(raw, where, field);
  } else if (isRecord(raw)) {
    if (raw.arn !== undefined) functionKey = functionOfArn(raw.arn, where, field);
    else if (typeof raw.name === 'string' && raw.name !== '')
      functionKey = functionNamed(raw.name, where, field);
    else {
      throw configError(
        where,
        `${field} has neither a name nor an arn`,
        'add `name:` with the key of the authorizer function in serverless.yml',
      );
    }
    sources = raw.identitySource;
  } else {
    throw configError(
      where,
      `${field} is ${JSON.stringify(raw)}`,
      'write the name of a function of this service, or `{ name, identitySource: [...] }`',
    );
  }
  const identitySources = identitySourcesOf(sources, field, where);
  if (identitySources.length === 0) identitySources.push(DEFAULT_WEBSOCKET_IDENTITY_SOURCE);
  for (const source of identitySources) {
    if (!WEBSOCKET_SOURCE.test(source)) {
      throw configError(
        where,
        `${field} has identity source "${source}", which a WebSocket API does not accept`,
        'use route.request.header.<Name>, route.request.querystring.<name>, stageVariables.<name> or ' +
          'context.<variable>',
      );
    }
  }
  // WebSocket APIs have REQUEST authorizers only, and API Gateway caches none of their results.
  return { functionKey, type: 'REQUEST', identitySources, resultTtlInSeconds: 0, api: 'websocket' };
}

function tokenDefaults(functionKey: string): AuthorizerConfig {
  return {
    functionKey,
    type: 'TOKEN',
    identitySources: [DEFAULT_HTTP_IDENTITY_SOURCE],
    resultTtlInSeconds: DEFAULT_RESULT_TTL_SECONDS,
    api: 'rest',
  };
}

function functionNamed(name: string, where: AuthorizerLocation, field: string): string {
  if (where.service.functions[name]) return name;
  const known = Object.keys(where.service.functions).join(', ') || 'none';
  throw configError(
    where,
    `${field} names "${name}", which is not a function of this service (functions: ${known})`,
    'set it to the key of the authorizer function under `functions:`',
  );
}

/**
 * A function of this service named by ARN: a string ARN with the function's deployed name, or
 * `Fn::GetAtt: [<Key>LambdaFunction, Arn]` as the framework names the function's CloudFormation resource.
 */
function functionOfArn(arn: unknown, where: AuthorizerLocation, field: string): string {
  const functions = Object.values(where.service.functions);
  if (typeof arn === 'string') {
    const match = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(arn);
    const fn = match && functions.find((candidate) => candidate.name === match[1]);
    if (fn) return fn.key;
  } else if (isRecord(arn)) {
    const getAtt = arn['Fn::GetAtt'];
    const parts: unknown[] =
      typeof getAtt === 'string' ? getAtt.split('.') : Array.isArray(getAtt) ? getAtt : [];
    const [logicalId, attribute] = parts;
    const fn =
      attribute === 'Arn' && typeof logicalId === 'string'
        ? functions.find((candidate) => lambdaLogicalId(candidate.key) === logicalId)
        : undefined;
    if (fn) return fn.key;
  }
  throw configError(
    where,
    `${field} has arn ${JSON.stringify(arn)}, which is not a function of this service`,
    'local-cloud runs authorizers that are functions of this service: use `name: <function key>`, or an ' +
      'arn with Fn::GetAtt [<Function>LambdaFunction, Arn]',
  );
}

/** The framework's logical id for a function's AWS::Lambda::Function resource (naming.getLambdaLogicalId). */
export function lambdaLogicalId(functionKey: string): string {
  const normalized = functionKey.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}

function resultTtlOf(value: unknown, where: AuthorizerLocation, field: string): number {
  // As the framework: parseInt, and anything that is not a number means the default.
  const parsed = Number.parseInt(String(value), 10);
  const ttl = Number.isNaN(parsed) ? DEFAULT_RESULT_TTL_SECONDS : parsed;
  if (ttl < 0 || ttl > MAX_RESULT_TTL_SECONDS) {
    throw configError(
      where,
      `${field} has resultTtlInSeconds ${JSON.stringify(value)}; API Gateway caches results for 0 to 3600 seconds`,
      'set resultTtlInSeconds between 0 (no caching) and 3600',
    );
  }
  return ttl;
}

/** `identitySource` as a comma-separated string (REST) or a list (WebSocket); either is accepted for both. */
function identitySourcesOf(value: unknown, field: string, where: AuthorizerLocation): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  if (!items || !items.every((item) => typeof item === 'string')) {
    throw configError(
      where,
      `${field} has identitySource ${JSON.stringify(value)}`,
      'write the mapping expressions as a string separated by commas, e.g. ' +
        '`method.request.header.Authorization, method.request.querystring.token`',
    );
  }
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function validationExpressionOf(value: unknown, field: string, where: AuthorizerLocation): string {
  if (typeof value !== 'string') {
    throw configError(
      where,
      `${field} has identityValidationExpression ${JSON.stringify(value)}`,
      'write a regular expression as a string, e.g. `^Bearer [-0-9a-zA-Z._]+$`',
    );
  }
  try {
    new RegExp(value);
  } catch (error) {
    throw configError(
      where,
      `${field} has identityValidationExpression ${JSON.stringify(value)}, which is not a valid regular ` +
        `expression (${error instanceof Error ? error.message : String(error)})`,
      'fix the expression, e.g. `^Bearer [-0-9a-zA-Z._]+$`',
    );
  }
  return value;
}

function unsupportedIam(where: AuthorizerLocation, field: string): ServiceConfigError {
  return configError(
    where,
    `${field} is aws_iam (SigV4-signed callers), which local-cloud does not emulate for http events`,
    'use a Lambda authorizer (`authorizer: <function key>`), or test this route on AWS',
  );
}

function configError(where: AuthorizerLocation, problem: string, fix: string): ServiceConfigError {
  const { servicePath } = where.service;
  return new ServiceConfigError(
    findConfigFile(servicePath) ?? path.join(servicePath, 'serverless.yml'),
    problem,
    fix,
  );
}
