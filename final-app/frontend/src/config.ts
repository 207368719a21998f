// Where the API is: `/config.json` next to the app (the dev server writes it with the ports it started
// on; a deployment uploads one), else the VITE_API_URL the app was built with. Everything else (the
// WebSocket URL, the sign-in issuer) the API itself says at GET /config.
export interface RuntimeConfig {
  apiUrl: string;
  docsUrl?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export async function loadRuntimeConfig(options: {
  builtApiUrl?: string;
  fetch?: typeof fetch;
}): Promise<RuntimeConfig> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let file: Partial<RuntimeConfig> = {};
  try {
    const response = await doFetch('/config.json', { cache: 'no-store' });
    if (response.ok) file = (await response.json()) as Partial<RuntimeConfig>;
  } catch {
    // No config.json (or not JSON): the built-in URL below decides.
  }
  const apiUrl = typeof file.apiUrl === 'string' && file.apiUrl !== '' ? file.apiUrl : options.builtApiUrl;
  if (!apiUrl) {
    throw new ConfigError(
      'The app does not know where its API is: /config.json has no apiUrl and the app was built without VITE_API_URL. Start it with `npm start`, or build it with VITE_API_URL set to the API stage URL.',
    );
  }
  return { apiUrl, ...(typeof file.docsUrl === 'string' ? { docsUrl: file.docsUrl } : {}) };
}
