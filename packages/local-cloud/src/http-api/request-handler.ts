// One request through the HTTP API, in API Gateway's order: front-door limits, the route (or the gateway's
// own CORS preflight answer when no route takes an OPTIONS preflight), the route's authorizer, then the Lambda
// proxy integration (payload 2.0 or 1.0) raced against the integration timeout, and the function's response
// with the configured CORS headers in place of the function's own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newRequestIds, newTraceId } from '../api-gateway/ids';
import { functionErrorText, invokeIntegration } from '../api-gateway/integration';
import { MAX_HEADER_BYTES, MAX_REQUEST_BODY_BYTES } from '../api-gateway/errors/gateway-responses';
import { readRequestBody } from '../api-gateway/request-body';
import { headerValueBytes } from '../api-gateway/request-headers';
import { errorDetail } from '../http/internal-errors';
import type { LambdaService } from '../lambda/lambda-service';
import type { HttpApiConfig } from './api-config';
import { HttpApiCorsPolicy, isCorsHeader } from './cors';
import { buildEventV1 } from './event-v1';
import { buildEventV2, type Authorization, type HttpApiIdentity } from './event-v2';
import { httpApiErrors, sendHttpApiError, type HttpApiError } from './gateway-responses';
import type { AuthorizerOutcome } from './jwt-authorizer';
import { readHttpApiRequest, type HttpApiRequest } from './request';
import { parseResponse, type HttpApiResponse } from './response';
import type { RouteMatch, RouteTable } from './route-table';

/** Runs a route's authorizer: a JWT or Lambda authorizer by the name the route gives. */
export type RouteAuthorizers = (
  request: HttpApiRequest,
  match: RouteMatch,
) => Promise<AuthorizerOutcome | undefined>;

export interface HttpApiHandlerSettings {
  api: HttpApiIdentity;
  lambda: LambdaService;
  routes: RouteTable;
  config: HttpApiConfig;
  authorize: RouteAuthorizers;
  integrationTimeoutMs: number;
  log: (message: string) => void;
}

const DENIALS: Record<401 | 403 | 500, HttpApiError> = {
  401: httpApiErrors.unauthorized,
  403: httpApiErrors.forbidden,
  500: httpApiErrors.internalServerError,
};

/** Statuses whose responses have no body, so no Content-Length either. */
const BODYLESS_STATUSES = new Set([204, 304]);

export class HttpApiRequestHandler {
  private readonly cors?: HttpApiCorsPolicy;

  constructor(private readonly settings: HttpApiHandlerSettings) {
    if (settings.config.cors) this.cors = new HttpApiCorsPolicy(settings.config.cors);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const corsHeaders = this.cors?.responseHeaders(origin) ?? [];
    if (headerValueBytes(req.rawHeaders) > MAX_HEADER_BYTES) {
      sendHttpApiError(res, httpApiErrors.headersTooLarge, undefined, corsHeaders);
      return;
    }
    const body = await readRequestBody(req, MAX_REQUEST_BODY_BYTES);
    if (body.kind === 'aborted') return;
    const requestId = newRequestIds().extendedRequestId;
    if (body.kind === 'too-large') {
      sendHttpApiError(res, httpApiErrors.requestTooLarge, requestId, corsHeaders);
      return;
    }
    const traceId =
      typeof req.headers['x-amzn-trace-id'] === 'string'
        ? req.headers['x-amzn-trace-id']
        : newTraceId(receivedAt);
    const request = readHttpApiRequest(req, body.bytes, { requestId, traceId, receivedAt });
    const match = this.settings.routes.match(request.method, request.rawPath);
    if (!match) {
      if (this.cors && HttpApiCorsPolicy.isPreflight(request.method, req.headers)) {
        res.writeHead(204, ['apigw-requestid', requestId, ...this.cors.preflightHeaders(origin)]);
        res.end();
        return;
      }
      sendHttpApiError(res, httpApiErrors.notFound, requestId, corsHeaders);
      return;
    }
    const where = `${request.method} ${req.url ?? '/'} (${match.route.routeKey}, function ${match.route.functionKey})`;
    let authorization: Authorization | undefined;
    const outcome = await this.settings.authorize(request, match);
    if (outcome && !outcome.allowed) {
      this.settings.log(
        `${where} ${outcome.status}: authorizer ${match.route.authorizer?.name ?? ''}: ${outcome.reason}`,
      );
      sendHttpApiError(res, DENIALS[outcome.status], requestId, [...corsHeaders, ...outcome.headers]);
      return;
    }
    if (outcome) authorization = outcome.authorization;
    const response = await this.integrate(request, match, authorization, where);
    if ('status' in response) {
      sendHttpApiError(res, response, requestId, corsHeaders);
      return;
    }
    this.write(res, response, requestId, corsHeaders);
  }

  private async integrate(
    request: HttpApiRequest,
    match: RouteMatch,
    authorization: Authorization | undefined,
    where: string,
  ): Promise<HttpApiResponse | HttpApiError> {
    const { api, config, lambda, log, integrationTimeoutMs } = this.settings;
    const fn = lambda.findFunction(match.route.functionKey);
    const event =
      config.payloadVersion === '2.0'
        ? buildEventV2(api, request, match, authorization)
        : buildEventV1(api, request, match, authorization);
    const outcome = fn
      ? await invokeIntegration(lambda, fn, JSON.stringify(event), integrationTimeoutMs)
      : ({
          kind: 'rejected',
          error: new Error(`the function ${match.route.functionKey} does not exist`),
        } as const);
    if (outcome.kind === 'timeout') {
      log(
        `${where} 503: no response within the integration timeout of ${integrationTimeoutMs} ms. The function keeps ` +
          'running until its own timeout; its result is discarded.',
      );
      return httpApiErrors.serviceUnavailable;
    }
    if (outcome.kind === 'rejected') {
      log(`${where} 500: Lambda refused the invocation: ${errorDetail(outcome.error).split('\n')[0]}`);
      return httpApiErrors.internalServerError;
    }
    const { result } = outcome;
    if (result.functionError) {
      log(
        `${where} 500: the function failed: ${functionErrorText(result.payload)}. Lambda request id: ${result.report.requestId}`,
      );
      return httpApiErrors.internalServerError;
    }
    const parsed = parseResponse(result.payload, config.payloadVersion);
    if (!parsed.ok) {
      log(`${where} 500: ${parsed.problem}`);
      return httpApiErrors.internalServerError;
    }
    return parsed.response;
  }

  private write(
    res: ServerResponse,
    response: HttpApiResponse,
    requestId: string,
    corsHeaders: string[],
  ): void {
    const headers: string[] = [];
    for (let i = 0; i < response.headers.length; i += 2) {
      const name = response.headers[i] as string;
      // With CORS configured, the gateway's own CORS headers replace the function's.
      if (this.cors && isCorsHeader(name.toLowerCase())) continue;
      headers.push(name, response.headers[i + 1] as string);
    }
    const hasBody = !BODYLESS_STATUSES.has(response.statusCode);
    if (hasBody) headers.push('content-length', String(response.body.length));
    headers.push('apigw-requestid', requestId, ...corsHeaders);
    res.writeHead(response.statusCode, headers);
    res.end(hasBody ? response.body : undefined);
  }
}
