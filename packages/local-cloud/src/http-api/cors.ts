// CORS as an HTTP API's own configuration does it (http-api-cors), from provider.httpApi.cors: the gateway
// answers a preflight (an OPTIONS request with Origin and Access-Control-Request-Method) itself, 204, when no
// route takes it; and it adds the configured headers to the answers for a request with an allowed Origin,
// ignoring any CORS header the function returns. A request from an origin that is not allowed gets no CORS
// header, so the browser refuses it.
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_CORS_HEADERS } from '../config/normalize';
import type { ServiceDefinition } from '../config/service-definition';
import { isRecord } from '../common/records';
import type { HttpApiCors } from './api-config';
import { httpApiConfigError } from './config-error';
import type { HttpApiRoute } from './route-definitions';

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE'];

/**
 * `provider.httpApi.cors` as the framework's resolveConfiguration reads it: `true` gives the defaults, the
 * object form overrides them; undefined when CORS is not configured.
 */
export function corsConfigOf(
  value: unknown,
  routes: readonly HttpApiRoute[],
  service: Pick<ServiceDefinition, 'servicePath'>,
): HttpApiCors | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const options = isRecord(value) ? value : {};
  const list = (item: unknown, fallback: string[]) =>
    item === undefined ? fallback : (Array.isArray(item) ? item : [item]).map(String);
  // Without allowedMethods, the framework lists OPTIONS and every route's method (ANY: all of them).
  const routeMethods = routes.flatMap((route) => (route.method === 'ANY' ? ALL_METHODS : [route.method]));
  const cors: HttpApiCors = {
    allowOrigins: list(options.allowedOrigins, ['*']),
    allowHeaders: list(options.allowedHeaders, DEFAULT_CORS_HEADERS),
    allowMethods: list(options.allowedMethods, [...new Set(['OPTIONS', ...routeMethods])]),
    allowCredentials: options.allowCredentials === true,
    exposeHeaders: list(options.exposedResponseHeaders, []),
  };
  if (options.maxAge !== undefined) {
    const maxAge = Number(options.maxAge);
    if (!Number.isInteger(maxAge) || maxAge < -1 || maxAge > 86_400) {
      throw httpApiConfigError(
        service,
        `provider.httpApi.cors.maxAge is ${JSON.stringify(options.maxAge)}`,
        'give whole seconds from 0 to 86400 (-1 turns caching off)',
      );
    }
    cors.maxAge = maxAge;
  }
  if (cors.allowCredentials && cors.allowOrigins.includes('*')) {
    throw httpApiConfigError(
      service,
      'provider.httpApi.cors has allowCredentials with the origin *, which API Gateway refuses',
      'list the origins your app runs on under allowedOrigins, such as http://localhost:5173',
    );
  }
  return cors;
}

export class HttpApiCorsPolicy {
  private readonly origins: RegExp[];
  private readonly anyOrigin: boolean;

  constructor(private readonly cors: HttpApiCors) {
    this.anyOrigin = cors.allowOrigins.includes('*');
    // `https://*` allows every origin starting with https://, as the CORS configuration allows.
    this.origins = cors.allowOrigins.map(
      (origin) =>
        new RegExp(
          `^${origin
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
            .join('.*')}$`,
          'i',
        ),
    );
  }

  /** A preflight request: the browser asks before it sends the real one. */
  static isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
    return (
      method === 'OPTIONS' &&
      typeof headers.origin === 'string' &&
      typeof headers['access-control-request-method'] === 'string'
    );
  }

  /** The preflight's headers (flat name, value list): none when the origin is not allowed. */
  preflightHeaders(origin: string | undefined): string[] {
    const allowOrigin = this.allowedOrigin(origin);
    if (allowOrigin === undefined) return [];
    const headers = [
      'access-control-allow-origin',
      allowOrigin,
      'access-control-allow-methods',
      this.cors.allowMethods.join(','),
      'access-control-allow-headers',
      this.cors.allowHeaders.join(','),
    ];
    if (this.cors.allowCredentials) headers.push('access-control-allow-credentials', 'true');
    if (this.cors.maxAge !== undefined) headers.push('access-control-max-age', String(this.cors.maxAge));
    return headers;
  }

  /** What an answer to a request from `origin` carries (the function's own CORS headers are dropped). */
  responseHeaders(origin: string | undefined): string[] {
    const allowOrigin = this.allowedOrigin(origin);
    if (allowOrigin === undefined) return [];
    const headers = ['access-control-allow-origin', allowOrigin];
    if (this.cors.allowCredentials) headers.push('access-control-allow-credentials', 'true');
    if (this.cors.exposeHeaders.length > 0) {
      headers.push('access-control-expose-headers', this.cors.exposeHeaders.join(','));
    }
    return headers;
  }

  private allowedOrigin(origin: string | undefined): string | undefined {
    if (origin === undefined) return undefined;
    if (this.anyOrigin) return '*';
    return this.origins.some((pattern) => pattern.test(origin)) ? origin : undefined;
  }
}

/** A response header the configured CORS replaces. */
export function isCorsHeader(lowerCaseName: string): boolean {
  return lowerCaseName.startsWith('access-control-');
}
