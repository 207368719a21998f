// The middleware every endpoint runs: the signing key from Secrets Manager in the context, JSON bodies parsed,
// and errors turned into JSON answers (http-errors' status and message for client errors, a bare 500 else).
import middy, { type MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import secretsManager from '@middy/secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import createError from 'http-errors';

export interface SigningContext extends Context {
  signingKey: string;
}

export type Handler<TEvent> = (event: TEvent, context: SigningContext) => Promise<APIGatewayProxyResult>;

export const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function errorsAsJson(): MiddlewareObj<unknown, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (createError.isHttpError(error) && error.expose) {
        request.response = json(error.statusCode, { message: error.message });
        return;
      }
      console.error(error);
      request.response = json(500, { message: 'Internal server error' });
    },
  };
}

const signingKey = () =>
  secretsManager({
    fetchData: { signingKey: process.env.SIGNING_KEY_SECRET! },
    setToContext: true,
    cacheExpiry: 15 * 60 * 1000,
  }) as MiddlewareObj;

/** An endpoint that reads a JSON body. */
export const withJsonBody = <TEvent>(handler: Handler<TEvent>) =>
  middy(handler as Handler<unknown>)
    .use(errorsAsJson())
    .use(signingKey())
    .use(httpJsonBodyParser());

/** An endpoint without a body. */
export const withoutBody = (handler: Handler<APIGatewayProxyEvent>) =>
  middy(handler as Handler<unknown>)
    .use(errorsAsJson())
    .use(signingKey());
