// A REST API in front of the in-process fake Lambda service, listening on 127.0.0.1 at a free port.
import { createServer, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRestApi, type RestApiOptions } from '../../src/api-gateway/rest-api';
import type { RestProxyEvent } from '../../src/api-gateway/proxy-event';
import { FakeLambdaService, type FakeFunction } from '../support/fake-lambda-service';

export interface RunningRestApi {
  lambda: FakeLambdaService;
  /** Execution-log lines the API wrote. */
  logs: string[];
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** The events the functions received, parsed, in order. */
  events(): RestProxyEvent[];
  close(): Promise<void>;
}

export async function startRestApi(
  functions: Record<string, FakeFunction>,
  options: Partial<Omit<RestApiOptions, 'lambda'>> = {},
): Promise<RunningRestApi> {
  const lambda = new FakeLambdaService(functions);
  const logs: string[] = [];
  const app = createRestApi({
    lambda,
    stage: 'dev',
    region: 'us-east-1',
    binaryMediaTypes: [],
    log: (line) => logs.push(line),
    ...options,
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    lambda,
    logs,
    origin: `http://127.0.0.1:${port}`,
    port,
    events: () => lambda.invocations.map((invocation) => JSON.parse(invocation.payload) as RestProxyEvent),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A handler that answers 200 with a fixed body: most tests care about the event, not the answer. */
export const ok = () => Promise.resolve({ statusCode: 200, body: 'ok' });

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

/**
 * A request with exact control over what goes on the wire (header spelling, repeated headers, Host), which
 * fetch does not give.
 */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: OutgoingHttpHeaders; body?: Buffer | string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Response header names (lower case) that carry CORS permissions. */
export function corsHeaderNames(headers: Headers): string[] {
  return [...headers.keys()].filter((name) => name.startsWith('access-control-'));
}
