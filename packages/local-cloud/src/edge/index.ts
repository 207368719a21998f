export { createEdge, type Edge } from './edge';
export { routeRequest, type EdgeApi, type RoutedRequest } from './route-request';
