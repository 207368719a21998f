// API Gateway HTTP API (the Serverless Framework's `httpApi` events) as a request listener for a server's root:
// the `$default` stage, routes without a stage prefix. Routes, the API's CORS configuration and its
// authorizers are read here, once; a setting a deploy would refuse throws, naming serverless.yml and the fix.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceDefinition } from '../config/service-definition';
import { logInternalError } from '../http/internal-errors';
import type { LambdaService } from '../lambda/lambda-service';
import { httpApiConfig, type JwtAuthorizerConfig } from './api-config';
import { httpApiId } from './api-id';
import { httpApiConfigError } from './config-error';
import type { HttpApiIdentity } from './event-v2';
import { httpApiErrors, sendHttpApiError } from './gateway-responses';
import { IssuerKeys } from './issuer-keys';
import { JwtAuthorizer } from './jwt-authorizer';
import { HttpLambdaAuthorizer, newAnswerCache } from './lambda-authorizer';
import { HttpApiRequestHandler, type RouteAuthorizers } from './request-handler';
import { httpApiRoutes, type HttpApiRoute } from './route-definitions';
import { RouteTable } from './route-table';

/** The HTTP API quota "Maximum integration timeout"; the framework deploys every integration with it. */
export const HTTP_API_INTEGRATION_TIMEOUT_MS = 30_000;

export interface HttpApiOptions {
  lambda: LambdaService;
  service: Pick<ServiceDefinition, 'service' | 'servicePath' | 'provider' | 'functions'>;
  /** 50 to 30,000 ms; default 30,000, what the framework deploys. */
  integrationTimeoutMs?: number;
  /** local-cloud's identity issuer (`iss`), named in the fix when a JWT authorizer's issuer is out of reach. */
  localIssuer?: string;
  /** Receives the execution-log line of each request the API fails or refuses. Default: stderr. */
  log?: (message: string) => void;
  now?: () => number;
}

export interface HttpApi {
  apiId: string;
  routes: HttpApiRoute[];
  /** The request listener: mount it at a server's root. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
}

export function createHttpApi(options: HttpApiOptions): HttpApi {
  const { service, lambda } = options;
  const log = options.log ?? ((message: string) => console.error(`[http-api] ${message}`));
  const integrationTimeoutMs = options.integrationTimeoutMs ?? HTTP_API_INTEGRATION_TIMEOUT_MS;
  if (!Number.isInteger(integrationTimeoutMs) || integrationTimeoutMs < 50 || integrationTimeoutMs > 30_000) {
    throw httpApiConfigError(
      service,
      `the HTTP API's integration timeout is ${integrationTimeoutMs} ms`,
      'give 50 to 30000 ms',
    );
  }
  const routes = httpApiRoutes(service);
  const config = httpApiConfig(service, routes);
  const api: HttpApiIdentity = {
    accountId: lambda.accountId,
    apiId: httpApiId(service),
    region: service.provider.region,
  };

  const keys = new IssuerKeys({ now: options.now });
  const cache = newAnswerCache();
  const authorizers = new Map<string, JwtAuthorizer | HttpLambdaAuthorizer>();
  for (const [key, authorizer] of config.authorizers) {
    authorizers.set(
      key,
      authorizer.type === 'jwt'
        ? new JwtAuthorizer(authorizer, {
            keys,
            now: options.now,
            onUnreachableIssuer: (jwt, detail) =>
              log(unreachableIssuerLine(jwt, detail, options.localIssuer)),
          })
        : new HttpLambdaAuthorizer(authorizer, { lambda, api, cache, now: options.now }),
    );
  }
  const authorize: RouteAuthorizers = async (request, match) => {
    const route = match.route.authorizer;
    const authorizer = route && authorizers.get(route.name);
    if (!authorizer) return undefined;
    return authorizer instanceof JwtAuthorizer
      ? authorizer.authorize(request, route.scopes)
      : authorizer.authorize(request, match);
  };

  const handler = new HttpApiRequestHandler({
    api,
    lambda,
    routes: new RouteTable(routes),
    config,
    authorize,
    integrationTimeoutMs,
    log,
  });
  return {
    apiId: api.apiId,
    routes,
    handle: (req, res) => {
      handler.handle(req, res).catch((error: unknown) => {
        // A fault of this emulator, not of the function: the client gets the gateway's 500, the log the detail.
        logInternalError(log, req, error);
        if (!res.headersSent) sendHttpApiError(res, httpApiErrors.internalServerError, undefined);
        else res.destroy();
      });
    },
  };
}

function unreachableIssuerLine(
  config: JwtAuthorizerConfig,
  detail: string,
  localIssuer: string | undefined,
): string {
  const local = localIssuer
    ? `point issuerUrl at local-cloud's own issuer, ${localIssuer} (e.g. issuerUrl: \${env:AUTH_ISSUER, '${localIssuer}'}), and get a token with \`npx local-cloud token --sub alice --aud ${config.audience[0] ?? ''}\``
    : "point issuerUrl at local-cloud's own issuer (the identity issuer's URL in endpoints.json)";
  return (
    `JWT authorizer ${config.name} cannot reach its issuer ${config.issuerUrl} (${detail}), so every request to its ` +
    `routes answers 401 until it can. Fix: ${local}, or run the issuer where this machine reaches it.`
  );
}
