// <service>/.local-cloud/endpoints.json: where a running local-cloud serves the service, so tools and tests
// (and the next issue's data services) find the URLs, region and key pair without being told.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceDefinition } from './config/service-definition';
import { httpApiRoutes, type HttpApiRoute } from './http-api/route-definitions';

import type { AccessKeyPair } from './protocol/sigv4';

export type { AccessKeyPair };

/**
 * The key pair local-cloud accepts when none is configured. Not a secret: it opens nothing but a local
 * emulator on loopback, and it is written to endpoints.json for every tool to read. Override it with
 * LOCAL_CLOUD_ACCESS_KEY_ID and LOCAL_CLOUD_SECRET_ACCESS_KEY.
 */
export const DEFAULT_CREDENTIALS: AccessKeyPair = {
  accessKeyId: 'LOCALCLOUDACCESSKEY',
  secretAccessKey: 'local-cloud-secret-key',
};

export function localCredentials(env: NodeJS.ProcessEnv = process.env): AccessKeyPair {
  return {
    accessKeyId: env.LOCAL_CLOUD_ACCESS_KEY_ID || DEFAULT_CREDENTIALS.accessKeyId,
    secretAccessKey: env.LOCAL_CLOUD_SECRET_ACCESS_KEY || DEFAULT_CREDENTIALS.secretAccessKey,
  };
}

export interface RouteEndpoint {
  method: string;
  /** API Gateway's resource path: `/items/{id}`. */
  path: string;
  /** The path under the stage's URL, templates kept: `http://127.0.0.1:3000/dev/items/{id}`. */
  url: string;
}

export interface FunctionEndpoint {
  key: string;
  name: string;
  arn: string;
  routes: RouteEndpoint[];
  /** Its HTTP API routes, when it has `httpApi` events. */
  httpApiRoutes?: HttpApiRouteEndpoint[];
}

export interface HttpApiRouteEndpoint {
  /** `GET /users/{id}`, or `$default` (every request no other route takes). */
  routeKey: string;
  /** The URL, templates kept: `http://127.0.0.1:3000/users/{id}`; for `$default`, the API's URL. */
  url: string;
}

export interface EndpointsFile {
  service: string;
  stage: string;
  region: string;
  apiUrl: string;
  /** The HTTP API (`httpApi` events): its `$default` stage at the root of the REST API's port. */
  httpApiUrl?: string;
  /**
   * `aws`: the one endpoint of every AWS API (the edge). By service too (lambda, and with the data services
   * s3, sns, secretsmanager, ssm, dynamodb, dynamodbstreams: all the edge's URL), then identity, websocket.
   */
  endpoints: { apigateway: string; lambda: string; aws: string } & Record<string, string>;
  /**
   * Variables that point an AWS SDK v3 client at local-cloud: AWS_ENDPOINT_URL (the edge), AWS_REGION, and
   * NODE_EXTRA_CA_CERTS when the WebSocket API's management endpoint (HTTPS) runs.
   */
  environment: { AWS_ENDPOINT_URL: string; AWS_REGION: string } & Record<string, string>;
  credentials: AccessKeyPair;
  functions: FunctionEndpoint[];
  /** The WebSocket API, when the service has `websocket` events. */
  websocket?: WebSocketEndpoint;
  /** The local identity issuer: where an authorizer finds its keys. */
  identity?: IdentityEndpoint;
  /** What each CloudFormation resource's `Ref` and `Fn::GetAtt` give, by logical id. */
  resources?: Record<string, ResourceEndpoint>;
  /** The schedule rules, for `local-cloud fire`. */
  schedules?: ScheduleEndpoint[];
}

export interface WebSocketEndpoint {
  /** `ws://127.0.0.1:3002/dev` (wss:// on the same port). */
  url: string;
  /** `https://127.0.0.1:3002/dev`: the management API, as handlers build it from requestContext. */
  callbackUrl: string;
  apiId: string;
  /** The local certificate authority, for NODE_EXTRA_CA_CERTS. */
  caCertificateFile: string;
}

export interface IdentityEndpoint {
  url: string;
  issuer: string;
  jwksUri: string;
  audience?: string;
}

