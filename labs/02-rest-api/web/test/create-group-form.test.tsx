/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { validateGroupForm } from '../src/groups/validate-group-form';
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

async function fillIn(name: string, description: string): Promise<void> {
  if (name !== '') await user.type(screen.getByLabelText('Name'), name);
  if (description !== '') await user.type(screen.getByLabelText('Description'), description);
}

describe('validateGroupForm', () => {
  it('finds nothing wrong with a name and a description', () => {
    expect(validateGroupForm({ name: 'Dogs', description: 'Pictures of dogs' })).toEqual({});
  });

  it('asks for both fields when they are blank', () => {
    const errors = validateGroupForm({ name: '  ', description: '' });

    expect(errors.name).toMatch(/name/i);
    expect(errors.description).toMatch(/describe/i);
  });

  it('refuses what the API would refuse: a name over 100 or a description over 1000 characters', () => {
    const errors = validateGroupForm({ name: 'n'.repeat(101), description: 'd'.repeat(1001) });

    expect(errors.name).toMatch(/100/);
    expect(errors.description).toMatch(/1000/);
  });
});

describe('the create-group form', () => {
  it('shows what is missing and sends nothing when submitted empty', async () => {
    renderApp('/groups/new');

    await user.click(screen.getByRole('button', { name: 'Create group' }));

    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Give the group a name.');
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Description')).toHaveAccessibleDescription(
      'Describe what the group is for.',
    );
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('sends nothing while the description is missing', async () => {
    renderApp('/groups/new');
    await fillIn('Dogs', '');

    await user.click(screen.getByRole('button', { name: 'Create group' }));

    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'false');
    expect(screen.getByLabelText('Description')).toHaveAttribute('aria-invalid', 'true');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('POSTs the trimmed group as JSON to the API', async () => {
    fetchMock.mockResolvedValueOnce(
      reply(201, { ...aGroup(7), name: 'Dogs', description: 'Pictures of dogs' }),
    );
    renderApp('/groups/new');
    await fillIn('  Dogs ', 'Pictures of dogs ');

    await user.click(screen.getByRole('button', { name: 'Create group' }));

    await screen.findByRole('heading', { name: 'Dogs' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const { url, init } = callOf(fetchMock, 0);
    expect(url.href).toBe(`${API_URL}/groups`);
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(init?.body as string)).toEqual({ name: 'Dogs', description: 'Pictures of dogs' });
  });

  it("opens the new group's page, with what the API stored", async () => {
    const created = { ...aGroup(7), name: 'Dogs', description: 'Pictures of dogs' };
    fetchMock.mockResolvedValueOnce(reply(201, created));
    renderApp('/groups/new');
    await fillIn('Dogs', 'Pictures of dogs');

    await user.click(screen.getByRole('button', { name: 'Create group' }));

    expect(await screen.findByRole('heading', { name: 'Dogs' })).toBeInTheDocument();
    expect(screen.getByText(created.timestamp.slice(0, 10))).toHaveAttribute('datetime', created.timestamp);
    expect(screen.queryByRole('button', { name: 'Create group' })).not.toBeInTheDocument();
  });

  it("shows the API's message and keeps the form when the API refuses the group", async () => {
    fetchMock.mockResolvedValueOnce(
      reply(400, { message: 'name is too long: 140 characters, at most 100 allowed. Shorten it.' }),
    );
    renderApp('/groups/new');
    await fillIn('Dogs', 'Pictures of dogs');

    await user.click(screen.getByRole('button', { name: 'Create group' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('name is too long');
    expect(screen.getByLabelText('Name')).toHaveValue('Dogs');
    expect(screen.getByRole('button', { name: 'Create group' })).toBeEnabled();
  });

  it('says the API cannot be reached when the request fails', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    renderApp('/groups/new');
    await fillIn('Dogs', 'Pictures of dogs');

    await user.click(screen.getByRole('button', { name: 'Create group' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(/could not reach the API/i);
  });

  it('is reached from the navigation bar', async () => {
    renderApp('/no-such-page');

    await user.click(screen.getByRole('link', { name: 'New group' }));

    expect(await screen.findByRole('heading', { name: 'New group' })).toBeInTheDocument();
  });
});
