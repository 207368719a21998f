// The service's AWS::ApiGateway::GatewayResponse resources: which of the gateway's own responses they change,
// with which headers and status, and the precedence of a specific type over DEFAULT_4XX / DEFAULT_5XX.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  GATEWAY_RESPONSE_DEFAULT_STATUS,
  gatewayResponseHeaders,
  GatewayResponses,
  defaultErrorMessage,
  renderTemplate,
  REST_GATEWAY_RESPONSE_TYPES,
} from '../../src/authorizers/gateway-responses-config';
import { ServiceConfigError } from '../../src/config/service-config-error';
import { serviceWith } from './support/authorizer-fixtures';

const CORS_RESOURCES = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/authorizers/cors-gateway-responses.json'), 'utf8'),
) as Record<string, unknown>;

function gatewayResponse(type: string, properties: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::ApiGateway::GatewayResponse',
    Properties: { ResponseType: type, RestApiId: { Ref: 'ApiGatewayRestApi' }, ...properties },
  };
}

const allowOrigin = (origin: string) => ({
  ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': `'${origin}'` },
});

const responsesOf = (resources: Record<string, unknown>) =>
  GatewayResponses.fromService(serviceWith([], resources));

describe('a service without gateway responses', () => {
  it('adds no header to any of the gateway’s responses', () => {
    const headers = gatewayResponseHeaders(serviceWith(['hello']));

    expect(headers('UNAUTHORIZED', 401)).toEqual({});
    expect(headers('DEFAULT_5XX', 502)).toEqual({});
    expect(GatewayResponses.fromService(serviceWith(['hello'])).configured).toBe(false);
  });
});

describe('the CORS gateway responses the course configures', () => {
  const headers = gatewayResponseHeaders(serviceWith(['hello'], CORS_RESOURCES));

  it.each([
    ['UNAUTHORIZED', 401],
    ['ACCESS_DENIED', 403],
    ['MISSING_AUTHENTICATION_TOKEN', 403],
    ['BAD_REQUEST_BODY', 400],
    ['REQUEST_TOO_LARGE', 413],
    ['THROTTLED', 429],
  ] as const)('adds the DEFAULT_4XX headers to %s', (type, status) => {
    expect(headers(type, status)).toEqual({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token',
      'Access-Control-Allow-Methods': 'GET,OPTIONS,POST,PATCH,DELETE',
    });
  });

  it.each([
    ['AUTHORIZER_CONFIGURATION_ERROR', 500],
    ['INTEGRATION_TIMEOUT', 504],
    ['DEFAULT_5XX', 502],
    ['DEFAULT_5XX', 500],
  ] as const)('adds the DEFAULT_5XX headers to %s (%i)', (type, status) => {
    expect(headers(type, status)).toEqual({ 'Access-Control-Allow-Origin': '*' });
  });
});

describe('precedence', () => {
  it('uses a configured type instead of DEFAULT_4XX, without merging their headers', () => {
    const responses = responsesOf({
      Default4xx: gatewayResponse('DEFAULT_4XX', allowOrigin('*')),
      Unauthorized: gatewayResponse('UNAUTHORIZED', {
        ResponseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" },
      }),
    });

    expect(responses.headers('UNAUTHORIZED', 401)).toEqual({ 'WWW-Authenticate': 'Bearer' });
    expect(responses.headers('ACCESS_DENIED', 403)).toEqual({ 'Access-Control-Allow-Origin': '*' });
  });

  it('picks DEFAULT_4XX or DEFAULT_5XX by the type’s default status, not the status sent', () => {
    const responses = responsesOf({
      Default5xx: gatewayResponse('DEFAULT_5XX', allowOrigin('https://app.test')),
    });

    // AUTHORIZER_CONFIGURATION_ERROR is a 5xx type even if a customised status made it a 4xx.
    expect(responses.headers('AUTHORIZER_CONFIGURATION_ERROR', 400)).toEqual({
      'Access-Control-Allow-Origin': 'https://app.test',
    });
    expect(responses.headers('UNAUTHORIZED', 401)).toEqual({});
  });

  it('applies a configured StatusCode: a type’s own, or DEFAULT_4XX’s to every 4xx without one', () => {
    const responses = responsesOf({
      Default4xx: gatewayResponse('DEFAULT_4XX', { StatusCode: '400' }),
      Unauthorized: gatewayResponse('UNAUTHORIZED', { StatusCode: 403 }),
      Denied: gatewayResponse('ACCESS_DENIED', allowOrigin('*')),
    });

    expect(responses.resolve('UNAUTHORIZED', 401).statusCode).toBe(403);
    expect(responses.resolve('MISSING_AUTHENTICATION_TOKEN', 403).statusCode).toBe(400);
    expect(responses.resolve('ACCESS_DENIED', 403).statusCode).toBe(403);
    expect(responses.resolve('DEFAULT_5XX', 502).statusCode).toBe(502);
  });

  it('ignores gateway responses of another REST API in the same template', () => {
    const responses = responsesOf({
      Other: gatewayResponse('DEFAULT_4XX', { ...allowOrigin('*'), RestApiId: { Ref: 'AdminRestApi' } }),
    });

    expect(responses.configured).toBe(false);
  });
});

