// The percent-decoding of request paths, for the servers that read names out of them (S3 keys, Lambda
// function names, WebSocket connection ids). A malformed escape (a lone `%`, `%zz`, or `%E0%A4%A`, which is
// not UTF-8) makes decodeURIComponent throw a URIError; every server checks with this instead, so such a URL
// gets a 400 in the service's own format rather than a 500 carrying the URIError's stack.

/** The path of a request target, without its query string, still encoded. */
export function pathOf(url: string): string {
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : url.slice(0, queryAt);
}

/** `text` percent-decoded, or undefined when an escape in it is malformed. */
export function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** What a 400 for a malformed URL says, whichever service answers it. */
export const MALFORMED_URL_MESSAGE =
  'The request URL has a malformed percent-escape: every % must start a %XX escape of UTF-8 bytes. ' +
  'Encode names with encodeURIComponent, or let the AWS SDK build the URL.';
