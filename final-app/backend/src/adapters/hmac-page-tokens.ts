// `nextKey` tokens: the storage cursor as URL-safe base64 JSON, followed by an HMAC-SHA256 of it under a
// secret key. Clients cannot forge or alter a cursor (it would steer scans into other keys), and a
// corrupted token is a 400 instead of a DynamoDB error.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../core/errors';
import type { Cursor } from '../core/model';
import type { PageTokens } from '../core/ports';

export class HmacPageTokens implements PageTokens {
  constructor(private readonly secretKey: string) {}

  encode(cursor: Cursor): string {
    const payload = Buffer.from(JSON.stringify(cursor)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  decode(token: string): Cursor {
    const [payload = '', signature = '', ...rest] = token.split('.');
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw invalidToken();
    }
    const cursor: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor)) throw invalidToken();
    return cursor as Cursor;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secretKey).update(payload).digest('base64url');
  }
}

function invalidToken(): ValidationError {
  return new ValidationError(
    'nextKey is not a key this API gave out. Send back the nextKey of the previous page unchanged, or leave it out for the first page',
  );
}
