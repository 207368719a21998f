/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../src/api/api-client';
import { FakeXhr } from './support/fake-xhr';
import { aGroup, alice, anImage, fakeApi, fakeAuth, FakeImageEvents, renderApp } from './support/fakes';

describe('the group page', () => {
  it('shows the group with its images as thumbnails linking to their pages', async () => {
    const api = fakeApi({
      getGroup: jest.fn(() => Promise.resolve(aGroup())),
      listImages: jest.fn(() =>
        Promise.resolve({
          items: [
            anImage(),
            anImage({ imageId: 'i-2', title: 'Kitten', thumbnailUrl: undefined, status: 'pending' }),
          ],
        }),
      ),
    });

    renderApp('/groups/g-1', { api });

    expect(await screen.findByRole('heading', { level: 1, name: 'Cats' })).toBeInTheDocument();
    const images = screen.getByRole('list', { name: 'Images in Cats' });
    const thumbnail = within(images).getByRole('img', { name: 'Tabby' });
    expect(thumbnail).toHaveAttribute('src', 'http://s3.local/thumbnails/i-1?sig');
    expect(thumbnail.closest('a')).toHaveAttribute('href', '/images/i-1');
    expect(within(images).getByRole('img', { name: 'Kitten: thumbnail being made' })).toBeInTheDocument();
    expect(api.getGroup).toHaveBeenCalledWith('g-1');
    expect(api.listImages).toHaveBeenCalledWith('g-1');
    expect(document.title).toBe('Cats · Udagram');
  });

  it('adds an image of this group as soon as its live event arrives, and ignores other groups', async () => {
    const events = new FakeImageEvents();
    const api = fakeApi({ getGroup: jest.fn(() => Promise.resolve(aGroup())) });
    renderApp('/groups/g-1', { api, events });
    await screen.findByText('No images in this group yet.');

    act(() => {
      events.emit({ type: 'image-uploaded', image: anImage({ imageId: 'i-7', title: 'Live cat' }) });
      events.emit({
        type: 'image-uploaded',
        image: anImage({ imageId: 'i-8', groupId: 'g-2', title: 'Dog' }),
      });
    });

    expect(screen.getByRole('img', { name: 'Live cat' })).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: 'Dog' })).not.toBeInTheDocument();
    act(() => events.emit({ type: 'image-deleted', imageId: 'i-7' }));
    expect(screen.queryByRole('img', { name: 'Live cat' })).not.toBeInTheDocument();
  });

  it('says so when the group does not exist', async () => {
    const api = fakeApi({
      getGroup: jest.fn(() => Promise.reject(new ApiError(404, 'Group g-404 not found. Check the link.'))),
    });

    renderApp('/groups/g-404', { api });

    expect(await screen.findByRole('alert')).toHaveTextContent('Group g-404 not found. Check the link.');
    expect(screen.getByRole('heading', { level: 1, name: 'Group not available' })).toBeInTheDocument();
  });

  it('offers no upload to a visitor who is not signed in', async () => {
    renderApp('/groups/g-1', { api: fakeApi({ getGroup: jest.fn(() => Promise.resolve(aGroup())) }) });

    expect(await screen.findByText('Sign in to upload images to this group.')).toBeInTheDocument();
    expect(screen.queryByLabelText(/Image file/)).not.toBeInTheDocument();
  });
});

