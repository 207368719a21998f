// Runs this lab's real serverless.yml on the local cloud and calls its functions through the Lambda API with
// the AWS SDK, exactly as code would call them on AWS.
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { start, type LocalCloud } from '@serverless-course/local-cloud';
import { scheduledEvent } from '@serverless-course/test-kit';
import { canInvoke, FunctionError, invokeAndWait, invokeAsync } from '../../src/invoke/invoke-function';

const SERVICE_PATH = path.join(__dirname, '..', '..');
const CLASSIFY_EVENT = 'hello-lambda-dev-classifyEvent';
const PROCESS_BATCH = 'hello-lambda-dev-processBatch';

let cloud: LocalCloud;
let client: LambdaClient;

beforeAll(async () => {
  cloud = await start({ servicePath: SERVICE_PATH });
  client = new LambdaClient({
    endpoint: cloud.lambdaEndpoint,
    region: cloud.region,
    credentials: cloud.credentials,
  });
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await cloud?.stop();
});

describe('invoking the lab on the local cloud', () => {
  it("returns classifyEvent's result and its log tail with a synchronous invocation", async () => {
    const event = scheduledEvent({ ruleName: 'nightly' });

    const invocation = await invokeAndWait<{ source: string; rule: string }>(client, CLASSIFY_EVENT, event);

    expect(invocation.result).toMatchObject({ source: 'schedule', rule: 'nightly' });
    expect(invocation.logTail).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration: /);
  });

  it("throws processBatch's TypeError as a FunctionError when the batch is not a list", async () => {
    const failure = invokeAndWait(client, PROCESS_BATCH, { items: 'not a list' });

    await expect(failure).rejects.toBeInstanceOf(FunctionError);
    await expect(failure).rejects.toMatchObject({
      errorType: 'TypeError',
      errorMessage: expect.stringContaining('items is not an array') as unknown,
    });
  });

  it('has an asynchronous invocation accepted with 202', async () => {
    await expect(invokeAsync(client, CLASSIFY_EVENT, scheduledEvent())).resolves.toBeUndefined();
  });

  it('tells an existing function from a missing one with a dry run', async () => {
    await expect(canInvoke(client, CLASSIFY_EVENT)).resolves.toBe(true);
    await expect(canInvoke(client, 'hello-lambda-dev-doesNotExist')).resolves.toBe(false);
  });
});
