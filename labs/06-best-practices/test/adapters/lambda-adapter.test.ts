import { apiGatewayEvent, createContext } from '@serverless-course/test-kit';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { lambdaHandler, toApiRequest } from '../../src/adapters/lambda-http';
import { testImagesApi } from '../support/images-fixtures';
import { describeApiCases } from './api-cases';

describeApiCases('the Lambda adapter', async (request) => {
  const handler = lambdaHandler(testImagesApi());
  const event = apiGatewayEvent({ method: request.method, path: request.path, body: request.body });

  const result = (await handler(event, createContext(), () => {})) as APIGatewayProxyResult;

  return {
    status: result.statusCode,
    contentType: result.headers?.['content-type'] as string | undefined,
    body: JSON.parse(result.body) as unknown,
  };
});

describe('toApiRequest', () => {
  it('decodes a base64-encoded body', () => {
    const event = apiGatewayEvent({
      method: 'post',
      path: '/groups/g1/images',
      body: Buffer.from('{"title":"t"}').toString('base64'),
      isBase64Encoded: true,
    });

    expect(toApiRequest(event)).toEqual({ method: 'POST', path: '/groups/g1/images', body: '{"title":"t"}' });
  });

  it('gives null for an event without a body', () => {
    expect(toApiRequest(apiGatewayEvent({ path: '/groups/g1/images' })).body).toBeNull();
  });
});
