// Lambda (custom) authorizers as API Gateway runs them in front of a method: check the identity sources
// (and a TOKEN authorizer's validation expression) without calling anything, answer from the result cache
// when the identity was seen within the TTL, otherwise invoke the authorizer function, then evaluate the
// policy it returned against this request's method ARN. Outcomes, as AWS answers them:
//   Allow covering the method ARN          the request goes on, with principalId and context
//   explicit Deny / no Allow covering it    403 AccessDeniedException
//   identity source missing or empty,
//   token not matching the expression,
//   the function failing with "Unauthorized" 401 UnauthorizedException (the last one invokes the function)
//   any other failure, a malformed output   500 AuthorizerConfigurationException, body {"message":null}
import type { LambdaService } from '../lambda/lambda-service';
import type { AuthorizerConfig } from './authorizer-config';
import {
  identityOf,
  requestEvent,
  tokenEvent,
  type AuthorizationRequest,
  type AuthorizerEvent,
} from './authorizer-event';
import { AuthorizerCache, cacheKey } from './authorizer-cache';
import {
  parseAuthorizerOutput,
  type AuthorizerContextValue,
  type AuthorizerOutput,
} from './authorizer-output';
import type { GatewayResponseType } from './gateway-responses-config';
import { evaluatePolicy } from './policy';

export type { AuthorizerConfig } from './authorizer-config';
export { authorizerConfigFor } from './authorizer-config';
export type { AuthorizationRequest } from './authorizer-event';

export type AuthorizationOutcome =
  | {
      allowed: true;
      principalId: string;
      context: Record<string, AuthorizerContextValue>;
      cached: boolean;
      /** ms the authorizer function took; 0 when the result came from the cache. */
      integrationLatency?: number;
      usageIdentifierKey?: string;
    }
  | {
      allowed: false;
      statusCode: 401 | 403 | 500;
      body: string;
      /** x-amzn-ErrorType. */
      errorType: string;
      cached: boolean;
      /** The gateway response type, for the service's customised gateway responses. */
      responseType?: GatewayResponseType;
      /** Why, in the words of API Gateway's execution log. */
      reason?: string;
    };

export type AuthorizationDenial = Extract<AuthorizationOutcome, { allowed: false }>;

interface DenialResponse {
  statusCode: 401 | 403 | 500;
  errorType: string;
  body: string;
  responseType: GatewayResponseType;
}

// Bodies and error types as API Gateway sends them (REST APIs without customised gateway responses).
export const AUTHORIZER_RESPONSES = {
  unauthorized: {
    statusCode: 401,
    errorType: 'UnauthorizedException',
    body: '{"message":"Unauthorized"}',
    responseType: 'UNAUTHORIZED',
  },
  /**
   * The wording of the course's AWS reference (docs/reference/aws-behaviour.md#lambda-authorizers). Some
   * 2025-2026 responses observed from AWS append "in an identity-based policy"; the reference rules. Capital
   * M, as AWS sends it.
   */
  explicitDeny: {
    statusCode: 403,
    errorType: 'AccessDeniedException',
    body: '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    responseType: 'ACCESS_DENIED',
  },
  implicitDeny: {
    statusCode: 403,
    errorType: 'AccessDeniedException',
    body: '{"Message":"User is not authorized to access this resource"}',
    responseType: 'ACCESS_DENIED',
  },
  configurationError: {
    statusCode: 500,
    errorType: 'AuthorizerConfigurationException',
    body: '{"message":null}',
    responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
  },
} as const satisfies Record<string, DenialResponse>;

/** The error message that makes API Gateway answer 401 instead of 500 (exact, case-sensitive). */
export const UNAUTHORIZED_ERROR_MESSAGE = 'Unauthorized';

/** The REST API's integration timeout bounds the authorizer call too. */
export const DEFAULT_AUTHORIZER_TIMEOUT_MS = 29_000;

export interface AuthorizerRunnerOptions {
  lambda: LambdaService;
  /** ms since the epoch; the cache's clock. Default Date.now. */
  now?: () => number;
  /**
   * Receives one line for each request the authorizer turns away, saying why (what API Gateway's execution
   * log says). Allowed requests log nothing. Default: stderr.
   */
  log?: (line: string) => void;
  /** How long to wait for the authorizer function; past it, 500. Default 29,000 ms. */
  timeoutMs?: number;
}

