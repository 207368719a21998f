import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CORS_HEADERS, normalizeService } from '../../src/config/normalize';
import { ServiceConfigError } from '../../src/config/service-config-error';

const printed = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(__dirname, '../fixtures/config/printed', name), 'utf8')) as Record<
    string,
    unknown
  >;

const options = { servicePath: '/services/demo', configFile: '/services/demo/serverless.yml' };

/** The smallest printed configuration, with one function whose settings the test chooses. */
function serviceWith(
  fn: Record<string, unknown>,
  provider: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    service: 'demo',
    provider: { name: 'aws', runtime: 'nodejs24.x', stage: 'dev', region: 'us-east-1', ...provider },
    functions: { hello: { handler: 'src/hello.handler', ...fn } },
  };
}

function normalizeFunction(fn: Record<string, unknown>, provider?: Record<string, unknown>) {
  return normalizeService(serviceWith(fn, provider), options).functions.hello!;
}

function configErrorOf(action: () => unknown): ServiceConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ServiceConfigError) return error;
    throw error;
  }
  throw new Error('expected a ServiceConfigError');
}

describe('normalizing the printed configuration of lab 01', () => {
  const service = normalizeService(printed('hello-lambda.dev.json'), {
    servicePath: '/labs/01-hello-lambda',
    configFile: '/labs/01-hello-lambda/serverless.yml',
  });

  it('keeps the service, stage, region and runtime', () => {
    expect(service.service).toBe('hello-lambda');
    expect(service.servicePath).toBe('/labs/01-hello-lambda');
    expect(service.provider).toEqual({
      region: 'us-east-1',
      stage: 'dev',
      runtime: 'nodejs24.x',
      binaryMediaTypes: [],
    });
  });

  it('lists the functions in the file order with the provider settings they inherit', () => {
    expect(Object.keys(service.functions)).toEqual([
      'hello',
      'greetCallback',
      'processBatch',
      'classifyEvent',
      'sandboxInfo',
    ]);
    expect(service.functions.hello).toMatchObject({
      key: 'hello',
      name: 'hello-lambda-dev-hello',
      handler: 'src/handlers/hello.handler',
      runtime: 'nodejs24.x',
      memorySize: 128,
      timeout: 6,
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      maximumRetryAttempts: 2,
      maximumEventAge: 21_600,
      destinations: {},
      httpEvents: [{ method: 'GET', path: '/hello', requestSchemas: {} }],
    });
    expect(service.functions.processBatch).toMatchObject({ timeout: 10, httpEvents: [] });
  });
});

describe('normalizing a configuration with resolved variables', () => {
  const service = normalizeService(printed('variables-service.dev.json'), options);

  it('merges the provider environment with the function environment, the function winning', () => {
    expect(service.functions.hello!.environment).toEqual({
      ITEMS_TABLE: 'items-dev',
      GREETING: 'hello from settings.yml',
    });
    expect(service.functions.echo!.environment).toEqual({ ITEMS_TABLE: 'items-dev', GREETING: 'hello' });
  });

  it('uses the name given by `name:` and the timeout read from another file', () => {
    expect(service.functions.createItem).toMatchObject({ name: 'create-item-dev', timeout: 10 });
  });

  it('takes the request schema loaded by ${file()} keyed by its content type', () => {
    expect(service.functions.createItem!.httpEvents[0]!.requestSchemas).toEqual({
      'application/json': expect.objectContaining({ required: ['name'] }) as object,
    });
  });

  it('trims the trailing slash and adds the leading one, as the framework does', () => {
    expect(service.functions.createItem!.httpEvents[0]!.path).toBe('/items');
    expect(service.functions.echo!.httpEvents[0]).toMatchObject({ method: 'ANY', path: '/echo/{proxy+}' });
  });

  it('reads the binary media types and keeps custom', () => {
    expect(service.provider.binaryMediaTypes).toEqual(['image/png']);
    expect(service.custom).toMatchObject({ itemsTable: 'items-dev' });
  });
});

describe('function settings local-cloud does not read', () => {
  it('are kept by name, for the start-up lines, leaving out those that change nothing locally', () => {
    const fn = normalizeFunction({
      onError: 'arn:aws:sqs:us-east-1:123456789012:dlq',
      vpc: { securityGroupIds: ['sg-1'], subnetIds: ['subnet-1'] },
      layers: ['arn:aws:lambda:us-east-1:123456789012:layer:sharp:1'],
      description: 'says hello',
      tags: { team: 'course' },
      timeout: 10,
    });

    expect(fn.settingsNotRead).toEqual(['vpc', 'layers']);
    expect(normalizeFunction({ timeout: 10 }).settingsNotRead).toBeUndefined();
  });
});

