import { uploadFile, UploadError } from '../src/api/upload';
import { connectImageEvents, parseEvent, type LiveStatus } from '../src/live/image-events';
import { FakeXhr } from './support/fake-xhr';

class FakeSocket extends EventTarget {
  closed = false;

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.dispatchEvent(new Event('open'));
  }

  receive(data: unknown): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data }));
  }

  drop(): void {
    this.dispatchEvent(new Event('close'));
  }
}

describe('live image events', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function connect() {
    const sockets: FakeSocket[] = [];
    const events = connectImageEvents({
      url: 'ws://127.0.0.1:3002/dev',
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket as unknown as WebSocket;
      },
      initialDelayMs: 100,
      maxDelayMs: 300,
    });
    return { events, sockets };
  }

  it('hands every well-formed event to the subscribers, and nothing else', () => {
    const { events, sockets } = connect();
    const received: unknown[] = [];
    events.subscribe((event) => received.push(event));

    sockets[0]?.receive('{"type":"image-deleted","imageId":"i-1"}');
    sockets[0]?.receive('not json');
    sockets[0]?.receive('{"type":"something-else"}');

    expect(received).toEqual([{ type: 'image-deleted', imageId: 'i-1' }]);
    events.close();
  });

  it('reconnects after a drop, waiting longer each time up to the maximum, and reports its status', () => {
    const { events, sockets } = connect();
    const statuses: LiveStatus[] = [];
    events.watchStatus((status) => statuses.push(status));

    sockets[0]?.open();
    sockets[0]?.drop();
    jest.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1]?.drop();
    jest.advanceTimersByTime(200);
    sockets[2]?.drop();
    jest.advanceTimersByTime(300);
    sockets[3]?.open();

    expect(sockets).toHaveLength(4);
    expect(statuses).toEqual(['connecting', 'live', 'offline', 'offline', 'offline', 'live']);
    events.close();
  });

  it('stops for good when closed', () => {
    const { events, sockets } = connect();

    events.close();
    sockets[0]?.drop();
    jest.advanceTimersByTime(10_000);

    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.closed).toBe(true);
  });

  it('accepts an image-uploaded event only with an image in it', () => {
    const image = { imageId: 'i-1', groupId: 'g-1', imageUrl: 'http://x' };

    expect(parseEvent(JSON.stringify({ type: 'image-uploaded', image }))).toEqual({
      type: 'image-uploaded',
      image,
    });
    expect(parseEvent(JSON.stringify({ type: 'image-uploaded', image: { imageId: 1 } }))).toBeUndefined();
    expect(parseEvent(new ArrayBuffer(2))).toBeUndefined();
  });
});

describe('uploading a file to its presigned URL', () => {
  const file = new Blob(['png bytes'], { type: 'image/png' });

  it('PUTs the file with the signed Content-Type and reports the progress', async () => {
    const xhr = new FakeXhr();
    const progress: number[] = [];

    const upload = uploadFile({
      url: 'http://s3/put?sig',
      file,
      contentType: 'image/png',
      onProgress: (fraction) => progress.push(fraction),
      createRequest: () => xhr.asRequest(),
    });
    xhr.progress(3, 12);
    xhr.respond(200);
    await upload;

    expect(xhr).toMatchObject({
      method: 'PUT',
      url: 'http://s3/put?sig',
      headers: { 'Content-Type': 'image/png' },
    });
    expect(xhr.body).toBe(file);
    expect(progress).toEqual([0.25, 1]);
  });

  it.each([
    ['a 403', (xhr: FakeXhr) => xhr.respond(403), 'The upload link was refused or has expired (HTTP 403).'],
    ['a 500', (xhr: FakeXhr) => xhr.respond(500), 'The storage refused the upload (HTTP 500). Try again.'],
    ['a network error', (xhr: FakeXhr) => xhr.fail(), 'The upload failed: the storage could not be reached.'],
  ])('fails with what to do on %s', async (_case, outcome, message) => {
    const xhr = new FakeXhr();

    const upload = uploadFile({
      url: 'u',
      file,
      contentType: 'image/png',
      createRequest: () => xhr.asRequest(),
    });
    outcome(xhr);

    await expect(upload).rejects.toThrow(UploadError);
    await expect(upload).rejects.toThrow(message);
  });

  it('aborts when its signal does', async () => {
    const xhr = new FakeXhr();
    const controller = new AbortController();

    const upload = uploadFile({
      url: 'u',
      file,
      contentType: 'image/png',
      signal: controller.signal,
      createRequest: () => xhr.asRequest(),
    });
    controller.abort();

    await expect(upload).rejects.toThrow('The upload was cancelled.');
  });
});
