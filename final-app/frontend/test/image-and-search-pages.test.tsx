/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../src/api/api-client';
import { alice, anImage, fakeApi, fakeAuth, renderApp } from './support/fakes';

describe('the image page', () => {
  it('shows the full image with who uploaded it and when', async () => {
    const api = fakeApi({ getImage: () => Promise.resolve(anImage()) });

    renderApp('/images/i-1', { api });

    expect(await screen.findByRole('heading', { level: 1, name: 'Tabby' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Tabby' })).toHaveAttribute(
      'src',
      'http://s3.local/images/i-1?sig',
    );
    expect(screen.getByText(/Uploaded by alice on/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the group' })).toHaveAttribute('href', '/groups/g-1');
    expect(api.getImage).toHaveBeenCalledWith('i-1');
  });

  it('lets the owner delete it after confirming, then returns to the group', async () => {
    const api = fakeApi({ getImage: () => Promise.resolve(anImage()), deleteImage: () => Promise.resolve() });
    const { user, location } = renderApp('/images/i-1', { api, auth: fakeAuth(alice) });

    await user.click(await screen.findByRole('button', { name: 'Delete image' }));
    const confirm = screen.getByRole('group', { name: 'Confirm deletion' });
    await user.click(within(confirm).getByRole('button', { name: 'Yes, delete it' }));

    expect(api.deleteImage).toHaveBeenCalledWith('i-1');
    // The page navigates once the deletion's promise has settled, a tick after the click resolves.
    await waitFor(() => expect(location()).toBe('/groups/g-1'));
  });

  it('keeps the image when the owner changes their mind', async () => {
    const api = fakeApi({ getImage: () => Promise.resolve(anImage()) });
    const { user } = renderApp('/images/i-1', { api, auth: fakeAuth(alice) });

    await user.click(await screen.findByRole('button', { name: 'Delete image' }));
    await user.click(screen.getByRole('button', { name: 'Keep it' }));

    expect(screen.getByRole('button', { name: 'Delete image' })).toBeInTheDocument();
    expect(api.deleteImage).not.toHaveBeenCalled();
  });

  it("offers no delete on someone else's image", async () => {
    const api = fakeApi({ getImage: () => Promise.resolve(anImage({ userId: 'bob' })) });

    renderApp('/images/i-1', { api, auth: fakeAuth(alice) });

    await screen.findByRole('heading', { level: 1, name: 'Tabby' });
    expect(screen.queryByRole('button', { name: 'Delete image' })).not.toBeInTheDocument();
  });

  it("shows the API's refusal of a delete", async () => {
    const api = fakeApi({
      getImage: () => Promise.resolve(anImage()),
      deleteImage: () =>
        Promise.reject(new ApiError(403, 'You are not allowed to do that: it belongs to someone else.')),
    });
    const { user } = renderApp('/images/i-1', { api, auth: fakeAuth(alice) });

    await user.click(await screen.findByRole('button', { name: 'Delete image' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete it' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('it belongs to someone else');
  });

  it('says so when the image does not exist', async () => {
    const api = fakeApi({
      getImage: () => Promise.reject(new ApiError(404, 'Image i-9 not found. Check the link.')),
    });

    renderApp('/images/i-9', { api });

    expect(await screen.findByRole('alert')).toHaveTextContent('Image i-9 not found. Check the link.');
  });
});

describe('searching', () => {
  it('searches from the header with the keyboard and shows the matching images', async () => {
    const api = fakeApi({ searchImages: () => Promise.resolve({ items: [anImage()] }) });
    const { user, location } = renderApp('/', { api });

    await user.type(screen.getByRole('searchbox', { name: 'Search images' }), '  tabby {Enter}');

    expect(location()).toBe('/search?q=tabby');
    const results = await screen.findByRole('list', { name: 'Search results' });
    expect(within(results).getByRole('link', { name: 'Tabby' })).toHaveAttribute('href', '/images/i-1');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Images matching “tabby”');
    expect(api.searchImages).toHaveBeenCalledWith('tabby');
  });

  it('says when nothing matches', async () => {
    renderApp('/search?q=zebra');

    expect(await screen.findByText(/No images match “zebra”/)).toBeInTheDocument();
  });

  it('does not search for blanks', async () => {
    const api = fakeApi();
    const { user, location } = renderApp('/', { api });

    await user.type(screen.getByRole('searchbox', { name: 'Search images' }), '   {Enter}');

    expect(location()).toBe('/');
    expect(api.searchImages).not.toHaveBeenCalled();
  });

  it("shows the API's error for a refused search", async () => {
    const api = fakeApi({
      searchImages: () =>
        Promise.reject(new ApiError(400, 'q must be 1 to 100 characters. Shorten the search.')),
    });

    renderApp('/search?q=x', { api });

    expect(await screen.findByRole('alert')).toHaveTextContent('q must be 1 to 100 characters.');
  });
});
