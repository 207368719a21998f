// One request through the REST API, in API Gateway's order: front-door limits, stage and resource, method,
// CORS preflight (MOCK), body validation, then the Lambda proxy integration and its response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  requestContextAuthorizer,
  restMethodArn,
  REST_GATEWAY_RESPONSE_TYPES,
  type AuthorizerRunner,
  type GatewayResponses,
  type GatewayResponseType,
} from '../authorizers';
import { errorDetail } from '../http/internal-errors';
import type { LambdaService } from '../lambda/lambda-service';
import { FunctionNotFoundError, RequestTooLargeError, TooManyRequestsError } from '../lambda/lambda-service';
import type { ApiMethod, LambdaMethod, PreflightMethod } from './api-definition';
import { preflightHeaders } from './cors';
import {
  gatewayResponses,
  MAX_HEADER_BYTES,
  MAX_REQUEST_BODY_BYTES,
  sendGatewayResponse,
  type GatewayResponse,
} from './errors/gateway-responses';
import { newRequestIds, newTraceId, type RequestIds } from './ids';
import { functionErrorText, invokeIntegration } from './integration';
import {
  compileBinaryMediaTypes,
  firstAcceptedMediaType,
  mediaTypeOf,
  type BinaryMediaTypes,
} from './media-types';
import { buildProxyEvent, type ApiIdentity } from './proxy-event';
import { parseProxyResponse, type ProxyResponse } from './proxy-response';
import { readRequestBody } from './request-body';
import { headerValueBytes, sourceIpOf } from './request-headers';
import { formatRequestTime } from './request-time';
import { methodOf, pathAfterStage, type ResourceTree, type RouteMatch } from './routes';

export interface RequestHandlerSettings {
  api: ApiIdentity;
  lambda: LambdaService;
  routes: ResourceTree<ApiMethod>;
  binaryMediaTypes: readonly string[];
  integrationTimeoutMs: number;
  log: (message: string) => void;
  authorizers: AuthorizerRunner;
  gatewayResponses: GatewayResponses;
}

/** The gateway response type of each of the gateway's default responses (by identity). */
const RESPONSE_TYPES = new Map<GatewayResponse, GatewayResponseType>(
  Object.entries(gatewayResponses).flatMap(([key, response]) => {
    const type = (REST_GATEWAY_RESPONSE_TYPES as Record<string, GatewayResponseType>)[key];
    return type ? [[response, type]] : [];
  }),
);

/** Statuses whose responses have no body, so no Content-Length either. */
const BODYLESS_STATUSES = new Set([204, 304]);

export class RestApiRequestHandler {
  private readonly stagePrefix: string;
  private readonly binary: BinaryMediaTypes;

  constructor(private readonly settings: RequestHandlerSettings) {
    this.stagePrefix = `/${settings.api.stage}`;
    this.binary = compileBinaryMediaTypes(settings.binaryMediaTypes);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    if (headerValueBytes(req.rawHeaders) > MAX_HEADER_BYTES) {
      sendGatewayResponse(res, gatewayResponses.headersTooLarge);
      return;
    }
    const body = await readRequestBody(req, MAX_REQUEST_BODY_BYTES);
    if (body.kind === 'aborted') return;
    if (body.kind === 'too-large') {
      this.fail(req, res, gatewayResponses.requestTooLarge);
      return;
    }
    const ids = newRequestIds();
    const url = req.url ?? '/';
    const questionMark = url.indexOf('?');
    const fullPath = questionMark === -1 ? url : url.slice(0, questionMark);
    const path = pathAfterStage(fullPath, this.stagePrefix);
    const match = path === undefined ? undefined : this.settings.routes.match(path);
    const httpMethod = req.method ?? 'GET';
    const method = match && methodOf(match.resource, httpMethod);
    if (path === undefined || !match || !method) {
      this.fail(req, res, gatewayResponses.missingAuthenticationToken, ids);
      return;
    }
    if (method.kind === 'preflight') {
      this.answerPreflight(req, res, method, ids);
      return;
    }
    const rawQuery = questionMark === -1 ? undefined : url.slice(questionMark + 1);
    await this.integrate(req, res, { method, match, path, rawQuery, body: body.bytes, ids, receivedAt });
  }

