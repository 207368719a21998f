// Customised gateway responses: the CloudFormation `AWS::ApiGateway::GatewayResponse` resources of a
// service, which change what API Gateway itself answers (its 4xx and 5xx, not the function's responses).
// The course uses them to add CORS headers to the gateway's own errors: without them a browser reports a
// 401 from an authorizer as a CORS failure, on AWS as here.
//
// Which configuration applies to a response (supported-gateway-response-types):
//   1. the resource whose ResponseType is the response's own type (UNAUTHORIZED, ACCESS_DENIED, ...);
//   2. otherwise DEFAULT_4XX or DEFAULT_5XX, by the type's default status (or the status sent, for responses
//      with no type of their own); its StatusCode then replaces the status of every response it covers;
//   3. otherwise none: the gateway's default response, without any added header.
// A configured type replaces the defaults entirely: its headers are not merged with DEFAULT_4XX's.
import path from 'node:path';
import { findConfigFile } from '../config/config-inputs';
import type { ServiceDefinition } from '../config/service-definition';
import { ServiceConfigError } from '../config/service-config-error';
import { isRecord } from '../common/records';

/** Every gateway response type, with its default status (none for the two defaults). */
export const GATEWAY_RESPONSE_DEFAULT_STATUS = {
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  QUOTA_EXCEEDED: 429,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  THROTTLED: 429,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WAF_FILTERED: 403,
} as const satisfies Record<string, number | undefined>;

export type GatewayResponseType = keyof typeof GATEWAY_RESPONSE_DEFAULT_STATUS;

/**
 * The type of each response the REST gateway writes itself (keys as in api-gateway/errors/gateway-responses.ts,
 * plus the authorizer's). A Lambda proxy 502 (function error, malformed response) and Lambda's refusals
 * (the 500 for a throttled or unknown function) have no type of their own: AWS's INTEGRATION_FAILURE
 * defaults to 504, not what these send, so they fall under DEFAULT_5XX.
 */
export const REST_GATEWAY_RESPONSE_TYPES = {
  /** 403 `{"message":"Missing Authentication Token"}`: unknown stage, resource or method. */
  missingAuthenticationToken: 'MISSING_AUTHENTICATION_TOKEN',
  /** 400 `{"message": "Invalid request body"}`: the body fails the request model. */
  invalidRequestBody: 'BAD_REQUEST_BODY',
  /** 500: Lambda refused the invocation (throttled, unknown function, event too large). */
  invocationRejected: 'DEFAULT_5XX',
  /** 500: a binary body that is not valid base64. */
  apiConfigurationError: 'API_CONFIGURATION_ERROR',
  /** 502 `{"message": "Internal server error"}`: the function threw or returned a malformed response. */
  integrationFailed: 'DEFAULT_5XX',
  /** 504 `{"message": "Endpoint request timed out"}`. */
  integrationTimeout: 'INTEGRATION_TIMEOUT',
  /** 413: body over 10 MB. */
  requestTooLarge: 'REQUEST_TOO_LARGE',
  /** 429: API Gateway's own throttling (stage or usage plan limits). */
  throttled: 'THROTTLED',
  /** 401 from an authorizer: identity source missing, token not matching, or the function said "Unauthorized". */
  unauthorized: 'UNAUTHORIZED',
  /** 403 from an authorizer's policy, explicit or implicit deny. */
  accessDenied: 'ACCESS_DENIED',
  /** 500 `{"message":null}`: the authorizer failed or returned something malformed. */
  authorizerConfigurationError: 'AUTHORIZER_CONFIGURATION_ERROR',
} as const satisfies Record<string, GatewayResponseType>;

/** The request values a header mapping (`method.request.header.origin`) can read. */
export interface GatewayRequestValues {
  /** A header map; Node's `req.headers` fits as it is (names matched case-insensitively). */
  headers?: Record<string, string | string[] | undefined>;
  queryStringParameters?: Record<string, string> | null;
  pathParameters?: Record<string, string> | null;
  stageVariables?: Record<string, string> | null;
}

