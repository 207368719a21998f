// <service>/.local-cloud/endpoints.json: where a running local-cloud serves the service, so tools and tests
// (and the next issue's data services) find the URLs, region and key pair without being told.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceDefinition } from './config/service-definition';

export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

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
}

export interface EndpointsFile {
  service: string;
  stage: string;
  region: string;
  apiUrl: string;
  endpoints: { apigateway: string; lambda: string };
  /** Variables that point an AWS SDK v3 client at local-cloud. */
  environment: { AWS_ENDPOINT_URL_LAMBDA: string; AWS_REGION: string };
  credentials: AccessKeyPair;
  functions: FunctionEndpoint[];
}

export interface DescribeEndpointsInput {
  service: ServiceDefinition;
  apiUrl: string;
  lambdaEndpoint: string;
  credentials: AccessKeyPair;
  accountId: string;
}

export function describeEndpoints(input: DescribeEndpointsInput): EndpointsFile {
  const { service, apiUrl, lambdaEndpoint, credentials } = input;
  const region = service.provider.region;
  return {
    service: service.service,
    stage: service.provider.stage,
    region,
    apiUrl,
    endpoints: { apigateway: apiUrl, lambda: lambdaEndpoint },
    environment: { AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint, AWS_REGION: region },
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
