// Bucket CORS as S3 evaluates it: the first rule whose AllowedOrigins (one `*` wildcard allowed),
// AllowedMethods and AllowedHeaders (case-insensitive, wildcards allowed) all admit the request wins; its
// headers go on the preflight answer and on the actual response. Without a matching rule a preflight is
// refused with 403 and the actual response carries no CORS headers, so the browser blocks it.
import { S3Error } from './errors';

export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAgeSeconds?: number;
}

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

export function findCorsRule(
  rules: CorsRule[],
  origin: string,
  method: string,
  requestHeaders: string[] = [],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((allowed) => wildcard(allowed, origin, false)) &&
      rule.allowedMethods.includes(method) &&
      requestHeaders.every((name) => rule.allowedHeaders.some((allowed) => wildcard(allowed, name, true))),
  );
}

/** The headers S3 puts on a preflight answer or an actual response that `rule` admits. */
export function corsHeaders(
  rule: CorsRule,
  origin: string,
  requestHeaders?: string[],
): Record<string, string> {
  // A rule open to every origin answers `*` (and cannot allow credentials); any other answers the origin.
  const anyOrigin = rule.allowedOrigins.find((allowed) => wildcard(allowed, origin, false)) === '*';
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
  };
  if (requestHeaders && requestHeaders.length > 0) {
    headers['access-control-allow-headers'] = requestHeaders.join(', ');
  }
  if (rule.exposedHeaders.length > 0)
    headers['access-control-expose-headers'] = rule.exposedHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.maxAgeSeconds);
  if (!anyOrigin) headers['access-control-allow-credentials'] = 'true';
  headers.vary = VARY;
  return headers;
}

export interface PreflightRequest {
  origin: string | undefined;
  requestMethod: string | undefined;
  /** Access-Control-Request-Headers as sent (comma-separated). */
  requestHeaders: string | undefined;
  /** Undefined when the bucket does not exist. */
  rules: CorsRule[] | undefined;
  resourceType: 'BUCKET' | 'OBJECT';
}

/** The preflight's answer headers, or the S3Error S3 refuses it with. */
export function answerPreflight(request: PreflightRequest): Record<string, string> {
  if (!request.origin) {
    throw new S3Error('BadRequest', 400, 'Insufficient information. Origin request header needed.');
  }
  const method = request.requestMethod;
  if (!method || !CORS_METHODS.includes(method)) {
    throw new S3Error('BadRequest', 400, `Invalid Access-Control-Request-Method: ${method ?? 'null'}`);
  }
  const forbidden = (message: string) =>
    new S3Error('AccessForbidden', 403, message, { Method: method, ResourceType: request.resourceType });
  if (!request.rules) throw forbidden('CORSResponse: Bucket not found');
  if (request.rules.length === 0) throw forbidden('CORSResponse: CORS is not enabled for this bucket.');
  const requestHeaders = (request.requestHeaders ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const rule = findCorsRule(request.rules, request.origin, method, requestHeaders);
  if (!rule) throw forbidden(NOT_ALLOWED);
  return corsHeaders(rule, request.origin, requestHeaders);
}

/** `*` matches any run of characters; at most one is allowed, as S3 validates on PutBucketCors. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '').test(value);
}
