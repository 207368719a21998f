// The integration cases, written once. Each run supplies a way to send a request (to the handler directly,
// or over HTTP to local-cloud) and gets the same expectations: the two runs cannot drift apart.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentResponse {
  status: number;
  body: unknown;
}

export type Transport = (method: string, path: string, body?: unknown) => Promise<SentResponse>;

/**
 * An image host for the probe: HEAD /cat.jpg is an image, /page.html is not. Handlers reach it on 127.0.0.1,
 * from this process or from a local-cloud sandbox alike.
 */
export async function startImageHost(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const type =
      request.url === '/cat.jpg' ? 'image/jpeg' : request.url === '/page.html' ? 'text/html' : undefined;
    response.writeHead(type ? 200 : 404, type ? { 'content-type': type } : {}).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Declares the contract's tests; `context` is read when the tests run (after beforeAll). */
export function describeImagesContract(
  title: string,
  context: () => { send: Transport; imageHost: string },
): void {
  describe(title, () => {
    // Unique per run: local-cloud's table outlives a single test.
    const groupId = `g-${randomUUID().slice(0, 8)}`;

    it('creates an image, then reads it back and finds it in its group', async () => {
      const { send, imageHost } = context();

      const created = await send('POST', `/groups/${groupId}/images`, {
        title: 'Cat',
        imageUrl: `${imageHost}/cat.jpg`,
      });
      const { imageId } = created.body as { imageId: string };
      const read = await send('GET', `/groups/${groupId}/images/${imageId}`);
      const listed = await send('GET', `/groups/${groupId}/images`);

      expect(created.status).toBe(201);
      expect(read).toEqual({ status: 200, body: created.body });
      expect(listed).toEqual({ status: 200, body: { items: [created.body] } });
    });

    it('answers 404 with a message for an image that does not exist', async () => {
      const { send } = context();

      const response = await send('GET', `/groups/${groupId}/images/nothing-here`);

      expect(response).toEqual({
        status: 404,
        body: { message: expect.stringContaining(`Group ${groupId} has no image nothing-here.`) as unknown },
      });
    });

    it('refuses an invalid body with 400 before touching the table', async () => {
      const { send, imageHost } = context();

      const response = await send('POST', `/groups/${groupId}/images`, { imageUrl: `${imageHost}/cat.jpg` });

      expect(response).toEqual({
        status: 400,
        body: { message: expect.stringMatching(/^title must be/) as unknown },
      });
    });

    it('refuses a URL that serves a web page, not an image', async () => {
      const { send, imageHost } = context();

      const response = await send('POST', `/groups/${groupId}/images`, {
        title: 'Page',
        imageUrl: `${imageHost}/page.html`,
      });

      expect(response).toEqual({
        status: 400,
        body: { message: expect.stringMatching(/^imageUrl serves text\/html, not an image\./) as unknown },
      });
    });
  });
}