describe('header values', () => {
  it('maps request headers, query strings, path parameters and stage variables', () => {
    const responses = responsesOf({
      Default4xx: gatewayResponse('DEFAULT_4XX', {
        ResponseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.origin',
          'gatewayresponse.header.X-Tenant': 'method.request.querystring.tenant',
          'gatewayresponse.header.X-Group': 'method.request.path.groupId',
          'gatewayresponse.header.X-Env': 'stageVariables.env',
          'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
        },
      }),
    });

    expect(
      responses.headers('UNAUTHORIZED', 401, {
        headers: { Origin: 'https://app.test' },
        queryStringParameters: { tenant: 'acme' },
        pathParameters: { groupId: '42' },
        stageVariables: { env: 'dev' },
      }),
    ).toEqual({
      'Access-Control-Allow-Origin': 'https://app.test',
      'X-Tenant': 'acme',
      'X-Group': '42',
      'X-Env': 'dev',
      'Access-Control-Allow-Credentials': 'true',
    });
    expect(responses.headers('UNAUTHORIZED', 401, { headers: {} })).toEqual({
      'Access-Control-Allow-Credentials': 'true',
    });
  });
});

describe('templates', () => {
  it('returns the JSON template, and renders the error variables as AWS defines them', () => {
    const responses = responsesOf({
      Unauthorized: gatewayResponse('UNAUTHORIZED', {
        ResponseTemplates: {
          'text/plain': 'nope',
          'application/json':
            '{"error":$context.error.messageString,"type":"$context.error.responseType","id":"${context.requestId}"}',
        },
      }),
    });

    const { template } = responses.resolve('UNAUTHORIZED', 401);

    expect(template?.contentType).toBe('application/json');
    expect(
      renderTemplate(
        template?.body ?? '',
        { message: 'Unauthorized', responseType: 'UNAUTHORIZED' },
        { requestId: 'r-1' },
      ),
    ).toBe('{"error":"Unauthorized","type":"UNAUTHORIZED","id":"r-1"}');
  });

  it('renders a null message as null, keeps unknown references and empties quiet ones', () => {
    const body = renderTemplate(
      '{"message":$context.error.messageString,"x":"$context.nope","y":"$!context.nope"}',
      { message: null, responseType: 'AUTHORIZER_CONFIGURATION_ERROR' },
    );

    expect(body).toBe('{"message":null,"x":"$context.nope","y":""}');
  });

  it('reads the message of the gateway’s default bodies', () => {
    expect(defaultErrorMessage('{"message":"Unauthorized"}')).toBe('Unauthorized');
    expect(defaultErrorMessage('{"Message":"User is not authorized to access this resource"}')).toBe(
      'User is not authorized to access this resource',
    );
    expect(defaultErrorMessage('{"message":null}')).toBeNull();
  });
});

