// Fakes of what the pages use (the API, sign-in, live events) and a render helper that puts the app at a
// path, so component tests read as a visitor's steps.
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import type { ApiClient } from '../../src/api/api-client';
import type { Group, Image, ImageEvent } from '../../src/api/types';
import { App } from '../../src/app';
import type { Auth, Session } from '../../src/auth/auth';
import type { ImageEventListener, ImageEvents, LiveStatus } from '../../src/live/image-events';

export const alice: Session = { userId: 'alice', name: 'Alice' };

export function aGroup(overrides: Partial<Group> = {}): Group {
  return {
    id: 'g-1',
    name: 'Cats',
    description: 'Photos of cats',
    userId: 'alice',
    timestamp: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

export function anImage(overrides: Partial<Image> = {}): Image {
  return {
    imageId: 'i-1',
    groupId: 'g-1',
    userId: 'alice',
    title: 'Tabby',
    contentType: 'image/png',
    timestamp: '2026-11-20T11:00:00.000Z',
    imageUrl: 'http://s3.local/images/i-1?sig',
    thumbnailUrl: 'http://s3.local/thumbnails/i-1?sig',
    status: 'uploaded',
    ...overrides,
  };
}

/** Every endpoint a jest.fn(): the given implementations, else an empty page, else a failure. */
export function fakeApi(implementations: Partial<ApiClient> = {}): jest.Mocked<ApiClient> {
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected call to ${name}`));
  const empty = () => Promise.resolve({ items: [] });
  return {
    config: jest.fn(implementations.config ?? unexpected('config')),
    listGroups: jest.fn(implementations.listGroups ?? empty),
    createGroup: jest.fn(implementations.createGroup ?? unexpected('createGroup')),
    getGroup: jest.fn(implementations.getGroup ?? unexpected('getGroup')),
    listImages: jest.fn(implementations.listImages ?? empty),
    createImage: jest.fn(implementations.createImage ?? unexpected('createImage')),
    getImage: jest.fn(implementations.getImage ?? unexpected('getImage')),
    deleteImage: jest.fn(implementations.deleteImage ?? unexpected('deleteImage')),
    searchImages: jest.fn(implementations.searchImages ?? empty),
  };
}

export function fakeAuth(session?: Session): jest.Mocked<Auth> {
  return {
    session: jest.fn(() => Promise.resolve(session)),
    accessToken: jest.fn(() => Promise.resolve(session ? 'token' : undefined)),
    signIn: jest.fn((_returnTo: string) => Promise.resolve()),
    completeSignIn: jest.fn(() => Promise.reject(new Error('no sign-in in progress'))),
    signOut: jest.fn(() => Promise.resolve()),
  };
}

export class FakeImageEvents implements ImageEvents {
  private readonly listeners = new Set<ImageEventListener>();
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  private status: LiveStatus = 'live';

  watchStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.status);
    return () => this.statusListeners.delete(listener);
  }

  setStatus(status: LiveStatus): void {
    this.status = status;
    this.statusListeners.forEach((listener) => listener(status));
  }

  subscribe(listener: ImageEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
  }

  emit(event: ImageEvent): void {
    this.listeners.forEach((listener) => listener(event));
  }
}

function ShowLocation() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

export function renderApp(
  path: string,
  services: { api?: jest.Mocked<ApiClient>; auth?: jest.Mocked<Auth>; events?: FakeImageEvents } = {},
) {
  const api = services.api ?? fakeApi();
  const auth = services.auth ?? fakeAuth();
  const events = services.events ?? new FakeImageEvents();
  const user = userEvent.setup();
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <App services={{ api, auth, events }} />
      <ShowLocation />
    </MemoryRouter>,
  );
  return { ...view, user, api, auth, events, location: () => view.getByTestId('location').textContent };
}
