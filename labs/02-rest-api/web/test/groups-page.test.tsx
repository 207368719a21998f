/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { PAGE_SIZE } from '../src/api/groups-api';
import {
  aGroup,
  API_URL,
  callOf,
  installFetch,
  renderApp,
  reply,
  uninstallFetch,
  type FetchMock,
} from './support';

let fetchMock: FetchMock;
let user: UserEvent;

beforeEach(() => {
  fetchMock = installFetch();
  // No pause between keystrokes: the tests need the events, not a typist's speed.
  user = userEvent.setup({ delay: null });
});

afterEach(() => {
  uninstallFetch();
});

describe('the groups page', () => {
  it('asks the API for the first page and lists the groups it returns', async () => {
    fetchMock.mockResolvedValueOnce(reply(200, { items: [aGroup(1), aGroup(2)], nextKey: null }));

    renderApp('/');

    expect(await screen.findByRole('link', { name: 'Group 1' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Group 2' })).toBeInTheDocument();
    expect(screen.getByText('The description of group 2')).toBeInTheDocument();
    const { url } = callOf(fetchMock, 0);
    expect(`${url.origin}${url.pathname}`).toBe(`${API_URL}/groups`);
    expect(url.searchParams.get('limit')).toBe(String(PAGE_SIZE));
    expect(url.searchParams.has('nextKey')).toBe(false);
  });

  it('shows that it is loading until the API answers', async () => {
    fetchMock.mockResolvedValueOnce(reply(200, { items: [aGroup(1)], nextKey: null }));

    renderApp('/');

    expect(screen.getByRole('status')).toHaveTextContent(/loading/i);
    await screen.findByRole('link', { name: 'Group 1' });
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('loads the next page with the nextKey of the previous one and adds it below', async () => {
    fetchMock
      .mockResolvedValueOnce(reply(200, { items: [aGroup(1)], nextKey: 'eyJpZCI6IjEifQ' }))
      .mockResolvedValueOnce(reply(200, { items: [aGroup(2)], nextKey: null }));
    renderApp('/');

    await user.click(await screen.findByRole('button', { name: 'Load more' }));

    expect(await screen.findByRole('link', { name: 'Group 2' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Group 1' })).toBeInTheDocument();
    expect(callOf(fetchMock, 1).url.searchParams.get('nextKey')).toBe('eyJpZCI6IjEifQ');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('offers no Load more button on the last page', async () => {
    fetchMock.mockResolvedValueOnce(reply(200, { items: [aGroup(1)], nextKey: null }));

    renderApp('/');

    await screen.findByRole('link', { name: 'Group 1' });
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('invites the user to create the first group when there is none', async () => {
    fetchMock.mockResolvedValueOnce(reply(200, { items: [], nextKey: null }));

    renderApp('/');

    expect(await screen.findByRole('link', { name: 'Create the first one' })).toHaveAttribute(
      'href',
      '/groups/new',
    );
  });

  it("shows the API's error message when the request fails", async () => {
    fetchMock.mockResolvedValueOnce(
      reply(400, { message: 'limit must be a whole number from 1 to 100. Send for example ?limit=20.' }),
    );

    renderApp('/');

    expect(await screen.findByRole('alert')).toHaveTextContent('limit must be a whole number from 1 to 100');
  });

  it('says the API cannot be reached when fetch itself fails (API down, or CORS headers missing)', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));

    renderApp('/');

    expect(await screen.findByRole('alert')).toHaveTextContent(/could not reach the API/i);
  });

  it("opens a group's page from the list without asking the API again", async () => {
    fetchMock.mockResolvedValueOnce(reply(200, { items: [aGroup(1), aGroup(2)], nextKey: null }));
    renderApp('/');

    await user.click(await screen.findByRole('link', { name: 'Group 2' }));

    expect(await screen.findByRole('heading', { name: 'Group 2' })).toBeInTheDocument();
    expect(screen.getByText('The description of group 2')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});

describe('the group page', () => {
  it('finds the group through the API when opened from a link, reading pages until it appears', async () => {
    fetchMock
      .mockResolvedValueOnce(reply(200, { items: [aGroup(1)], nextKey: 'cGFnZS0y' }))
      .mockResolvedValueOnce(reply(200, { items: [aGroup(2), aGroup(3)], nextKey: 'cGFnZS0z' }));

    renderApp(`/groups/${aGroup(3).id}`);

    expect(await screen.findByRole('heading', { name: 'Group 3' })).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(callOf(fetchMock, 1).url.searchParams.get('nextKey')).toBe('cGFnZS0y');
  });

  it('says so when no group has the id', async () => {
    fetchMock.mockResolvedValueOnce(reply(200, { items: [aGroup(1)], nextKey: null }));

    renderApp('/groups/no-such-group');

    expect(await screen.findByRole('alert')).toHaveTextContent('There is no group with id no-such-group');
  });

  it('goes back to the list', async () => {
    fetchMock
      .mockResolvedValueOnce(reply(200, { items: [aGroup(1)], nextKey: null }))
      .mockResolvedValueOnce(reply(200, { items: [aGroup(1)], nextKey: null }));
    renderApp(`/groups/${aGroup(1).id}`);
    await screen.findByRole('heading', { name: 'Group 1' });

    await user.click(screen.getByRole('link', { name: 'Back to the groups' }));

    expect(await screen.findByRole('heading', { name: 'Groups' })).toBeInTheDocument();
  });
});
