import { ApiError, createApiClient } from '../src/api/api-client';

type Call = { url: string; init: RequestInit };

function apiAnswering(status: number, body?: unknown, token?: string) {
  const calls: Call[] = [];
  const api = createApiClient({
    baseUrl: 'http://127.0.0.1:3000/dev/',
    accessToken: async () => token,
    fetch: async (input, init) => {
      calls.push({ url: input instanceof Request ? input.url : input.toString(), init: init ?? {} });
      return new Response(body === undefined ? null : JSON.stringify(body), { status });
    },
  });
  return { api, calls };
}

describe('the API client', () => {
  it('lists groups with the page size and the opaque next key in the query', async () => {
    const { api, calls } = apiAnswering(200, { items: [], nextKey: 'k2' });

    const page = await api.listGroups({ limit: 20, nextKey: 'abc_-' });

    expect(page).toEqual({ items: [], nextKey: 'k2' });
    expect(calls[0]?.url).toBe('http://127.0.0.1:3000/dev/groups?limit=20&nextKey=abc_-');
    expect(calls[0]?.init.method).toBe('GET');
  });

  it('sends writes as JSON with the bearer token', async () => {
    const { api, calls } = apiAnswering(201, { id: 'g-1' }, 'jwt-1');

    await api.createGroup({ name: 'Cats', description: '' });

    expect(calls[0]?.url).toBe('http://127.0.0.1:3000/dev/groups');
    expect(calls[0]?.init).toMatchObject({
      method: 'POST',
      body: '{"name":"Cats","description":""}',
      headers: { authorization: 'Bearer jwt-1', 'content-type': 'application/json' },
    });
  });

  it('refuses a write without a session, before any request', async () => {
    const { api, calls } = apiAnswering(201, {});

    await expect(api.createImage('g-1', { title: 't', contentType: 'image/png' })).rejects.toThrow(
      new ApiError(401, 'You are not signed in. Sign in, then try again.'),
    );
    expect(calls).toHaveLength(0);
  });

  it('escapes path ids and search text', async () => {
    const { api, calls } = apiAnswering(200, { items: [] });

    await api.getImage('a/b');
    await api.searchImages('red & blue');

    expect(calls.map((call) => call.url)).toEqual([
      'http://127.0.0.1:3000/dev/images/a%2Fb',
      'http://127.0.0.1:3000/dev/images/search?q=red+%26+blue',
    ]);
  });

  it('answers a 204 delete with nothing', async () => {
    const { api } = apiAnswering(204, undefined, 'jwt-1');

    await expect(api.deleteImage('i-1')).resolves.toBeUndefined();
  });

  it("throws the API's own message with the status", async () => {
    const { api } = apiAnswering(400, { message: 'name is required. Give the group a name.' });

    await expect(api.getGroup('g-1')).rejects.toMatchObject({
      name: 'ApiError',
      status: 400,
      message: 'name is required. Give the group a name.',
    });
  });

  it.each([
    [401, { message: 'Unauthorized' }, 'Your session has ended. Sign in again, then try again.'],
    [403, undefined, 'You are not allowed to do that: it belongs to someone else.'],
    [404, 'not json', 'Not found: it may have been deleted. Go back to the groups.'],
    [502, { message: '' }, 'The server failed (HTTP 502). Try again in a moment.'],
    [429, undefined, 'The request failed (HTTP 429). Try again.'],
  ])('explains a %i without a useful message', async (status, body, message) => {
    const { api } = apiAnswering(status, body);

    await expect(api.getGroup('g-1')).rejects.toMatchObject({ status, message });
  });

  it('says the API cannot be reached when the network fails', async () => {
    const api = createApiClient({
      baseUrl: 'http://127.0.0.1:3000/dev',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });

    await expect(api.config()).rejects.toMatchObject({
      status: 0,
      message: expect.stringContaining('Could not reach the API at http://127.0.0.1:3000/dev.') as unknown,
    });
  });
});
