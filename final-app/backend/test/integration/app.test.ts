// The whole app on local-cloud, as a browser uses it: sign in (a token from local-cloud's issuer), create a
// group, upload an image through its presigned URL, see its thumbnail, hear about it over WebSocket, find it
// by search, and delete it; someone else cannot.
import { eventually } from '@serverless-course/test-kit';
import sharp from 'sharp';
import { authorized, Listener, request, startApp, type App } from './support/app';

// Each function's first invocation bundles and starts a sandbox: seconds on a busy machine.
jest.setTimeout(120_000);

let app: App;
let listener: Listener;
let alice: string;
let bob: string;

beforeAll(async () => {
  app = await startApp('app-int');
  alice = app.tokenFor('alice');
  bob = app.tokenFor('bob');
  listener = await Listener.open(app.cloud.platform.services.webSocket!.url);
}, 180_000);

afterAll(async () => {
  await listener?.close();
  await app?.stop();
});

describe('Udagram on local-cloud', () => {
  let groupId: string;
  let imageId: string;
  let thumbnailUrl: string;

  it('tells the app where the WebSocket API and the issuer are', async () => {
    const answer = await request(`${app.api}/config`);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      websocketUrl: app.cloud.platform.services.webSocket!.url,
      auth: {
        issuer: app.cloud.platform.services.identity.issuer,
        clientId: 'udagram-web',
        audience: 'udagram',
      },
    });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('creates a group for a signed-in user, and lists and reads it', async () => {
    const created = await request(`${app.api}/groups`, {
      method: 'POST',
      ...authorized(alice, { name: 'Flowers', description: 'Red ones' }),
    });
    groupId = created.json.id as string;
    const listed = await request(`${app.api}/groups?limit=100`);
    const read = await request(`${app.api}/groups/${groupId}`);

    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Flowers', description: 'Red ones', userId: 'alice' });
    expect(listed.json.items).toContainEqual(created.json);
    expect(read.json).toEqual(created.json);
  });

  it('refuses to create a group without a token (401, with CORS headers for the browser)', async () => {
    const answer = await request(`${app.api}/groups`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Nope' }),
    });

    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ message: 'Unauthorized' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('uploads an image through the presigned URL; the thumbnail appears and every client hears of it', async () => {
    const created = await request(`${app.api}/groups/${groupId}/images`, {
      method: 'POST',
      ...authorized(alice, { title: 'Red flower', contentType: 'image/png' }),
    });
    imageId = (created.json.image as { imageId: string }).imageId;
    const photo = await sharp({ create: { width: 1000, height: 500, channels: 3, background: '#d22' } })
      .png()
      .toBuffer();

    const wrongType = await fetch(created.json.uploadUrl as string, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      body: photo,
    });
    const upload = await fetch(created.json.uploadUrl as string, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/png' },
      body: photo,
    });
    const message = await listener.next(
      (m) => m.type === 'image-uploaded' && (m.image as { imageId: string }).imageId === imageId,
    );
    thumbnailUrl = (message.image as { thumbnailUrl: string }).thumbnailUrl;
    const thumbnail = await fetch(thumbnailUrl);
    const size = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();

    expect(created.status).toBe(201);
    expect(created.json.image).toMatchObject({ status: 'pending', userId: 'alice', groupId });
    expect(wrongType.status).toBe(403);
    expect(upload.status).toBe(200);
    expect(message.image).toMatchObject({ imageId, status: 'uploaded', title: 'Red flower' });
    expect(thumbnail.status).toBe(200);
    expect([thumbnail.headers.get('content-type'), size.width, size.height]).toEqual([
      'image/jpeg',
      320,
      160,
    ]);
  });

  it('lets a browser on another origin upload (the bucket answers the CORS preflight)', async () => {
    const created = await request(`${app.api}/groups/${groupId}/images`, {
      method: 'POST',
      ...authorized(alice, { title: 'Preflight', contentType: 'image/jpeg' }),
    });

    const preflight = await fetch(created.json.uploadUrl as string, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:5173',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type',
      },
    });

    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/127\.0\.0\.1:5173)$/);
  });

  it("lists the group's images newest first, the uploaded one with its thumbnail", async () => {
    const answer = await request(`${app.api}/groups/${groupId}/images`);

    const items = answer.json.items as {
      imageId: string;
      title: string;
      status: string;
      thumbnailUrl?: string;
    }[];
    expect(items.map((image) => image.title)).toEqual(['Preflight', 'Red flower']);
    expect(items[1]).toMatchObject({
      imageId,
      status: 'uploaded',
      thumbnailUrl: expect.any(String) as unknown,
    });
  });

  it('pages through the groups with nextKey', async () => {
    await request(`${app.api}/groups`, { method: 'POST', ...authorized(bob, { name: 'Second' }) });

    const first = await request(`${app.api}/groups?limit=1`);
    const second = await request(`${app.api}/groups?limit=1&nextKey=${first.json.nextKey as string}`);

    const names = [first, second].flatMap((page) =>
      (page.json.items as { name: string }[]).map((g) => g.name),
    );
    expect(names.sort()).toEqual(['Flowers', 'Second']);
  });

  it('finds the image by search once the stream has indexed it', async () => {
    const found = await eventually(
      async () => {
        const answer = await request(`${app.api}/images/search?q=flow`);
        const items = answer.json.items as { imageId: string }[] | undefined;
        expect(items?.map((image) => image.imageId)).toContain(imageId);
        return items;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the image in search results' },
    );

    expect(found).toContainEqual(
      expect.objectContaining({ imageId, title: 'Red flower', status: 'uploaded' }),
    );
  });

  it("refuses to delete someone else's image (403) and deletes nothing", async () => {
    const answer = await request(`${app.api}/images/${imageId}`, { method: 'DELETE', ...authorized(bob) });
    const still = await request(`${app.api}/images/${imageId}`);

    expect(answer.status).toBe(403);
    expect(answer.json.message).toMatch(/belongs to another user/);
    expect(still.status).toBe(200);
  });

  it('deletes its own image: gone from the API, the bucket and search, and every client is told', async () => {
    const answer = await request(`${app.api}/images/${imageId}`, { method: 'DELETE', ...authorized(alice) });
    const read = await request(`${app.api}/images/${imageId}`);
    const message = await listener.next((m) => m.type === 'image-deleted' && m.imageId === imageId);
    const thumbnail = await fetch(thumbnailUrl);
    const searched = await eventually(
      async () => {
        const result = await request(`${app.api}/images/search?q=flower`);
        const items = result.json.items as { imageId: string }[];
        expect(items.map((image) => image.imageId)).not.toContain(imageId);
        return items;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the image gone from search' },
    );

    expect(answer.status).toBe(204);
    expect(read.status).toBe(404);
    expect(message).toEqual({ type: 'image-deleted', imageId });
    expect(thumbnail.status).toBe(404);
    expect(searched).toEqual([]);
  });

  it('answers an unknown route as API Gateway does', async () => {
    const answer = await request(`${app.api}/nowhere`);

    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ message: 'Missing Authentication Token' });
  });
});
