// The HTTP API in front of the in-process fake Lambda service, for what a real sandbox makes slow to show:
// the integration timeout (30 s on AWS) shortened to 100 ms, the payload quota, Lambda refusing the
// invocation; and the serverless.yml settings a deploy would refuse, refused at start with the fix.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionDefinition } from '../../src/config/service-definition';
import { ServiceConfigError } from '../../src/config/service-config-error';
import { createHttpApi, type HttpApiOptions } from '../../src/http-api';
import { FakeLambdaService, type FakeHandler } from '../support/fake-lambda-service';

interface Running {
  url: string;
  lambda: FakeLambdaService;
  logs: string[];
  close(): Promise<void>;
}

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((api) => api.close()));
});

type Functions = Record<
  string,
  { handler?: FakeHandler; events: Record<string, unknown>[]; definition?: Partial<FunctionDefinition> }
>;

function serviceOf(lambda: FakeLambdaService, httpApi?: Record<string, unknown>): HttpApiOptions['service'] {
  return {
    service: 'limits',
    servicePath: '/services/limits',
    provider: {
      region: 'us-east-1',
      stage: 'dev',
      runtime: 'nodejs24.x',
      binaryMediaTypes: [],
      ...(httpApi && { httpApi }),
    },
    functions: Object.fromEntries(lambda.functions().map((fn) => [fn.key, fn])),
  };
}

function fakeLambda(functions: Functions): FakeLambdaService {
  return new FakeLambdaService(
    Object.fromEntries(
      Object.entries(functions).map(([key, fn]) => [
        key,
        {
          handler: fn.handler ?? (() => Promise.resolve({ statusCode: 200, body: 'ok' })),
          definition: { ...fn.definition, events: fn.events },
        },
      ]),
    ),
  );
}

