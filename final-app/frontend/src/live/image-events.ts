// Live updates: one WebSocket to the API's WebSocket endpoint, reconnected with a growing delay when it
// drops (API Gateway closes idle connections after 10 minutes), so a page left open keeps receiving.
import type { Image, ImageEvent } from '../api/types';

export type ImageEventListener = (event: ImageEvent) => void;

/** Shown to the user, so they know whether the page updates itself. */
export type LiveStatus = 'connecting' | 'live' | 'offline';

export interface ImageEvents {
  subscribe: (listener: ImageEventListener) => () => void;
  /** Calls the listener with the current status at once, then on every change. */
  watchStatus: (listener: (status: LiveStatus) => void) => () => void;
  close: () => void;
}

export interface ImageEventsOptions {
  url: string;
  createSocket?: (url: string) => WebSocket;
  /** First reconnection delay, doubled each failed attempt up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export function connectImageEvents(options: ImageEventsOptions): ImageEvents {
  const createSocket = options.createSocket ?? ((url) => new WebSocket(url));
  const initialDelay = options.initialDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const listeners = new Set<ImageEventListener>();
  const statusListeners = new Set<(status: LiveStatus) => void>();
  let status: LiveStatus = 'connecting';
  const setStatus = (next: LiveStatus) => {
    status = next;
    statusListeners.forEach((listener) => listener(next));
  };
  let socket: WebSocket | undefined;
  let delay = initialDelay;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const open = () => {
    socket = createSocket(options.url);
    socket.addEventListener('open', () => {
      delay = initialDelay;
      setStatus('live');
    });
    socket.addEventListener('message', (message: MessageEvent) => {
      const event = parseEvent(message.data);
      if (event) listeners.forEach((listener) => listener(event));
    });
    socket.addEventListener('close', () => {
      if (closed) return;
      setStatus('offline');
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, maxDelay);
    });
  };
  open();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watchStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}

/** Anything else the socket receives (another app's messages, malformed JSON) is ignored. */
export function parseEvent(data: unknown): ImageEvent | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as { type?: unknown; image?: unknown; imageId?: unknown };
  if (event.type === 'image-uploaded' && isImage(event.image))
    return { type: 'image-uploaded', image: event.image };
  if (event.type === 'image-deleted' && typeof event.imageId === 'string') {
    return { type: 'image-deleted', imageId: event.imageId };
  }
  return undefined;
}

function isImage(value: unknown): value is Image {
  if (typeof value !== 'object' || value === null) return false;
  const image = value as Record<string, unknown>;
  return (
    typeof image.imageId === 'string' &&
    typeof image.groupId === 'string' &&
    typeof image.imageUrl === 'string'
  );
}
