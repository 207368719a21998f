// ListFunctions, GetFunction and GetFunctionConfiguration: what the AWS SDK and the AWS CLI ask first to see
// what is deployed, answered from the service's functions.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { FakeLambdaService } from '../support/fake-lambda-service';
import { CREDENTIALS, REGION, startInvokeApi, type Harness } from './invoke-api-harness';

const run = promisify(execFile);
const ok = { handler: () => Promise.resolve('ok') };
const functions = {
  alpha: ok,
  beta: { ...ok, definition: { memorySize: 512, timeout: 10, environment: { TABLE: 'images' } } },
  gamma: { ...ok, definition: { reservedConcurrency: 3 } },
};
const ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:reads-dev-${name}`;

let api: Harness;
let home: string;

beforeAll(async () => {
  api = await startInvokeApi(new FakeLambdaService(functions, 'reads'));
  home = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-aws-cli-'));
});

afterAll(async () => {
  await api.close();
  rmSync(home, { recursive: true, force: true });
});

describe('ListFunctions', () => {
  it('lists every function with its configuration, as Lambda lists $LATEST', async () => {
    const { Functions, NextMarker } = await api.client.send(new ListFunctionsCommand({}));

    expect(NextMarker).toBeUndefined();
    expect(Functions?.map((fn) => fn.FunctionName)).toEqual([
      'reads-dev-alpha',
      'reads-dev-beta',
      'reads-dev-gamma',
    ]);
    expect(Functions?.[1]).toEqual({
      FunctionName: 'reads-dev-beta',
      FunctionArn: ARN('beta'),
      Runtime: 'nodejs24.x',
      Handler: 'src/beta.handler',
      Timeout: 10,
      MemorySize: 512,
      Environment: { Variables: { TABLE: 'images' } },
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/reads-dev-beta' },
    });
  });

  it('pages with MaxItems and the NextMarker it hands out', async () => {
    const first = await api.client.send(new ListFunctionsCommand({ MaxItems: 2 }));
    const second = await api.client.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));

    expect(first.Functions?.map((fn) => fn.FunctionName)).toEqual(['reads-dev-alpha', 'reads-dev-beta']);
    expect(second.Functions?.map((fn) => fn.FunctionName)).toEqual(['reads-dev-gamma']);
    expect(second.NextMarker).toBeUndefined();
  });

  it('refuses a page size out of range and a marker it did not give, as ValidationException', async () => {
    await expect(api.client.send(new ListFunctionsCommand({ MaxItems: 0 }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(api.client.send(new ListFunctionsCommand({ Marker: 'made-up' }))).rejects.toThrow(
      'Marker "made-up" is not one this endpoint gave: pass the NextMarker of the previous page',
    );
  });

  it('answers only signed requests, like every Lambda operation', async () => {
    const unsigned = await fetch(`${api.url}/2015-03-31/functions/`);
    const otherKey = api.clientWith({ secretAccessKey: 'wrong-secret' });

    expect(unsigned.status).toBe(403);
    await expect(otherKey.send(new ListFunctionsCommand({}))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
  });
});

describe('GetFunction and GetFunctionConfiguration', () => {
  it('find a function by name, ARN or partial ARN, and $LATEST', async () => {
    for (const name of ['reads-dev-gamma', ARN('gamma'), '123456789012:function:reads-dev-gamma']) {
      const { Configuration, Concurrency, Code } = await api.client.send(
        new GetFunctionCommand({ FunctionName: name }),
      );
      expect(Configuration?.FunctionArn).toBe(ARN('gamma'));
      expect(Concurrency).toEqual({ ReservedConcurrentExecutions: 3 });
      expect(Code).toEqual({ RepositoryType: 'S3' });
    }
    const configuration = await api.client.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'reads-dev-alpha', Qualifier: '$LATEST' }),
    );
    expect(configuration).toMatchObject({ FunctionName: 'reads-dev-alpha', MemorySize: 1024, Timeout: 6 });
  });

  it('answer ResourceNotFoundException (404) for an unknown function or a version that is not $LATEST', async () => {
    await expect(api.client.send(new GetFunctionCommand({ FunctionName: 'nope' }))).rejects.toThrow(
      new ResourceNotFoundException({
        message: `Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope`,
        $metadata: {},
      }).message,
    );
    await expect(
      api.client.send(
        new GetFunctionConfigurationCommand({ FunctionName: 'reads-dev-alpha', Qualifier: '1' }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('the AWS CLI', () => {
  const aws = (...args: string[]) =>
    run('aws', [...args, '--endpoint-url', api.url, '--output', 'json'], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: REGION,
        AWS_PAGER: '',
      },
    });

  it('lists the functions and reads one configuration', async () => {
    const listed = JSON.parse((await aws('lambda', 'list-functions')).stdout) as {
      Functions: { FunctionName: string }[];
    };
    const configuration = JSON.parse(
      (await aws('lambda', 'get-function-configuration', '--function-name', 'reads-dev-beta')).stdout,
    ) as { Environment: unknown };

    expect(listed.Functions.map((fn) => fn.FunctionName)).toEqual([
      'reads-dev-alpha',
      'reads-dev-beta',
      'reads-dev-gamma',
    ]);
    expect(configuration.Environment).toEqual({ Variables: { TABLE: 'images' } });
  });
});