type HeaderSource =
  | { kind: 'static'; value: string }
  | { kind: 'header' | 'querystring' | 'path' | 'stageVariable'; name: string };

interface ConfiguredResponse {
  logicalId: string;
  type: GatewayResponseType;
  statusCode?: number;
  headers: { name: string; source: HeaderSource }[];
  /** Content type to template, in the resource's order. */
  templates: [string, string][];
}

export interface ResolvedGatewayResponse {
  /** The status to send: the configured one, or the one the gateway would have sent. */
  statusCode: number;
  /** Headers to add; empty when nothing is configured for this response. */
  headers: Record<string, string>;
  /** The configured body template (application/json when there is one), to render with renderTemplate(). */
  template?: { contentType: string; body: string };
  /** The resource that applies, for logs. */
  logicalId?: string;
}

const RESOURCE_TYPE = 'AWS::ApiGateway::GatewayResponse';
/** The framework's REST API resource: gateway responses that name another API are not this one's. */
const SERVICE_REST_API = 'ApiGatewayRestApi';

export class GatewayResponses {
  private constructor(private readonly byType: ReadonlyMap<GatewayResponseType, ConfiguredResponse>) {}

  /** Parses the service's GatewayResponse resources; throws a ServiceConfigError for one AWS would refuse. */
  static fromService(service: Pick<ServiceDefinition, 'servicePath' | 'resources'>): GatewayResponses {
    const byType = new Map<GatewayResponseType, ConfiguredResponse>();
    for (const [logicalId, resource] of Object.entries(service.resources ?? {})) {
      if (!isRecord(resource) || resource.Type !== RESOURCE_TYPE) continue;
      const properties = isRecord(resource.Properties) ? resource.Properties : {};
      if (namesAnotherApi(properties.RestApiId)) continue;
      const response = parseResource(logicalId, properties, service);
      const existing = byType.get(response.type);
      if (existing) {
        throw configError(
          service,
          `resources ${existing.logicalId} and ${logicalId} both customise the ${response.type} gateway ` +
            'response; a REST API has one per type',
          `remove one of them`,
        );
      }
      byType.set(response.type, response);
    }
    return new GatewayResponses(byType);
  }

  /** Whether the service customises any gateway response. */
  get configured(): boolean {
    return this.byType.size > 0;
  }

  resolve(
    type: GatewayResponseType,
    statusCode: number,
    request?: GatewayRequestValues,
  ): ResolvedGatewayResponse {
    const response = this.byType.get(type) ?? this.byType.get(familyOf(type, statusCode));
    if (!response) return { statusCode, headers: {} };
    const headers: Record<string, string> = {};
    for (const { name, source } of response.headers) {
      const value = headerValue(source, request);
      if (value !== undefined) headers[name] = value;
    }
    const resolved: ResolvedGatewayResponse = {
      statusCode: response.statusCode ?? statusCode,
      headers,
      logicalId: response.logicalId,
    };
    const template =
      response.templates.find(([contentType]) => contentType.toLowerCase() === 'application/json') ??
      response.templates[0];
    if (template) resolved.template = { contentType: template[0], body: template[1] };
    return resolved;
  }

  headers(
    type: GatewayResponseType,
    statusCode: number,
    request?: GatewayRequestValues,
  ): Record<string, string> {
    return this.resolve(type, statusCode, request).headers;
  }

  /**
   * One of the gateway's default responses as the service's configuration changes it: status, added
   * headers, and the body rendered from the configured template (the default body when none is configured).
   * Unchanged, with no headers, when the service configures nothing for it.
   */
  customize(
    type: GatewayResponseType,
    response: DefaultGatewayResponse,
    context: { request?: GatewayRequestValues; variables?: TemplateVariables } = {},
  ): CustomizedGatewayResponse {
    const resolved = this.resolve(type, response.status, context.request);
    if (resolved.logicalId === undefined) return { ...response, headers: {} };
    const customized: CustomizedGatewayResponse = {
      ...response,
      status: resolved.statusCode,
      headers: resolved.headers,
    };
    if (resolved.template) {
      const message = defaultErrorMessage(response.body.toString('utf8'));
      customized.contentType = resolved.template.contentType;
      customized.body = Buffer.from(
        renderTemplate(resolved.template.body, { message, responseType: type }, context.variables),
      );
    }
    return customized;
  }
}