  private answerPreflight(
    req: IncomingMessage,
    res: ServerResponse,
    method: PreflightMethod,
    ids: RequestIds,
  ) {
    const headers = preflightHeaders(method.preflight, req.headers.origin);
    headers.push(
      'Content-Type',
      'application/json',
      'Content-Length',
      '0',
      'x-amzn-RequestId',
      ids.requestId,
      'x-amz-apigw-id',
      ids.extendedRequestId,
    );
    res.writeHead(200, headers);
    res.end();
  }

  private async integrate(req: IncomingMessage, res: ServerResponse, call: IntegrationCall): Promise<void> {
    const { method, match, ids } = call;
    const { fn } = method;
    const where = `${req.method} ${req.url} (${fn.key})`;
    const traceId =
      typeof req.headers['x-amzn-trace-id'] === 'string'
        ? req.headers['x-amzn-trace-id']
        : newTraceId(call.receivedAt);
    const event = buildProxyEvent(this.settings.api, {
      httpMethod: req.method ?? 'GET',
      path: call.path,
      rawQuery: call.rawQuery,
      rawHeaders: req.rawHeaders,
      host: req.headers.host,
      userAgent: req.headers['user-agent'],
      httpVersion: req.httpVersion,
      sourceIp: sourceIpOf(req),
      localPort: req.socket.localPort ?? 0,
      encrypted: (req.socket as Partial<TLSSocket>).encrypted === true,
      body: call.body,
      // A request without Content-Type counts as application/json, as API Gateway assumes.
      bodyIsBinary: this.binary.matches(mediaTypeOf(req.headers['content-type']) ?? 'application/json'),
      resourcePath: match.resource.path,
      resourceId: match.resource.id,
      pathParameters: match.pathParameters,
      requestId: ids.requestId,
      extendedRequestId: ids.extendedRequestId,
      traceId,
      receivedAt: call.receivedAt,
      requestTime: formatRequestTime(call.receivedAt),
    });

    // API Gateway runs the authorizer before it validates the body.
    if (method.authorizer) {
      const authorization = await this.settings.authorizers.authorize(method.authorizer, {
        methodArn: restMethodArn(this.settings.api, event.httpMethod, event.path),
        resource: event.resource,
        path: event.path,
        httpMethod: event.httpMethod,
        headers: event.headers,
        multiValueHeaders: event.multiValueHeaders,
        queryStringParameters: event.queryStringParameters,
        multiValueQueryStringParameters: event.multiValueQueryStringParameters,
        pathParameters: event.pathParameters,
        stageVariables: event.stageVariables,
        requestContext: { ...event.requestContext },
      });
      if (!authorization.allowed) {
        const response: GatewayResponse = {
          status: authorization.statusCode,
          errorType: authorization.errorType,
          contentType: 'application/json',
          body: Buffer.from(authorization.body),
        };
        this.fail(req, res, response, ids, authorization.responseType, event);
        return;
      }
      event.requestContext.authorizer = requestContextAuthorizer(authorization);
    }
    const invalidBody = method.validateBody?.(req.headers['content-type'], call.body);
    if (invalidBody !== undefined) {
      this.settings.log(`${where} 400: ${invalidBody}. The function was not invoked.`);
      this.fail(req, res, gatewayResponses.invalidRequestBody, ids, undefined, event);
      return;
    }

    const outcome = await invokeIntegration(
      this.settings.lambda,
      fn,
      JSON.stringify(event),
      this.settings.integrationTimeoutMs,
    );
    if (outcome.kind === 'timeout') {
      this.settings.log(
        `${where} 504: Execution failed due to a timeout error: no response within the integration timeout of ` +
          `${this.settings.integrationTimeoutMs} ms. The function keeps running until its own timeout; its result is discarded.`,
      );
      this.fail(req, res, gatewayResponses.integrationTimeout, ids);
      return;
    }
    if (outcome.kind === 'rejected') {
      const { response, reason } = describeRejection(outcome.error);
      this.settings.log(`${where} ${response.status}: ${reason}`);
      this.fail(req, res, response, ids);
      return;
    }
    const { result } = outcome;
    if (result.functionError) {
      this.settings.log(
        `${where} 502: Lambda execution failed with status 200 due to customer function error: ` +
          `${functionErrorText(result.payload)}. Lambda request id: ${result.report.requestId}`,
      );
      this.fail(req, res, gatewayResponses.integrationFailed, ids);
      return;
    }
    const decodeBinary =
      this.binary.all || this.binary.matches(firstAcceptedMediaType(headerText(req.headers.accept)));
    const parsed = parseProxyResponse(result.payload, decodeBinary);
    if (!parsed.ok) {
      this.settings.log(`${where} ${parsed.gatewayResponse.status}: ${parsed.problem}`);
      this.fail(req, res, parsed.gatewayResponse, ids);
      return;
    }
    writeProxyResponse(res, parsed.response, ids, traceId);
  }

