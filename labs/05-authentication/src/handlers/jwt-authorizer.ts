import { authConfigFromEnvironment } from '../auth/auth-config';
import { authorizeWith } from '../auth/authorize';
import { signingKeysFrom, verifyToken } from '../auth/verify-token';

// Module scope runs once per sandbox: the settings are read once, and the JWKS client, with the keys it has
// fetched, is reused by every warm invocation. A missing setting fails the cold start, loudly.
const config = authConfigFromEnvironment();
const keys = signingKeysFrom(config.jwksUri);

/** The authorizer of the write endpoints: RS256 JWTs from Auth0 on AWS, from local-cloud's issuer locally. */
export const handler = authorizeWith((token) => verifyToken(token, config, keys));
