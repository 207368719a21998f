// The apps the local issuer serves: registered in serverless.yml, as an app is registered with Auth0 or
// Cognito, under `custom.localCloud.identity.clients` (the framework ignores it on deploy):
//
//   custom:
//     localCloud:
//       identity:
//         clients:
//           - clientId: udagram-web
//             redirectUris: [http://127.0.0.1/callback, http://localhost/callback]
//
// Only a registered client_id gets a code, only at one of its redirect URIs, and only a page from one of
// their origins may read a token (CORS). Redirect URIs are on this machine (loopback), and, as RFC 8252
// section 7.3 has it for loopback redirects, match whatever port the app happens to run on.
import { ServiceConfigError } from '../../config/service-config-error';
import type { ServiceDefinition } from '../../config/service-definition';
import { isRecord } from '../../common/records';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for an http(s) URL on this machine, without a fragment (RFC 6749 section 3.1.2). */
export function isLoopbackUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname) && !url.hash
  );
}

export interface OAuthClient {
  clientId: string;
  redirectUris: string[];
}

const WHERE = 'custom.localCloud.identity.clients';
const EXAMPLE = `${WHERE}: [{ clientId: my-app, redirectUris: [http://127.0.0.1/callback] }]`;

/** The registered clients; ServiceConfigError for a registration that cannot work. */
export function identityClients(service: ServiceDefinition): OAuthClient[] {
  const custom = service.custom.localCloud;
  const identity = isRecord(custom) ? custom.identity : undefined;
  const raw = isRecord(identity) ? identity.clients : undefined;
  if (raw === undefined) return [];
  const configFile = `${service.servicePath}/serverless.yml`;
  const fail = (problem: string): never => {
    throw new ServiceConfigError(configFile, `${WHERE}${problem}`, `write it as ${EXAMPLE}`);
  };
  if (!Array.isArray(raw)) return fail(' must be a list of clients');
  return raw.map((entry: unknown, index) => {
    const clientId = isRecord(entry) ? entry.clientId : undefined;
    const redirectUris = isRecord(entry) ? entry.redirectUris : undefined;
    if (typeof clientId !== 'string' || clientId === '') return fail(`[${index}] has no clientId`);
    if (!Array.isArray(redirectUris) || redirectUris.length === 0) {
      return fail(`[${index}] (${clientId}) has no redirectUris`);
    }
    for (const uri of redirectUris) {
      if (typeof uri !== 'string' || !isLoopbackUrl(uri)) {
        fail(
          `[${index}] (${clientId}): redirect URI ${JSON.stringify(uri)} is not on this machine (http://127.0.0.1, localhost or [::1])`,
        );
      }
    }
    return { clientId, redirectUris: redirectUris as string[] };
  });
}

/** A redirect URI the client registered, its port aside. */
export function isRegisteredRedirect(client: OAuthClient, redirectUri: string): boolean {
  const wanted = place(redirectUri, true);
  return wanted !== undefined && client.redirectUris.some((uri) => place(uri, true) === wanted);
}

/** An origin one of the clients' redirect URIs is on, its port aside: a page that may read a token. */
export function isClientOrigin(clients: OAuthClient[], origin: string): boolean {
  const wanted = place(origin, false);
  return (
    wanted !== undefined &&
    clients.some((client) => client.redirectUris.some((uri) => place(uri, false) === wanted))
  );
}

/** Scheme and host (and path and query, for a redirect URI): what must match, the port excepted. */
function place(value: string, withPath: boolean): string | undefined {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.hostname}${withPath ? `${url.pathname}${url.search}` : ''}`;
  } catch {
    return undefined;
  }
}