describe('customize(): one of the gateway’s default responses, as the service changes it', () => {
  const unauthorized = {
    status: 401,
    errorType: 'UnauthorizedException',
    contentType: 'application/json',
    body: Buffer.from('{"message":"Unauthorized"}'),
  };

  it('leaves the response as it is when nothing is configured for it', () => {
    const responses = responsesOf({ Default5xx: gatewayResponse('DEFAULT_5XX', allowOrigin('*')) });

    expect(responses.customize('UNAUTHORIZED', unauthorized)).toEqual({ ...unauthorized, headers: {} });
  });

  it('adds the configured headers and keeps the default body without a template', () => {
    const responses = GatewayResponses.fromService(serviceWith([], CORS_RESOURCES));

    const customized = responses.customize('UNAUTHORIZED', unauthorized);

    expect(customized).toMatchObject({
      status: 401,
      errorType: 'UnauthorizedException',
      contentType: 'application/json',
    });
    expect(customized.body.toString()).toBe('{"message":"Unauthorized"}');
    expect(customized.headers['Access-Control-Allow-Origin']).toBe('*');
  });

  it('applies the configured status and template, reading Node’s req.headers for mappings', () => {
    const responses = responsesOf({
      Unauthorized: gatewayResponse('UNAUTHORIZED', {
        StatusCode: '403',
        ResponseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.origin',
        },
        ResponseTemplates: {
          'application/json': '{"error":$context.error.messageString,"requestId":"$context.requestId"}',
        },
      }),
    });

    const customized = responses.customize('UNAUTHORIZED', unauthorized, {
      request: { headers: { origin: 'https://app.test', accept: ['a', 'b'] } },
      variables: { requestId: 'r-9' },
    });

    expect(customized).toMatchObject({
      status: 403,
      contentType: 'application/json',
      headers: { 'Access-Control-Allow-Origin': 'https://app.test' },
    });
    expect(customized.body.toString()).toBe('{"error":"Unauthorized","requestId":"r-9"}');
  });
});

describe('what AWS would refuse', () => {
  it.each([
    [
      'an unknown ResponseType',
      { ResponseType: 'NOT_FOUND' },
      /ResponseType is "NOT_FOUND", not a gateway response type/,
    ],
    [
      'a StatusCode that is not a status',
      { ResponseType: 'UNAUTHORIZED', StatusCode: 'teapot' },
      /StatusCode is "teapot"/,
    ],
    [
      'a parameter that is not a header',
      { ResponseType: 'UNAUTHORIZED', ResponseParameters: { 'gatewayresponse.path.x': "'y'" } },
      /maps headers only/,
    ],
    [
      'a value local-cloud cannot evaluate',
      {
        ResponseType: 'UNAUTHORIZED',
        ResponseParameters: { 'gatewayresponse.header.X': { 'Fn::Sub': "'${AWS::Region}'" } },
      },
      /which local-cloud cannot evaluate.*Fix: quote a static value/,
    ],
    [
      'templates that are not text',
      { ResponseType: 'UNAUTHORIZED', ResponseTemplates: { 'application/json': 1 } },
      /ResponseTemplates/,
    ],
  ])('refuses %s, naming the resource', (_, properties, message) => {
    expect(() =>
      responsesOf({ Broken: { Type: 'AWS::ApiGateway::GatewayResponse', Properties: properties } }),
    ).toThrow(message);
    expect(() =>
      responsesOf({ Broken: { Type: 'AWS::ApiGateway::GatewayResponse', Properties: properties } }),
    ).toThrow(ServiceConfigError);
  });

  it('refuses two resources for the same type', () => {
    expect(() =>
      responsesOf({ A: gatewayResponse('DEFAULT_4XX'), B: gatewayResponse('DEFAULT_4XX') }),
    ).toThrow(/resources A and B both customise the DEFAULT_4XX gateway response/);
  });
});

describe('the REST gateway’s own responses', () => {
  it('map to the type whose default status they send, or to DEFAULT_5XX when no type has it', () => {
    const sent: Record<keyof typeof REST_GATEWAY_RESPONSE_TYPES, number> = {
      missingAuthenticationToken: 403,
      invalidRequestBody: 400,
      invocationRejected: 500,
      apiConfigurationError: 500,
      integrationFailed: 502,
      integrationTimeout: 504,
      requestTooLarge: 413,
      throttled: 429,
      unauthorized: 401,
      accessDenied: 403,
      authorizerConfigurationError: 500,
    };

    const statusAndType = Object.entries(REST_GATEWAY_RESPONSE_TYPES).map(([key, type]) => [
      key,
      sent[key as keyof typeof sent],
      GATEWAY_RESPONSE_DEFAULT_STATUS[type] ?? type,
    ]);

    expect(statusAndType).toEqual([
      ['missingAuthenticationToken', 403, 403],
      ['invalidRequestBody', 400, 400],
      ['invocationRejected', 500, 'DEFAULT_5XX'],
      ['apiConfigurationError', 500, 500],
      ['integrationFailed', 502, 'DEFAULT_5XX'],
      ['integrationTimeout', 504, 504],
      ['requestTooLarge', 413, 413],
      ['throttled', 429, 429],
      ['unauthorized', 401, 401],
      ['accessDenied', 403, 403],
      ['authorizerConfigurationError', 500, 500],
    ]);
  });
});
