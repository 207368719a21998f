// The function's result → the HTTP response, by the integration's payload format
// (http-api-develop-integrations-lambda, "Lambda function response format"):
//   2.0  a result with `statusCode` is the response: `headers` (one value each, commas for several), `cookies`
//        (one Set-Cookie each), `body`, `isBase64Encoded` (decoded whatever the client accepts: HTTP APIs
//        have no binary media types). A result without `statusCode` is the body of a 200 with
//        content-type application/json: a string as it is, anything else as the JSON Lambda returned.
//   1.0  the REST API's proxy response, checked as a REST API checks it; a base64 body is always decoded.
// A result the gateway cannot use is a `500 {"message":"Internal Server Error"}`, with the reason logged.
import {
  describe,
  headerText,
  parseProxyResponse,
  STRICT_BASE64,
  validHeader,
} from '../api-gateway/proxy-response';
import { isRecord } from '../common/records';
import type { PayloadVersion } from './api-config';

export interface HttpApiResponse {
  statusCode: number;
  /** Flat name, value list: repeated names (Set-Cookie) survive. */
  headers: string[];
  body: Buffer;
}

export type ResponseOutcome = { ok: true; response: HttpApiResponse } | { ok: false; problem: string };

/** Headers the gateway sets itself: a function's would corrupt the framing. */
const DROPPED = new Set(['connection', 'content-length', 'transfer-encoding']);

const SHAPE =
  "return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) }";

export function parseResponse(payload: string, version: PayloadVersion): ResponseOutcome {
  if (version === '1.0') {
    const parsed = parseProxyResponse(payload, true);
    return parsed.ok ? { ok: true, response: parsed.response } : { ok: false, problem: parsed.problem };
  }
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    return malformed('the result is not JSON');
  }
  if (!isRecord(result) || result.statusCode === undefined || result.statusCode === null) {
    // The documented inference: the result is the body of a 200 JSON response.
    const body = typeof result === 'string' ? result : payload;
    return {
      ok: true,
      response: { statusCode: 200, headers: ['content-type', 'application/json'], body: Buffer.from(body) },
    };
  }
  return structuredResponse(result);
}

function structuredResponse(result: Record<string, unknown>): ResponseOutcome {
  const raw = result.statusCode;
  const statusCode =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return malformed(`statusCode is ${JSON.stringify(raw)}; it must be an HTTP status code such as 200`);
  }
  const { body, isBase64Encoded } = result;
  if (body !== undefined && body !== null && typeof body !== 'string') {
    return malformed(`body is ${describe(body)}; it must be a string (JSON.stringify objects)`);
  }
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean') {
    return malformed(`isBase64Encoded is ${describe(isBase64Encoded)}; it must be true or false`);
  }
  const headers: string[] = [];
  if (result.headers !== undefined && result.headers !== null) {
    if (!isRecord(result.headers))
      return malformed(`headers is ${describe(result.headers)}; it must be an object of strings`);
    for (const [name, value] of Object.entries(result.headers)) {
      if (value === null || DROPPED.has(name.toLowerCase())) continue;
      const text = headerText(value);
      if (text === undefined || !validHeader(name, text)) {
        return malformed(`the header ${JSON.stringify(name)} has an invalid name or value`);
      }
      headers.push(name, text);
    }
  }
  if (result.cookies !== undefined && result.cookies !== null) {
    const { cookies } = result;
    if (
      !Array.isArray(cookies) ||
      !cookies.every((cookie) => typeof cookie === 'string' && validHeader('set-cookie', cookie))
    ) {
      return malformed(
        `cookies is ${describe(cookies)}; it must be a list of Set-Cookie values, such as ["session=1; HttpOnly"]`,
      );
    }
    for (const cookie of cookies as string[]) headers.push('set-cookie', cookie);
  }
  const text = body ?? '';
  if (isBase64Encoded === true && !STRICT_BASE64.test(text)) {
    return malformed(
      'isBase64Encoded is true but the body is not valid base64; return Buffer.from(data).toString("base64")',
    );
  }
  return {
    ok: true,
    response: { statusCode, headers, body: Buffer.from(text, isBase64Encoded === true ? 'base64' : 'utf8') },
  };
}

function malformed(problem: string): ResponseOutcome {
  return { ok: false, problem: `Malformed Lambda proxy response: ${problem}. Fix: ${SHAPE}` };
}
