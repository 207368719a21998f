// The control-plane reads that tools call first to see what is deployed: ListFunctions
// (GET /2015-03-31/functions/), GetFunction (GET /2015-03-31/functions/{FunctionName}) and
// GetFunctionConfiguration (GET /2015-03-31/functions/{FunctionName}/configuration), answered from
// serverless.yml as Lambda answers them for the deployed functions. Signed like Invoke.
import type { LambdaOperation } from './invoke-api';
import type { Request, RequestHandler, Response } from 'express';
import type { FunctionDefinition } from '../config/service-definition';
import type { LambdaService } from '../lambda/lambda-service';
import { AwsApiError, ValidationException, sendAwsError } from './errors';
import { resolveFunction } from './function-name';
import type { SignedRequest } from '../protocol/sigv4';

export const LIST_FUNCTIONS_PATH = '/2015-03-31/functions';
export const GET_FUNCTION_PATH = '/2015-03-31/functions/:FunctionName';
export const GET_CONFIGURATION_PATH = '/2015-03-31/functions/:FunctionName/configuration';

/** ListFunctions answers at most 50 functions a page unless MaxItems asks for fewer (or up to 10,000). */
const DEFAULT_PAGE = 50;
const MAX_PAGE = 10_000;

export interface FunctionsRouteOptions {
  lambda: LambdaService;
  verifySignature: (request: SignedRequest, operation: LambdaOperation) => Promise<void>;
}

type Operation = (req: Request<{ FunctionName?: string }>) => object;

function route(
  options: FunctionsRouteOptions,
  name: string,
  operation: Operation,
): RequestHandler<{ FunctionName?: string }> {
  return async (req, res: Response) => {
    try {
      const qualifier = typeof req.query.Qualifier === 'string' ? req.query.Qualifier : undefined;
      await options.verifySignature(
        { method: req.method, url: req.originalUrl, headers: req.headers, body: Buffer.alloc(0) },
        {
          name,
          ...(req.params.FunctionName !== undefined && { FunctionName: req.params.FunctionName }),
          ...(qualifier && { Qualifier: qualifier }),
        },
      );
      res
        .status(200)
        .type('application/json')
        .send(JSON.stringify(operation(req)));
    } catch (error) {
      if (!(error instanceof AwsApiError)) throw error;
      sendAwsError(res, error);
    }
  };
}

export function listFunctionsRoute(
  options: FunctionsRouteOptions,
): RequestHandler<{ FunctionName?: string }> {
  return route(options, 'ListFunctions', (req) => {
    const functions = options.lambda.functions();
    const pageSize = maxItems(req.query.MaxItems);
    const start = markerPosition(req.query.Marker, functions.length);
    const page = functions.slice(start, start + pageSize);
    const next = start + page.length;
    return {
      Functions: page.map((fn) => configurationOf(options.lambda, fn)),
      ...(next < functions.length && { NextMarker: Buffer.from(String(next)).toString('base64url') }),
    };
  });
}

export function getFunctionRoute(options: FunctionsRouteOptions): RequestHandler<{ FunctionName?: string }> {
  return route(options, 'GetFunction', (req) => {
    const fn = functionOf(options.lambda, req);
    return {
      Configuration: configurationOf(options.lambda, fn),
      // Lambda answers a presigned URL of the deployed zip; local-cloud runs the code on disk.
      Code: { RepositoryType: 'S3' },
      ...(fn.reservedConcurrency !== undefined && {
        Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency },
      }),
    };
  });
}

export function getConfigurationRoute(
  options: FunctionsRouteOptions,
): RequestHandler<{ FunctionName?: string }> {
  return route(options, 'GetFunctionConfiguration', (req) =>
    configurationOf(options.lambda, functionOf(options.lambda, req)),
  );
}

function functionOf(lambda: LambdaService, req: Request<{ FunctionName?: string }>): FunctionDefinition {
  const qualifier = typeof req.query.Qualifier === 'string' ? req.query.Qualifier : undefined;
  return resolveFunction(lambda, req.params.FunctionName ?? '', qualifier);
}

/** The FunctionConfiguration Lambda gives for `$LATEST` of a Node.js function deployed from a zip. */
function configurationOf(lambda: LambdaService, fn: FunctionDefinition): object {
  return {
    FunctionName: fn.name,
    FunctionArn: lambda.functionArn(fn),
    Runtime: fn.runtime,
    Handler: fn.handler,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    Environment: { Variables: fn.environment },
    Version: '$LATEST',
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

function maxItems(value: unknown): number {
  if (value === undefined) return DEFAULT_PAGE;
  const count = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(count) || count < 1 || count > MAX_PAGE) {
    throw new ValidationException(
      `1 validation error detected: Value '${JSON.stringify(value)}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and ${MAX_PAGE}`,
    );
  }
  return count;
}

/** Markers are the position of the next function, as this endpoint handed them out. */
function markerPosition(value: unknown, total: number): number {
  if (value === undefined) return 0;
  const position = typeof value === 'string' ? Number(Buffer.from(value, 'base64url').toString()) : NaN;
  if (!Number.isInteger(position) || position < 0 || position > total) {
    throw new ValidationException(
      `Marker ${JSON.stringify(value)} is not one this endpoint gave: pass the NextMarker of the previous page`,
    );
  }
  return position;
}
