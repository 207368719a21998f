// API Gateway REST API (Lambda proxy integration, payload format 1.0) for a service's `http` events, as an
// express app to mount at a server's root: the first path segment is the stage, `/dev/hello`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { AuthorizerRunner, GatewayResponses } from '../authorizers';
import type { ServiceDefinition } from '../config/service-definition';
import { logInternalError } from '../http/internal-errors';
import type { LambdaService } from '../lambda/lambda-service';
import { defineApi } from './api-definition';
import { API_ID_PATTERN, generateApiId, randomLowerAlphanumeric } from './ids';
import { RestApiRequestHandler } from './request-handler';

export { generateApiId } from './ids';
export type { RestProxyEvent } from './proxy-event';

export interface RestApiOptions {
  lambda: LambdaService;
  /** The first path segment of every URL: `dev` in `/dev/hello`. */
  stage: string;
  region: string;
  /** `requestContext.apiId`: 10 lower-case letters and digits. Generated when absent. */
  apiId?: string;
  /** `provider.apiGateway.binaryMediaTypes`, wildcards allowed (`image/*`, `*\/*`). */
  binaryMediaTypes: string[];
  /** API Gateway's integration timeout, 50 to 29,000 ms. Default 29,000. */
  integrationTimeoutMs?: number;
  /**
   * Receives API Gateway's execution-log line for each request it fails on (malformed response, function
   * error, timeout, throttle, invalid body), and at creation what it serves differently from AWS (routes
   * with authorizers). Successful requests log nothing. Default: stderr.
   */
  log?: (message: string) => void;
  /**
   * The service's folder and CloudFormation resources: authorizer configuration errors name its
   * serverless.yml, and its AWS::ApiGateway::GatewayResponse resources customise the gateway's own answers.
   */
  service?: Pick<ServiceDefinition, 'servicePath' | 'resources'>;
}

export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;
const STAGE_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export class InvalidRestApiOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRestApiOptionsError';
  }
}

/**
 * The REST API for every `http` event of `options.lambda.functions()`. Routes, CORS preflights and request
 * models are compiled here, once; a route or model API Gateway would refuse throws, naming it and the fix.
 * `app.locals.apiId` holds the API's id. The app answers every request itself: middleware added to it with
 * `app.use` never runs.
 */
export function createRestApi(options: RestApiOptions): express.Express {
  const { stage, region } = options;
  if (!STAGE_PATTERN.test(stage)) {
    throw new InvalidRestApiOptionsError(
      `Stage "${stage}" is not a valid API Gateway stage name: use letters, digits, hyphens and underscores, ` +
        'at most 128 characters. Change provider.stage or --stage.',
    );
  }
  const apiId = options.apiId ?? generateApiId();
  if (!API_ID_PATTERN.test(apiId)) {
    throw new InvalidRestApiOptionsError(
      `apiId "${apiId}" is not an API Gateway REST API id: use 10 lower-case letters and digits, or leave it ` +
        'out to have one generated.',
    );
  }
  const integrationTimeoutMs = options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
  if (!Number.isInteger(integrationTimeoutMs) || integrationTimeoutMs < 50 || integrationTimeoutMs > 29_000) {
    throw new InvalidRestApiOptionsError(
      `integrationTimeoutMs is ${integrationTimeoutMs}; API Gateway allows 50 to 29,000 ms. Pick a value in that range.`,
    );
  }

  const log = options.log ?? ((message: string) => console.error(`[api-gateway] ${message}`));
  const handler = new RestApiRequestHandler({
    api: {
      accountId: options.lambda.accountId,
      apiId,
      deploymentId: randomLowerAlphanumeric(6),
      region,
      stage,
    },
    lambda: options.lambda,
    routes: defineApi(options.lambda.functions(), log, options.service?.servicePath),
    authorizers: new AuthorizerRunner({ lambda: options.lambda, log }),
    gatewayResponses: GatewayResponses.fromService(
      options.service ?? { servicePath: process.cwd(), resources: {} },
    ),
    binaryMediaTypes: options.binaryMediaTypes,
    integrationTimeoutMs,
    log,
  });

  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    handler.handle(req, res).catch((error: unknown) => {
      // A fault of this emulator, not of the function: answer as API Gateway's internal error would, with
      // the detail in the execution log only.
      logInternalError(log, req, error);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end('{"message": "Internal server error"}');
      } else {
        res.destroy();
      }
    });
  };

  const app = express();
  app.disable('x-powered-by');
  app.locals.apiId = apiId;
  app.use((req, res) => dispatch(req, res));
  // Express's own dispatch re-prototypes every req and res for helpers this API never uses, which halved
  // throughput when measured. The app stays an express app (mountable, listenable), but each request goes
  // straight to the gateway, which answers every request itself.
  Object.assign(app, { handle: dispatch });
  return app;
}
