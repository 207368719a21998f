// Which API the page talks to. Components read it from context rather than from import.meta.env, so tests
// (and a page embedding another deployment) can point them anywhere.
import { createContext, useContext } from 'react';

/** Where `npx local-cloud start labs/02-rest-api` serves the API (stage dev, port 3000). */
export const DEFAULT_API_URL = 'http://127.0.0.1:3000/dev';

export const ApiUrlContext = createContext(DEFAULT_API_URL);

export function useApiUrl(): string {
  return useContext(ApiUrlContext);
}
