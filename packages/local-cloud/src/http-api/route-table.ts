// Which route a request takes, in the order API Gateway documents for HTTP APIs (http-api-develop-routes,
// "Routing API requests"): a full match of path and method first, then a match through a greedy path variable
// (`{proxy+}`), then the `$default` route; nothing matching is `404 {"message":"Not Found"}`. Among full
// matches the most specific path wins (a literal segment over a parameter, at the first segment where they
// differ), then an explicit method over ANY. Path parameters reach the function decoded, as API Gateway
// decodes URL-encoded request parameters for HTTP APIs.
import { percentDecoded } from '../http/request-path';
import { DEFAULT_ROUTE_KEY, type HttpApiRoute } from './route-definitions';

type Segment = { kind: 'literal'; text: string } | { kind: 'variable'; name: string; greedy: boolean };

interface CompiledRoute {
  route: HttpApiRoute;
  segments: Segment[];
  greedy: boolean;
}

export interface RouteMatch {
  route: HttpApiRoute;
  /** Decoded values; undefined when the route has no parameter. */
  pathParameters?: Record<string, string>;
}

export class RouteTable {
  private readonly compiled: CompiledRoute[];
  private readonly fallback?: HttpApiRoute;

  constructor(routes: readonly HttpApiRoute[]) {
    this.compiled = routes
      .filter((route) => route.routeKey !== DEFAULT_ROUTE_KEY)
      .map((route) => {
        const segments = segmentsOf(route.path ?? '/');
        const last = segments[segments.length - 1];
        return { route, segments, greedy: last?.kind === 'variable' && last.greedy };
      });
    this.fallback = routes.find((route) => route.routeKey === DEFAULT_ROUTE_KEY);
  }

  /** @param rawPath the request's path, still percent-encoded, without the query string. */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const request = requestSegments(rawPath);
    let best: { compiled: CompiledRoute; values: string[] } | undefined;
    for (const compiled of this.compiled) {
      const { route } = compiled;
      if (route.method !== method && route.method !== 'ANY') continue;
      const values = matchSegments(compiled, request);
      if (values && (!best || moreSpecific(compiled, best.compiled))) best = { compiled, values };
    }
    if (best) return { route: best.compiled.route, ...parametersOf(best.compiled, best.values) };
    return this.fallback && { route: this.fallback };
  }
}

function segmentsOf(template: string): Segment[] {
  if (template === '/') return [];
  return template
    .slice(1)
    .split('/')
    .map((part): Segment => {
      const variable = /^\{([^}+]+)(\+?)\}$/.exec(part);
      return variable
        ? { kind: 'variable', name: variable[1] ?? '', greedy: variable[2] === '+' }
        : { kind: 'literal', text: part };
    });
}

/** `/users/42/` → [users, 42] (raw); trailing slashes do not count, as for REST APIs. */
function requestSegments(rawPath: string): string[] {
  let end = rawPath.length;
  while (end > 1 && rawPath.charCodeAt(end - 1) === 47 /* / */) end--;
  const trimmed = rawPath.slice(1, end);
  return trimmed === '' ? [] : trimmed.split('/');
}

/** The raw values of the route's parameters when the request's path fits the route, else undefined. */
function matchSegments(compiled: CompiledRoute, request: string[]): string[] | undefined {
  const { segments, greedy } = compiled;
  if (greedy ? request.length < segments.length : request.length !== segments.length) return undefined;
  const values: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    const part = request[i] as string;
    if (segment.kind === 'literal') {
      if (decoded(part) !== segment.text) return undefined;
    } else if (segment.greedy) {
      values.push(request.slice(i).join('/'));
    } else {
      if (part === '') return undefined;
      values.push(part);
    }
  }
  return values;
}

/** Whether `candidate` takes precedence over `current` for the same request. */
function moreSpecific(candidate: CompiledRoute, current: CompiledRoute): boolean {
  if (candidate.greedy !== current.greedy) return !candidate.greedy;
  const length = Math.min(candidate.segments.length, current.segments.length);
  for (let i = 0; i < length; i++) {
    const a = rank(candidate.segments[i] as Segment);
    const b = rank(current.segments[i] as Segment);
    if (a !== b) return a < b;
  }
  // Two greedy routes: the longer prefix is the more specific.
  if (candidate.segments.length !== current.segments.length) {
    return candidate.segments.length > current.segments.length;
  }
  return candidate.route.method !== 'ANY' && current.route.method === 'ANY';
}

function rank(segment: Segment): number {
  if (segment.kind === 'literal') return 0;
  return segment.greedy ? 2 : 1;
}

function parametersOf(compiled: CompiledRoute, values: string[]): Pick<RouteMatch, 'pathParameters'> {
  if (values.length === 0) return {};
  const pathParameters: Record<string, string> = Object.create(null) as Record<string, string>;
  let index = 0;
  for (const segment of compiled.segments) {
    if (segment.kind === 'variable') pathParameters[segment.name] = decoded(values[index++] as string);
  }
  return { pathParameters };
}

/** A malformed escape (`%zz`) is passed on as sent rather than failing the request. */
function decoded(text: string): string {
  return text.includes('%') ? (percentDecoded(text) ?? text) : text;
}
