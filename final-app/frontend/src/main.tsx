// The browser entry: find the API, ask it how to sign in and where its live events are, then render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { createApiClient } from './api/api-client';
import { App } from './app';
import { createOidcAuth } from './auth/auth';
import { loadRuntimeConfig } from './config';
import { connectImageEvents } from './live/image-events';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

async function boot(): Promise<void> {
  const runtime = await loadRuntimeConfig({
    builtApiUrl: import.meta.env.VITE_API_URL,
  });
  let accessToken: () => Promise<string | undefined> = async () => undefined;
  const api = createApiClient({ baseUrl: runtime.apiUrl, accessToken: () => accessToken() });
  const config = await api.config();
  const auth = createOidcAuth(config.auth, window.location.origin);
  accessToken = () => auth.accessToken();
  const events = connectImageEvents({ url: config.websocketUrl });
  root.render(
    <StrictMode>
      <BrowserRouter>
        <App services={{ api, auth, events, docsUrl: runtime.docsUrl }} />
      </BrowserRouter>
    </StrictMode>,
  );
}

boot().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  root.render(
    <main id="main" className="boot-failure">
      <h1>Udagram could not start</h1>
      <p role="alert">{message}</p>
      <button type="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </main>,
  );
});
