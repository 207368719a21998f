// API Gateway HTTP APIs (`httpApi` events): the API, the listener that shares the REST API's port with it,
// and the routes a service declares (for the start-up table and endpoints.json).
export {
  createHttpApi,
  HTTP_API_INTEGRATION_TIMEOUT_MS,
  type HttpApi,
  type HttpApiOptions,
} from './http-api';
export { apiGatewayListener, type ApiGatewayListenerOptions } from './shared-port';
export { declaresHttpApi, httpApiRoutes, DEFAULT_ROUTE_KEY, type HttpApiRoute } from './route-definitions';
export { httpApiId, httpApiResource, HTTP_API_LOGICAL_ID } from './api-id';
