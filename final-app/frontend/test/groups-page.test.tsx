/** @jest-environment jsdom */
import { screen, within } from '@testing-library/react';
import { ApiError } from '../src/api/api-client';
import { aGroup, alice, fakeApi, fakeAuth, renderApp } from './support/fakes';

describe('the groups page', () => {
  it('lists the groups as links to their pages', async () => {
    const api = fakeApi({
      listGroups: jest.fn(() =>
        Promise.resolve({ items: [aGroup(), aGroup({ id: 'g-2', name: 'Dogs', description: '' })] }),
      ),
    });

    renderApp('/', { api });

    const list = await screen.findByRole('list');
    expect(within(list).getByRole('link', { name: 'Cats' })).toHaveAttribute('href', '/groups/g-1');
    expect(within(list).getByRole('link', { name: 'Dogs' })).toHaveAttribute('href', '/groups/g-2');
    expect(screen.getByText('Photos of cats')).toBeInTheDocument();
    expect(api.listGroups).toHaveBeenCalledWith({ limit: 20 });
  });

  it('loads the next page with the opaque key the API gave', async () => {
    const api = fakeApi({
      listGroups: jest
        .fn()
        .mockResolvedValueOnce({ items: [aGroup()], nextKey: 'next-1' })
        .mockResolvedValueOnce({ items: [aGroup({ id: 'g-2', name: 'Dogs' })] }),
    });
    const { user } = renderApp('/', { api });

    await user.click(await screen.findByRole('button', { name: 'More groups' }));

    expect(await screen.findByRole('link', { name: 'Dogs' })).toBeInTheDocument();
    expect(api.listGroups).toHaveBeenLastCalledWith({ limit: 20, nextKey: 'next-1' });
    expect(screen.queryByRole('button', { name: 'More groups' })).not.toBeInTheDocument();
  });

  it("shows the API's error and loads again on Try again", async () => {
    const api = fakeApi({
      listGroups: jest
        .fn()
        .mockRejectedValueOnce(new ApiError(500, 'The server failed (HTTP 500). Try again in a moment.'))
        .mockResolvedValueOnce({ items: [aGroup()] }),
    });
    const { user } = renderApp('/', { api });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The server failed (HTTP 500). Try again in a moment.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('link', { name: 'Cats' })).toBeInTheDocument();
  });

  it('invites a visitor to sign in before creating a group, and starts the sign-in from here', async () => {
    const auth = fakeAuth();
    const { user } = renderApp('/', { auth });

    await user.click(await screen.findByRole('button', { name: 'Sign in to create a group' }));

    expect(auth.signIn).toHaveBeenCalledWith('/');
    expect(screen.queryByRole('textbox', { name: 'Name' })).not.toBeInTheDocument();
  });

  it('creates a group for a signed-in user and opens its page', async () => {
    const created = aGroup({ id: 'g-9', name: 'Birds', description: 'Feathered' });
    const api = fakeApi({
      createGroup: jest.fn(() => Promise.resolve(created)),
      getGroup: jest.fn(() => Promise.resolve(created)),
    });
    const { user, location } = renderApp('/', { api, auth: fakeAuth(alice) });

    await user.type(await screen.findByRole('textbox', { name: 'Name' }), '  Birds ');
    await user.type(screen.getByRole('textbox', { name: 'Description (optional)' }), 'Feathered');
    await user.click(screen.getByRole('button', { name: 'Create group' }));

    // A screen reader announces the page it arrived on.
    expect(await screen.findByRole('heading', { level: 1, name: 'Birds' })).toHaveFocus();
    expect(api.createGroup).toHaveBeenCalledWith({ name: 'Birds', description: 'Feathered' });
    expect(location()).toBe('/groups/g-9');
  });

  it('says what is wrong with an empty name next to the field, without calling the API', async () => {
    const api = fakeApi();
    const { user } = renderApp('/', { api, auth: fakeAuth(alice) });

    await user.click(await screen.findByRole('button', { name: 'Create group' }));

    const name = screen.getByRole('textbox', { name: 'Name' });
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription('Give the group a name of 1 to 100 characters.');
    expect(api.createGroup).not.toHaveBeenCalled();
  });

  it("shows the API's refusal of a new group", async () => {
    const api = fakeApi({
      createGroup: jest.fn(() =>
        Promise.reject(new ApiError(401, 'Your session has ended. Sign in again, then try again.')),
      ),
    });
    const { user } = renderApp('/', { api, auth: fakeAuth(alice) });

    await user.type(await screen.findByRole('textbox', { name: 'Name' }), 'Birds');
    await user.click(screen.getByRole('button', { name: 'Create group' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Your session has ended. Sign in again');
  });
});
