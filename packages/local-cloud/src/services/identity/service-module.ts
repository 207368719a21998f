// The local OAuth 2.0 / OpenID issuer as a platform service: its own port (browsers sign in there), and the
// variables an authorizer reads to find it.
import { serviceModule } from '../../platform/service-contract';
import { identityClients } from './clients';
import { createIdentityService, identityDataDir } from './identity-service';

export const identityModule = serviceModule({
  key: 'identity',
  start: (context) =>
    createIdentityService({
      port: context.ports.identity ?? 0,
      host: context.host,
      dataDir: identityDataDir(context.service.servicePath),
      issuer: context.options.identity?.issuer,
      audience: context.options.identity?.audience,
      clients: identityClients(context.service),
      log: context.log,
    }),
  // Where an authorizer finds the local issuer, as it would find Auth0's from its configuration on AWS; a
  // service reads them only when it has no issuer of its own configured (see the README).
  environment: (identity) => ({
    LOCAL_CLOUD_IDENTITY_ISSUER: identity.issuer,
    LOCAL_CLOUD_IDENTITY_JWKS_URI: identity.jwksUri,
  }),
  endpoints: (identity) => ({
    endpoints: { identity: identity.url },
    identity: {
      url: identity.url,
      issuer: identity.issuer,
      jwksUri: identity.jwksUri,
      ...(identity.audience === undefined ? {} : { audience: identity.audience }),
    },
  }),
  summary: (identity, { folder }) => [
    {
      name: 'Identity',
      where: identity.url,
      detail: `JWKS ${identity.jwksUri}; a token: npx local-cloud token${folder ? ` --service ${folder}` : ''} --sub alice`,
    },
  ],
});
