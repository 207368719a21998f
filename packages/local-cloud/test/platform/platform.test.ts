// The platform's composition, without Java or sandboxes: which services start for which service, what
// functions are given, events held until the runtime is connected, the async retry rules on event sources,
// failures that leave nothing running, and stop().
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import WebSocket from 'ws';
import { normalizeService } from '../../src/config/normalize';
import type { ServiceDefinition } from '../../src/config/service-definition';
import { describeEndpoints, localCredentials } from '../../src/endpoints';
import { PortInUseError } from '../../src/http-listener';
import { formatPlatformSummary, preparePlatform, type Platform } from '../../src/platform';
import { JavaRequirementError } from '../../src/services/dynamodb';
import { FakeLambdaService, type FakeHandler } from '../support/fake-lambda-service';
import { functionsWithEvents, serviceDefinition } from '../support/function-definition';

const credentials = localCredentials({});
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-platform-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function serviceWith(
  name: string,
  functions: Record<string, Record<string, unknown>[]>,
  resources: Record<string, unknown> = {},
): ServiceDefinition {
  return serviceDefinition({
    service: name,
    servicePath: path.join(scratch, name),
    functions: functionsWithEvents(functions),
    resources,
  });
}

function fakeLambda(service: ServiceDefinition, handlers: Record<string, FakeHandler>): FakeLambdaService {
  return new FakeLambdaService(
    Object.fromEntries(
      Object.values(service.functions).map((fn) => [
        fn.key,
        { handler: handlers[fn.key] ?? (async () => null), definition: fn },
      ]),
    ),
    service.service,
  );
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function portsOf(platform: Platform): number[] {
  return Object.values(platform.endpointsFile.endpoints).map((url) => Number(new URL(url).port));
}

/** Resolves when `count` invocations of the function have been made. */
function invoked(lambda: FakeLambdaService, functionKey: string, count = 1, timeoutMs = 10_000) {
  return new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`${functionKey} not invoked ${count} time(s)`)),
      timeoutMs,
    );
    const check = () => {
      if (lambda.invocations.filter((request) => request.functionName === functionKey).length >= count) {
        clearTimeout(deadline);
        resolve();
        return true;
      }
      return false;
    };
    if (check()) return;
    const stop = lambda.onInvocation(() => {
      if (check()) stop();
    });
  });
}

