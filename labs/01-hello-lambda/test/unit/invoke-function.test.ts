import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { canInvoke, FunctionError, invokeAndWait, invokeAsync } from '../../src/invoke/invoke-function';

const lambdaMock = mockClient(LambdaClient);
const client = new LambdaClient({ region: 'us-east-1' });
const bytes = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));

function sentInput() {
  const [call] = lambdaMock.commandCalls(InvokeCommand);
  if (!call) throw new Error('no InvokeCommand was sent');
  return call.args[0].input;
}

beforeEach(() => {
  lambdaMock.reset();
});

describe('invokeAndWait', () => {
  it('sends a RequestResponse invocation with the event as JSON and asks for the log tail', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes({ ok: true }) as never });

    await invokeAndWait(client, 'classifyEvent', { hello: 'world' });

    const input = sentInput();
    expect(input).toMatchObject({
      FunctionName: 'classifyEvent',
      InvocationType: 'RequestResponse',
      LogType: 'Tail',
    });
    expect(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8'))).toEqual({ hello: 'world' });
  });

  it("returns the handler's result parsed from JSON and the decoded log tail", async () => {
    const log = 'START RequestId: 1 Version: $LATEST\nREPORT RequestId: 1\tDuration: 2.00 ms\n';
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: bytes({ source: 'sns' }) as never,
      LogResult: Buffer.from(log).toString('base64'),
    });

    const invocation = await invokeAndWait<{ source: string }>(client, 'classifyEvent', {});

    expect(invocation).toEqual({ result: { source: 'sns' }, logTail: log });
  });

  it('throws a FunctionError carrying the error type and message when the function failed', async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: bytes({ errorType: 'TypeError', errorMessage: 'items must be an array' }) as never,
    });

    const failure = invokeAndWait(client, 'processBatch', {});

    await expect(failure).rejects.toBeInstanceOf(FunctionError);
    await expect(failure).rejects.toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'items must be an array',
    });
  });
});

describe('invokeAsync', () => {
  it('sends an Event invocation and resolves once Lambda has queued it (202)', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });

    await expect(invokeAsync(client, 'classifyEvent', { a: 1 })).resolves.toBeUndefined();
    expect(sentInput()).toMatchObject({ FunctionName: 'classifyEvent', InvocationType: 'Event' });
  });

  it('throws when Lambda did not queue the event', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200 });

    await expect(invokeAsync(client, 'classifyEvent', {})).rejects.toThrow(
      /expected Lambda to queue the event \(202\), got 200/,
    );
  });
});

describe('canInvoke', () => {
  it('sends a DryRun without a payload and answers true on 204', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 204 });

    await expect(canInvoke(client, 'hello')).resolves.toBe(true);
    expect(sentInput()).toMatchObject({ FunctionName: 'hello', InvocationType: 'DryRun' });
    expect(sentInput().Payload).toBeUndefined();
  });

  it('answers false for a function that does not exist', async () => {
    lambdaMock
      .on(InvokeCommand)
      .rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));

    await expect(canInvoke(client, 'nope')).resolves.toBe(false);
  });

  it('rethrows other errors, such as a missing permission', async () => {
    const denied = Object.assign(new Error('not authorized to perform: lambda:InvokeFunction'), {
      name: 'AccessDeniedException',
    });
    lambdaMock.on(InvokeCommand).rejects(denied);

    await expect(canInvoke(client, 'hello')).rejects.toThrow(/not authorized/);
  });
});
