import { createHmac } from 'node:crypto';

/** How long a client has to upload the image's file after creating the image. */
export const UPLOAD_TICKET_TTL_SECONDS = 15 * 60;

/**
 * An upload ticket: `<expires>.<HMAC-SHA256 of imageId, userId and expires>`, signed with the key kept in
 * Secrets Manager. The upload service (Lab 04's) checks it with the same key, without a database read, and
 * nobody without the key can make one.
 */
export function uploadTicket(key: string, imageId: string, userId: string, nowSeconds: number): string {
  const expires = nowSeconds + UPLOAD_TICKET_TTL_SECONDS;
  const signature = createHmac('sha256', key).update(`${imageId}\n${userId}\n${expires}`).digest('base64url');
  return `${expires}.${signature}`;
}
