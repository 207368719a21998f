// Identifiers shaped as API Gateway's: what handlers log or echo looks like what they log on AWS.
import { createHash, randomBytes, randomFillSync, randomUUID } from 'node:crypto';

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

/**
 * An API id that stays the same from one start to the next for the same service, stage, region and kind of
 * API, as a deployed API's does: URLs built from it (`https://<id>.execute-api...`) and environments holding it
 * (`Ref: ApiGatewayRestApi`) stay valid, and it is known before the API exists.
 */
export function stableApiId(
  service: { service: string; provider: { stage: string; region: string } },
  kind: string,
): string {
  const digest = createHash('sha256')
    .update(`${service.service}\0${service.provider.stage}\0${service.provider.region}\0${kind}`)
    .digest();
  let id = '';
  for (let i = 0; i < 10; i++) id += LOWER_ALPHANUMERIC[digest[i]! % LOWER_ALPHANUMERIC.length];
  return id;
}

export interface RequestIds {
  /** $context.requestId and the x-amzn-RequestId response header: a UUID. */
  requestId: string;
  /** $context.extendedRequestId and x-amz-apigw-id: 16 characters, `LNk2hEjSoAMEbkQ=`. */
  extendedRequestId: string;
}

// Random bytes for the ids below, drawn in blocks (one randomFillSync per ~180 requests) rather than a random
// UUID made into a string and cut into pieces for each id, on every request: about half the time and far fewer
// short-lived strings.
const RANDOM = Buffer.alloc(4096);
let randomOffset = RANDOM.length;

/** The offset in RANDOM of `length` fresh random bytes. */
function randomBytesAt(length: number): number {
  if (randomOffset + length > RANDOM.length) {
    randomFillSync(RANDOM);
    randomOffset = 0;
  }
  const offset = randomOffset;
  randomOffset += length;
  return offset;
}

export function newRequestIds(): RequestIds {
  const requestId = randomUUID();
  // 11 random bytes in base64: 15 characters and one `=`, the shape of x-amz-apigw-id.
  const offset = randomBytesAt(11);
  return { requestId, extendedRequestId: RANDOM.toString('base64', offset, offset + 11) };
}

/** X-Amzn-Trace-Id as X-Ray writes it: `Root=1-<epoch seconds, hex>-<24 hex digits>`. */
export function newTraceId(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000).toString(16);
  const offset = randomBytesAt(12);
  return `Root=1-${seconds}-${RANDOM.toString('hex', offset, offset + 12)}`;
}
