// Adapter: the Google Cloud Functions HTTP signature, (req, res) with Express objects. The Functions Framework
// parses JSON bodies before the function runs and keeps the bytes in req.rawBody.
import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import type { ImagesApi } from '../app/api-types';

export function gcpHandler(api: ImagesApi): HttpFunction {
  return (request, response) => handleGcp(api, request, response);
}

export async function handleGcp(api: ImagesApi, request: Request, response: Response): Promise<void> {
  // BEGIN SOLUTION cloud-adapters
  // TODO(cloud-adapters): use req.rawBody (the bytes as sent) when present, then answer with res.status().
  const raw = request.rawBody?.toString('utf8');
  const result = await api.handle({
    method: request.method.toUpperCase(),
    path: request.path,
    body: raw === undefined || raw === '' ? null : raw,
  });
  response.status(result.statusCode).set(result.headers).send(result.body);
  // END SOLUTION
}
