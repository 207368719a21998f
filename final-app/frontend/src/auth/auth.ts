// Sign-in with OpenID Connect: the authorization code flow with PKCE through oidc-client-ts, against the
// issuer the API names in GET /config (local-cloud's issuer in development, Auth0 or any OIDC provider on
// AWS). The pages see only this interface, so component tests give them a fake.
import type { ApiConfig } from '../api/types';

export interface Session {
  /** The token's `sub`: what the API stores as `userId`. */
  userId: string;
  /** What to show: the profile's name, else the user id. */
  name: string;
}

export interface Auth {
  /** The signed-in user, or undefined (never signed in, signed out, or the tokens expired). */
  session: () => Promise<Session | undefined>;
  /** The access token for the API, while the session lasts. */
  accessToken: () => Promise<string | undefined>;
  /** Leaves for the issuer's sign-in page; `returnTo` is where the app goes once back. */
  signIn: (returnTo: string) => Promise<void>;
  /** On /callback: trades the code for tokens and says where to go. */
  completeSignIn: () => Promise<{ session: Session; returnTo: string }>;
  /** Forgets the tokens here, then ends the issuer's session and comes back to the home page. */
  signOut: () => Promise<void>;
}

export const CALLBACK_PATH = '/callback';

interface SignInState {
  returnTo: string;
}

/** What this tab keeps of a sign-in: enough to call the API and to end the session. */
interface StoredTokens {
  accessToken: string;
  idToken?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  session: Session;
}

const STORAGE_KEY = 'udagram.tokens';

export interface OidcAuthOptions {
  /** Default sessionStorage: per tab, gone with the tab, so a shared computer keeps no tokens. */
  storage?: Storage;
  /** Where the browser goes (the issuer's pages); tests replace it. */
  navigate?: (url: string) => void;
  now?: () => number;
}

export function createOidcAuth(
  config: ApiConfig['auth'],
  origin: string,
  options: OidcAuthOptions = {},
): Auth {
  const storage = options.storage ?? window.sessionStorage;
  const navigate = options.navigate ?? ((url: string) => window.location.assign(url));
  const now = options.now ?? Date.now;
  // OidcClient rather than UserManager: the app keeps its own tokens and needs no silent renew, popup or
  // session monitor, which saves 6 KB gzip of the 100 KB budget. Loaded on first use: the first paint
  // does not need it.
  const client = import('oidc-client-ts').then(
    ({ OidcClient, WebStorageStateStore }) =>
      new OidcClient({
        authority: config.issuer,
        client_id: config.clientId,
        redirect_uri: `${origin}${CALLBACK_PATH}`,
        post_logout_redirect_uri: `${origin}/`,
        response_type: 'code',
        scope: 'openid profile',
        // Auth0 issues an access token for an API (a JWT the API verifies) only when asked for its audience.
        extraQueryParams: { audience: config.audience },
        stateStore: new WebStorageStateStore({ store: storage }),
      }),
  );
  const stored = (): StoredTokens | undefined => {
    try {
      const tokens = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as StoredTokens | null;
      return tokens && tokens.expiresAt * 1000 > now() ? tokens : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    async session() {
      return stored()?.session;
    },
    async accessToken() {
      return stored()?.accessToken;
    },
    async signIn(returnTo) {
      const state: SignInState = { returnTo };
      const request = await (await client).createSigninRequest({ state });
      navigate(request.url);
    },
    async completeSignIn() {
      const response = await (await client).processSigninResponse(window.location.href);
      const session = toSession(response.profile);
      const tokens: StoredTokens = {
        accessToken: response.access_token,
        idToken: response.id_token,
        expiresAt: response.expires_at ?? Math.floor(now() / 1000) + 3600,
        session,
      };
      storage.setItem(STORAGE_KEY, JSON.stringify(tokens));
      const state = response.userState as Partial<SignInState> | undefined;
      return { session, returnTo: safeReturnPath(state?.returnTo) };
    },
    async signOut() {
      const idToken = stored()?.idToken;
      storage.removeItem(STORAGE_KEY);
      const request = await (await client).createSignoutRequest({ id_token_hint: idToken });
      navigate(request.url);
    },
  };
}

function toSession(profile: { sub: string; name?: string; preferred_username?: string }): Session {
  return { userId: profile.sub, name: profile.name ?? profile.preferred_username ?? profile.sub };
}

/** Only a path of this app: a crafted state must not send the browser elsewhere after sign-in. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}
