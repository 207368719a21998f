import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import {
  RequestTooLargeError,
  SYNC_PAYLOAD_LIMIT_BYTES,
  type InvocationReport,
  type InvokeRequest,
  type InvokeResult,
} from '../../src/lambda/lambda-service';
import { FakeLambdaService } from '../support/fake-lambda-service';
import { decode, encode, startInvokeApi, type Harness } from './invoke-api-harness';

/** A runtime whose functions write a lot to their log, as a chatty handler does through console.log. */
class ChattyLambdaService extends FakeLambdaService {
  override async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const result = await super.invoke(request);
    const chatter = Array.from({ length: 200 }, (_, i) => `INFO line ${i} ${'x'.repeat(40)}\n`).join('');
    return { ...result, logs: `${chatter}${result.logs}` };
  }
}

const functions = {
  echo: { handler: (event: unknown) => Promise.resolve({ received: event }) },
  fail: {
    handler: () => Promise.reject(new TypeError('the order has no items')),
  },
  context: {
    handler: (_event: unknown, context: { clientContext?: string }) =>
      Promise.resolve({ clientContext: context.clientContext ?? null }),
  },
  nothing: { handler: () => Promise.resolve(undefined) },
  throttled: { handler: () => Promise.resolve('never runs'), definition: { reservedConcurrency: 0 } },
};

let lambda: FakeLambdaService;
let api: Harness;
const reports: InvocationReport[] = [];

beforeAll(async () => {
  lambda = new ChattyLambdaService(functions);
  lambda.onInvocation((report) => reports.push(report));
  api = await startInvokeApi(lambda);
});

afterAll(() => api.close());

const invoke = (input: ConstructorParameters<typeof InvokeCommand>[0]): Promise<InvokeCommandOutput> =>
  api.client.send(new InvokeCommand(input));

async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('RequestResponse invocations', () => {
  it('return 200 with the function result as the payload and $LATEST as the executed version', async () => {
    const output = await invoke({ FunctionName: 'echo', Payload: encode({ orderId: 7 }) });

    expect(output.StatusCode).toBe(200);
    expect(output.ExecutedVersion).toBe('$LATEST');
    expect(output.FunctionError).toBeUndefined();
    expect(decode(output.Payload)).toEqual({ received: { orderId: 7 } });
  });

  it('are the default invocation type', async () => {
    const output = await invoke({
      FunctionName: 'echo',
      InvocationType: 'RequestResponse',
      Payload: encode(1),
    });

    expect(output.StatusCode).toBe(200);
    expect(decode(output.Payload)).toEqual({ received: 1 });
  });

  it('answer with the request id the function ran under', async () => {
    const output = await invoke({ FunctionName: 'echo', Payload: encode({}) });

    expect(reports.map((report) => report.requestId)).toContain(output.$metadata.requestId);
  });

  it('send an empty object to the function when the call has no payload', async () => {
    const output = await invoke({ FunctionName: 'echo' });

    expect(decode(output.Payload)).toEqual({ received: {} });
  });

  it('return null when the handler returns nothing', async () => {
    const output = await invoke({ FunctionName: 'nothing' });

    expect(decode(output.Payload)).toBeNull();
  });

  it('report a function error as X-Amz-Function-Error Unhandled with the error as the payload, status 200', async () => {
    const output = await invoke({ FunctionName: 'fail', Payload: encode({}) });

    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    expect(decode(output.Payload)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'the order has no items',
    });
  });

  it('return the last 4 KB of the log, base64-encoded, with LogType Tail', async () => {
    const output = await invoke({ FunctionName: 'echo', Payload: encode({}), LogType: 'Tail' });

    const log = Buffer.from(output.LogResult ?? '', 'base64');
    expect(log.length).toBe(4096);
    expect(log.toString()).toContain(`REPORT RequestId: ${output.$metadata.requestId}`);
    expect(log.toString()).not.toContain('INFO line 0 ');
  });

  it('return no log without LogType Tail', async () => {
    const output = await invoke({ FunctionName: 'echo', Payload: encode({}) });

    expect(output.LogResult).toBeUndefined();
  });

  it('pass X-Amz-Client-Context through to the function', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'acme' } })).toString('base64');

    const output = await invoke({ FunctionName: 'context', ClientContext: clientContext });

    expect(decode(output.Payload)).toEqual({ clientContext });
  });
});

