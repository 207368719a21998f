// The function's result → the HTTP response, with the checks API Gateway makes before it calls the result
// "Malformed Lambda proxy response" and answers 502. The course's AWS reference
// (docs/reference/aws-behaviour.md#proxy-integration-response) makes statusCode required: a result without
// one is malformed, as are any other top-level field, a non-string body, a non-numeric statusCode and a
// non-list multiValueHeaders entry. (Some responses recorded from AWS suggest a missing statusCode may be
// taken as 200; the reference rules.)
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { gatewayResponses, type GatewayResponse } from './errors/gateway-responses';

const FIELDS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/** Response headers API Gateway renames rather than pass on (they would corrupt its own framing). */
const REMAPPED: ReadonlyMap<string, string> = new Map([
  ['connection', 'x-amzn-Remapped-Connection'],
  ['content-length', 'x-amzn-Remapped-Content-Length'],
  ['date', 'x-amzn-Remapped-Date'],
  ['server', 'x-amzn-Remapped-Server'],
]);
const DROPPED = new Set(['transfer-encoding']);

/** Base64 as API Gateway decodes it: the standard alphabet, padded, nothing else. */
export const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface ProxyResponse {
  statusCode: number;
  /** Flat name, value list, as ServerResponse.writeHead takes it: repeated names (Set-Cookie) survive. */
  headers: string[];
  /** Lower-case names present in `headers`, to fill in defaults. */
  headerNames: Set<string>;
  body: Buffer;
}

export type ProxyResponseOutcome =
  { ok: true; response: ProxyResponse } | { ok: false; problem: string; gatewayResponse: GatewayResponse };

const SHAPE =
  "return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) }";

function malformed(problem: string): ProxyResponseOutcome {
  return {
    ok: false,
    problem: `Execution failed due to configuration error: Malformed Lambda proxy response: ${problem}. Fix: ${SHAPE}`,
    gatewayResponse: gatewayResponses.integrationFailed,
  };
}

/** A value as a log line names it: `an object`, `the string "abc"`, `null`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value === 'object' || typeof value === 'undefined'
    ? `an ${typeof value}`
    : `a ${typeof value}`;
}

/** A header value as API Gateway reads it from a proxy response; undefined when it is not one. */
export function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // API Gateway reads header values as strings and converts booleans and numbers (recorded: `true` → "true").
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return undefined;
}

/** Whether Node (and so HTTP) accepts the header as it is. */
export function validHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * @param payload the function's result as JSON text, as Lambda returns it.
 * @param decodeBinary whether an `isBase64Encoded` body goes out as bytes: only when the request's first
 *   Accept type is one of the API's binary media types; otherwise the base64 text itself is the body.
 */
export function parseProxyResponse(payload: string, decodeBinary: boolean): ProxyResponseOutcome {
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    return malformed('the result is not JSON');
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    return malformed(`the function returned ${describe(result)}, not an object`);
  }
  const fields = result as Record<string, unknown>;
  const unexpected = Object.keys(fields).filter((key) => !FIELDS.has(key));
  if (unexpected.length > 0) {
    return malformed(
      `unexpected field${unexpected.length > 1 ? 's' : ''} ${unexpected.join(', ')}; only statusCode, headers, ` +
        'multiValueHeaders, body and isBase64Encoded are allowed',
    );
  }

  const raw = fields.statusCode;
  if (raw === undefined || raw === null) {
    return malformed(
      'statusCode is missing; return an HTTP status code such as { statusCode: 200, body: "..." }',
    );
  }
  const statusCode =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return malformed(`statusCode is ${JSON.stringify(raw)}; it must be an HTTP status code such as 200`);
  }

  const body = fields.body;
  if (body !== undefined && body !== null && typeof body !== 'string') {
    return malformed(`body is ${describe(body)}; it must be a string (JSON.stringify objects)`);
  }
  const isBase64Encoded = fields.isBase64Encoded;
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean') {
    return malformed(`isBase64Encoded is ${describe(isBase64Encoded)}; it must be true or false`);
  }

  const merged = mergeHeaders(fields.headers, fields.multiValueHeaders);
  if (typeof merged === 'string') return malformed(merged);

  let bytes: Buffer;
  const text = body ?? '';
  if (isBase64Encoded === true && decodeBinary) {
    if (!STRICT_BASE64.test(text)) {
      return {
        ok: false,
        problem:
          'Execution failed due to configuration error: isBase64Encoded is true but the body is not valid ' +
          'base64. Fix: return Buffer.from(data).toString("base64") as the body.',
        gatewayResponse: gatewayResponses.apiConfigurationError,
      };
    }
    bytes = Buffer.from(text, 'base64');
  } else {
    bytes = Buffer.from(text, 'utf8');
  }
  return {
    ok: true,
    response: { statusCode, headers: merged.headers, headerNames: merged.names, body: bytes },
  };
}

/**
 * `headers` and `multiValueHeaders` together: where both name a header (in any letter case), only the
 * multi-value list goes out, as API Gateway documents. Returns a problem description when malformed.
 */
function mergeHeaders(
  headers: unknown,
  multiValueHeaders: unknown,
): { headers: string[]; names: Set<string> } | string {
  const out: string[] = [];
  const names = new Set<string>();

  const multiNames = new Set<string>();
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (typeof multiValueHeaders !== 'object' || Array.isArray(multiValueHeaders)) {
      return `multiValueHeaders is ${describe(multiValueHeaders)}; it must be an object of string lists`;
    }
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (values === null) continue;
      if (!Array.isArray(values)) {
        return `multiValueHeaders.${name} is ${describe(values)}; it must be a list, such as ["a", "b"]`;
      }
      multiNames.add(name.toLowerCase());
      for (const value of values) {
        const text = headerText(value);
        if (text === undefined) return `multiValueHeaders.${name} holds ${describe(value)}; use strings`;
        const problem = addHeader(out, names, name, text);
        if (problem) return problem;
      }
    }
  }
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object' || Array.isArray(headers)) {
      return `headers is ${describe(headers)}; it must be an object of strings`;
    }
    for (const [name, value] of Object.entries(headers)) {
      if (value === null || multiNames.has(name.toLowerCase())) continue;
      const text = headerText(value);
      if (text === undefined) return `headers.${name} is ${describe(value)}; it must be a string`;
      const problem = addHeader(out, names, name, text);
      if (problem) return problem;
    }
  }
  return { headers: out, names };
}

/**
 * One header into `out` (name, value pairs) and `names` (lower case), renamed or dropped as API Gateway does;
 * a problem description when it is invalid. A module function rather than a closure made on every response:
 * under tsx each named closure also costs a call that names it, measurable on the hot path.
 */
function addHeader(out: string[], names: Set<string>, name: string, value: string): string | undefined {
  const lower = name.toLowerCase();
  if (DROPPED.has(lower)) return undefined;
  const sentName = REMAPPED.get(lower) ?? name;
  if (!validHeader(sentName, value)) return `the header ${JSON.stringify(name)} has an invalid name or value`;
  out.push(sentName, value);
  names.add(sentName.toLowerCase());
  return undefined;
}
