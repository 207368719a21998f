// The REST API the Serverless Framework would deploy for a service's `http` events: resources, one Lambda
// proxy method per event, a MOCK OPTIONS method on every path with `cors`, and compiled request models.
import { authorizerConfigFor, type AuthorizerConfig } from '../authorizers';
import type { FunctionDefinition } from '../config/service-definition';
import { PreflightBuilder, type Preflight } from './cors';
import { InvalidRouteError, normalizeTemplate, ResourceTree } from './routes';
import { ModelCompiler, type BodyValidation } from './request-validation';

export interface LambdaMethod {
  kind: 'lambda';
  fn: FunctionDefinition;
  /** Present when the event has `request.schemas`. */
  validateBody: BodyValidation | undefined;
  /** Present when the event has `authorizer:`. */
  authorizer?: AuthorizerConfig;
}

export interface PreflightMethod {
  kind: 'preflight';
  preflight: Preflight;
}

export type ApiMethod = LambdaMethod | PreflightMethod;

/** @param warn receives what the emulator serves differently from AWS for this definition. */
export function defineApi(
  functions: readonly FunctionDefinition[],
  warn: (message: string) => void,
  servicePath = process.cwd(),
): ResourceTree<ApiMethod> {
  const tree = new ResourceTree<ApiMethod>();
  const service = { servicePath, functions: Object.fromEntries(functions.map((fn) => [fn.key, fn])) };
  const models = new ModelCompiler();
  const preflights = new PreflightBuilder();
  for (const fn of functions) {
    for (const event of fn.httpEvents) {
      const method = event.method.toUpperCase();
      const path = normalizeTemplate(event.path);
      const resource = tree.resource(path);
      const existing = resource.methods.get(method);
      if (existing?.kind === 'lambda') {
        throw new InvalidRouteError(
          `Both ${existing.fn.key} and ${fn.key} have an http event for ${method} ${path}; API Gateway ` +
            'has one integration per method. Remove one of the two events from serverless.yml.',
        );
      }
      const route = `${method} ${path} (function ${fn.key})`;
      const authorizer = authorizerConfigFor(event.authorizer, {
        functionKey: fn.key,
        kind: 'http',
        service,
      });
      resource.methods.set(method, {
        kind: 'lambda',
        fn,
        validateBody: models.compile(event.requestSchemas, route),
        ...(authorizer && { authorizer }),
      });
      if (event.cors) preflights.add(path, method, event.cors);
    }
  }
  // The framework's OPTIONS method replaces a function's OPTIONS event on the same path, as here.
  for (const [path, preflight] of preflights.build()) {
    tree.resource(path).methods.set('OPTIONS', { kind: 'preflight', preflight });
  }
  return tree;
}
