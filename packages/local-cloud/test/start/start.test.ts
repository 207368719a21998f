import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { EndpointsFile } from '../../src/endpoints';
import { PortInUseError } from '../../src/http-listener';
import { start, type LocalCloud } from '../../src/start';
import { logRecorder } from '../support/log-recorder';

const FIXTURE = path.join(__dirname, '../fixtures/config/variables-service');
const temporaryFolders: string[] = [];

function copyOfFixture(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-start-'));
  temporaryFolders.push(folder);
  cpSync(FIXTURE, folder, { recursive: true });
  return folder;
}

/** Process ids of this test process's children (the sandboxes), the `ps` listing them aside. */
function childProcesses(): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([pid, command]) => Number(pid) > 0 && command !== 'ps')
      .map(([pid]) => Number(pid));
  } catch {
    // ps exits 1 when it lists nothing.
    return [];
  }
}

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

/** A port some other program listens on. */
async function occupyPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    release: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Listening servers in this process. */
const tcpServers = () =>
  process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;

afterAll(() => {
  temporaryFolders.forEach((folder) => rmSync(folder, { recursive: true, force: true }));
});

describe('local-cloud started on a service folder', () => {
  let servicePath: string;
  let cloud: LocalCloud;
  const recorder = logRecorder();
  const logLines = recorder.lines;

  beforeAll(async () => {
    servicePath = copyOfFixture();
    cloud = await start({ servicePath, log: recorder.log });
  }, 60_000);

  afterAll(() => cloud.stop());

  it('serves a route under the stage, with the environment serverless.yml gives', async () => {
    const response = await fetch(`${cloud.apiUrl}/hello`);

    expect(cloud.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dev$/);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'hello from settings.yml' });
  });

  it('prints one line per invocation and the function output tagged with the function', async () => {
    await fetch(`${cloud.apiUrl}/hello`);

    expect(logLines).toContainEqual(
      expect.stringMatching(
        /^\d\d:\d\d:\d\d\.\d{3} hello success \d+\.\d\d ms \(billed \d+ ms\) (cold|warm) \d+\/256 MB \S+$/,
      ),
    );
    expect(logLines).toContainEqual(expect.stringMatching(/\[hello\] .*saying hello/));
  });

  it('writes endpoints.json with the URLs, region, key pair and routes it serves', () => {
    const endpoints = JSON.parse(readFileSync(cloud.endpointsFile, 'utf8')) as EndpointsFile;

    expect(cloud.endpointsFile).toBe(path.join(servicePath, '.local-cloud', 'endpoints.json'));
    expect(endpoints).toMatchObject({
      service: 'variables-service',
      stage: 'dev',
      region: 'eu-west-1',
      apiUrl: cloud.apiUrl,
      endpoints: { apigateway: cloud.apiUrl, lambda: cloud.lambdaEndpoint, aws: cloud.lambdaEndpoint },
      environment: { AWS_ENDPOINT_URL: cloud.lambdaEndpoint, AWS_REGION: 'eu-west-1' },
      credentials: cloud.credentials,
    });
    expect(endpoints.functions.map((fn) => fn.routes.map((route) => `${route.method} ${route.url}`))).toEqual(
      [[`GET ${cloud.apiUrl}/hello`], [`POST ${cloud.apiUrl}/items`], [`ANY ${cloud.apiUrl}/echo/{proxy+}`]],
    );
  });

  it('invokes a function through @aws-sdk/client-lambda pointed at the endpoint from endpoints.json', async () => {
    const endpoints = JSON.parse(readFileSync(cloud.endpointsFile, 'utf8')) as EndpointsFile;
    const client = new LambdaClient({
      endpoint: endpoints.endpoints.lambda,
      region: endpoints.region,
      credentials: endpoints.credentials,
    });
    const echo = endpoints.functions.find((fn) => fn.key === 'echo')!;

    const result = await client.send(
      new InvokeCommand({ FunctionName: echo.name, Payload: JSON.stringify({ ping: 1 }) }),
    );
    client.destroy();

    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(result.Payload!).toString())).toEqual({
      statusCode: 200,
      body: JSON.stringify({ received: { ping: 1 } }),
    });
  });

  it('logs how an Event invocation ended', async () => {
    const client = new LambdaClient({
      endpoint: cloud.lambdaEndpoint,
      region: cloud.region,
      credentials: cloud.credentials,
    });
    const outcome = recorder.waitFor(/ echo async Success after 1 attempt /);

    const result = await client.send(
      new InvokeCommand({
        FunctionName: 'echo',
        InvocationType: 'Event',
        Payload: JSON.stringify({ queued: true }),
      }),
    );
    client.destroy();

    expect(result.StatusCode).toBe(202);
    expect(await outcome).toMatch(/^\d\d:\d\d:\d\d\.\d{3} echo async Success after 1 attempt \S+$/);
  });

  it('serves the same service again from a ServiceDefinition, on ports of its own', async () => {
    const other = await start({ service: cloud.service });
    try {
      const response = await fetch(`${other.apiUrl}/hello`);

      expect(response.status).toBe(200);
      expect(other.apiUrl).not.toBe(cloud.apiUrl);
    } finally {
      await other.stop();
    }
  });
});

