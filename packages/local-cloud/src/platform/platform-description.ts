// What the platform tells the rest of the world once its services run: the variables every sandbox gets, and
// what endpoints.json says. Derived from what runs: each AWS API mounted on the edge is listed at its URL, so a
// service added to the edge appears in both without an edit here.
import type { PlatformEndpointsInfo, ScheduleEndpoint } from '../endpoints';
import type { Edge } from '../edge';
import type { ScheduleRule } from '../event-sources/schedules/scheduled-rules';
import type { PlatformServices } from './platform';
import type { ResolvedResource } from './resolve-intrinsics';

export function sandboxEnvironment(edge: Edge, services: PlatformServices): Record<string, string> {
  const { identity, webSocket, xray, otlp } = services;
  return {
    // Every AWS SDK v3 client (and the AWS CLI from 2.13) reads it; the edge routes each call to its service.
    AWS_ENDPOINT_URL: edge.url,
    // Where an authorizer finds the local issuer, as it would find Auth0's from its configuration on AWS; a
    // service reads them only when it has no issuer of its own configured (see the README).
    LOCAL_CLOUD_IDENTITY_ISSUER: identity.issuer,
    LOCAL_CLOUD_IDENTITY_JWKS_URI: identity.jwksUri,
    ...(webSocket ? { NODE_EXTRA_CA_CERTS: webSocket.caCertificateFile } : {}),
    // The X-Ray SDK sends subsegments here; outside an invocation it logs instead of throwing, as on Lambda.
    AWS_XRAY_DAEMON_ADDRESS: xray.address,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    // The OpenTelemetry SDK's OTLP exporter posts spans here, as it would to the ADOT collector on AWS. Both
    // variables, as exporters read either: the base (they add /v1/traces) or the traces URL itself.
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlp.tracesEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  };
}

export interface PlatformEndpointsInput {
  edge: Edge;
  services: PlatformServices;
  environment: Record<string, string>;
  resources: Record<string, ResolvedResource>;
  schedules: ScheduleRule[];
}

export function platformEndpoints(input: PlatformEndpointsInput): PlatformEndpointsInfo {
  const { edge, services, environment, resources, schedules } = input;
  const { identity, webSocket } = services;
  const endpointsFile: PlatformEndpointsInfo = {
    endpoints: {
      aws: edge.url,
      ...Object.fromEntries(edge.apis().map((api) => [api, edge.url])),
      identity: identity.url,
      ...(webSocket ? { websocket: webSocket.url } : {}),
    },
    environment,
    identity: {
      url: identity.url,
      issuer: identity.issuer,
      jwksUri: identity.jwksUri,
      ...(identity.audience === undefined ? {} : { audience: identity.audience }),
    },
    resources,
    schedules: schedules.map(scheduleEndpoint),
  };
  if (webSocket) {
    endpointsFile.websocket = {
      url: webSocket.url,
      callbackUrl: webSocket.callbackUrl,
      apiId: webSocket.apiId,
      caCertificateFile: webSocket.caCertificateFile,
    };
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
