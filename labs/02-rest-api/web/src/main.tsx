import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiUrlContext, DEFAULT_API_URL } from './api/api-url';
import { App } from './app';
import { PageErrorBoundary } from './page-error-boundary';

// Set at build time: VITE_API_URL=https://abc123.execute-api.us-east-1.amazonaws.com/dev npx vite build ...
const apiUrl = (import.meta.env.VITE_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, '');

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no <div id="root">: the page has nowhere to render.');

createRoot(root).render(
  <StrictMode>
    <ApiUrlContext value={apiUrl}>
      <BrowserRouter>
        <PageErrorBoundary>
          <App />
        </PageErrorBoundary>
      </BrowserRouter>
    </ApiUrlContext>
  </StrictMode>,
);