type Invocation =
  | { kind: 'result'; payload: string; functionError: boolean }
  | { kind: 'timeout' }
  | { kind: 'rejected'; error: unknown };

export class AuthorizerRunner {
  private readonly lambda: LambdaService;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly timeoutMs: number;
  private readonly cache = new AuthorizerCache<AuthorizerOutput>();
  /** Compiled validation expressions, matched against the whole token. */
  private readonly expressions = new Map<string, RegExp>();

  constructor(options: AuthorizerRunnerOptions) {
    this.lambda = options.lambda;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => console.error(`[authorizer] ${line}`));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_AUTHORIZER_TIMEOUT_MS;
  }

  async authorize(config: AuthorizerConfig, request: AuthorizationRequest): Promise<AuthorizationOutcome> {
    const subject = `${describeArn(request.methodArn)} (authorizer ${config.functionKey})`;
    const deny = (response: DenialResponse, reason: string, cached: boolean): AuthorizationDenial => {
      this.log(`${subject} ${response.statusCode}: ${reason}`);
      return { allowed: false, ...response, cached, reason };
    };

    const identity = identityOf(config, request);
    if (!identity.ok) {
      return deny(
        AUTHORIZER_RESPONSES.unauthorized,
        `Unauthorized request: the identity source ${identity.missing} is missing or empty, so the ` +
          'authorizer was not invoked.',
        false,
      );
    }
    const [token = ''] = identity.values;
    if (config.type === 'TOKEN' && config.validationExpression !== undefined) {
      if (!this.expression(config.validationExpression).test(token)) {
        return deny(
          AUTHORIZER_RESPONSES.unauthorized,
          `Unauthorized request: the token does not match identityValidationExpression ` +
            `${config.validationExpression}, so the authorizer was not invoked.`,
          false,
        );
      }
    }

    const caching = config.resultTtlInSeconds > 0;
    const key = cacheKey(authorizerId(config), identity.values);
    if (caching) {
      const cached = this.cache.get(key, this.now());
      if (cached) return this.decide(cached, request, { cached: true, latency: 0, subject, deny, config });
    }

    const event: AuthorizerEvent =
      config.type === 'TOKEN' ? tokenEvent(token, request.methodArn) : requestEvent(config, request);
    const started = this.now();
    const invocation = await this.invoke(config.functionKey, event);
    const latency = Math.max(0, Math.round(this.now() - started));
    const configurationError = (problem: string) =>
      deny(
        AUTHORIZER_RESPONSES.configurationError,
        `Execution failed due to configuration error: Authorizer error: ${problem}`,
        false,
      );

    switch (invocation.kind) {
      case 'timeout':
        return configurationError(`the authorizer did not answer within ${this.timeoutMs} ms.`);
      case 'rejected':
        return configurationError(`the authorizer could not be invoked: ${describeError(invocation.error)}`);
      case 'result':
        break;
    }
    if (invocation.functionError) {
      const { type, message } = functionErrorOf(invocation.payload);
      if (message === UNAUTHORIZED_ERROR_MESSAGE) {
        return deny(
          AUTHORIZER_RESPONSES.unauthorized,
          'Unauthorized request: the authorizer failed with "Unauthorized".',
          false,
        );
      }
      return configurationError(
        `the authorizer failed with ${type}: ${message}. Only the error message "Unauthorized" gives 401; ` +
          'any other error is a 500.',
      );
    }
    const parsed = parseAuthorizerOutput(invocation.payload);
    if (!parsed.ok) return configurationError(`${parsed.problem}.`);
    if (caching) this.cache.set(key, parsed.output, config.resultTtlInSeconds, this.now());
    return this.decide(parsed.output, request, { cached: false, latency, subject, deny, config });
  }

  private expression(source: string): RegExp {
    let pattern = this.expressions.get(source);
    if (!pattern) {
      pattern = new RegExp(`^(?:${source})$`);
      this.expressions.set(source, pattern);
    }
    return pattern;
  }

  /** Forgets every cached authorizer result (a hot reload, or a test's fresh start). */
  clearCache(): void {
    this.cache.clear();
  }

  private decide(
    output: AuthorizerOutput,
    request: AuthorizationRequest,
    how: {
      cached: boolean;
      latency: number;
      subject: string;
      config: AuthorizerConfig;
      deny: (response: DenialResponse, reason: string, cached: boolean) => AuthorizationDenial;
    },
  ): AuthorizationOutcome {
    const decision = evaluatePolicy(output.policy, request.methodArn);
    if (decision === 'allow') {
      const outcome: AuthorizationOutcome = {
        allowed: true,
        principalId: output.principalId,
        context: output.context,
        cached: how.cached,
        integrationLatency: how.latency,
      };
      if (output.usageIdentifierKey !== undefined) outcome.usageIdentifierKey = output.usageIdentifierKey;
      return outcome;
    }
    const source = how.cached
      ? `the cached policy of principal ${output.principalId} (TTL ${how.config.resultTtlInSeconds} s)`
      : `the policy of principal ${output.principalId}`;
    const resources = [...new Set(output.policy.statements.flatMap((statement) => statement.resources))];
    if (decision === 'explicit-deny') {
      return how.deny(
        AUTHORIZER_RESPONSES.explicitDeny,
        `${source} denies ${request.methodArn} explicitly.`,
        how.cached,
      );
    }
    const hint = how.cached
      ? ' A cached policy is reused for every method of the API: return a Resource that covers them all ' +
        `(${apiWildcard(request.methodArn)}), or set resultTtlInSeconds: 0.`
      : '';
    return how.deny(
      AUTHORIZER_RESPONSES.implicitDeny,
      `${source} has no Allow for ${request.methodArn} (its resources: ${resources.join(', ')}).${hint}`,
      how.cached,
    );
  }

  private invoke(functionKey: string, event: AuthorizerEvent): Promise<Invocation> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ kind: 'timeout' }), this.timeoutMs);
      this.lambda.invoke({ functionName: functionKey, payload: JSON.stringify(event) }).then(
        (result) => {
          clearTimeout(timer);
          resolve({
            kind: 'result',
            payload: result.payload,
            functionError: result.functionError !== undefined,
          });
        },
        (error: unknown) => {
          clearTimeout(timer);
          resolve({ kind: 'rejected', error });
        },
      );
    });
  }
}

