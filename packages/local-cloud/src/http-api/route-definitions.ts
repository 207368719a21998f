// The routes of the HTTP API the Serverless Framework v3 deploys for a service's `httpApi` events
// (lib/plugins/aws/package/compile/events/http-api.js): `httpApi: '*'` is the `$default` route,
// `httpApi: 'GET /users/{id}'` and `httpApi: { method, path, authorizer }` are `METHOD /path` routes, method
// `*` is ANY. The framework checks these only when it packages, not in `serverless print`, so local-cloud
// refuses here what a deploy would refuse, with the framework's reason and the fix.
import type { FunctionDefinition, ServiceDefinition } from '../config/service-definition';
import { isRecord } from '../common/records';
import { httpApiConfigError } from './config-error';

export interface HttpApiRoute {
  /** `GET /users/{id}`, `ANY /files/{proxy+}`, or `$default`: the event's `routeKey`. */
  routeKey: string;
  /** GET, POST, ... or ANY (`$default` is ANY). */
  method: string;
  /** The path template, `/users/{id}`; undefined for `$default`. */
  path?: string;
  functionKey: string;
  /** `authorizer:` of the event: the name of one of provider.httpApi.authorizers, and the route's scopes. */
  authorizer?: { name: string; scopes: string[] };
}

export const DEFAULT_ROUTE_KEY = '$default';

const METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE'];
const METHOD_AND_PATH = new RegExp(`^(${METHODS.join('|')}|\\*) (\\/\\S*)$`, 'i');
const SEGMENT_VARIABLE = /^\{[A-Za-z0-9._-]+\+?\}$/;

type Service = Pick<ServiceDefinition, 'servicePath'> & { functions: Record<string, FunctionDefinition> };

/** True when a function has an `httpApi` event: the service has an HTTP API. */
export function declaresHttpApi(service: { functions: Record<string, FunctionDefinition> }): boolean {
  return Object.values(service.functions).some((fn) =>
    fn.events.some((event) => event.httpApi !== undefined),
  );
}

/** Every route, in serverless.yml's order. Throws a ServiceConfigError for a route a deploy would refuse. */
export function httpApiRoutes(service: Service): HttpApiRoute[] {
  const routes: HttpApiRoute[] = [];
  const seen = new Map<string, string>();
  for (const fn of Object.values(service.functions)) {
    fn.events.forEach((event, index) => {
      if (event.httpApi === undefined) return;
      const field = `functions.${fn.key}.events[${index}].httpApi`;
      const route = routeOf(event.httpApi, fn.key, field, service);
      const other = seen.get(route.routeKey);
      if (other !== undefined) {
        throw httpApiConfigError(
          service,
          `${field} is ${route.routeKey}, a route ${other === fn.key ? 'it' : `function ${other}`} already has (an HTTP API has one integration per route)`,
          'remove one of the two events',
        );
      }
      seen.set(route.routeKey, fn.key);
      routes.push(route);
    });
  }
  return routes;
}

function routeOf(value: unknown, functionKey: string, field: string, service: Service): HttpApiRoute {
  let method: unknown;
  let path: unknown;
  let authorizer: unknown;
  if (isRecord(value)) {
    ({ method, path, authorizer } = value);
  } else if (typeof value === 'string' && value.trim() === '*') {
    path = '*';
  } else {
    const match = typeof value === 'string' ? METHOD_AND_PATH.exec(value.trim()) : null;
    if (!match) {
      throw httpApiConfigError(
        service,
        `${field} is ${JSON.stringify(value)}`,
        "write `httpApi: 'GET /users/{id}'`, `httpApi: '*'` (every request no other route takes) or `httpApi: { method: get, path: /users/{id} }`",
      );
    }
    [, method, path] = match;
  }
  const route = (key: string, routeMethod: string, routePath?: string): HttpApiRoute => ({
    routeKey: key,
    method: routeMethod,
    ...(routePath === undefined ? {} : { path: routePath }),
    functionKey,
    ...authorizerOf(authorizer, field, service),
  });
  if (path === '*') {
    if (method !== undefined && method !== '*') {
      throw httpApiConfigError(
        service,
        `${field} has path '*' with method ${JSON.stringify(method)}: '*' is the $default route, which takes every method`,
        'remove `method:`, or give a path such as /{proxy+}',
      );
    }
    return route(DEFAULT_ROUTE_KEY, 'ANY');
  }
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw httpApiConfigError(
      service,
      `${field}.path is ${JSON.stringify(path)}`,
      "give a path that starts with /, such as /users/{id}, or '*' for the $default route",
    );
  }
  checkPath(path, field, service);
  if (method === undefined) {
    throw httpApiConfigError(service, `${field} has no method`, "add `method: get` (or '*' for any method)");
  }
  const upper = typeof method === 'string' ? method.toUpperCase() : JSON.stringify(method);
  const resolved = upper === '*' ? 'ANY' : upper;
  if (!METHODS.includes(resolved)) {
    throw httpApiConfigError(
      service,
      `${field}.method is ${JSON.stringify(method)}`,
      `use one of ${METHODS.join(', ')} or '*'`,
    );
  }
  return route(`${resolved} ${path}`, resolved, path);
}

/** API Gateway's path rules: one parameter per segment, a greedy `{name+}` only at the end. */
function checkPath(path: string, field: string, service: Service): void {
  const segments = path === '/' ? [] : path.slice(1).split('/');
  segments.forEach((segment, index) => {
    const variable = SEGMENT_VARIABLE.test(segment);
    if (!variable && (segment.includes('{') || segment.includes('}'))) {
      throw httpApiConfigError(
        service,
        `${field}.path ${path} has "${segment}", which is not a path parameter`,
        'write one parameter as a whole segment, such as /users/{id}',
      );
    }
    if (variable && segment.endsWith('+}') && index !== segments.length - 1) {
      throw httpApiConfigError(
        service,
        `${field}.path ${path} has the greedy parameter ${segment} before its end`,
        'put the greedy parameter last, such as /files/{proxy+}',
      );
    }
  });
}

function authorizerOf(value: unknown, field: string, service: Service): Pick<HttpApiRoute, 'authorizer'> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') return { authorizer: { name: value, scopes: [] } };
  if (!isRecord(value)) {
    throw httpApiConfigError(
      service,
      `${field}.authorizer is ${JSON.stringify(value)}`,
      'name one of provider.httpApi.authorizers: `authorizer: { name: myAuthorizer, scopes: [...] }`',
    );
  }
  if (value.type === 'aws_iam') {
    throw httpApiConfigError(
      service,
      `${field}.authorizer is aws_iam (SigV4-signed callers), which local-cloud does not emulate`,
      'use a JWT or Lambda authorizer from provider.httpApi.authorizers, or test this route on AWS',
    );
  }
  if (value.id !== undefined) {
    throw httpApiConfigError(
      service,
      `${field}.authorizer has id, an authorizer of an HTTP API outside this service`,
      'declare the authorizer under provider.httpApi.authorizers and name it with `name:`',
    );
  }
  if (typeof value.name !== 'string' || value.name === '') {
    throw httpApiConfigError(
      service,
      `${field}.authorizer has no name`,
      'add `name:` with one of provider.httpApi.authorizers',
    );
  }
  const scopes = value.scopes === undefined ? [] : value.scopes;
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) {
    throw httpApiConfigError(
      service,
      `${field}.authorizer.scopes is ${JSON.stringify(value.scopes)}`,
      'list the scopes as strings, such as [users:read]',
    );
  }
  return { authorizer: { name: value.name, scopes } };
}
