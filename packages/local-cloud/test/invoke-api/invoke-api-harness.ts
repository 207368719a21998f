// Starts the Invoke API on 127.0.0.1 (random port) in front of a LambdaService and gives a real
// @aws-sdk/client-lambda client pointed at it, plus ways to await what the async queue does.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaService } from '../../src/lambda/lambda-service';
import {
  createInvokeApi,
  type AsyncOutcome,
  type AsyncRetry,
  type InvokeApiOptions,
} from '../../src/invoke-api/invoke-api';

export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'LOCALCLOUDKEY', secretAccessKey: 'local-cloud-secret' };

/** Collects reports as they come and hands them to whoever awaits one. */
export class Awaitable<T> {
  readonly seen: T[] = [];
  private waiters: { matches: (item: T) => boolean; resolve: (item: T) => void }[] = [];

  push = (item: T): void => {
    this.seen.push(item);
    const waiter = this.waiters.find((w) => w.matches(item));
    if (waiter) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(item);
    }
  };

  /** The first report, past or future, that matches. */
  next(matches: (item: T) => boolean = () => true): Promise<T> {
    const already = this.seen.find(matches);
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => this.waiters.push({ matches, resolve }));
  }
}

export interface Harness {
  url: string;
  client: LambdaClient;
  outcomes: Awaitable<AsyncOutcome>;
  retries: Awaitable<AsyncRetry>;
  /** A client for the same endpoint with other settings (another key, region or secret). */
  clientWith(settings: { accessKeyId?: string; secretAccessKey?: string; region?: string }): LambdaClient;
  close(): Promise<void>;
}

export async function startInvokeApi(
  lambda: LambdaService,
  options: Partial<Omit<InvokeApiOptions, 'lambda'>> = {},
): Promise<Harness> {
  const outcomes = new Awaitable<AsyncOutcome>();
  const retries = new Awaitable<AsyncRetry>();
  const api = createInvokeApi({
    lambda,
    credentials: CREDENTIALS,
    region: REGION,
    retryDelaysMs: [1, 2],
    throttleRetryDelayMs: 1,
    onAsyncOutcome: outcomes.push,
    onAsyncRetry: retries.push,
    ...options,
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = api.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: LambdaClient[] = [];
  const clientWith: Harness['clientWith'] = (settings) => {
    const client = new LambdaClient({
      endpoint: url,
      region: settings.region ?? REGION,
      credentials: {
        accessKeyId: settings.accessKeyId ?? CREDENTIALS.accessKeyId,
        secretAccessKey: settings.secretAccessKey ?? CREDENTIALS.secretAccessKey,
      },
      // One attempt: the SDK would otherwise retry 429 and 5xx answers and hide them behind its backoff.
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };
  return {
    url,
    client: clientWith({}),
    outcomes,
    retries,
    clientWith,
    close: async () => {
      clients.forEach((client) => client.destroy());
      await api.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A promise with its resolve function, for handlers that tell a test they ran. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const decode = (payload: Uint8Array | undefined): unknown =>
  JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8'));

export const encode = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
