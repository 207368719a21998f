// The REST API and the HTTP API on one port. On AWS they have hosts of their own; locally the REST API keeps
// its stage prefix (`/dev/...`) and the HTTP API, the `$default` stage, takes the root. A request goes to the
// REST API only when it matches one of its routes (resource and method, the CORS preflight method included);
// everything else, `/dev/...` paths the REST API does not have among them, goes to the HTTP API.
import type { RequestListener } from 'node:http';
import { normalizeTemplate, methodOf, pathAfterStage, ResourceTree } from '../api-gateway/routes';
import type { FunctionDefinition } from '../config/service-definition';
import { pathOf } from '../http/request-path';
import type { HttpApi } from './http-api';

export interface ApiGatewayListenerOptions {
  functions: readonly FunctionDefinition[];
  /** The REST API's stage: its URLs start with `/<stage>`. */
  stage: string;
  restApi: RequestListener;
  /** Present when the service has `httpApi` events. */
  httpApi?: HttpApi;
}

/** The listener for the API Gateway port: the REST API alone, the HTTP API alone, or both side by side. */
export function apiGatewayListener(options: ApiGatewayListenerOptions): RequestListener {
  const { httpApi, restApi } = options;
  if (!httpApi) return restApi;
  const restRoutes = new ResourceTree<true>();
  for (const fn of options.functions) {
    for (const event of fn.httpEvents) {
      const resource = restRoutes.resource(normalizeTemplate(event.path));
      resource.methods.set(event.method.toUpperCase(), true);
      if (event.cors) resource.methods.set('OPTIONS', true);
    }
  }
  if (restRoutes.resources().every((resource) => resource.methods.size === 0)) return httpApi.handle;
  const stagePrefix = `/${options.stage}`;
  return (req, res) => {
    const path = pathAfterStage(pathOf(req.url ?? '/'), stagePrefix);
    const match = path === undefined ? undefined : restRoutes.match(path);
    if (match && methodOf(match.resource, req.method ?? 'GET')) restApi(req, res);
    else httpApi.handle(req, res);
  };
}
