import { ConfigError, loadRuntimeConfig } from '../src/config';

describe('finding the API', () => {
  const serving = (status: number, body: string) => () => Promise.resolve(new Response(body, { status }));

  it('takes the apiUrl and docsUrl from /config.json, over the one built in', async () => {
    const config = await loadRuntimeConfig({
      builtApiUrl: 'https://built.example.com/prod',
      fetch: serving(200, '{"apiUrl":"http://127.0.0.1:3000/dev","docsUrl":"/docs/"}'),
    });

    expect(config).toEqual({ apiUrl: 'http://127.0.0.1:3000/dev', docsUrl: '/docs/' });
  });

  it('falls back to VITE_API_URL without a config.json', async () => {
    const config = await loadRuntimeConfig({
      builtApiUrl: 'https://api.example.com/prod',
      fetch: serving(404, 'Not found'),
    });

    expect(config).toEqual({ apiUrl: 'https://api.example.com/prod' });
  });

  it('says how to fix it when neither names the API', async () => {
    await expect(loadRuntimeConfig({ fetch: serving(200, '<!doctype html>') })).rejects.toThrow(ConfigError);
    await expect(loadRuntimeConfig({ fetch: () => Promise.reject(new Error('offline')) })).rejects.toThrow(
      /Start it with `npm start`, or build it with VITE_API_URL/,
    );
  });
});
