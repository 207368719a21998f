import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  createRestApi,
  InvalidRestApiOptionsError,
  type RestApiOptions,
} from '../../src/api-gateway/rest-api';
import { FakeLambdaService } from '../support/fake-lambda-service';
import { ok, startRestApi } from './rest-api-harness';

const options = (overrides: Partial<RestApiOptions>): RestApiOptions => ({
  lambda: new FakeLambdaService({ hello: { handler: ok, httpEvents: [{ method: 'GET', path: '/hello' }] } }),
  stage: 'dev',
  region: 'us-east-1',
  binaryMediaTypes: [],
  ...overrides,
});

describe('createRestApi options', () => {
  it('generates an API id of 10 lower-case letters and digits when none is given', async () => {
    const api = await startRestApi({
      hello: { handler: ok, httpEvents: [{ method: 'GET', path: '/hello' }] },
    });
    try {
      await fetch(`${api.origin}/dev/hello`);

      const { apiId } = api.events()[0]?.requestContext ?? {};
      expect(apiId).toMatch(/^[a-z0-9]{10}$/);
    } finally {
      await api.close();
    }
  });

  it('exposes the API id on app.locals', () => {
    const app = createRestApi(options({ apiId: 'abcde12345' }));

    expect(app.locals.apiId).toBe('abcde12345');
  });

  it('still answers when mounted at the root of another express app', async () => {
    const parent = express();
    parent.use(createRestApi(options({})));
    const server = createServer(parent);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;

      const [found, missing] = await Promise.all([
        fetch(`http://127.0.0.1:${port}/dev/hello`),
        fetch(`http://127.0.0.1:${port}/dev/missing`),
      ]);

      expect([found.status, missing.status]).toEqual([200, 403]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    ['a stage with a slash', { stage: 'dev/v1' }, /Stage "dev\/v1" is not a valid API Gateway stage name/],
    ['an apiId of the wrong shape', { apiId: 'ABC' }, /apiId "ABC" is not an API Gateway REST API id/],
    ['an integration timeout over 29 s', { integrationTimeoutMs: 30_000 }, /allows 50 to 29,000 ms/],
    ['an integration timeout under 50 ms', { integrationTimeoutMs: 10 }, /allows 50 to 29,000 ms/],
  ])('refuses %s with an error that says what to change', (_case, overrides, message) => {
    const creating = () => createRestApi(options(overrides));

    expect(creating).toThrow(InvalidRestApiOptionsError);
    expect(creating).toThrow(message);
  });
});
