// Every form of `authorizer:` the Serverless Framework v3 accepts on http and websocket events, read as the
// framework reads it, and the forms local-cloud cannot run, refused with the file and the fix.
import { authorizerConfigFor, lambdaLogicalId } from '../../src/authorizers/authorizer-config';
import { ServiceConfigError } from '../../src/config/service-config-error';
import { serviceWith } from './support/authorizer-fixtures';

const service = serviceWith(['hello', 'checkToken', 'check-token', 'check_ws']);
const http = (raw: unknown) => authorizerConfigFor(raw, { functionKey: 'hello', kind: 'http', service });
const websocket = (raw: unknown) =>
  authorizerConfigFor(raw, { functionKey: 'hello', kind: 'websocket', service });

describe('http event authorizers', () => {
  it('has none when the event has no authorizer', () => {
    expect(http(undefined)).toBeUndefined();
  });

  it('reads `authorizer: <function>` as a TOKEN authorizer on the Authorization header, cached 300 s', () => {
    expect(http('checkToken')).toEqual({
      functionKey: 'checkToken',
      type: 'TOKEN',
      identitySources: ['method.request.header.Authorization'],
      resultTtlInSeconds: 300,
      api: 'rest',
    });
  });

  it('reads the object form with every field', () => {
    expect(
      http({
        name: 'checkToken',
        type: 'token',
        identitySource: 'method.request.header.X-Token',
        identityValidationExpression: '^Bearer .+$',
        resultTtlInSeconds: 60,
      }),
    ).toEqual({
      functionKey: 'checkToken',
      type: 'TOKEN',
      identitySources: ['method.request.header.X-Token'],
      validationExpression: '^Bearer .+$',
      resultTtlInSeconds: 60,
      api: 'rest',
    });
  });

  it('reads a REQUEST authorizer with comma-separated identity sources', () => {
    expect(
      http({
        name: 'checkToken',
        type: 'REQUEST',
        identitySource: 'method.request.header.Auth, method.request.querystring.token,stageVariables.tenant',
        resultTtlInSeconds: 0,
      }),
    ).toEqual({
      functionKey: 'checkToken',
      type: 'REQUEST',
      identitySources: [
        'method.request.header.Auth',
        'method.request.querystring.token',
        'stageVariables.tenant',
      ],
      resultTtlInSeconds: 0,
      api: 'rest',
    });
  });

  it('gives a REQUEST authorizer the Authorization header by default, unless it does not cache', () => {
    expect(http({ name: 'checkToken', type: 'request' })?.identitySources).toEqual([
      'method.request.header.Authorization',
    ]);
    expect(http({ name: 'checkToken', type: 'request', resultTtlInSeconds: 0 })?.identitySources).toEqual([]);
  });

  it('parses resultTtlInSeconds as the framework does: a numeric string counts, anything else is 300', () => {
    expect(http({ name: 'checkToken', resultTtlInSeconds: '45' })?.resultTtlInSeconds).toBe(45);
    expect(http({ name: 'checkToken', resultTtlInSeconds: 'soon' })?.resultTtlInSeconds).toBe(300);
    expect(http({ name: 'checkToken', resultTtlInSeconds: 3600 })?.resultTtlInSeconds).toBe(3600);
  });

  it('ignores a validation expression on a REQUEST authorizer, as API Gateway does', () => {
    expect(
      http({ name: 'checkToken', type: 'request', identityValidationExpression: '^x$' })
        ?.validationExpression,
    ).toBeUndefined();
  });

  it.each([
    ['a string ARN', 'arn:aws:lambda:us-east-1:123456789012:function:authorizer-tests-dev-checkToken'],
    [
      'a string ARN with an alias',
      'arn:aws:lambda:us-east-1:123456789012:function:authorizer-tests-dev-checkToken:live',
    ],
    [
      'an object with arn',
      { arn: 'arn:aws:lambda:us-east-1:123456789012:function:authorizer-tests-dev-checkToken' },
    ],
    [
      'Fn::GetAtt of the function resource',
      { name: 'auth', arn: { 'Fn::GetAtt': ['CheckTokenLambdaFunction', 'Arn'] } },
    ],
    ['Fn::GetAtt in dotted form', { name: 'auth', arn: { 'Fn::GetAtt': 'CheckTokenLambdaFunction.Arn' } }],
  ])('runs a function of this service named by %s', (_, raw) => {
    expect(http(raw)?.functionKey).toBe('checkToken');
  });

  it('names function resources as the framework does', () => {
    expect(lambdaLogicalId('check-token')).toBe('CheckDashtokenLambdaFunction');
    expect(lambdaLogicalId('check_ws')).toBe('CheckUnderscorewsLambdaFunction');
    expect(
      http({ name: 'a', arn: { 'Fn::GetAtt': ['CheckDashtokenLambdaFunction', 'Arn'] } })?.functionKey,
    ).toBe('check-token');
  });
});

