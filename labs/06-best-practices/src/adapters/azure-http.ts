// Adapter: the Azure Functions v4 HTTP trigger signature, (request, context) => HttpResponseInit.
import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { ImagesApi } from '../app/api-types';

/** Azure Functions serves HTTP triggers under /api unless host.json changes routePrefix. */
export const AZURE_ROUTE_PREFIX = '/api';

export function azureHandler(api: ImagesApi): HttpHandler {
  return (request) => handleAzure(api, request);
}

export async function handleAzure(api: ImagesApi, request: HttpRequest): Promise<HttpResponseInit> {
  // BEGIN SOLUTION cloud-adapters
  // TODO(cloud-adapters): read the path from request.url without the /api prefix, the body with request.text().
  const pathname = new URL(request.url).pathname;
  const path = pathname.startsWith(AZURE_ROUTE_PREFIX) ? pathname.slice(AZURE_ROUTE_PREFIX.length) : pathname;
  const text = await request.text();
  const result = await api.handle({
    method: request.method.toUpperCase(),
    path,
    body: text === '' ? null : text,
  });
  return { status: result.statusCode, headers: result.headers, body: result.body };
  // END SOLUTION
}