describe('starting again and stopping', () => {
  let servicePath: string;
  let firstStartMs: number;

  beforeAll(async () => {
    servicePath = copyOfFixture();
    const started = performance.now();
    const cloud = await start({ servicePath });
    firstStartMs = performance.now() - started;
    await cloud.stop();
  }, 60_000);

  it('runs the service in the region --region names, over provider.region, as the framework deploys it', async () => {
    const cloud = await start({ servicePath, region: 'eu-central-1', inMemory: true });
    await cloud.stop();
    const endpoints = JSON.parse(readFileSync(cloud.endpointsFile, 'utf8')) as EndpointsFile;

    expect(cloud.region).toBe('eu-central-1');
    expect(endpoints.region).toBe('eu-central-1');
    expect(endpoints.functions[0]?.arn).toMatch(/^arn:aws:lambda:eu-central-1:123456789012:function:/);
  }, 60_000);

  it('reads serverless.yml from the cache the second time, without serverless print', async () => {
    const started = performance.now();
    const cloud = await start({ servicePath });
    const secondStartMs = performance.now() - started;
    await cloud.stop();

    expect(cloud.configFromCache).toBe(true);
    expect(secondStartMs).toBeLessThan(firstStartMs);
  });

  it('stops serving and leaves no sandbox process, server or port behind', async () => {
    const childrenBefore = childProcesses();
    const serversBefore = tcpServers();
    const cloud = await start({ servicePath });
    await fetch(`${cloud.apiUrl}/hello`);
    const sandboxes = childProcesses().filter((pid) => !childrenBefore.includes(pid));

    await cloud.stop();

    expect(await portAcceptsConnections(portOf(cloud.apiUrl))).toBe(false);
    expect(await portAcceptsConnections(portOf(cloud.lambdaEndpoint))).toBe(false);
    expect(tcpServers()).toBe(serversBefore);
    expect(sandboxes.length).toBeGreaterThan(0);
    expect(childProcesses()).toEqual(childrenBefore);
  });

  it('reloads a changed handler when watching, and says so', async () => {
    const recorder = logRecorder();
    const cloud = await start({ servicePath, watch: true, log: recorder.log });
    try {
      const before = (await (await fetch(`${cloud.apiUrl}/hello`)).json()) as { message: string };
      const reloaded = recorder.waitFor(/ reloaded hello \(hello\.ts changed\) in \d+ ms$/);

      const handlerFile = path.join(servicePath, 'src/handlers/hello.ts');
      writeFileSync(
        handlerFile,
        readFileSync(handlerFile, 'utf8').replace('process.env.GREETING', "'reloaded'"),
      );
      await reloaded;
      const after = (await (await fetch(`${cloud.apiUrl}/hello`)).json()) as { message: string };

      expect(before.message).toBe('hello from settings.yml');
      expect(after.message).toBe('reloaded');
    } finally {
      await cloud.stop();
    }
  });

  it('names a port in use and the fix', async () => {
    const occupied = await occupyPort();
    try {
      const starting = start({ servicePath, port: occupied.port });

      await expect(starting).rejects.toThrow(PortInUseError);
      await expect(starting).rejects.toThrow(
        `port ${occupied.port} on 127.0.0.1 (REST API) is already in use`,
      );
      await expect(starting).rejects.toThrow('--port N');
    } finally {
      await occupied.release();
    }
  });

  it("names the AWS endpoint's port when that one is taken, and closes the REST API it had opened", async () => {
    const occupied = await occupyPort();
    const free = await occupyPort();
    await free.release();
    try {
      await expect(start({ servicePath, port: free.port, lambdaPort: occupied.port })).rejects.toThrow(
        `port ${occupied.port} on 127.0.0.1 (AWS endpoint) is already in use`,
      );
      expect(await portAcceptsConnections(free.port)).toBe(false);
    } finally {
      await occupied.release();
    }
  });
});