  /** One of the gateway's own responses, as the service's gateway responses customise it. */
  private fail(
    req: IncomingMessage,
    res: ServerResponse,
    response: GatewayResponse,
    ids?: RequestIds,
    type = RESPONSE_TYPES.get(response),
    event?: {
      queryStringParameters: Record<string, string> | null;
      pathParameters: Record<string, string> | null;
    },
  ): void {
    if (!type) {
      sendGatewayResponse(res, response, ids);
      return;
    }
    const customized = this.settings.gatewayResponses.customize(type, response, {
      request: { headers: req.headers, ...event },
      variables: ids && { requestId: ids.requestId, extendedRequestId: ids.extendedRequestId },
    });
    sendGatewayResponse(res, customized, ids, customized.headers);
  }
}

interface IntegrationCall {
  method: LambdaMethod;
  match: RouteMatch<ApiMethod>;
  path: string;
  rawQuery: string | undefined;
  body: Buffer;
  ids: RequestIds;
  receivedAt: number;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Lambda's refusals reach the client as API Gateway's 500 (the Lambda guide's "invocation errors"). */
function describeRejection(error: unknown): { response: GatewayResponse; reason: string } {
  const rejected = gatewayResponses.invocationRejected;
  if (error instanceof TooManyRequestsError) {
    return {
      response: rejected,
      reason:
        `Execution failed: Lambda throttled the invocation of ${error.functionName} (TooManyRequestsException: ` +
        `${error.message}, reserved concurrency reached). API Gateway answers 500 for this, not 429.`,
    };
  }
  if (error instanceof RequestTooLargeError) {
    if (error.direction === 'response') {
      return { response: gatewayResponses.integrationFailed, reason: `Execution failed: ${error.message}` };
    }
    return {
      response: rejected,
      reason:
        `Execution failed: the proxy event is ${error.actualBytes} bytes; Lambda accepts at most ` +
        `${error.limitBytes} for a synchronous invocation (${error.message}). Upload large files to S3 instead.`,
    };
  }
  if (error instanceof FunctionNotFoundError) {
    return { response: rejected, reason: `Execution failed: ${error.message}` };
  }
  return {
    response: rejected,
    reason: `Execution failed: the invocation failed: ${errorDetail(error)}`,
  };
}

function writeProxyResponse(
  res: ServerResponse,
  response: ProxyResponse,
  ids: RequestIds,
  traceId: string,
): void {
  const headers = response.headers;
  // The proxy integration's default type, when the function sets none.
  if (!response.headerNames.has('content-type')) headers.push('Content-Type', 'application/json');
  const hasBody = !BODYLESS_STATUSES.has(response.statusCode);
  if (hasBody) headers.push('Content-Length', String(response.body.length));
  headers.push(
    'x-amzn-RequestId',
    ids.requestId,
    'x-amz-apigw-id',
    ids.extendedRequestId,
    'X-Amzn-Trace-Id',
    traceId,
  );
  res.writeHead(response.statusCode, headers);
  res.end(hasBody ? response.body : undefined);
}
