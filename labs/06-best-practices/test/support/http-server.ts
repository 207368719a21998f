// Serves a request listener on a free port for one request, then closes it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CaseRequest, CaseResponse } from '../adapters/api-cases';

export async function sendOnce(
  listener: http.RequestListener,
  request: CaseRequest,
  contentType = 'application/json',
): Promise<CaseResponse> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
      method: request.method,
      headers: request.body === undefined ? {} : { 'content-type': contentType },
      body: request.body,
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? undefined,
      body: await response.json(),
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
