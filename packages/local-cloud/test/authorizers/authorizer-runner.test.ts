// What API Gateway does with a Lambda authorizer in front of a method: which requests reach the function,
// which are turned away before it runs, and with which status, body and x-amzn-ErrorType.
import {
  AUTHORIZER_RESPONSES,
  AuthorizerRunner,
  requestContextAuthorizer,
  type AuthorizationOutcome,
} from '../../src/authorizers/authorizer-runner';
import { FakeLambdaService, type FakeHandler } from '../support/fake-lambda-service';
import {
  API_ARN,
  methodArn,
  policy,
  requestAuthorizer,
  restRequest,
  tokenAuthorizer,
} from './support/authorizer-fixtures';

const EXPLICIT_DENY = '{"Message":"User is not authorized to access this resource with an explicit deny"}';
const IMPLICIT_DENY = '{"Message":"User is not authorized to access this resource"}';

interface Harness {
  runner: AuthorizerRunner;
  lambda: FakeLambdaService;
  logs: string[];
  /** Moves the runner's clock. */
  advance: (ms: number) => void;
  /** The events the authorizer function received, parsed. */
  events: () => Record<string, unknown>[];
}

function harness(handler: FakeHandler, options: { timeoutMs?: number } = {}): Harness {
  const lambda = new FakeLambdaService({ checkToken: { handler } });
  const logs: string[] = [];
  let clock = 1_700_000_000_000;
  const runner = new AuthorizerRunner({
    lambda,
    now: () => clock,
    log: (line) => logs.push(line),
    ...options,
  });
  return {
    runner,
    lambda,
    logs,
    advance: (ms) => {
      clock += ms;
    },
    events: () =>
      lambda.invocations.map((invocation) => JSON.parse(invocation.payload) as Record<string, unknown>),
  };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function denial(outcome: AuthorizationOutcome) {
  if (outcome.allowed) throw new Error(`expected a denial, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('a TOKEN authorizer', () => {
  it('receives the Authorization header as authorizationToken, with the method ARN', async () => {
    const { runner, events } = harness(async (event) =>
      policy('Allow', (event as { methodArn: string }).methodArn),
    );

    await runner.authorize(
      tokenAuthorizer('checkToken'),
      restRequest('GET', '/groups/42', { headers: bearer('t1') }),
    );

    expect(events()).toEqual([
      { type: 'TOKEN', authorizationToken: 'Bearer t1', methodArn: `${API_ARN}/dev/GET/groups/42` },
    ]);
  });

  it('lets a request through when the policy allows its method ARN, with principalId and context', async () => {
    const { runner } = harness(async () =>
      policy('Allow', methodArn('GET', '/groups'), { context: { role: 'admin', level: 3, beta: true } }),
    );

    const outcome = await runner.authorize(
      tokenAuthorizer('checkToken'),
      restRequest('GET', '/groups', { headers: bearer('t1') }),
    );

    expect(outcome).toEqual({
      allowed: true,
      principalId: 'alice',
      context: { role: 'admin', level: 3, beta: true },
      cached: false,
      integrationLatency: 0,
    });
  });

  it('reads the token from the configured header, whatever its case in the request', async () => {
    const { runner, events } = harness(async () => policy('Allow', '*'));

    const outcome = await runner.authorize(
      tokenAuthorizer('checkToken', { identitySources: ['method.request.header.X-Auth-Token'] }),
      restRequest('GET', '/groups', { headers: { 'x-auth-token': 'abc' } }),
    );

    expect(outcome.allowed).toBe(true);
    expect(events()[0]).toMatchObject({ authorizationToken: 'abc' });
  });

  it.each([
    ['absent', {}],
    ['empty', { Authorization: '' }],
  ])('answers 401 without invoking the authorizer when the token header is %s', async (_, headers) => {
    const { runner, lambda, logs } = harness(async () => policy('Allow', '*'));

    const outcome = denial(
      await runner.authorize(tokenAuthorizer('checkToken'), restRequest('GET', '/groups', { headers })),
    );

    expect(outcome).toMatchObject({
      statusCode: 401,
      body: '{"message":"Unauthorized"}',
      errorType: 'UnauthorizedException',
      responseType: 'UNAUTHORIZED',
    });
    expect(lambda.invocations).toHaveLength(0);
    expect(logs).toEqual([
      expect.stringContaining('identity source method.request.header.Authorization is missing or empty'),
    ]);
  });

  it('checks the validation expression against the whole token before invoking the authorizer', async () => {
    const { runner, lambda } = harness(async () => policy('Allow', '*'));
    const config = tokenAuthorizer('checkToken', { validationExpression: 'Bearer [a-z0-9]+' });

    const mismatch = denial(
      await runner.authorize(
        config,
        restRequest('GET', '/groups', { headers: { Authorization: 'Basic abc' } }),
      ),
    );
    const partial = denial(
      await runner.authorize(
        config,
        restRequest('GET', '/groups', { headers: { Authorization: 'xBearer abc' } }),
      ),
    );
    const match = await runner.authorize(config, restRequest('GET', '/groups', { headers: bearer('abc') }));

    expect(mismatch).toMatchObject({ statusCode: 401, body: '{"message":"Unauthorized"}' });
    expect(partial.statusCode).toBe(401);
    expect(match.allowed).toBe(true);
    expect(lambda.invocations).toHaveLength(1);
  });
});

describe('the outcomes of a policy', () => {
  it('answers 403 with the explicit-deny message when a statement denies the method ARN', async () => {
    const { runner, logs } = harness(async () => policy('Deny', methodArn('GET', '/groups')));

    const outcome = denial(
      await runner.authorize(
        tokenAuthorizer('checkToken'),
        restRequest('GET', '/groups', { headers: bearer('t') }),
      ),
    );

    expect(outcome).toMatchObject({
      statusCode: 403,
      body: EXPLICIT_DENY,
      errorType: 'AccessDeniedException',
      responseType: 'ACCESS_DENIED',
    });
    expect(logs).toEqual([expect.stringContaining('denies arn:aws:execute-api')]);
  });

  it('answers 403 "not authorized" when no Allow covers the method ARN', async () => {
    const { runner } = harness(async () => policy('Allow', methodArn('POST', '/groups')));

    const outcome = denial(
      await runner.authorize(
        tokenAuthorizer('checkToken'),
        restRequest('GET', '/groups', { headers: bearer('t') }),
      ),
    );

    expect(outcome).toMatchObject({
      statusCode: 403,
      body: IMPLICIT_DENY,
      errorType: 'AccessDeniedException',
    });
  });

  it('lets an explicit Deny win over an Allow for the same ARN', async () => {
    const { runner } = harness(async () => ({
      principalId: 'alice',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${API_ARN}/dev/*` },
          { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${API_ARN}/dev/DELETE/*` },
        ],
      },
    }));
    const config = tokenAuthorizer('checkToken');

    const read = await runner.authorize(config, restRequest('GET', '/groups/1', { headers: bearer('t') }));
    const remove = denial(
      await runner.authorize(config, restRequest('DELETE', '/groups/1', { headers: bearer('t') })),
    );

    expect(read.allowed).toBe(true);
    expect(remove.body).toBe(EXPLICIT_DENY);
  });

  it('answers 401 when the authorizer fails with exactly "Unauthorized", and 500 for any other error', async () => {
    const { runner } = harness(async (event) => {
      const token = (event as { authorizationToken: string }).authorizationToken;
      throw new Error(token === 'expired' ? 'Unauthorized' : token === 'lower' ? 'unauthorized' : 'boom');
    });
    const config = tokenAuthorizer('checkToken', { resultTtlInSeconds: 0 });
    const ask = (token: string) =>
      runner.authorize(config, restRequest('GET', '/groups', { headers: { Authorization: token } }));

    expect(denial(await ask('expired'))).toMatchObject({
      statusCode: 401,
      body: '{"message":"Unauthorized"}',
      errorType: 'UnauthorizedException',
    });
    expect(denial(await ask('lower'))).toMatchObject({ statusCode: 500 });
    expect(denial(await ask('other'))).toMatchObject({
      statusCode: 500,
      body: '{"message":null}',
      errorType: 'AuthorizerConfigurationException',
      responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    });
  });

  it.each([
    ['no principalId', policy('Allow', '*', { principalId: undefined })],
    ['no policyDocument', { principalId: 'alice' }],
    ['an Effect other than Allow or Deny', policy('allow' as 'Allow', '*')],
    [
      'a statement without Resource',
      { principalId: 'a', policyDocument: { Statement: [{ Action: '*', Effect: 'Allow' }] } },
    ],
    ['a context object value', policy('Allow', '*', { context: { user: { id: 1 } } })],
    ['a context list value', policy('Allow', '*', { context: { roles: ['admin'] } })],
    ['a context null value', policy('Allow', '*', { context: { email: null } })],
    ['a context that is a string', policy('Allow', '*', { context: 'admin' })],
    ['a string instead of an object', 'Allow'],
    ['nothing', undefined],
  ])('answers 500 {"message":null} for an output with %s, and logs why', async (_, output) => {
    const { runner, logs } = harness(async () => output);

    const outcome = denial(
      await runner.authorize(
        tokenAuthorizer('checkToken'),
        restRequest('GET', '/groups', { headers: bearer('t') }),
      ),
    );

    expect(outcome).toMatchObject({
      statusCode: 500,
      body: '{"message":null}',
      errorType: 'AuthorizerConfigurationException',
    });
    expect(logs).toEqual([expect.stringContaining('Execution failed due to configuration error')]);
  });

  it('answers 500 when Lambda refuses to run the authorizer', async () => {
    const lambda = new FakeLambdaService({
      checkToken: { handler: async () => policy('Allow', '*'), definition: { reservedConcurrency: 0 } },
    });
    const logs: string[] = [];
    const runner = new AuthorizerRunner({ lambda, log: (line) => logs.push(line) });

    const outcome = denial(
      await runner.authorize(
        tokenAuthorizer('checkToken'),
        restRequest('GET', '/groups', { headers: bearer('t') }),
      ),
    );

    expect(outcome).toMatchObject({ statusCode: 500, errorType: 'AuthorizerConfigurationException' });
    expect(logs[0]).toContain('could not be invoked: TooManyRequestsException');
  });

  it('answers 500 when the authorizer does not answer within the timeout', async () => {
    let release: () => void = () => undefined;
    const { runner } = harness(
      () =>
        new Promise((resolve) => {
          release = () => resolve(policy('Allow', '*'));
        }),
      { timeoutMs: 20 },
    );

    const outcome = denial(
      await runner.authorize(
        tokenAuthorizer('checkToken'),
        restRequest('GET', '/groups', { headers: bearer('t') }),
      ),
    );
    release();

    expect(outcome).toMatchObject({ statusCode: 500, body: '{"message":null}' });
  });

  it('reports how long the authorizer took as integrationLatency', async () => {
    let advance: (ms: number) => void = () => undefined;
    const h = harness(async () => {
      advance(37);
      return policy('Allow', '*');
    });
    advance = h.advance;

    const outcome = await h.runner.authorize(
      tokenAuthorizer('checkToken'),
      restRequest('GET', '/groups', { headers: bearer('t') }),
    );

    expect(outcome).toMatchObject({ allowed: true, integrationLatency: 37 });
  });

  it('accepts a numeric principalId and passes it on as a string', async () => {
    const { runner } = harness(async () => policy('Allow', '*', { principalId: 42 }));

    const outcome = await runner.authorize(
      tokenAuthorizer('checkToken'),
      restRequest('GET', '/groups', { headers: bearer('t') }),
    );

    expect(outcome).toMatchObject({ allowed: true, principalId: '42' });
  });
});

describe('a REQUEST authorizer', () => {
  it('receives the request: headers, query string, path, stage variables and requestContext', async () => {
    const { runner, events } = harness(async () => policy('Allow', '*'));
    const request = restRequest('GET', '/groups/42', {
      headers: { Auth: 'k1' },
      query: { token: 'q1' },
      resource: '/groups/{groupId}',
      pathParameters: { groupId: '42' },
    });

    await runner.authorize(
      requestAuthorizer('checkToken', ['method.request.header.Auth', 'method.request.querystring.token']),
      request,
    );

    expect(events()).toEqual([
      {
        type: 'REQUEST',
        methodArn: `${API_ARN}/dev/GET/groups/42`,
        resource: '/groups/{groupId}',
        path: '/groups/42',
        httpMethod: 'GET',
        headers: { Auth: 'k1' },
        multiValueHeaders: { Auth: ['k1'] },
        queryStringParameters: { token: 'q1' },
        multiValueQueryStringParameters: { token: ['q1'] },
        pathParameters: { groupId: '42' },
        stageVariables: null,
        requestContext: request.requestContext,
      },
    ]);
  });

  it.each([
    ['the header is missing', { query: { token: 'q1' } }],
    ['the query string parameter is missing', { headers: { Auth: 'k1' } }],
    ['the query string parameter is empty', { headers: { Auth: 'k1' }, query: { token: '' } }],
  ])('answers 401 without invoking the authorizer when %s', async (_, options) => {
    const { runner, lambda } = harness(async () => policy('Allow', '*'));

    const outcome = denial(
      await runner.authorize(
        requestAuthorizer('checkToken', ['method.request.header.Auth', 'method.request.querystring.token']),
        restRequest('GET', '/groups', options),
      ),
    );

    expect(outcome).toMatchObject({ statusCode: 401, body: '{"message":"Unauthorized"}' });
    expect(lambda.invocations).toHaveLength(0);
  });

  it('joins the values of a multi-value header or query string identity source', async () => {
    const { runner, lambda } = harness(async () => policy('Allow', '*'));
    const config = requestAuthorizer('checkToken', ['method.request.multivaluequerystring.scope']);
    const request = {
      ...restRequest('GET', '/groups'),
      queryStringParameters: { scope: 'b' },
      multiValueQueryStringParameters: { scope: ['a', 'b'] },
    };

    await runner.authorize(config, request);
    const sameValues = await runner.authorize(config, request);

    expect(sameValues.cached).toBe(true);
    expect(lambda.invocations).toHaveLength(1);
  });

  it('reads stage variables and context variables as identity sources', async () => {
    const { runner, lambda } = harness(async () => policy('Allow', '*'));
    const config = requestAuthorizer('checkToken', ['stageVariables.tenant', 'context.identity.sourceIp']);

    const withVariable = await runner.authorize(
      config,
      restRequest('GET', '/groups', { stageVariables: { tenant: 'acme' } }),
    );
    const without = denial(await runner.authorize(config, restRequest('GET', '/groups')));

    expect(withVariable.allowed).toBe(true);
    expect(without.statusCode).toBe(401);
    expect(lambda.invocations).toHaveLength(1);
  });

  it('runs on every request when it has no identity sources and no caching', async () => {
    const { runner, lambda } = harness(async () => policy('Allow', '*'));
    const config = requestAuthorizer('checkToken', [], { resultTtlInSeconds: 0 });

    await runner.authorize(config, restRequest('GET', '/groups'));
    await runner.authorize(config, restRequest('GET', '/groups'));

    expect(lambda.invocations).toHaveLength(2);
  });

  it('gets the WebSocket $connect shape: no resource, path, method or path parameters', async () => {
    const { runner, events } = harness(async () => policy('Allow', '*'));
    const request = {
      ...restRequest('GET', '/', { query: { token: 'abc' } }),
      methodArn: `${API_ARN}/dev/$connect`,
      requestContext: { routeKey: '$connect', eventType: 'CONNECT', stage: 'dev' },
    };

    const outcome = await runner.authorize(
      requestAuthorizer('checkToken', ['route.request.querystring.token'], {
        resultTtlInSeconds: 0,
        api: 'websocket',
      }),
      request,
    );

    expect(outcome.allowed).toBe(true);
    expect(events()).toEqual([
      {
        type: 'REQUEST',
        methodArn: `${API_ARN}/dev/$connect`,
        headers: {},
        multiValueHeaders: {},
        queryStringParameters: { token: 'abc' },
        multiValueQueryStringParameters: { token: ['abc'] },
        stageVariables: null,
        requestContext: { routeKey: '$connect', eventType: 'CONNECT', stage: 'dev' },
      },
    ]);
  });
});

describe('the result cache', () => {
  it('invokes a TOKEN authorizer once per token within the TTL, and again after it', async () => {
    const { runner, lambda, advance } = harness(async () => policy('Allow', `${API_ARN}/dev/*`));
    const config = tokenAuthorizer('checkToken', { resultTtlInSeconds: 60 });
    const ask = (token: string) =>
      runner.authorize(config, restRequest('GET', '/groups', { headers: bearer(token) }));

    const first = await ask('t1');
    advance(59_999);
    const second = await ask('t1');
    const otherToken = await ask('t2');
    advance(1);
    const afterTtl = await ask('t1');

    expect([first.cached, second.cached, otherToken.cached, afterTtl.cached]).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(lambda.invocations).toHaveLength(3);
    expect(second).toMatchObject({ allowed: true, principalId: 'alice', integrationLatency: 0 });
  });

  it('keys a REQUEST authorizer on every identity source value', async () => {
    const { runner, lambda } = harness(async () => policy('Allow', '*'));
    const config = requestAuthorizer('checkToken', [
      'method.request.header.Auth',
      'method.request.querystring.tenant',
    ]);
    const ask = (auth: string, tenant: string) =>
      runner.authorize(config, restRequest('GET', '/groups', { headers: { Auth: auth }, query: { tenant } }));

    await ask('k1', 'acme');
    const same = await ask('k1', 'acme');
    await ask('k1', 'globex');
    await ask('k2', 'acme');

    expect(same.cached).toBe(true);
    expect(lambda.invocations).toHaveLength(3);
  });

  it('invokes the authorizer on every request when the TTL is 0', async () => {
    const { runner, lambda } = harness(async () => policy('Allow', '*'));
    const config = tokenAuthorizer('checkToken', { resultTtlInSeconds: 0 });

    for (let i = 0; i < 3; i++) {
      await runner.authorize(config, restRequest('GET', '/groups', { headers: bearer('t1') }));
    }

    expect(lambda.invocations).toHaveLength(3);
  });

  it('evaluates a cached policy against each new method ARN: one naming a single method denies the others', async () => {
    // The classic caching mistake: the authorizer allows exactly event.methodArn.
    const { runner, lambda, logs } = harness(async (event) =>
      policy('Allow', (event as { methodArn: string }).methodArn),
    );
    const config = tokenAuthorizer('checkToken');

    const groups = await runner.authorize(config, restRequest('GET', '/groups', { headers: bearer('t1') }));
    const images = denial(
      await runner.authorize(config, restRequest('GET', '/images', { headers: bearer('t1') })),
    );

    expect(groups.allowed).toBe(true);
    expect(images).toMatchObject({ statusCode: 403, body: IMPLICIT_DENY, cached: true });
    expect(lambda.invocations).toHaveLength(1);
    expect(logs[0]).toContain(`return a Resource that covers them all (${API_ARN}/dev/*)`);
  });

  it('lets a policy that covers the whole API serve every method from the cache', async () => {
    const { runner, lambda } = harness(async () => policy('Allow', `${API_ARN}/dev/*`));
    const config = tokenAuthorizer('checkToken');

    const allowed: boolean[] = [];
    for (const path of ['/groups', '/images', '/groups/1/images']) {
      allowed.push(
        (await runner.authorize(config, restRequest('GET', path, { headers: bearer('t1') }))).allowed,
      );
    }
    const post = await runner.authorize(config, restRequest('POST', '/groups', { headers: bearer('t1') }));

    expect(allowed).toEqual([true, true, true]);
    expect(post).toMatchObject({ allowed: true, cached: true });
    expect(lambda.invocations).toHaveLength(1);
  });

  it('caches a Deny policy too, but not a failure', async () => {
    let calls = 0;
    const { runner, lambda } = harness(async (event) => {
      calls++;
      if ((event as { authorizationToken: string }).authorizationToken === 'Bearer bad')
        throw new Error('Unauthorized');
      return policy('Deny', '*');
    });
    const config = tokenAuthorizer('checkToken');

    await runner.authorize(config, restRequest('GET', '/groups', { headers: bearer('denied') }));
    const denied = denial(
      await runner.authorize(config, restRequest('GET', '/groups', { headers: bearer('denied') })),
    );
    await runner.authorize(config, restRequest('GET', '/groups', { headers: bearer('bad') }));
    await runner.authorize(config, restRequest('GET', '/groups', { headers: bearer('bad') }));

    expect(denied).toMatchObject({ statusCode: 403, cached: true });
    expect(calls).toBe(3);
    expect(lambda.invocations).toHaveLength(3);
  });

  it('forgets every result on clearCache()', async () => {
    const { runner, lambda } = harness(async () => policy('Allow', '*'));
    const config = tokenAuthorizer('checkToken');

    await runner.authorize(config, restRequest('GET', '/groups', { headers: bearer('t1') }));
    runner.clearCache();
    const again = await runner.authorize(config, restRequest('GET', '/groups', { headers: bearer('t1') }));

    expect(again.cached).toBe(false);
    expect(lambda.invocations).toHaveLength(2);
  });
});

describe('requestContext.authorizer', () => {
  it('holds the context values stringified, beside principalId and integrationLatency', () => {
    const authorizer = requestContextAuthorizer({
      allowed: true,
      principalId: 'alice',
      context: { role: 'admin', level: 3, beta: true, ratio: 0.5 },
      cached: false,
      integrationLatency: 12,
    });

    expect(authorizer).toEqual({
      role: 'admin',
      level: '3',
      beta: 'true',
      ratio: '0.5',
      principalId: 'alice',
      integrationLatency: 12,
    });
  });
});

describe('the default responses', () => {
  it('match what API Gateway sends', () => {
    expect(AUTHORIZER_RESPONSES).toEqual({
      unauthorized: {
        statusCode: 401,
        errorType: 'UnauthorizedException',
        body: '{"message":"Unauthorized"}',
        responseType: 'UNAUTHORIZED',
      },
      explicitDeny: {
        statusCode: 403,
        errorType: 'AccessDeniedException',
        body: EXPLICIT_DENY,
        responseType: 'ACCESS_DENIED',
      },
      implicitDeny: {
        statusCode: 403,
        errorType: 'AccessDeniedException',
        body: IMPLICIT_DENY,
        responseType: 'ACCESS_DENIED',
      },
      configurationError: {
        statusCode: 500,
        errorType: 'AuthorizerConfigurationException',
        body: '{"message":null}',
        responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
      },
    });
  });
});
