// Input validation at the edge of the core: every adapter hands the raw body here, so no route can skip it.
// A rule broken gives a ValidationError (400) saying what is wrong and how to fix it.
import { ValidationError } from './errors';
import type { NewImage } from './image';

export const MAX_TITLE_LENGTH = 100;
/** Browsers and CDNs handle URLs up to about 2,000 characters reliably. */
export const MAX_URL_LENGTH = 2048;
/** Group and image ids: what the app generates, and nothing a key condition or a log line could misread. */
export const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

export function validateNewImage(body: unknown): NewImage {
  // BEGIN SOLUTION validate-input
  // TODO(validate-input): accept only { title, imageUrl } with a 1-100 character title and an http(s) URL.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError(
      'The body must be a JSON object. Send {"title": "...", "imageUrl": "https://..."}.',
    );
  }
  const { title, imageUrl, ...rest } = body as Record<string, unknown>;
  const unknownFields = Object.keys(rest);
  if (unknownFields.length > 0) {
    throw new ValidationError(`Unknown field(s) ${unknownFields.join(', ')}. Send only title and imageUrl.`);
  }
  if (typeof title !== 'string' || title.trim() === '' || title.length > MAX_TITLE_LENGTH) {
    throw new ValidationError(
      `title must be a non-empty string of at most ${MAX_TITLE_LENGTH} characters. Give the image a short title.`,
    );
  }
  if (typeof imageUrl !== 'string' || imageUrl.length > MAX_URL_LENGTH || !isHttpUrl(imageUrl)) {
    throw new ValidationError(
      `imageUrl must be an http or https URL of at most ${MAX_URL_LENGTH} characters. Give the full address of the image.`,
    );
  }
  return { title: title.trim(), imageUrl };
  // END SOLUTION
}

export function validateId(value: string | undefined, name: string): string {
  // BEGIN SOLUTION validate-input
  // TODO(validate-input): accept ids matching ID_PATTERN only.
  if (value === undefined || !ID_PATTERN.test(value)) {
    throw new ValidationError(
      `${name} must be 1 to 64 letters, digits or dashes. Use the id the API returned.`,
    );
  }
  return value;
  // END SOLUTION
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
