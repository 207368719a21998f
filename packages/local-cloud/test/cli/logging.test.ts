import { readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeService } from '../../src/config/normalize';
import type { InvocationReport } from '../../src/lambda/lambda-service';
import {
  colorsFor,
  formatAsyncOutcome,
  formatAsyncRetry,
  formatFunctionOutput,
  formatInvocation,
  formatStartup,
} from '../../src/logging';

const at = new Date(2024, 0, 2, 9, 5, 7, 42);

const report: InvocationReport = {
  functionKey: 'hello',
  functionName: 'hello-lambda-dev-hello',
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  status: 'success',
  durationMs: 12.3,
  billedDurationMs: 13,
  coldStart: true,
  memorySizeMb: 128,
  maxMemoryUsedMb: 67,
};

describe('the invocation log line', () => {
  it('gives time, function, status, duration, billed duration, start, memory and request id', () => {
    expect(formatInvocation(report, undefined, at)).toBe(
      '09:05:07.042 hello success 12.30 ms (billed 13 ms) cold 67/128 MB c6af9ac6-7b61-11e6-9a41-93e812345678',
    );
  });

  it('says warm and error when they apply', () => {
    const line = formatInvocation({ ...report, coldStart: false, status: 'error' }, undefined, at);

    expect(line).toContain(' hello error 12.30 ms (billed 13 ms) warm 67/128 MB ');
  });
});

describe('function output', () => {
  it('is tagged with the function', () => {
    expect(formatFunctionOutput('hello', 'INFO saying hello', undefined, at)).toBe(
      '09:05:07.042 [hello] INFO saying hello',
    );
  });
});

describe('async invocation lines', () => {
  it('tell a retry and an outcome with its destination', () => {
    const retry = formatAsyncRetry(
      { requestId: 'r-1', functionKey: 'worker', reason: 'FunctionError', attempts: 1, delayMs: 1000 },
      undefined,
      at,
    );
    const outcome = formatAsyncOutcome(
      {
        requestId: 'r-1',
        functionKey: 'worker',
        functionName: 'svc-dev-worker',
        condition: 'RetriesExhausted',
        attempts: 3,
        record: {} as never,
        destination: {
          type: 'onFailure',
          target: 'failures',
          delivered: true,
          functionKey: 'failures',
          requestId: 'r-2',
        },
      },
      undefined,
      at,
    );

    expect(retry).toBe('09:05:07.042 worker async failed (attempt 1), retry in 1000 ms r-1');
    expect(outcome).toBe(
      '09:05:07.042 worker async RetriesExhausted after 3 attempts -> onFailure failures r-1',
    );
  });

  it('say where a failed event went through onError, and why it did not get there', () => {
    const at = new Date(2026, 0, 1, 9, 5, 7, 42);
    const outcome = formatAsyncOutcome(
      {
        requestId: 'r-3',
        functionKey: 'worker',
        functionName: 'svc-dev-worker',
        condition: 'RetriesExhausted',
        attempts: 3,
        record: {} as never,
        destination: {
          type: 'onFailure',
          target: 'arn:aws:sqs:us-east-1:123456789012:failures',
          delivered: true,
          messageId: 'm-1',
        },
        deadLetter: {
          target: 'arn:aws:sqs:us-east-1:123456789012:gone',
          delivered: false,
          note: 'The specified queue does not exist.',
        },
      },
      undefined,
      at,
    );

    expect(outcome).toBe(
      '09:05:07.042 worker async RetriesExhausted after 3 attempts -> onFailure arn:aws:sqs:us-east-1:123456789012:failures -> onError arn:aws:sqs:us-east-1:123456789012:gone (not delivered: The specified queue does not exist.) r-3',
    );
  });
});

describe('colours', () => {
  it('are used on a terminal only, and never with NO_COLOR', () => {
    expect(formatInvocation(report, colorsFor({ isTTY: true }, {}), at)).toContain('\u001b[');
    expect(formatInvocation(report, colorsFor({ isTTY: false }, {}), at)).not.toContain('\u001b[');
    expect(formatInvocation(report, colorsFor({ isTTY: true }, { NO_COLOR: '1' }), at)).not.toContain(
      '\u001b[',
    );
  });
});

describe('the startup table', () => {
  const printed = JSON.parse(
    readFileSync(path.join(__dirname, '../fixtures/config/printed/hello-lambda.dev.json'), 'utf8'),
  ) as Record<string, unknown>;
  const service = normalizeService(printed, { servicePath: '/lab', configFile: '/lab/serverless.yml' });

  it('lists each route with its URL, function, memory and timeout, then the functions without a route', () => {
    const lines = formatStartup({
      service,
      apiUrl: 'http://127.0.0.1:3000/dev',
      lambdaEndpoint: 'http://127.0.0.1:3001',
      endpointsFile: '/lab/.local-cloud/endpoints.json',
    });

    expect(lines.join('\n')).toBe(
      [
        'hello-lambda (stage dev, region us-east-1)',
        '',
        'METHOD  URL                                             FUNCTION       MEMORY  TIMEOUT',
        'GET     http://127.0.0.1:3000/dev/hello                 hello          128 MB  6 s',
        'GET     http://127.0.0.1:3000/dev/greet                 greetCallback  128 MB  6 s',
        '-       (no route: invoke it through the AWS endpoint)  processBatch   128 MB  10 s',
        '-       (no route: invoke it through the AWS endpoint)  classifyEvent  128 MB  6 s',
        'GET     http://127.0.0.1:3000/dev/sandbox               sandboxInfo    128 MB  6 s',
        '',
        'AWS endpoint    http://127.0.0.1:3001  (every AWS API: AWS_ENDPOINT_URL for the AWS SDK, --endpoint-url for the AWS CLI)',
        'Endpoints file  /lab/.local-cloud/endpoints.json',
        '',
      ].join('\n'),
    );
  });
});