describe('where failed async events go', () => {
  it('reads onError as the dead-letter target: an ARN, or an intrinsic kept as JSON for the platform', () => {
    expect(
      normalizeFunction({ onError: 'arn:aws:sns:us-east-1:123456789012:failures' }).deadLetterTarget,
    ).toBe('arn:aws:sns:us-east-1:123456789012:failures');
    expect(normalizeFunction({ onError: { 'Fn::GetAtt': ['Dlq', 'Arn'] } }).deadLetterTarget).toBe(
      '{"Fn::GetAtt":["Dlq","Arn"]}',
    );
    expect(normalizeFunction({ timeout: 10 }).deadLetterTarget).toBeUndefined();
  });

  it('reads destinations in the short and the long form', () => {
    const fn = normalizeFunction({
      destinations: {
        onSuccess: 'audit',
        onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': ['Failures', 'Arn'] } },
      },
    });

    expect(fn.destinations).toEqual({ onSuccess: 'audit', onFailure: '{"Fn::GetAtt":["Failures","Arn"]}' });
  });
});

describe('the framework defaults', () => {
  it('gives 1024 MB, 6 s and the provider runtime when neither function nor provider says', () => {
    const fn = normalizeFunction({}, { runtime: 'nodejs18.x' });

    expect(fn).toMatchObject({ memorySize: 1024, timeout: 6, runtime: 'nodejs18.x' });
  });

  it('runs nodejs24.x, as osls 3.x deploys, when neither function nor provider names a runtime', () => {
    const fn = normalizeFunction({}, { runtime: undefined });

    expect(fn.runtime).toBe('nodejs24.x');
  });

  it('names the function <service>-<stage>-<key> when `name:` is absent', () => {
    const service = normalizeService(serviceWith({}), { ...options, stage: 'prod' });

    expect(service.functions.hello!.name).toBe('demo-prod-hello');
    expect(service.provider.stage).toBe('prod');
  });

  it('prefers the function settings over the provider ones', () => {
    const fn = normalizeFunction(
      { memorySize: 512, timeout: 30, runtime: 'nodejs22.x' },
      { memorySize: 256 },
    );

    expect(fn).toMatchObject({ memorySize: 512, timeout: 30, runtime: 'nodejs22.x' });
  });

  it('reads the async settings and the destinations', () => {
    const fn = normalizeFunction({
      maximumRetryAttempts: 0,
      maximumEventAge: 60,
      reservedConcurrency: 3,
      destinations: { onSuccess: 'audit', onFailure: { type: 'sqs', arn: 'arn:aws:sqs:us-east-1:1:dlq' } },
    });

    expect(fn).toMatchObject({
      maximumRetryAttempts: 0,
      maximumEventAge: 60,
      reservedConcurrency: 3,
      destinations: { onSuccess: 'audit', onFailure: 'arn:aws:sqs:us-east-1:1:dlq' },
    });
  });

  it('turns numbers and booleans in the environment into strings, as CloudFormation does', () => {
    const fn = normalizeFunction({ environment: { RETRIES: 3, DEBUG: true } });

    expect(fn.environment).toEqual({ RETRIES: '3', DEBUG: 'true' });
  });

  it('keeps every event as resolved for the event sources', () => {
    const events = [{ http: 'GET /a' }, { schedule: 'rate(5 minutes)' }];

    expect(normalizeFunction({ events }).events).toEqual(events);
  });
});

