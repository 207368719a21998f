// What the web tests share: the app rendered in memory at a given URL, and fetch replaced by a mock that
// answers like the groups API.
import { render, type RenderResult } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { ApiUrlContext } from '../src/api/api-url';
import type { Group } from '../src/api/groups-api';
import { App } from '../src/app';

export const API_URL = 'http://api.test/dev';

export type FetchMock = jest.Mock<Promise<Response>, [string, RequestInit?]>;

/** Installs a fetch mock for one test (jsdom has no fetch of its own); remove it with uninstallFetch. */
export function installFetch(): FetchMock {
  const fetchMock: FetchMock = jest.fn<Promise<Response>, [string, RequestInit?]>();
  Object.defineProperty(globalThis, 'fetch', { value: fetchMock, configurable: true, writable: true });
  return fetchMock;
}

export function uninstallFetch(): void {
  Reflect.deleteProperty(globalThis, 'fetch');
}

/** The part of a fetch Response the page reads: ok, status and the JSON body. */
export function reply(status: number, body: unknown): Response {
  const response: Pick<Response, 'ok' | 'status' | 'json'> = {
    ok: status >= 200 && status < 300,
    status,
    json: () => Promise.resolve(body),
  };
  return response as Response;
}

export function renderApp(path: string): RenderResult {
  return render(
    <ApiUrlContext value={API_URL}>
      <MemoryRouter initialEntries={[path]}>
        <App />
      </MemoryRouter>
    </ApiUrlContext>,
  );
}

export function aGroup(n: number): Group {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    name: `Group ${n}`,
    description: `The description of group ${n}`,
    timestamp: `2026-01-0${(n % 9) + 1}T10:00:00.000Z`,
  };
}

/** The URL and options of the n-th fetch call. */
export function callOf(fetchMock: FetchMock, n: number): { url: URL; init: RequestInit | undefined } {
  const call = fetchMock.mock.calls[n];
  if (call === undefined)
    throw new Error(`fetch was called ${fetchMock.mock.calls.length} times, not ${n + 1}`);
  return { url: new URL(call[0]), init: call[1] };
}