async function serve(functions: Functions, options: Partial<HttpApiOptions> = {}): Promise<Running> {
  const lambda = fakeLambda(functions);
  const logs: string[] = [];
  const api = createHttpApi({
    lambda,
    service: serviceOf(lambda),
    log: (line) => logs.push(line),
    ...options,
  });
  const server: Server = createServer(api.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const result: Running = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lambda,
    logs,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  running.push(result);
  return result;
}

describe('the HTTP API’s limits', () => {
  it('answers 503 {"message":"Service Unavailable"} when the function outlives the integration timeout', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const api = await serve(
      {
        slow: {
          events: [{ httpApi: 'GET /slow' }],
          handler: () => finished.then(() => ({ statusCode: 200 })),
        },
      },
      { integrationTimeoutMs: 100 },
    );

    const response = await fetch(`${api.url}/slow`);
    finish();

    expect(response.status).toBe(503);
    expect(await response.text()).toBe('{"message":"Service Unavailable"}');
    expect(api.logs).toEqual([
      expect.stringMatching(
        /^GET \/slow \(GET \/slow, function slow\) 503: no response within the integration timeout of 100 ms/,
      ),
    ]);
  });

  it('answers 413 for a body over 10 MB, without invoking the function', async () => {
    const api = await serve({ upload: { events: [{ httpApi: 'POST /upload' }] } });

    const response = await fetch(`${api.url}/upload`, {
      method: 'POST',
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
    expect(await response.text()).toBe('{"message":"Request Entity Too Large"}');
    expect(api.lambda.invocations).toHaveLength(0);
  });

  it('answers 500 when Lambda refuses the invocation (throttled), the reason in the log', async () => {
    const api = await serve({
      busy: { events: [{ httpApi: 'GET /busy' }], definition: { reservedConcurrency: 0 } },
    });

    const response = await fetch(`${api.url}/busy`);

    expect(response.status).toBe(500);
    expect(await response.text()).toBe('{"message":"Internal Server Error"}');
    expect(api.logs[0]).toMatch(
      /500: Lambda refused the invocation: TooManyRequestsException: Rate Exceeded/,
    );
  });

  it('refuses an integration timeout API Gateway does not allow', () => {
    const lambda = fakeLambda({ fn: { events: [{ httpApi: 'GET /a' }] } });

    expect(() => createHttpApi({ lambda, service: serviceOf(lambda), integrationTimeoutMs: 30_001 })).toThrow(
      /integration timeout is 30001 ms\. Fix: give 50 to 30000 ms/,
    );
  });
});

describe('serverless.yml settings a deploy would refuse', () => {
  it.each<[string, Functions, Record<string, unknown> | undefined, RegExp]>([
    [
      'two events with one route',
      { a: { events: [{ httpApi: 'GET /x' }] }, b: { events: [{ httpApi: { method: 'get', path: '/x' } }] } },
      undefined,
      /functions\.b\.events\[0\]\.httpApi is GET \/x, a route function a already has/,
    ],
    [
      'a route without a method',
      { a: { events: [{ httpApi: { path: '/x' } }] } },
      undefined,
      /has no method\. Fix: add `method: get`/,
    ],
    [
      "path '*' with a method",
      { a: { events: [{ httpApi: { method: 'get', path: '*' } }] } },
      undefined,
      /has path '\*' with method "get"/,
    ],
    [
      'a greedy parameter before the end',
      { a: { events: [{ httpApi: 'GET /{proxy+}/x' }] } },
      undefined,
      /greedy parameter \{proxy\+\} before its end/,
    ],
    ['an unknown method', { a: { events: [{ httpApi: 'FETCH /x' }] } }, undefined, /is "FETCH \/x"/],
    [
      'an aws_iam authorizer',
      { a: { events: [{ httpApi: { method: 'get', path: '/x', authorizer: { type: 'aws_iam' } } }] } },
      undefined,
      /aws_iam .* local-cloud does not emulate/,
    ],
    [
      'an authorizer provider.httpApi does not declare',
      { a: { events: [{ httpApi: { method: 'get', path: '/x', authorizer: 'missing' } }] } },
      undefined,
      /names the authorizer "missing", which provider\.httpApi\.authorizers does not declare/,
    ],
    [
      'payload 3.0',
      { a: { events: [{ httpApi: 'GET /x' }] } },
      { payload: '3.0' },
      /provider\.httpApi\.payload is "3\.0"/,
    ],
    [
      'credentials with any origin',
      { a: { events: [{ httpApi: 'GET /x' }] } },
      { cors: { allowCredentials: true } },
      /allowCredentials with the origin \*/,
    ],
    [
      'a JWT authorizer without audience',
      { a: { events: [{ httpApi: 'GET /x' }] } },
      { authorizers: { jwt: { issuerUrl: 'https://issuer.example/' } } },
      /JWT authorizer without audience/,
    ],
    [
      'a Lambda authorizer of another service',
      { a: { events: [{ httpApi: 'GET /x' }] } },
      { authorizers: { auth: { type: 'request', functionName: 'elsewhere' } } },
      /functionName is "elsewhere", which is not a function of this service/,
    ],
    [
      'simple responses with payload 1.0',
      { a: { events: [{ httpApi: 'GET /x' }] } },
      {
        authorizers: {
          auth: { type: 'request', functionName: 'a', enableSimpleResponses: true, payloadVersion: '1.0' },
        },
      },
      /simple responses with payloadVersion 1\.0/,
    ],
    [
      'caching without an identity source',
      { a: { events: [{ httpApi: 'GET /x' }] } },
      { authorizers: { auth: { type: 'request', functionName: 'a', resultTtlInSeconds: 60 } } },
      /without an identitySource/,
    ],
  ])('refuses %s, naming serverless.yml and the fix', (_case, functions, httpApi, message) => {
    const lambda = fakeLambda(functions);
    let error: unknown;
    try {
      createHttpApi({ lambda, service: serviceOf(lambda, httpApi) });
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(ServiceConfigError);
    expect((error as Error).message).toMatch(/^\/services\/limits\/serverless\.yml: /);
    expect((error as Error).message).toMatch(message);
  });
});
