// Routes an ApiRequest to a use case and turns its result or error into an ApiResponse. Written once, shared
// by every adapter: a bug fixed here is fixed on every cloud.
import { HttpError, MethodNotAllowedError, NotFoundError, ValidationError } from '../core/errors';
import { createImage, getImage, listImages } from '../core/images-service';
import type { ImagesDependencies } from '../core/ports';
import { validateId } from '../core/validate-new-image';
import type { ApiRequest, ApiResponse, ImagesApi } from './api-types';

const IMAGES_PATH = /^\/groups\/([^/]+)\/images(?:\/([^/]+))?\/?$/;

export function createImagesApi(deps: ImagesDependencies): ImagesApi {
  return {
    handle: async (request) => {
      try {
        return await route(deps, request);
      } catch (error) {
        return errorResponse(error);
      }
    },
  };
}

async function route(deps: ImagesDependencies, request: ApiRequest): Promise<ApiResponse> {
  const match = IMAGES_PATH.exec(request.path);
  if (!match) {
    throw new NotFoundError(
      `No route for ${request.path}. Use /groups/{groupId}/images or /groups/{groupId}/images/{imageId}.`,
    );
  }
  const groupId = validateId(decodeURIComponent(match[1] ?? ''), 'groupId');
  const imageId = match[2] === undefined ? undefined : validateId(decodeURIComponent(match[2]), 'imageId');
  if (imageId !== undefined) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method, 'GET');
    return json(200, await getImage(deps, groupId, imageId));
  }
  if (request.method === 'GET') return json(200, { items: await listImages(deps, groupId) });
  if (request.method === 'POST') return json(201, await createImage(deps, groupId, parseBody(request.body)));
  throw methodNotAllowed(request.method, 'GET or POST');
}

function parseBody(body: string | null): unknown {
  if (body === null || body === '') {
    throw new ValidationError('The request has no body. Send {"title": "...", "imageUrl": "https://..."}.');
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ValidationError(
      'The body is not valid JSON. Check quotes and commas, or send it with JSON.stringify.',
    );
  }
}

function methodNotAllowed(method: string, allowed: string): MethodNotAllowedError {
  return new MethodNotAllowedError(`${method} is not allowed here. Use ${allowed}.`);
}

export function json(statusCode: number, value: unknown): ApiResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function errorResponse(error: unknown): ApiResponse {
  if (error instanceof HttpError) return json(error.statusCode, { message: error.message });
  // The detail goes to the log, never to the client: it may name tables, hosts or stack frames.
  console.error('unexpected error', error);
  return json(500, { message: 'Internal error. Try again; if it persists, check the function log.' });
}
