// Identifiers shaped as API Gateway's: what handlers log or echo looks like what they log on AWS.
import { randomBytes, randomUUID } from 'node:crypto';

const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `a1b2c3d4e5`: the shape of REST API ids (10 characters) and resource ids (6). */
export function randomLowerAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += LOWER_ALPHANUMERIC[byte % LOWER_ALPHANUMERIC.length];
  return id;
}

export function generateApiId(): string {
  return randomLowerAlphanumeric(10);
}

export const API_ID_PATTERN = /^[a-z0-9]{10}$/;

export interface RequestIds {
  /** $context.requestId and the x-amzn-RequestId response header: a UUID. */
  requestId: string;
  /** $context.extendedRequestId and x-amz-apigw-id: 16 characters, `LNk2hEjSoAMEbkQ=`. */
  extendedRequestId: string;
}

export function newRequestIds(): RequestIds {
  const requestId = randomUUID();
  // A second UUID's random bits are cheaper than another randomBytes call on the request path.
  const extendedRequestId = Buffer.from(randomUUID().replaceAll('-', '').slice(0, 22), 'hex').toString(
    'base64',
  );
  return { requestId, extendedRequestId };
}

/** X-Amzn-Trace-Id as X-Ray writes it: `Root=1-<epoch seconds, hex>-<24 hex digits>`. */
export function newTraceId(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000).toString(16);
  return `Root=1-${seconds}-${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}
