// Media types as API Gateway compares them: the type and subtype of a Content-Type or Accept value, without
// parameters, matched against `provider.apiGateway.binaryMediaTypes`, where `*` is a wildcard.

/** `application/json; charset=utf-8` → `application/json`; absent → undefined. */
export function mediaTypeOf(headerValue: string | undefined): string | undefined {
  if (headerValue === undefined) return undefined;
  const semicolon = headerValue.indexOf(';');
  const type = (semicolon === -1 ? headerValue : headerValue.slice(0, semicolon)).trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** The first media type of an Accept header: API Gateway decides on binary responses from it alone. */
export function firstAcceptedMediaType(accept: string | undefined): string | undefined {
  if (accept === undefined) return undefined;
  const comma = accept.indexOf(',');
  return mediaTypeOf(comma === -1 ? accept : accept.slice(0, comma));
}

export interface BinaryMediaTypes {
  /** True when the media type is one of the API's binary media types. */
  matches(mediaType: string | undefined): boolean;
  /** `*\/*` is configured: every payload is binary, whatever its type (or lack of one). */
  readonly all: boolean;
}

export function compileBinaryMediaTypes(patterns: readonly string[]): BinaryMediaTypes {
  const all = patterns.some((pattern) => pattern.trim() === '*/*');
  if (patterns.length === 0) return { all, matches: () => false };
  const alternatives = patterns.map((pattern) =>
    pattern
      .trim()
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('[^,;]*'),
  );
  const regex = new RegExp(`^(?:${alternatives.join('|')})$`);
  return { all, matches: (mediaType) => all || (mediaType !== undefined && regex.test(mediaType)) };
}