describe('the function name', () => {
  it.each([
    ['its key in serverless.yml', 'echo'],
    ['its deployed name', 'fake-service-dev-echo'],
    ['a partial ARN', '123456789012:function:fake-service-dev-echo'],
    ['a full ARN', 'arn:aws:lambda:us-east-1:123456789012:function:fake-service-dev-echo'],
    ['a name qualified with $LATEST', 'fake-service-dev-echo:$LATEST'],
  ])('may be %s', async (_label, functionName) => {
    const output = await invoke({ FunctionName: functionName, Payload: encode('hi') });

    expect(decode(output.Payload)).toEqual({ received: 'hi' });
  });

  it('may carry the $LATEST qualifier as a parameter', async () => {
    const output = await invoke({ FunctionName: 'echo', Qualifier: '$LATEST', Payload: encode('hi') });

    expect(output.StatusCode).toBe(200);
  });

  it('of an unknown function gives 404 ResourceNotFoundException with its ARN', async () => {
    const error = await rejection(invoke({ FunctionName: 'nope' }));

    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope');
  });

  it('with a version or alias other than $LATEST gives ResourceNotFoundException', async () => {
    const error = await rejection(invoke({ FunctionName: 'fake-service-dev-echo', Qualifier: 'prod' }));

    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe(
      'Function not found: arn:aws:lambda:us-east-1:123456789012:function:fake-service-dev-echo:prod',
    );
  });

  it('in another account gives ResourceNotFoundException', async () => {
    const error = await rejection(
      invoke({ FunctionName: 'arn:aws:lambda:us-east-1:999999999999:function:echo' }),
    );

    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('that Lambda could never accept gives 400 ValidationException naming the pattern', async () => {
    const error = await rejection(invoke({ FunctionName: 'no spaces allowed' }));

    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain(
      "Value 'no spaces allowed' at 'functionName' failed to satisfy constraint",
    );
  });
});

describe('DryRun invocations', () => {
  it('answer 204 without running the function', async () => {
    const before = lambda.invocations.length;

    const output = await invoke({ FunctionName: 'echo', InvocationType: 'DryRun', Payload: encode({}) });

    expect(output.StatusCode).toBe(204);
    expect(lambda.invocations.length).toBe(before);
  });

  it('still check that the function exists', async () => {
    const error = await rejection(invoke({ FunctionName: 'nope', InvocationType: 'DryRun' }));

    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('still check the payload', async () => {
    const error = await rejection(
      invoke({ FunctionName: 'echo', InvocationType: 'DryRun', Payload: Buffer.from('{oops') }),
    );

    expect(error.name).toBe('InvalidRequestContentException');
  });
});

describe('invalid requests', () => {
  it('with a payload that is not JSON give 400 InvalidRequestContentException', async () => {
    const error = await rejection(invoke({ FunctionName: 'echo', Payload: Buffer.from('not json') }));

    expect(error.name).toBe('InvalidRequestContentException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(
      /^Could not parse request body into json: Could not parse payload into json: /,
    );
  });

  it('with an unknown invocation type give 400 ValidationException listing the valid ones', async () => {
    const error = await rejection(
      invoke({ FunctionName: 'echo', InvocationType: 'Later' as 'Event', Payload: encode({}) }),
    );

    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('Member must satisfy enum value set: [Event, RequestResponse, DryRun]');
  });

  it('over 6 MB give 413 RequestEntityTooLargeException, as AWS answers', async () => {
    const payload = encode('x'.repeat(SYNC_PAYLOAD_LIMIT_BYTES));

    const error = await rejection(invoke({ FunctionName: 'echo', Payload: payload }));

    expect(error.name).toBe('RequestEntityTooLargeException');
    expect(error.$metadata.httpStatusCode).toBe(413);
    expect(error.message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation');
  });

  it('of exactly 6 MB are accepted', async () => {
    const payload = encode('x'.repeat(SYNC_PAYLOAD_LIMIT_BYTES - 2));

    const output = await invoke({ FunctionName: 'nothing', Payload: payload });

    expect(output.StatusCode).toBe(200);
  });
});

describe('throttling', () => {
  it('gives 429 TooManyRequestsException with the reason when reserved concurrency is reached', async () => {
    const error = await rejection(invoke({ FunctionName: 'throttled', Payload: encode({}) }));

    expect(error.name).toBe('TooManyRequestsException');
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(error).toMatchObject({
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      message: 'Rate Exceeded.',
    });
  });
});

describe('a result larger than Lambda returns', () => {
  /** A runtime whose function produced a 9 MB result, which the runtime refuses to hand back. */
  class OversizedResultLambdaService extends FakeLambdaService {
    override invoke(): Promise<InvokeResult> {
      return Promise.reject(new RequestTooLargeError(6_291_556, 9_706_999, 'response'));
    }
  }
  let oversized: Harness;

  beforeAll(async () => {
    oversized = await startInvokeApi(new OversizedResultLambdaService(functions));
  });

  afterAll(() => oversized.close());

  it('comes back as the function error Function.ResponseSizeTooLarge, status 200, as on AWS', async () => {
    const output = await oversized.client.send(new InvokeCommand({ FunctionName: 'echo' }));

    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    expect(decode(output.Payload)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage:
        'Response payload size (9706999 bytes) exceeded maximum allowed payload size (6291556 bytes).',
    });
  });
});

describe('other routes', () => {
  it('answer 404 UnknownOperationException naming the operations served', async () => {
    const response = await fetch(`${api.url}/2015-03-31/event-source-mappings/`);

    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(((await response.json()) as { message: string }).message).toContain('InvokeCommand');
  });
});