/**
 * `requestContext.authorizer` of the proxy event (and of the WebSocket `$connect` event) for an allowed
 * request: the context's values stringified, as API Gateway passes them ("123", "true"), beside
 * `principalId` and `integrationLatency`.
 */
export function requestContextAuthorizer(
  outcome: Extract<AuthorizationOutcome, { allowed: true }>,
): Record<string, string | number> {
  const authorizer: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(outcome.context)) authorizer[key] = String(value);
  authorizer.principalId = outcome.principalId;
  authorizer.integrationLatency = outcome.integrationLatency ?? 0;
  return authorizer;
}

/** Identifies one authorizer: two routes with the same settings share its cache, as on AWS. */
function authorizerId(config: AuthorizerConfig): string {
  return JSON.stringify([
    config.functionKey,
    config.type,
    config.identitySources,
    config.validationExpression ?? null,
  ]);
}

function functionErrorOf(payload: string): { type: string; message: string } {
  try {
    const error = JSON.parse(payload) as { errorType?: unknown; errorMessage?: unknown };
    return {
      type: typeof error.errorType === 'string' ? error.errorType : 'Error',
      message: typeof error.errorMessage === 'string' ? error.errorMessage : payload,
    };
  } catch {
    return { type: 'Error', message: payload };
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** `GET /groups/42` from `arn:...:apiId/dev/GET/groups/42`; `$connect` for WebSocket. */
function describeArn(methodArn: string): string {
  const parts = methodArn.split('/');
  if (parts.length <= 2) return methodArn;
  const [method, ...path] = parts.slice(2);
  return path.length === 0 ? (method ?? methodArn) : `${method} /${path.join('/')}`;
}

/** `arn:...:apiId/dev/*` for `arn:...:apiId/dev/GET/groups/42`. */
function apiWildcard(methodArn: string): string {
  const [api, stage] = methodArn.split('/');
  return `${api}/${stage}/*`;
}
