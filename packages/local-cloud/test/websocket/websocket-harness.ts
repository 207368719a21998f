// Shared by the WebSocket API tests: the API on 127.0.0.1:0 in front of in-process fake functions, real `ws`
// clients, and the real management SDK client created as handlers create it on AWS, from the event's
// requestContext (the local CA passed to its request handler: NODE_EXTRA_CA_CERTS is read only at start).
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { ServiceDefinition } from '../../src/config/service-definition';
import { createWebSocketApi, type WebSocketApi, type WebSocketApiOptions } from '../../src/websocket';
import { FakeLambdaService, type FakeHandler } from '../support/fake-lambda-service';
import { serviceDefinition } from '../support/function-definition';

export const REGION = 'us-east-1';
export const STAGE = 'dev';
export const CREDENTIALS = { accessKeyId: 'LOCALCLOUDACCESSKEY', secretAccessKey: 'local-cloud-secret-key' };

export interface WsEvent {
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  requestContext: {
    routeKey: string;
    eventType: string;
    connectionId: string;
    domainName: string;
    stage: string;
    requestId: string;
    messageId?: string;
    disconnectStatusCode?: number;
    disconnectReason?: string;
    authorizer?: Record<string, unknown>;
    [key: string]: unknown;
  };
  body?: string;
  isBase64Encoded: boolean;
}

/** A fake function: its websocket events and what it does with each event. */
export interface WsFunction {
  events: unknown[];
  handler?: (event: WsEvent) => Promise<unknown>;
}

/** Every event each function received, awaitable. */
export class EventLog {
  readonly events: { functionKey: string; event: WsEvent }[] = [];
  private waiters: {
    match: (entry: { functionKey: string; event: WsEvent }) => boolean;
    resolve: (event: WsEvent) => void;
  }[] = [];

  record(functionKey: string, event: WsEvent): void {
    const entry = { functionKey, event };
    this.events.push(entry);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.match(entry)) return true;
      waiter.resolve(event);
      return false;
    });
  }

  of(functionKey: string): WsEvent[] {
    return this.events.filter((entry) => entry.functionKey === functionKey).map((entry) => entry.event);
  }

  /** The first event (past or future) matching; fails after 5 s. */
  next(match: (event: WsEvent, functionKey: string) => boolean, what = 'an event'): Promise<WsEvent> {
    const seen = this.events.find((entry) => match(entry.event, entry.functionKey));
    if (seen) return Promise.resolve(seen.event);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within 5 s`)), 5000);
      this.waiters.push({
        match: (entry) => match(entry.event, entry.functionKey),
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  forRoute(routeKey: string, connectionId?: string): Promise<WsEvent> {
    return this.next(
      (event) =>
        event.requestContext.routeKey === routeKey &&
        (connectionId === undefined || event.requestContext.connectionId === connectionId),
      `${routeKey} event`,
    );
  }
}

export interface Harness {
  api: WebSocketApi;
  lambda: FakeLambdaService;
  log: EventLog;
  dataDir: string;
  gatewayLog: string[];
  stop(): Promise<void>;
}

export function serviceOf(
  name: string,
  servicePath: string,
  functions: Record<string, WsFunction>,
): ServiceDefinition {
  return serviceDefinition({
    service: name,
    servicePath,
    provider: { region: REGION, stage: STAGE },
    functions: Object.fromEntries(
      Object.entries(functions).map(([key, fn]) => [
        key,
        { events: fn.events.map((event) => ({ websocket: event })) },
      ]),
    ),
  });
}

export async function startApi(
  name: string,
  functions: Record<string, WsFunction>,
  options: Partial<WebSocketApiOptions> & { dataDir?: string } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), `${name}-`));
  const log = new EventLog();
  const service = serviceOf(name, dataDir, functions);
  const lambda = new FakeLambdaService(
    Object.fromEntries(
      Object.entries(functions).map(([key, fn]) => {
        const handler: FakeHandler = async (event) => {
          log.record(key, event as WsEvent);
          return fn.handler ? fn.handler(event as WsEvent) : { statusCode: 200 };
        };
        return [key, { handler, definition: { events: service.functions[key]?.events ?? [] } }];
      }),
    ),
    name,
    STAGE,
  );
  const gatewayLog: string[] = [];
  const api = await createWebSocketApi({
    lambda,
    service,
    stage: STAGE,
    region: REGION,
    credentials: CREDENTIALS,
    dataDir: path.join(dataDir, '.local-cloud', 'websocket'),
    log: (line) => gatewayLog.push(line),
    ...options,
  });
  return {
    api,
    lambda,
    log,
    dataDir,
    gatewayLog,
    stop: async () => {
      await api.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The CA of the API under test, for in-process SDK clients (set by each test file after startApi). */
let trustedCa = '';
export function trustCa(caCertificate: string): void {
  trustedCa = caCertificate;
}

/**
 * The management client exactly as a handler creates it on AWS, from the event; region and credentials come
 * from the Lambda environment there, and are given here.
 */
export function managementClientFor(event: WsEvent): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({
    endpoint: `https://${event.requestContext.domainName}/${event.requestContext.stage}`,
    region: REGION,
    credentials: CREDENTIALS,
    requestHandler: { httpsAgent: new https.Agent({ ca: trustedCa, keepAlive: true }) },
  });
}

