/** @jest-environment jsdom */
import { screen } from '@testing-library/react';
import { alice, aGroup, fakeApi, fakeAuth, renderApp } from './support/fakes';

describe('signing in and out', () => {
  it('shows who is signed in, and signs out from the header', async () => {
    const auth = fakeAuth(alice);
    const { user } = renderApp('/', { auth });

    expect(await screen.findByText('Alice')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(auth.signOut).toHaveBeenCalled();
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('starts the sign-in from the page the visitor is on, so they come back to it', async () => {
    const auth = fakeAuth();
    const api = fakeApi({ getGroup: () => Promise.resolve(aGroup()) });
    const { user } = renderApp('/groups/g-1', { auth, api });

    await user.click(await screen.findByRole('button', { name: 'Sign in' }));

    // MemoryRouter does not move window.location; the path the app passes is the browser's.
    expect(auth.signIn).toHaveBeenCalledWith(`${window.location.pathname}${window.location.search}`);
  });

  it('says so when the sign-in service cannot be reached', async () => {
    const auth = fakeAuth();
    auth.signIn.mockRejectedValue(new Error('Failed to fetch'));
    const { user } = renderApp('/', { auth });

    await user.click(await screen.findByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not reach the sign-in service: Failed to fetch. Try again.',
    );
  });

  it('completes the sign-in on /callback and returns to where it started', async () => {
    const auth = fakeAuth();
    auth.completeSignIn.mockResolvedValue({ session: alice, returnTo: '/groups/g-1' });
    const api = fakeApi({ getGroup: () => Promise.resolve(aGroup()) });
    const { location } = renderApp('/callback?code=c&state=s', { auth, api });

    expect(await screen.findByRole('heading', { level: 1, name: 'Cats' })).toBeInTheDocument();
    expect(location()).toBe('/groups/g-1');
    expect(screen.getByText('Alice')).toBeInTheDocument();
    expect(auth.completeSignIn).toHaveBeenCalledTimes(1);
  });

  it('explains a failed sign-in on /callback', async () => {
    const auth = fakeAuth();
    auth.completeSignIn.mockRejectedValue(new Error('the user cancelled the sign-in.'));

    renderApp('/callback?error=access_denied&state=s', { auth });

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign-in failed' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'the user cancelled the sign-in. Sign in again from the header.',
    );
  });

  it('answers an unknown address with a page that leads home', async () => {
    renderApp('/no/such/page');

    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the groups' })).toHaveAttribute('href', '/');
  });

  it('skips to the content with the first Tab', async () => {
    const { user } = renderApp('/no/such/page');
    await screen.findByRole('heading', { level: 1 });

    await user.tab();

    expect(screen.getByRole('link', { name: 'Skip to content' })).toHaveFocus();
    expect(screen.getByRole('link', { name: 'Skip to content' })).toHaveAttribute('href', '#main');
  });
});
