// A Lambda authorizer of an HTTP API (http-api-lambda-authorizer): every identity source present and
// non-empty or `401 {"message":"Unauthorized"}` without invoking; the answer from the cache when the same
// identity was seen within resultTtlInSeconds (the REST authorizers' cache, src/authorizers); else the
// function, given the REQUEST event of its payload version (2.0: routeArn and the identity as a list; 1.0:
// the REST API's shape, methodArn) and 10 seconds to answer. With simple responses it answers
// `{ isAuthorized, context }`; otherwise an IAM policy, evaluated against the route ARN as a REST API
// evaluates it. A refusal is `403 {"message":"Forbidden"}`; a failure, a timeout or a malformed answer is
// `500 {"message":"Internal Server Error"}`.
import { restMethodArn } from '../authorizers/method-arn';
import { AuthorizerCache, cacheKey } from '../authorizers/authorizer-cache';
import { evaluatePolicy, parsePolicyDocument, type CompiledPolicy } from '../authorizers/policy';
import { describe } from '../api-gateway/proxy-response';
import { functionErrorText, invokeIntegration } from '../api-gateway/integration';
import { isRecord } from '../common/records';
import type { LambdaService } from '../lambda/lambda-service';
import type { LambdaAuthorizerConfig } from './api-config';
import { buildEventV1 } from './event-v1';
import { buildEventV2, HTTP_API_STAGE, requestContextV2, type HttpApiIdentity } from './event-v2';
import type { AuthorizerOutcome } from './jwt-authorizer';
import type { HttpApiRequest } from './request';
import type { RouteMatch } from './route-table';

/** The HTTP API quota "Timeout for Lambda authorizer response". */
export const LAMBDA_AUTHORIZER_TIMEOUT_MS = 10_000;

/** What is cached: the answer, not the decision, so a policy is evaluated against each route it meets. */
type Answer =
  | { kind: 'simple'; isAuthorized: boolean; context: Record<string, unknown> }
  | { kind: 'policy'; principalId: string; policy: CompiledPolicy; context: Record<string, unknown> };

export interface LambdaAuthorizerDependencies {
  lambda: LambdaService;
  api: HttpApiIdentity;
  /** Shared by the API's authorizers, keyed by authorizer and identity. */
  cache: AuthorizerCache<Answer>;
  now?: () => number;
  timeoutMs?: number;
}

export function newAnswerCache(): AuthorizerCache<Answer> {
  return new AuthorizerCache<Answer>();
}

export class HttpLambdaAuthorizer {
  private readonly now: () => number;

  constructor(
    private readonly config: LambdaAuthorizerConfig,
    private readonly deps: LambdaAuthorizerDependencies,
  ) {
    this.now = deps.now ?? Date.now;
  }

  async authorize(request: HttpApiRequest, match: RouteMatch): Promise<AuthorizerOutcome> {
    const { config } = this;
    const identity: string[] = [];
    for (const source of config.identitySources) {
      const value = identityValue(source.where, source.name, request, this.deps.api, match);
      if (value === undefined || value === '') {
        return {
          allowed: false,
          status: 401,
          reason: `the identity source ${source.expression} is missing or empty, so the authorizer was not invoked`,
          headers: [],
        };
      }
      identity.push(value);
    }
    const routeArn = restMethodArn(
      { ...this.deps.api, stage: HTTP_API_STAGE },
      request.method,
      request.rawPath,
    );
    const caching = config.resultTtlInSeconds > 0;
    const key = cacheKey(config.name, identity);
    const cached = caching ? this.deps.cache.get(key, this.now()) : undefined;
    if (cached) return this.decide(cached, routeArn, 0, true);

    const event = this.event(request, match, routeArn, identity);
    const started = this.now();
    const fn = this.deps.lambda.findFunction(config.functionKey);
    if (!fn) return failure(`the authorizer function ${config.functionKey} does not exist`);
    const outcome = await invokeIntegration(
      this.deps.lambda,
      fn,
      JSON.stringify(event),
      this.deps.timeoutMs ?? LAMBDA_AUTHORIZER_TIMEOUT_MS,
    );
    const latency = Math.max(0, Math.round(this.now() - started));
    if (outcome.kind === 'timeout')
      return failure(
        `the authorizer did not answer within ${this.deps.timeoutMs ?? LAMBDA_AUTHORIZER_TIMEOUT_MS} ms`,
      );
    if (outcome.kind === 'rejected')
      return failure(`the authorizer could not be invoked: ${String(outcome.error)}`);
    if (outcome.result.functionError)
      return failure(`the authorizer failed: ${functionErrorText(outcome.result.payload)}`);
    const answer = this.parse(outcome.result.payload);
    if (typeof answer === 'string') return failure(answer);
    if (caching) this.deps.cache.set(key, answer, config.resultTtlInSeconds, this.now());
    return this.decide(answer, routeArn, latency, false);
  }