describe('preparePlatform', () => {
  it('starts S3, SNS, Secrets Manager + SSM and the identity issuer, but no DynamoDB or WebSocket API for a service with neither', async () => {
    const service = serviceWith('hello-lambda', { hello: [{ http: { method: 'get', path: 'hello' } }] });
    service.functions.hello!.environment = { GREETING: 'hello', NODE_OPTIONS: '--enable-source-maps' };

    const platform = await preparePlatform({ service, credentials, inMemory: true });
    await platform.stop();

    expect(platform.services.dynamoDb).toBeUndefined();
    expect(platform.services.webSocket).toBeUndefined();
    // One endpoint for every AWS API: each service answers on the edge's URL.
    const { s3, sns, secrets } = platform.services;
    expect([s3.url, sns.url, secrets.url]).toEqual([platform.edge.url, platform.edge.url, platform.edge.url]);
    expect(platform.environment).toEqual({
      AWS_ENDPOINT_URL: platform.edge.url,
      NODE_EXTRA_CA_CERTS: platform.edge.caCertificateFile,
      LOCAL_CLOUD_IDENTITY_ISSUER: platform.services.identity.issuer,
      LOCAL_CLOUD_IDENTITY_JWKS_URI: platform.services.identity.jwksUri,
      AWS_XRAY_DAEMON_ADDRESS: platform.services.xray.address,
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      OTEL_EXPORTER_OTLP_ENDPOINT: platform.services.otlp.endpoint,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: platform.services.otlp.tracesEndpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(platform.service.functions.hello!.environment).toEqual(service.functions.hello!.environment);
    expect(Object.keys(platform.endpointsFile.endpoints).sort()).toEqual([
      'aws',
      'events',
      'identity',
      'kinesis',
      's3',
      'secretsmanager',
      'sns',
      'sqs',
      'ssm',
      'states',
    ]);
  });

  it('is ready in well under a second when the service has no tables (no Java starts)', async () => {
    const service = serviceWith('quick-start', { hello: [] });
    // The first start of a service creates its identity key pair; every later start reads it.
    await (await preparePlatform({ service, credentials, inMemory: true })).stop();

    const started = performance.now();
    const platform = await preparePlatform({ service, credentials });
    const elapsedMs = performance.now() - started;
    await platform.stop();

    expect(elapsedMs).toBeLessThan(500);
  });

  it('holds an S3 event that arrives before connect(), then delivers it, and retries a failed delivery with the configured delays', async () => {
    const service = serviceWith('held-events', {
      onUpload: [{ s3: { bucket: 'held-events-uploads', event: 's3:ObjectCreated:*' } }],
    });
    let attempts = 0;
    const lambda = fakeLambda(service, {
      onUpload: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('first attempt fails');
        return null;
      },
    });
    const platform = await preparePlatform({
      service,
      credentials,
      inMemory: true,
      asyncRetryDelaysMs: [20, 20],
    });
    try {
      const s3 = new S3Client({
        endpoint: platform.services.s3.url,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      await s3.send(
        new PutObjectCommand({ Bucket: 'held-events-uploads', Key: 'early bird.txt', Body: 'x' }),
      );

      await platform.connect({ lambda });
      await invoked(lambda, 'onUpload', 2);

      const [first, retry] = lambda.invocations;
      expect((JSON.parse(first!.payload) as S3Event).Records[0]!.s3.object.key).toBe('early+bird.txt');
      expect(retry!.requestId).toBe(first!.requestId);
      expect(retry!.payload).toBe(first!.payload);
    } finally {
      await platform.stop();
    }
  });

  it('accepts a WebSocket client before connect() and runs its $connect once the runtime is there', async () => {
    const service = serviceWith('early-socket', { onConnect: [{ websocket: '$connect' }] });
    const lambda = fakeLambda(service, { onConnect: async () => ({ statusCode: 200 }) });
    const platform = await preparePlatform({ service, credentials, inMemory: true });
    try {
      const socket = new WebSocket(platform.services.webSocket!.url);
      const opened = new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });

      await platform.connect({ lambda });
      await opened;

      expect(lambda.invocations.map((request) => request.functionName)).toEqual(['onConnect']);
      expect(platform.environment.NODE_EXTRA_CA_CERTS).toBe(platform.services.webSocket!.caCertificateFile);
      socket.terminate();
    } finally {
      await platform.stop();
    }
  });

  it("routes WebSocket messages by serverless.yml's provider.websocketsApiRouteSelectionExpression", async () => {
    const service = normalizeService(
      {
        service: 'routed-socket',
        provider: { name: 'aws', websocketsApiRouteSelectionExpression: '$request.body.type' },
        functions: {
          send: { handler: 'src/send.handler', events: [{ websocket: { route: 'sendMessage' } }] },
          fallback: { handler: 'src/fallback.handler', events: [{ websocket: '$default' }] },
        },
      },
      {
        servicePath: path.join(scratch, 'routed-socket'),
        configFile: path.join(scratch, 'routed-socket', 'serverless.yml'),
      },
    );
    const lambda = fakeLambda(service, {});
    const platform = await preparePlatform({ service, credentials, inMemory: true });
    try {
      await platform.connect({ lambda });
      const socket = new WebSocket(platform.services.webSocket!.url);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));

      socket.send(JSON.stringify({ type: 'sendMessage', action: 'ignored' }));
      await invoked(lambda, 'send');
      socket.terminate();

      expect(service.provider.websocketsApiRouteSelectionExpression).toBe('$request.body.type');
      expect(lambda.invocations.map((request) => request.functionName)).toEqual(['send']);
    } finally {
      await platform.stop();
    }
  });

  it('fails with PortInUseError naming the port, and leaves none of the other services running', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const free = await Promise.all([0].map(() => freePort()));
    const service = serviceWith('port-taken', { hello: [] });

    const starting = preparePlatform({
      service,
      credentials,
      inMemory: true,
      ports: { identity: taken, websocket: free[0] },
    });

    await expect(starting).rejects.toThrow(PortInUseError);
    await expect(starting).rejects.toThrow(`port ${taken} on 127.0.0.1 (identity issuer) is already in use`);
    for (const port of free) expect(await refuses(port)).toBe(true);
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('refuses to start a service with tables when Java is missing, with the fix, and leaves nothing running', async () => {
    const free = await Promise.all([0].map(() => freePort()));
    const service = serviceWith(
      'no-java',
      { hello: [] },
      {
        Items: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            TableName: 'no-java-items',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          },
        },
      },
    );

    const starting = preparePlatform({
      service,
      credentials,
      inMemory: true,
      ports: { identity: free[0] },
      dynamoDb: { javaCommand: path.join(scratch, 'no-such-java') },
    });

    await expect(starting).rejects.toThrow(JavaRequirementError);
    await expect(starting).rejects.toThrow(/Fix: apt-get install -y openjdk-17-jre-headless/);
    for (const port of free) expect(await refuses(port)).toBe(true);
  });

  it('describes its endpoints, resources and schedules for endpoints.json', async () => {
    const service = serviceWith(
      'described',
      {
        report: [{ schedule: { rate: ['rate(1 hour)'], input: { full: true } } }],
        notify: [{ sns: 'described-alerts' }],
      },
      { Photos: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'described-photos' } } },
    );
    const platform = await preparePlatform({ service, credentials, inMemory: true });
    await platform.stop();

    const file = describeEndpoints({
      service: platform.service,
      apiUrl: 'http://127.0.0.1:3000/dev',
      lambdaEndpoint: 'http://127.0.0.1:3001',
      credentials,
      accountId: '123456789012',
      platform: platform.endpointsFile,
    });

    expect(file.endpoints).toMatchObject({
      apigateway: 'http://127.0.0.1:3000/dev',
      lambda: 'http://127.0.0.1:3001',
      s3: platform.services.s3.url,
      sns: platform.services.sns.url,
    });
    expect(file.endpoints.aws).toBe(platform.edge.url);
    expect(file.environment).toMatchObject({ AWS_ENDPOINT_URL: platform.edge.url, AWS_REGION: 'us-east-1' });
    expect(file.identity).toEqual({
      url: platform.services.identity.url,
      issuer: `${platform.services.identity.url}/`,
      jwksUri: `${platform.services.identity.url}/.well-known/jwks.json`,
    });
    expect(file.resources).toMatchObject({
      Photos: { type: 'AWS::S3::Bucket', ref: 'described-photos' },
      SNSTopicDescribedalerts: {
        type: 'AWS::SNS::Topic',
        ref: 'arn:aws:sns:us-east-1:123456789012:described-alerts',
      },
      ReportLambdaFunction: { type: 'AWS::Lambda::Function', ref: 'described-dev-report' },
    });
    expect(file.schedules).toEqual([
      {
        name: 'described-dev-ReportEventsRuleSchedule1',
        logicalId: 'ReportEventsRuleSchedule1',
        arn: 'arn:aws:events:us-east-1:123456789012:rule/described-dev-ReportEventsRuleSchedule1',
        functionKey: 'report',
        functionName: 'described-dev-report',
        expression: 'rate(1 hour)',
        enabled: true,
        method: 'eventBus',
        input: '{"full":true}',
      },
    ]);
  });

  it('summarises the services for the CLI: what the service put in each AWS API, where the others listen', async () => {
    const service = serviceWith(
      'summary',
      { report: [{ schedule: 'rate(1 hour)' }], notify: [{ sns: 'summary-alerts' }] },
      { Photos: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'summary-photos' } } },
    );
    const platform = await preparePlatform({ service, credentials, inMemory: true });
    await platform.stop();
    const { secrets, identity } = platform.services;

    const lines = formatPlatformSummary(platform);

    // Commands that work pasted where local-cloud was started: they name the service's folder.
    const folder = path.relative(process.cwd(), service.servicePath);
    expect(folder).not.toBe('');
    expect(lines.map((line) => line.replace(/ +/g, ' '))).toEqual([
      `Identity ${identity.url} JWKS ${identity.jwksUri}; a token: npx local-cloud token --service ${folder} --sub alice`,
      `S3 AWS endpoint buckets summary-photos`,
      `SNS AWS endpoint topics summary-alerts`,
      `SQS AWS endpoint queues none`,
      `EventBridge AWS endpoint buses default; rules none`,
      `Kinesis AWS endpoint streams none`,
      `Secrets, SSM AWS endpoint values in ${path.relative(process.cwd(), secrets.secretsFile)}`,
      `IAM --iam enforce each function's AWS calls are checked against its role, as on AWS: 1 role (summary-dev-us-east-1-lambdaRole); --iam warn only logs denials`,
      `Schedule report rate(1 hour) fire it now: npx local-cloud fire report ${folder}`,
      '',
    ]);
  });

  it('stop() closes every port and is safe to repeat; nothing is invoked afterwards', async () => {
    const service = serviceWith('stopping', {
      onUpload: [{ s3: { bucket: 'stopping-uploads' } }],
      tick: [{ schedule: 'rate(1 minute)' }],
      onConnect: [{ websocket: '$connect' }],
    });
    const lambda = fakeLambda(service, {});
    const platform = await preparePlatform({ service, credentials, inMemory: true });
    await platform.connect({ lambda });
    const ports = portsOf(platform);

    await Promise.all([platform.stop(), platform.stop()]);

    for (const port of ports) expect(await refuses(port)).toBe(true);
    await expect(platform.fireSchedule('tick')).rejects.toThrow('local-cloud is stopping');
    await expect(platform.connect({ lambda })).rejects.toThrow('connect() after stop()');
    expect(lambda.invocations).toEqual([]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
