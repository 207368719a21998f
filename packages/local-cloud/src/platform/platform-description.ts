// What the platform tells the rest of the world once its services run: the variables every sandbox gets, and
// what endpoints.json says. Derived from what runs: each AWS API mounted on the edge is listed at its URL, and
// each service module adds its own variables and entries (service-contract.ts), so a new service appears in
// both without an edit here.
import type { PlatformEndpointsInfo, ScheduleEndpoint } from '../endpoints';
import type { Edge } from '../edge';
import type { ScheduleRule } from '../event-sources/schedules/scheduled-rules';
import type { ResolvedResource } from './resolve-intrinsics';
import type { ServiceModule, Stoppable } from './service-contract';

/** The running services with the module each came from, in the list's order. */
export type RunningModules = { module: ServiceModule<string, Stoppable>; running: Stoppable }[];

export function sandboxEnvironment(edge: Edge, running: RunningModules): Record<string, string> {
  return {
    // Every AWS SDK v3 client (and the AWS CLI from 2.13) reads it; the edge routes each call to its service.
    AWS_ENDPOINT_URL: edge.url,
    // The edge answers HTTPS with local-cloud's certificate authority (AWS hostnames a sandbox calls, the
    // WebSocket management API at its callback URL): Node.js reads the file at process start.
    NODE_EXTRA_CA_CERTS: edge.caCertificateFile,
    ...Object.assign(
      {},
      ...running.map(({ module, running: service }) => module.environment?.(service) ?? {}),
    ),
  } as Record<string, string>;
}

export interface PlatformEndpointsInput {
  edge: Edge;
  running: RunningModules;
  environment: Record<string, string>;
  resources: Record<string, ResolvedResource>;
  schedules: ScheduleRule[];
}

export function platformEndpoints(input: PlatformEndpointsInput): PlatformEndpointsInfo {
  const { edge, running, environment, resources, schedules } = input;
  const endpointsFile: PlatformEndpointsInfo = {
    endpoints: { aws: edge.url, ...Object.fromEntries(edge.apis().map((api) => [api, edge.url])) },
    environment,
    resources,
    schedules: schedules.map(scheduleEndpoint),
  };
  for (const { module, running: service } of running) {
    const { endpoints, ...sections } = module.endpoints?.(service) ?? {};
    Object.assign(endpointsFile.endpoints, endpoints);
    Object.assign(endpointsFile, sections);
  }
  return endpointsFile;
}

function scheduleEndpoint(rule: ScheduleRule): ScheduleEndpoint {
  const endpoint: ScheduleEndpoint = {
    name: rule.name,
    logicalId: rule.logicalId,
    arn: rule.arn,
    functionKey: rule.functionKey,
    functionName: rule.functionName,
    expression: rule.expression.text,
    enabled: rule.enabled,
    method: rule.method,
  };
  if (rule.timezone !== undefined) endpoint.timezone = rule.timezone;
  if (rule.input !== undefined) endpoint.input = rule.input;
  if (rule.inputPath !== undefined) endpoint.inputPath = rule.inputPath;
  if (rule.inputTransformer !== undefined) endpoint.inputTransformer = rule.inputTransformer;
  return endpoint;
}