  private event(
    request: HttpApiRequest,
    match: RouteMatch,
    routeArn: string,
    identity: string[],
  ): Record<string, unknown> {
    if (this.config.payloadVersion === '2.0') {
      const {
        version: _version,
        body: _body,
        isBase64Encoded: _isBase64Encoded,
        ...rest
      } = buildEventV2(this.deps.api, request, match);
      return { version: '2.0', type: 'REQUEST', routeArn, identitySource: identity, ...rest };
    }
    const v1 = buildEventV1(this.deps.api, request, match);
    return {
      version: '1.0',
      type: 'REQUEST',
      methodArn: routeArn,
      identitySource: identity.join(','),
      authorizationToken: identity.join(','),
      resource: v1.resource,
      path: v1.path,
      httpMethod: v1.httpMethod,
      headers: v1.headers,
      queryStringParameters: v1.queryStringParameters,
      pathParameters: v1.pathParameters,
      stageVariables: v1.stageVariables,
      requestContext: v1.requestContext,
    };
  }

  /** The answer, or why API Gateway would refuse it. */
  private parse(payload: string): Answer | string {
    let raw: unknown;
    try {
      raw = JSON.parse(payload);
    } catch {
      return "the authorizer's result is not JSON";
    }
    const result = isRecord(raw) ? raw : {};
    const context = result.context ?? {};
    if (!isRecord(context)) return `the authorizer's context is ${describe(context)}; it must be an object`;
    if (this.config.enableSimpleResponses) {
      if (typeof result.isAuthorized !== 'boolean') {
        return `the authorizer returned ${describe(raw)} without isAuthorized; with simple responses it returns { isAuthorized: true|false, context }`;
      }
      return { kind: 'simple', isAuthorized: result.isAuthorized, context };
    }
    const { principalId } = result;
    if (typeof principalId !== 'string' && typeof principalId !== 'number') {
      return "the authorizer's result has no principalId; return { principalId, policyDocument } (or enable simple responses)";
    }
    const policy = parsePolicyDocument(result.policyDocument);
    if (!policy.ok) return `the authorizer's result is malformed: ${policy.problem}`;
    return { kind: 'policy', principalId: String(principalId), policy: policy.policy, context };
  }

  private decide(answer: Answer, routeArn: string, latency: number, cached: boolean): AuthorizerOutcome {
    const from = cached ? `the cached answer (TTL ${this.config.resultTtlInSeconds} s)` : 'the answer';
    if (answer.kind === 'simple') {
      if (!answer.isAuthorized)
        return { allowed: false, status: 403, reason: `${from} is isAuthorized: false`, headers: [] };
      return {
        allowed: true,
        authorization: { kind: 'lambda', context: answer.context, integrationLatency: latency },
      };
    }
    const decision = evaluatePolicy(answer.policy, routeArn);
    if (decision !== 'allow') {
      return {
        allowed: false,
        status: 403,
        reason: `${from}'s policy ${decision === 'explicit-deny' ? 'denies' : 'has no Allow for'} ${routeArn}`,
        headers: [],
      };
    }
    return {
      allowed: true,
      authorization: {
        kind: 'lambda',
        context: answer.context,
        principalId: answer.principalId,
        integrationLatency: latency,
      },
    };
  }
}

function failure(reason: string): AuthorizerOutcome {
  return { allowed: false, status: 500, reason, headers: [] };
}

/** `$request.header.X`, `$request.querystring.x` or `$context.x`; local-cloud has no stage variables. */
function identityValue(
  where: LambdaAuthorizerConfig['identitySources'][number]['where'],
  name: string,
  request: HttpApiRequest,
  api: HttpApiIdentity,
  match: RouteMatch,
): string | undefined {
  switch (where) {
    case 'header':
      return request.headers[name.toLowerCase()];
    case 'querystring':
      return request.queryStringParameters?.[name];
    case 'context': {
      let value: unknown = requestContextV2(api, request, match.route.routeKey);
      for (const part of name.split('.')) value = isRecord(value) ? value[part] : undefined;
      return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
    }
    default:
      return undefined;
  }
}
