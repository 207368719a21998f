// Identifiers shaped as a WebSocket API's: connection ids (`XDmENcnwIE0CFEQ=`) and the request and message
// ids of its events (`XDmGEE2RoE0FRdQ=`) are 16 characters, URL-safe base64 ending in `=`. Handlers that
// store or validate them see what they see on AWS, and the `=` exercises the SDK's path encoding.
import { randomBytes } from 'node:crypto';

/** Bytes drawn at once and handed out 11 at a time: one `randomBytes` call per connection would dominate. */
const POOL_BYTES = 11 * 256;
let pool = Buffer.alloc(0);
let poolOffset = POOL_BYTES;

function nextId(): string {
  if (poolOffset + 11 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const id = `${pool.toString('base64url', poolOffset, poolOffset + 11)}=`;
  poolOffset += 11;
  return id;
}

export function newConnectionId(): string {
  return nextId();
}

/** requestContext.requestId, extendedRequestId and messageId. */
export function newEventId(): string {
  return nextId();
}