describe('uploading an image', () => {
  const png = () => new File([new Uint8Array([137, 80, 78, 71])], 'sunny-cat.png', { type: 'image/png' });

  function setUp() {
    const xhr = new FakeXhr();
    const pending = anImage({
      imageId: 'i-new',
      title: 'sunny-cat',
      thumbnailUrl: undefined,
      status: 'pending',
    });
    const api = fakeApi({
      getGroup: jest.fn(() => Promise.resolve(aGroup())),
      createImage: jest.fn(() => Promise.resolve({ image: pending, uploadUrl: 'http://s3.local/put?sig' })),
      getImage: jest.fn(() => Promise.resolve(pending)),
    });
    return { xhr, api, pending };
  }

  it('creates the image, PUTs the file to the presigned URL with its type, and shows the progress', async () => {
    const { xhr, api } = setUp();
    const events = new FakeImageEvents();
    const view = renderApp('/groups/g-1', { api, auth: fakeAuth(alice), events });
    // The page is rendered by App; the XHR is injected through the upload module's default instead.
    const open = jest.spyOn(globalThis, 'XMLHttpRequest').mockImplementation(() => xhr.asRequest());

    await view.user.upload(
      await screen.findByLabelText('Image file (JPEG, PNG or WebP, up to 10 MB)'),
      png(),
    );
    expect(screen.getByRole('textbox', { name: 'Title' })).toHaveValue('sunny-cat');
    await view.user.click(screen.getByRole('button', { name: 'Upload' }));
    await waitFor(() => expect(xhr.method).toBe('PUT'));
    act(() => xhr.progress(50, 100));

    expect(screen.getByRole('progressbar', { name: 'Uploading: 50%' })).toHaveValue(50);
    act(() => xhr.respond(200));
    expect(
      await screen.findByText('Uploaded "sunny-cat". Its thumbnail appears in a moment.'),
    ).toHaveAttribute('role', 'status');
    expect(api.createImage).toHaveBeenCalledWith('g-1', { title: 'sunny-cat', contentType: 'image/png' });
    expect(xhr).toMatchObject({ url: 'http://s3.local/put?sig', headers: { 'Content-Type': 'image/png' } });
    expect(screen.getByRole('img', { name: 'sunny-cat: thumbnail being made' })).toBeInTheDocument();
    act(() =>
      events.emit({ type: 'image-uploaded', image: anImage({ imageId: 'i-new', title: 'sunny-cat' }) }),
    );
    expect(screen.getByRole('img', { name: 'sunny-cat' })).toHaveAttribute(
      'src',
      'http://s3.local/thumbnails/i-1?sig',
    );
    open.mockRestore();
  });

  it('refuses a file that is not an image before asking the API', async () => {
    const { api } = setUp();
    const { user } = renderApp('/groups/g-1', { api, auth: fakeAuth(alice) });
    const input = await screen.findByLabelText('Image file (JPEG, PNG or WebP, up to 10 MB)');

    // A browser's file picker honours `accept` only as a hint: a user can still pick any file.
    fireEvent.change(input, {
      target: { files: [new File(['hello'], 'notes.txt', { type: 'text/plain' })] },
    });
    await user.click(screen.getByRole('button', { name: 'Upload' }));

    expect(screen.getByRole('alert')).toHaveTextContent('"notes.txt" is not a JPEG, PNG or WebP image.');
    expect(api.createImage).not.toHaveBeenCalled();
  });

  it('asks for a file when none is chosen', async () => {
    const { api } = setUp();
    const { user } = renderApp('/groups/g-1', { api, auth: fakeAuth(alice) });

    await user.click(await screen.findByRole('button', { name: 'Upload' }));

    expect(screen.getByRole('alert')).toHaveTextContent('Choose an image file to upload.');
  });

  it('reports a refused upload and lets the user try again', async () => {
    const { xhr, api } = setUp();
    const view = renderApp('/groups/g-1', { api, auth: fakeAuth(alice) });
    const open = jest.spyOn(globalThis, 'XMLHttpRequest').mockImplementation(() => xhr.asRequest());

    await view.user.upload(await screen.findByLabelText(/Image file/), png());
    await view.user.click(screen.getByRole('button', { name: 'Upload' }));
    await waitFor(() => expect(xhr.method).toBe('PUT'));
    act(() => xhr.respond(403));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The upload link was refused or has expired (HTTP 403).',
    );
    expect(screen.getByRole('button', { name: 'Upload' })).toBeEnabled();
    open.mockRestore();
  });
});
