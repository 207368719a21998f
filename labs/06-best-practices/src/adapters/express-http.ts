// Adapter: an Express 5 server (a container, a VM, a laptop) serving the same app.
import express, { type Express, type Request, type Response } from 'express';
import type { ApiRequest, ImagesApi } from '../app/api-types';

export function expressApp(api: ImagesApi): Express {
  const app = express();
  // The raw text, whatever the content type: the app parses and validates the body itself, as on Lambda.
  app.use(express.text({ type: () => true, limit: '1mb' }));
  app.use((request, response, next) => {
    handleExpress(api, request, response).catch(next);
  });
  return app;
}

export async function handleExpress(api: ImagesApi, request: Request, response: Response): Promise<void> {
  // BEGIN SOLUTION express-adapter
  // TODO(express-adapter): build an ApiRequest from req (method, path, text body) and send the ApiResponse.
  const body: unknown = request.body;
  const apiRequest: ApiRequest = {
    method: request.method.toUpperCase(),
    path: request.path,
    body: typeof body === 'string' && body !== '' ? body : null,
  };
  const result = await api.handle(apiRequest);
  response.status(result.statusCode).set(result.headers).send(result.body);
  // END SOLUTION
}