/** The shape of api-gateway/errors/gateway-responses.ts's GatewayResponse, which customize() keeps. */
export interface DefaultGatewayResponse {
  status: number;
  contentType: string;
  body: Buffer;
  /** x-amzn-ErrorType, kept as it is: a customised response still reports its error type. */
  errorType?: string;
}

export interface CustomizedGatewayResponse extends DefaultGatewayResponse {
  /** To add to the response's own headers. */
  headers: Record<string, string>;
}

/**
 * The headers the service's gateway responses add to one of the gateway's own responses: `{}` unless the
 * service configures them. `statusCode` is the status the gateway would send; it picks DEFAULT_4XX or
 * DEFAULT_5XX for DEFAULT_* types.
 */
export function gatewayResponseHeaders(
  service: Pick<ServiceDefinition, 'servicePath' | 'resources'>,
): (
  responseType: GatewayResponseType,
  statusCode: number,
  request?: GatewayRequestValues,
) => Record<string, string> {
  const responses = GatewayResponses.fromService(service);
  return (responseType, statusCode, request) => responses.headers(responseType, statusCode, request);
}

/** Variables a gateway response template reads as `$context.<name>`, e.g. `error.messageString`. */
export type TemplateVariables = Record<string, string | undefined>;

/**
 * Renders the subset of VTL gateway response templates use: `$context.x.y`, `${context.x.y}` and the quiet
 * `$!context.x.y`. `error.messageString` is the message JSON-quoted (or `null`), as AWS defines it; an
 * unknown reference stays as written (VTL's own behaviour), a quiet one becomes empty.
 */
export function renderTemplate(
  template: string,
  error: { message: string | null; responseType: GatewayResponseType },
  variables: TemplateVariables = {},
): string {
  const all: TemplateVariables = {
    'error.message': error.message ?? '',
    'error.messageString': error.message === null ? 'null' : JSON.stringify(error.message),
    'error.responseType': error.responseType,
    'error.validationErrorString': '',
    ...variables,
  };
  return template.replace(
    /\$(!)?(?:\{context\.([A-Za-z0-9_.]+)\}|context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*))/g,
    (whole, quiet: string | undefined, braced: string | undefined, bare: string | undefined) => {
      const value = all[(braced ?? bare) as string];
      if (value !== undefined) return value;
      return quiet ? '' : whole;
    },
  );
}

/** The message of one of the gateway's default bodies (`{"message":"..."}`, `{"Message":"..."}`, `{"message":null}`). */
export function defaultErrorMessage(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown };
    const message = parsed.message ?? parsed.Message;
    return typeof message === 'string' ? message : null;
  } catch {
    return body;
  }
}

function familyOf(type: GatewayResponseType, statusCode: number): GatewayResponseType {
  const status = GATEWAY_RESPONSE_DEFAULT_STATUS[type] ?? statusCode;
  return status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}