export interface ResourceEndpoint {
  type: string;
  ref: string;
  attributes: Record<string, string>;
}

/** A schedule rule as `local-cloud fire` needs it to send the event the rule would send. */
export interface ScheduleEndpoint {
  name: string;
  logicalId: string;
  arn: string;
  functionKey: string;
  functionName: string;
  /** `rate(5 minutes)`, `cron(0 12 * * ? *)`. */
  expression: string;
  enabled: boolean;
  method: 'eventBus' | 'scheduler';
  timezone?: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: { inputPathsMap: Record<string, string>; inputTemplate: string };
}

/** What the data services add to endpoints.json (the platform's `endpointsFile`). */
export interface PlatformEndpointsInfo {
  endpoints: Record<string, string>;
  environment: Record<string, string>;
  websocket?: WebSocketEndpoint;
  identity?: IdentityEndpoint;
  resources: Record<string, ResourceEndpoint>;
  schedules: ScheduleEndpoint[];
}

export interface DescribeEndpointsInput {
  service: ServiceDefinition;
  apiUrl: string;
  /** Present when the service has `httpApi` events. */
  httpApiUrl?: string;
  lambdaEndpoint: string;
  credentials: AccessKeyPair;
  accountId: string;
  /** The data services' endpoints, when they run. */
  platform?: PlatformEndpointsInfo;
}

export function describeEndpoints(input: DescribeEndpointsInput): EndpointsFile {
  const { service, apiUrl, httpApiUrl, lambdaEndpoint, credentials, platform } = input;
  const region = service.provider.region;
  const httpRoutes = httpApiUrl === undefined ? [] : httpApiRoutes(service);
  const file: EndpointsFile = {
    service: service.service,
    stage: service.provider.stage,
    region,
    apiUrl,
    ...(httpApiUrl !== undefined && { httpApiUrl }),
    endpoints: {
      apigateway: apiUrl,
      ...(httpApiUrl !== undefined && { httpapi: httpApiUrl }),
      lambda: lambdaEndpoint,
      aws: lambdaEndpoint,
      ...platform?.endpoints,
    },
    environment: { AWS_ENDPOINT_URL: lambdaEndpoint, ...platform?.environment, AWS_REGION: region },
    credentials,
    functions: Object.values(service.functions).map((fn) => ({
      key: fn.key,
      name: fn.name,
      arn: `arn:aws:lambda:${region}:${input.accountId}:function:${fn.name}`,
      routes: fn.httpEvents.map((event) => ({
        method: event.method,
        path: event.path,
        url: routeUrl(apiUrl, event.path),
      })),
      ...httpApiRoutesOf(fn.key, httpRoutes, httpApiUrl),
    })),
  };
  if (platform?.websocket) file.websocket = platform.websocket;
  if (platform?.identity) file.identity = platform.identity;
  if (platform) {
    file.resources = platform.resources;
    file.schedules = platform.schedules;
  }
  return file;
}

function httpApiRoutesOf(
  functionKey: string,
  routes: readonly HttpApiRoute[],
  httpApiUrl: string | undefined,
): Pick<FunctionEndpoint, 'httpApiRoutes'> {
  const own = routes.filter((route) => route.functionKey === functionKey);
  if (httpApiUrl === undefined || own.length === 0) return {};
  return {
    httpApiRoutes: own.map((route) => ({
      routeKey: route.routeKey,
      url: route.path === undefined ? httpApiUrl : `${httpApiUrl}${route.path}`,
    })),
  };
}

export function routeUrl(apiUrl: string, routePath: string): string {
  return routePath === '/' ? `${apiUrl}/` : `${apiUrl}${routePath}`;
}

export function endpointsFilePath(servicePath: string): string {
  return path.join(servicePath, '.local-cloud', 'endpoints.json');
}

/** Writes the file and returns its path. */
export function writeEndpointsFile(servicePath: string, endpoints: EndpointsFile): string {
  const file = endpointsFilePath(servicePath);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(path.join(path.dirname(file), '.gitignore'), '*\n');
  writeFileSync(file, `${JSON.stringify(endpoints, null, 2)}\n`);
  return file;
}
