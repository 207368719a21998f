// The request body of a proxy event: a string (or null), base64-encoded only for binary media types.
import { ValidationError } from '../errors';

/** Parses a JSON request body, or throws a ValidationError (400) that says what is wrong. */
export function parseJsonBody(body: string | null, isBase64Encoded: boolean): unknown {
  // BEGIN SOLUTION create-group
  // TODO(create-group): refuse a missing body and text that is not JSON with a ValidationError.
  if (body === null || body === '') {
    throw new ValidationError(
      'The request has no body. Send a JSON object such as {"name": "Dogs", "description": "Pictures of dogs"}.',
    );
  }
  const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError(
      'The body is not valid JSON. Check its quotes and commas, and send it with Content-Type: application/json.',
    );
  }
  // END SOLUTION
}