function parseResource(
  logicalId: string,
  properties: Record<string, unknown>,
  service: Pick<ServiceDefinition, 'servicePath'>,
): ConfiguredResponse {
  const at = `resources.Resources.${logicalId}.Properties`;
  const { ResponseType: type } = properties;
  if (typeof type !== 'string' || !Object.hasOwn(GATEWAY_RESPONSE_DEFAULT_STATUS, type)) {
    throw configError(
      service,
      `${at}.ResponseType is ${JSON.stringify(type)}, not a gateway response type`,
      `use one of ${Object.keys(GATEWAY_RESPONSE_DEFAULT_STATUS).join(', ')}`,
    );
  }
  const response: ConfiguredResponse = {
    logicalId,
    type: type as GatewayResponseType,
    headers: [],
    templates: [],
  };
  if (properties.StatusCode !== undefined) {
    const { StatusCode: code } = properties;
    const status = typeof code === 'string' || typeof code === 'number' ? String(code) : '';
    if (!/^[1-5]\d\d$/.test(status)) {
      throw configError(
        service,
        `${at}.StatusCode is ${JSON.stringify(properties.StatusCode)}`,
        "write an HTTP status as a string, e.g. StatusCode: '401'",
      );
    }
    response.statusCode = Number(status);
  }
  const parameters = properties.ResponseParameters ?? {};
  if (!isRecord(parameters)) {
    throw configError(
      service,
      `${at}.ResponseParameters is not a map`,
      'write gatewayresponse.header.<Name>: "\'value\'" pairs',
    );
  }
  for (const [key, value] of Object.entries(parameters)) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
    if (name === undefined) {
      throw configError(
        service,
        `${at}.ResponseParameters has "${key}"; a gateway response maps headers only`,
        'name it gatewayresponse.header.<Header-Name>',
      );
    }
    response.headers.push({ name, source: headerSource(value, `${at}.ResponseParameters.${key}`, service) });
  }
  const templates = properties.ResponseTemplates ?? {};
  if (!isRecord(templates) || !Object.values(templates).every((template) => typeof template === 'string')) {
    throw configError(
      service,
      `${at}.ResponseTemplates must map content types to template strings`,
      `write e.g. application/json: '{"message":$context.error.messageString}'`,
    );
  }
  response.templates = Object.entries(templates as Record<string, string>);
  return response;
}

/** `'static'`, or a request value: method.request.{header,querystring,path}.<name>, stageVariables.<name>. */
function headerSource(
  value: unknown,
  at: string,
  service: Pick<ServiceDefinition, 'servicePath'>,
): HeaderSource {
  if (typeof value === 'string') {
    const literal = /^'(.*)'$/s.exec(value);
    if (literal) return { kind: 'static', value: literal[1] ?? '' };
    const mapped = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(value);
    if (mapped) return { kind: mapped[1] as 'header' | 'querystring' | 'path', name: mapped[2] ?? '' };
    const stageVariable = /^stageVariables\.(.+)$/.exec(value);
    if (stageVariable) return { kind: 'stageVariable', name: stageVariable[1] ?? '' };
  }
  throw configError(
    service,
    `${at} is ${JSON.stringify(value)}, which local-cloud cannot evaluate`,
    'quote a static value in single quotes inside the string ("\'*\'"), or map a request value such as ' +
      'method.request.header.origin',
  );
}

function headerValue(source: HeaderSource, request: GatewayRequestValues | undefined): string | undefined {
  switch (source.kind) {
    case 'static':
      return source.value;
    case 'header': {
      const headers = request?.headers ?? {};
      const lower = source.name.toLowerCase();
      const key = Object.keys(headers).find((name) => name.toLowerCase() === lower);
      const value = key === undefined ? undefined : headers[key];
      return Array.isArray(value) ? value.join(',') : value;
    }
    case 'querystring':
      return request?.queryStringParameters?.[source.name];
    case 'path':
      return request?.pathParameters?.[source.name];
    case 'stageVariable':
      return request?.stageVariables?.[source.name];
  }
}

/** RestApiId that refers to a RestApi other than the framework's own. */
function namesAnotherApi(restApiId: unknown): boolean {
  if (!isRecord(restApiId)) return false;
  const ref = restApiId.Ref;
  return typeof ref === 'string' && ref !== SERVICE_REST_API;
}

function configError(
  service: Pick<ServiceDefinition, 'servicePath'>,
  problem: string,
  fix: string,
): ServiceConfigError {
  const { servicePath } = service;
  return new ServiceConfigError(
    findConfigFile(servicePath) ?? path.join(servicePath, 'serverless.yml'),
    problem,
    fix,
  );
}