describe('http events', () => {
  it('reads the short form `http: GET hello`', () => {
    const fn = normalizeFunction({ events: [{ http: 'get hello' }] });

    expect(fn.httpEvents).toEqual([{ method: 'GET', path: '/hello', requestSchemas: {} }]);
  });

  it('serves the root path as /', () => {
    const fn = normalizeFunction({ events: [{ http: { method: 'get', path: '/' } }] });

    expect(fn.httpEvents[0]!.path).toBe('/');
  });

  it('gives `cors: true` the framework defaults', () => {
    const fn = normalizeFunction({ events: [{ http: { method: 'post', path: 'items', cors: true } }] });

    expect(fn.httpEvents[0]!.cors).toEqual({
      origins: ['*'],
      headers: DEFAULT_CORS_HEADERS,
      methods: ['OPTIONS', 'POST'],
      allowCredentials: false,
    });
    expect(DEFAULT_CORS_HEADERS).toEqual([
      'Content-Type',
      'X-Amz-Date',
      'Authorization',
      'X-Api-Key',
      'X-Amz-Security-Token',
      'X-Amz-User-Agent',
      'X-Amzn-Trace-Id',
    ]);
  });

  it('lets the object form override origins, headers, credentials and max age', () => {
    const cors = {
      origins: ['https://a.example', 'https://b.example'],
      headers: 'X-Custom',
      allowCredentials: 1,
      maxAge: 86400,
    };

    const fn = normalizeFunction({ events: [{ http: { method: 'put', path: 'items', cors } }] });

    expect(fn.httpEvents[0]!.cors).toEqual({
      origins: ['https://a.example', 'https://b.example'],
      headers: ['X-Custom'],
      methods: ['OPTIONS', 'PUT'],
      allowCredentials: true,
      maxAge: 86400,
    });
  });

  it('reads a single `origin` and keeps the listed methods', () => {
    const cors = { origin: 'https://app.example', methods: ['GET', 'options'] };

    const fn = normalizeFunction({ events: [{ http: { method: 'get', path: 'items', cors } }] });

    expect(fn.httpEvents[0]!.cors).toMatchObject({
      origins: ['https://app.example'],
      methods: ['GET', 'OPTIONS'],
      headers: DEFAULT_CORS_HEADERS,
    });
  });

  it('leaves cors out when the event has none or `cors: false`', () => {
    const fn = normalizeFunction({
      events: [{ http: { method: 'get', path: 'a' } }, { http: { method: 'get', path: 'b', cors: false } }],
    });

    expect(fn.httpEvents.map((event) => event.cors)).toEqual([undefined, undefined]);
  });

  it('reads schemas given as { schema, name }, as a provider model name, and the older `request.schema`', () => {
    const model = { type: 'object', required: ['id'] };
    const fn = normalizeFunction(
      {
        events: [
          {
            http: {
              method: 'post',
              path: 'a',
              request: { schemas: { 'application/json': { schema: model, name: 'A' } } },
            },
          },
          { http: { method: 'post', path: 'b', request: { schemas: { 'application/json': 'ItemModel' } } } },
          { http: { method: 'post', path: 'c', request: { schema: { 'application/json': model } } } },
        ],
      },
      { apiGateway: { request: { schemas: { ItemModel: { schema: model, name: 'ItemModel' } } } } },
    );

    expect(fn.httpEvents.map((event) => event.requestSchemas)).toEqual([
      { 'application/json': model },
      { 'application/json': model },
      { 'application/json': model },
    ]);
  });

  it('keeps the authorizer as written, for the authorizers issue', () => {
    const fn = normalizeFunction({
      events: [{ http: { method: 'get', path: 'a', authorizer: { name: 'auth' } } }],
    });

    expect(fn.httpEvents[0]!.authorizer).toEqual({ name: 'auth' });
  });
});

describe('a configuration Lambda would reject', () => {
  it.each([
    [
      'memory below 128 MB',
      { memorySize: 64 },
      /functions\.hello\.memorySize is 64, but Lambda accepts 128 to 10240 MB\. Fix: set memorySize/,
    ],
    ['memory above 10240 MB', { memorySize: 10_241 }, /memorySize is 10241/],
    [
      'a timeout above 900 s',
      { timeout: 901 },
      /functions\.hello\.timeout is 901, but Lambda accepts 1 to 900 seconds/,
    ],
    ['a timeout that is no number', { timeout: 'soon' }, /timeout is soon/],
    [
      'a function without handler',
      { handler: undefined },
      /functions\.hello\.handler is missing\. Fix: add `handler: src\/handlers\/hello\.handler`/,
    ],
    [
      'a handler naming no export',
      { handler: 'src/hello' },
      /handler is "src\/hello", which names no export/,
    ],
    [
      'a runtime other than Node.js',
      { runtime: 'python3.12' },
      /runtime is python3\.12; local-cloud runs Node\.js functions only/,
    ],
    [
      'more than 2 async retries',
      { maximumRetryAttempts: 3 },
      /maximumRetryAttempts is 3\. Fix: set it to 0, 1 or 2/,
    ],
    [
      'a maximum event age under 60 s',
      { maximumEventAge: 30 },
      /maximumEventAge is 30, but Lambda accepts 60 to 21600 seconds/,
    ],
    [
      'an unknown HTTP method',
      { events: [{ http: { method: 'fetch', path: 'a' } }] },
      /events\[0\]\.http\.method is "fetch"/,
    ],
    [
      'a non-proxy integration',
      { events: [{ http: { method: 'get', path: 'a', integration: 'lambda' } }] },
      /Lambda proxy integration only/,
    ],
  ])('rejects %s in one line naming serverless.yml, the field and the fix', (_case, fn, message) => {
    const error = configErrorOf(() => normalizeFunction(fn));

    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^\/services\/demo\/serverless\.yml: .+ Fix: .+$/);
    expect(error.message).not.toContain('\n');
    expect(error.exitCode).toBe(2);
  });

  it('accepts the limits themselves', () => {
    expect(normalizeFunction({ memorySize: 128, timeout: 900 })).toMatchObject({
      memorySize: 128,
      timeout: 900,
    });
    expect(normalizeFunction({ memorySize: 10_240, timeout: 1 })).toMatchObject({
      memorySize: 10_240,
      timeout: 1,
    });
  });

  it('rejects a configuration without `service:`', () => {
    const error = configErrorOf(() => normalizeService({ provider: { name: 'aws' } }, options));

    expect(error.message).toContain('`service:` is missing');
  });
});
