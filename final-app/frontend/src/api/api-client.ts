// The REST API, one method per endpoint. Errors are thrown as ApiError with the API's own message (which
// already says what is wrong and how to fix it), so pages show it as it is.
import type { ApiConfig, Group, Image, NewImage, Page } from './types';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PageRequest {
  limit?: number;
  nextKey?: string;
}

export interface ApiClient {
  config: () => Promise<ApiConfig>;
  listGroups: (page?: PageRequest) => Promise<Page<Group>>;
  createGroup: (group: { name: string; description: string }) => Promise<Group>;
  getGroup: (groupId: string) => Promise<Group>;
  listImages: (groupId: string, page?: PageRequest) => Promise<Page<Image>>;
  createImage: (groupId: string, image: { title: string; contentType: string }) => Promise<NewImage>;
  getImage: (imageId: string) => Promise<Image>;
  deleteImage: (imageId: string) => Promise<void>;
  searchImages: (query: string) => Promise<Page<Image>>;
}

export interface ApiClientOptions {
  /** The stage URL: `http://127.0.0.1:3000/dev`. */
  baseUrl: string;
  /** The signed-in user's access token, for the endpoints that need one. */
  accessToken?: () => Promise<string | undefined>;
  fetch?: typeof fetch;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function request<T>(
    method: string,
    path: string,
    init: { body?: unknown; auth?: boolean; query?: Record<string, string | number | undefined> } = {},
  ): Promise<T> {
    const query = new URLSearchParams();
    Object.entries(init.query ?? {}).forEach(([name, value]) => {
      if (value !== undefined && value !== '') query.set(name, String(value));
    });
    const url = `${baseUrl}${path}${query.size > 0 ? `?${query}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.auth) {
      const token = await options.accessToken?.();
      if (!token) throw new ApiError(401, 'You are not signed in. Sign in, then try again.');
      headers.authorization = `Bearer ${token}`;
    }
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch {
      throw new ApiError(
        0,
        `Could not reach the API at ${baseUrl}. Check your connection, or that \`npm start\` is running, then try again.`,
      );
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) throw new ApiError(response.status, errorMessage(response.status, body));
    return body as T;
  }

  return {
    config: () => request('GET', '/config'),
    listGroups: (page = {}) => request('GET', '/groups', { query: { ...page } }),
    createGroup: (group) => request('POST', '/groups', { body: group, auth: true }),
    getGroup: (groupId) => request('GET', `/groups/${encodeURIComponent(groupId)}`),
    listImages: (groupId, page = {}) =>
      request('GET', `/groups/${encodeURIComponent(groupId)}/images`, { query: { ...page } }),
    createImage: (groupId, image) =>
      request('POST', `/groups/${encodeURIComponent(groupId)}/images`, { body: image, auth: true }),
    getImage: (imageId) => request('GET', `/images/${encodeURIComponent(imageId)}`),
    deleteImage: (imageId) => request('DELETE', `/images/${encodeURIComponent(imageId)}`, { auth: true }),
    searchImages: (query) => request('GET', '/images/search', { query: { q: query } }),
  };
}

function errorMessage(status: number, body: unknown): string {
  const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : '';
  if (typeof message === 'string' && message !== '' && message !== 'Unauthorized') return message;
  if (status === 401) return 'Your session has ended. Sign in again, then try again.';
  if (status === 403) return 'You are not allowed to do that: it belongs to someone else.';
  if (status === 404) return 'Not found: it may have been deleted. Go back to the groups.';
  if (status >= 500) return `The server failed (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}). Try again.`;
}
