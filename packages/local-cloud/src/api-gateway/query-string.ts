// Query strings as API Gateway hands them to Lambda: URL-decoded (`+` is a space), the single-value map
// keeping the last value of a repeated parameter, and for REST APIs `;` splitting parameters like `&` (a
// documented REST API quirk; HTTP APIs split on `&` only).

export interface QueryParameters {
  single: Record<string, string>;
  multi: Record<string, string[]>;
}

function decode(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A malformed escape (`%zz`) is passed on as sent rather than failing the request.
    return spaced;
  }
}

const REST_SEPARATORS = /[&;]/;

/**
 * Null when the request has no parameters: absent maps are null in the event, not `{}`.
 * @param separators `&` and `;` for REST APIs (the default), `&` alone for HTTP APIs.
 */
export function parseQueryString(
  rawQuery: string | undefined,
  separators: RegExp | string = REST_SEPARATORS,
): QueryParameters | null {
  if (!rawQuery) return null;
  let result: QueryParameters | null = null;
  for (const part of rawQuery.split(separators)) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = decode(equals === -1 ? part : part.slice(0, equals));
    if (name === '') continue;
    const value = equals === -1 ? '' : decode(part.slice(equals + 1));
    // Null-prototype maps: a parameter named `__proto__` is data, not a prototype.
    result ??= {
      single: Object.create(null) as Record<string, string>,
      multi: Object.create(null) as Record<string, string[]>,
    };
    result.single[name] = value;
    const values = result.multi[name];
    if (values) values.push(value);
    else result.multi[name] = [value];
  }
  return result;
}
