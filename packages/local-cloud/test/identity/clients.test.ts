// The apps registered with the local issuer, read from serverless.yml: a registration that cannot work is a
// start-up error naming the entry and the shape to write.
import { identityClients, isClientOrigin, isRegisteredRedirect } from '../../src/services/identity/clients';
import { serviceDefinition } from '../support/function-definition';

const withClients = (clients: unknown) =>
  serviceDefinition({
    service: 'clients',
    servicePath: '/app',
    custom: { localCloud: { identity: { clients } } },
  });

describe('registered clients', () => {
  const web = { clientId: 'web', redirectUris: ['http://127.0.0.1/callback', 'http://localhost/callback'] };

  it('are read from custom.localCloud.identity.clients; none when the service registers none', () => {
    expect(identityClients(withClients([web]))).toEqual([web]);
    expect(identityClients(serviceDefinition({ service: 'none', servicePath: '/app' }))).toEqual([]);
  });

  it.each([
    ['not a list', { web }, 'custom.localCloud.identity.clients must be a list of clients'],
    ['an entry without clientId', [{ redirectUris: ['http://127.0.0.1/cb'] }], 'clients[0] has no clientId'],
    ['an entry without redirectUris', [{ clientId: 'web' }], 'clients[0] (web) has no redirectUris'],
    [
      'a redirect URI off this machine',
      [{ clientId: 'web', redirectUris: ['https://app.example.com/callback'] }],
      'clients[0] (web): redirect URI "https://app.example.com/callback" is not on this machine',
    ],
  ])('refuse %s, naming it and the shape to write', (_case, clients, message) => {
    expect(() => identityClients(withClients(clients))).toThrow(message);
    expect(() => identityClients(withClients(clients))).toThrow(
      'Fix: write it as custom.localCloud.identity.clients: [{ clientId: my-app, redirectUris: [http://127.0.0.1/callback] }]',
    );
  });

  it('match a redirect URI on any port of the registered host and path, nothing else', () => {
    expect(isRegisteredRedirect(web, 'http://127.0.0.1:8080/callback')).toBe(true);
    expect(isRegisteredRedirect(web, 'http://localhost:5173/callback')).toBe(true);
    expect(isRegisteredRedirect(web, 'http://127.0.0.1:8080/other')).toBe(false);
    expect(isRegisteredRedirect(web, 'https://127.0.0.1:8080/callback')).toBe(false);
    expect(isClientOrigin([web], 'http://127.0.0.1:8080')).toBe(true);
    expect(isClientOrigin([web], 'http://[::1]:8080')).toBe(false);
    expect(isClientOrigin([web], 'https://attacker.example')).toBe(false);
  });
});