/** A management client for an explicit endpoint (plain http, a wrong key, ...). */
export function managementClient(endpoint: string, credentials = CREDENTIALS): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({
    endpoint,
    region: REGION,
    credentials,
    requestHandler: { httpsAgent: new https.Agent({ ca: trustedCa, keepAlive: true }) },
  });
}

/** A connected client that queues what it receives. */
export class Client {
  readonly received: string[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.received.push(data.toString('utf8'));
      this.waiters = this.waiters.filter((waiter) => {
        if (this.received.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
    });
  }

  /** The n-th message received (1-based), waiting up to 5 s for it. */
  async message(n = this.received.length + 1): Promise<string> {
    if (this.received.length < n) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`message ${n} did not arrive within 5 s`)), 5000);
        this.waiters.push({
          count: n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    }
    return this.received[n - 1] as string;
  }

  send(text: string): void {
    this.socket.send(text);
  }

  close(code?: number, reason?: string): Promise<{ code: number; reason: string }> {
    this.socket.close(code, reason);
    return this.closed;
  }
}

export function connect(
  url: string,
  options: WebSocket.ClientOptions = {},
  protocols?: string[],
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, options);
    const client = new Client(socket);
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => reject(new UpgradeRefused(response.statusCode ?? 0, body)));
    });
    socket.once('error', (error) => reject(error));
  });
}

export class UpgradeRefused extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: string,
  ) {
    super(`upgrade refused: ${statusCode} ${body}`);
  }
}

/** Resolves with the refusal; fails if the upgrade succeeds. */
export async function refusedUpgrade(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<UpgradeRefused> {
  try {
    const client = await connect(url, options);
    await client.close();
  } catch (error) {
    if (error instanceof UpgradeRefused) return error;
    throw error;
  }
  throw new Error('the upgrade was accepted');
}

/** The connection id of a client, read from its $connect event. */
export async function connectedClient(
  harness: Harness,
  query = '',
): Promise<{ client: Client; connectionId: string }> {
  const marker = `c${Math.random().toString(36).slice(2)}`;
  const client = await connect(`${harness.api.url}?marker=${marker}${query}`);
  const event = await harness.log.next(
    (candidate) =>
      candidate.requestContext.routeKey === '$connect' &&
      !('methodArn' in candidate) &&
      candidate.queryStringParameters?.marker === marker,
    '$connect event',
  );
  return { client, connectionId: event.requestContext.connectionId };
}
