// Requests, policies and configurations for the authorizer tests, built the way the REST gateway and the
// serverless.yml loader would build them.
import type { AuthorizerConfig } from '../../../src/authorizers/authorizer-config';
import type { AuthorizationRequest } from '../../../src/authorizers/authorizer-event';
import type { ServiceDefinition } from '../../../src/config/service-definition';
import { serviceDefinition } from '../../support/function-definition';

export const API_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abcde12345';

export function methodArn(method: string, path: string, stage = 'dev'): string {
  return `${API_ARN}/${stage}/${method}/${path.replace(/^\//, '')}`;
}

/** A REST request as the gateway describes it to an authorizer; headers as given, no query string. */
export function restRequest(
  method: string,
  path: string,
  options: {
    headers?: Record<string, string>;
    query?: Record<string, string>;
    resource?: string;
    pathParameters?: Record<string, string>;
    stageVariables?: Record<string, string>;
  } = {},
): AuthorizationRequest {
  const headers = options.headers ?? {};
  const query = options.query;
  return {
    methodArn: methodArn(method, path),
    resource: options.resource ?? path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]]))
      : null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: options.stageVariables ?? null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcde12345',
      httpMethod: method,
      path: `/dev${path}`,
      stage: 'dev',
      identity: { sourceIp: '203.0.113.7' },
    },
  };
}

export function tokenAuthorizer(
  functionKey: string,
  overrides: Partial<AuthorizerConfig> = {},
): AuthorizerConfig {
  return {
    functionKey,
    type: 'TOKEN',
    identitySources: ['method.request.header.Authorization'],
    resultTtlInSeconds: 300,
    api: 'rest',
    ...overrides,
  };
}

export function requestAuthorizer(
  functionKey: string,
  identitySources: string[],
  overrides: Partial<AuthorizerConfig> = {},
): AuthorizerConfig {
  return {
    functionKey,
    type: 'REQUEST',
    identitySources,
    resultTtlInSeconds: 300,
    api: 'rest',
    ...overrides,
  };
}

/** An authorizer's output with one statement. */
export function policy(
  effect: 'Allow' | 'Deny',
  resource: string | string[],
  extra: { principalId?: unknown; context?: unknown; action?: unknown } = {},
): Record<string, unknown> {
  return {
    principalId: 'principalId' in extra ? extra.principalId : 'alice',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: extra.action ?? 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    ...(extra.context !== undefined && { context: extra.context }),
  };
}

/** A normalised service holding these functions, with these CloudFormation resources. */
export function serviceWith(
  functionKeys: string[],
  resources: Record<string, unknown> = {},
  servicePath = '/work/services/authorizer-tests',
): ServiceDefinition {
  return serviceDefinition({
    service: 'authorizer-tests',
    servicePath,
    functions: Object.fromEntries(functionKeys.map((key) => [key, {}])),
    resources,
  });
}