describe('websocket event authorizers', () => {
  it('reads `authorizer: <function>` as a REQUEST authorizer on the Auth header, never cached', () => {
    expect(websocket('check_ws')).toEqual({
      functionKey: 'check_ws',
      type: 'REQUEST',
      identitySources: ['route.request.header.Auth'],
      resultTtlInSeconds: 0,
      api: 'websocket',
    });
  });

  it('reads `{ name, identitySource: [...] }`', () => {
    expect(
      websocket({
        name: 'check_ws',
        identitySource: ['route.request.querystring.token', 'route.request.header.Auth'],
      }),
    ).toMatchObject({
      functionKey: 'check_ws',
      identitySources: ['route.request.querystring.token', 'route.request.header.Auth'],
    });
  });

  it('reads an ARN of a function of this service', () => {
    expect(
      websocket({ arn: 'arn:aws:lambda:us-east-1:123456789012:function:authorizer-tests-dev-check_ws' })
        ?.functionKey,
    ).toBe('check_ws');
  });
});

describe('authorizers local-cloud refuses, naming serverless.yml and the fix', () => {
  it.each([
    [
      'an unknown function',
      'nope',
      /names "nope", which is not a function of this service.*Fix: set it to the key/,
    ],
    ['aws_iam', 'aws_iam', /is aws_iam .*which local-cloud does not emulate/],
    ['type aws_iam', { type: 'AWS_IAM' }, /is aws_iam/],
    [
      'a Cognito user pool',
      {
        name: 'pool',
        type: 'COGNITO_USER_POOLS',
        arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/x',
      },
      /Cognito user pool authorizer, which local-cloud does not emulate.*local-cloud token --sub alice/,
    ],
    ['a Cognito ARN', { arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/x' }, /Cognito user pool/],
    ['an existing authorizerId', { type: 'CUSTOM', authorizerId: { Ref: 'Shared' } }, /uses authorizerId/],
    [
      'a function of another service',
      'arn:aws:lambda:us-east-1:123456789012:function:other-service-dev-auth',
      /is not a function of this service/,
    ],
    [
      'an unknown GetAtt',
      { name: 'a', arn: { 'Fn::GetAtt': ['Elsewhere', 'Arn'] } },
      /is not a function of this service/,
    ],
    ['type custom', { name: 'checkToken', type: 'custom' }, /has type "custom".*Fix: set `type: token`/],
    ['neither name nor arn', { type: 'token' }, /has neither a name nor an arn/],
    ['a number', 42, /is 42/],
    ['a TTL over an hour', { name: 'checkToken', resultTtlInSeconds: 3601 }, /0 to 3600 seconds/],
    ['a negative TTL', { name: 'checkToken', resultTtlInSeconds: -1 }, /0 to 3600 seconds/],
    [
      'a TOKEN authorizer on a query string',
      { name: 'checkToken', identitySource: 'method.request.querystring.token' },
      /a TOKEN authorizer reads exactly one header.*type: request/,
    ],
    [
      'a TOKEN authorizer on two headers',
      { name: 'checkToken', identitySource: 'method.request.header.A, method.request.header.B' },
      /exactly one header/,
    ],
    [
      'an invalid validation expression',
      { name: 'checkToken', identityValidationExpression: '^Bearer (' },
      /is not a valid regular expression/,
    ],
    [
      'a REQUEST source API Gateway does not know',
      { name: 'checkToken', type: 'request', identitySource: 'method.request.body.token' },
      /identity source "method.request.body.token"/,
    ],
    ['an identitySource that is not text', { name: 'checkToken', identitySource: 7 }, /has identitySource 7/],
  ])('refuses %s', (_, raw, message) => {
    let error: unknown;
    try {
      http(raw);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ServiceConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(
      /^\/work\/services\/authorizer-tests\/serverless\.yml: functions\.hello: /,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('refuses a websocket identity source of a REST API', () => {
    expect(() => websocket({ name: 'check_ws', identitySource: ['method.request.header.Auth'] })).toThrow(
      /which a WebSocket API does not accept.*route\.request\.header/,
    );
  });
});
