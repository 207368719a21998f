// CORS as the Serverless Framework v3 deploys it for `cors:` on http events: one OPTIONS method per path,
// a MOCK integration that answers the preflight itself. The settings of every event on a path are merged as
// the framework merges them (compile/events/api-gateway/lib/validate.js and cors.js). Actual responses of
// the Lambda proxy integration get no CORS headers from API Gateway: the function has to add them.
import type { CorsDefinition } from '../config/service-definition';

export interface Preflight {
  readonly origins: readonly string[];
  readonly allowHeaders: string;
  readonly allowMethods: string;
  readonly allowCredentials: boolean;
  readonly maxAge?: number;
  /** The framework's Java regexes for its origins, `*` as `.+`, whole-string matches. */
  readonly originPatterns: readonly RegExp[];
}

interface MergedCors {
  origins: string[];
  headers: string[];
  methods: string[];
  allowCredentials: boolean;
  maxAge?: number;
}

/** Later events' lists go first, as lodash's union(new, merged) puts them. */
function union(first: readonly string[], second: readonly string[]): string[] {
  return [...new Set([...first, ...second])];
}

export class PreflightBuilder {
  private readonly byPath = new Map<string, MergedCors>();

  add(path: string, method: string, cors: CorsDefinition): void {
    const methods = union(cors.methods, ['OPTIONS', method]);
    const merged = this.byPath.get(path);
    if (!merged) {
      this.byPath.set(path, {
        origins: [...cors.origins],
        headers: [...cors.headers],
        methods,
        allowCredentials: cors.allowCredentials,
        ...(cors.maxAge && { maxAge: cors.maxAge }),
      });
      return;
    }
    merged.origins = union(cors.origins, merged.origins);
    merged.headers = union(cors.headers, merged.headers);
    merged.methods = union(methods, merged.methods);
    merged.allowCredentials ||= cors.allowCredentials;
    // As the framework: the last event that sets a (non-zero) maxAge wins.
    if (cors.maxAge) merged.maxAge = cors.maxAge;
  }

  build(): Map<string, Preflight> {
    const preflights = new Map<string, Preflight>();
    for (const [path, merged] of this.byPath) {
      preflights.set(path, {
        origins: merged.origins,
        allowHeaders: merged.headers.join(','),
        allowMethods: merged.methods.join(',').replace('ANY', 'DELETE,GET,HEAD,PATCH,POST,PUT'),
        allowCredentials: merged.allowCredentials,
        ...(merged.maxAge !== undefined && { maxAge: merged.maxAge }),
        originPatterns: merged.origins.map(
          (origin) => new RegExp(`^(?:${origin.replace(/\./g, '[.]').replace('*', '.+')})$`),
        ),
      });
    }
    return preflights;
  }
}

/**
 * The preflight's Access-Control-Allow-Origin: `*` for `cors: true`; otherwise the request's Origin when it
 * matches one of the configured origins, else the first configured origin (the MOCK's static value).
 */
export function allowedOrigin(preflight: Preflight, requestOrigin: string | undefined): string {
  const first = preflight.origins[0] ?? '*';
  if (preflight.origins.length === 1 && first === '*') return '*';
  if (
    requestOrigin !== undefined &&
    preflight.originPatterns.some((pattern) => pattern.test(requestOrigin))
  ) {
    return requestOrigin;
  }
  return first;
}

/** The headers of the MOCK integration's 200 (flat name, value list). */
export function preflightHeaders(preflight: Preflight, requestOrigin: string | undefined): string[] {
  const headers = [
    'Access-Control-Allow-Origin',
    allowedOrigin(preflight, requestOrigin),
    'Access-Control-Allow-Headers',
    preflight.allowHeaders,
    'Access-Control-Allow-Methods',
    preflight.allowMethods,
  ];
  if (preflight.allowCredentials) headers.push('Access-Control-Allow-Credentials', 'true');
  if (preflight.maxAge !== undefined) headers.push('Access-Control-Max-Age', String(preflight.maxAge));
  return headers;
}
