/** @jest-environment jsdom */
import { createOidcAuth, safeReturnPath } from '../src/auth/auth';

describe('the signed-in session', () => {
  const config = { issuer: 'http://127.0.0.1:3003/', clientId: 'udagram-web', audience: 'udagram' };
  const now = Date.parse('2026-11-21T12:00:00Z');

  function authWith(stored: unknown) {
    window.sessionStorage.clear();
    if (stored !== undefined) window.sessionStorage.setItem('udagram.tokens', JSON.stringify(stored));
    return createOidcAuth(config, 'http://127.0.0.1:8080', { now: () => now, navigate: jest.fn() });
  }

  it('is read from this tab’s storage while its tokens last', async () => {
    const auth = authWith({
      accessToken: 'jwt-1',
      expiresAt: now / 1000 + 60,
      session: { userId: 'alice', name: 'alice' },
    });

    await expect(auth.session()).resolves.toEqual({ userId: 'alice', name: 'alice' });
    await expect(auth.accessToken()).resolves.toBe('jwt-1');
  });

  it('is gone once the tokens expire, or when storage holds nothing usable', async () => {
    const expired = authWith({
      accessToken: 'jwt-1',
      expiresAt: now / 1000,
      session: { userId: 'a', name: 'a' },
    });
    await expect(expired.session()).resolves.toBeUndefined();
    await expect(expired.accessToken()).resolves.toBeUndefined();

    window.sessionStorage.setItem('udagram.tokens', '{not json');
    await expect(expired.session()).resolves.toBeUndefined();
    await expect(authWith(undefined).session()).resolves.toBeUndefined();
  });

  it.each([
    ['/groups/g-1?x=1', '/groups/g-1?x=1'],
    ['//evil.example.com/', '/'],
    ['https://evil.example.com/', '/'],
    [undefined, '/'],
    [42, '/'],
  ])('returns after sign-in only to a path of this app (%p -> %p)', (returnTo, path) => {
    expect(safeReturnPath(returnTo)).toBe(path);
  });
});
