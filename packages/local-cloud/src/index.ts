// The programmatic API: start local-cloud from tests and tools, read a service's configuration.
export { start, type LocalCloud, type StartOptions } from './start';
export {
  loadService,
  resolveService,
  type LoadServiceOptions,
  type LoadedService,
} from './config/load-service';
export { normalizeService } from './config/normalize';
export { ServiceConfigError } from './config/service-config-error';
export type {
  CorsDefinition,
  FunctionDefinition,
  HttpEventDefinition,
  ServiceDefinition,
} from './config/service-definition';
export {
  DEFAULT_CREDENTIALS,
  endpointsFilePath,
  type AccessKeyPair,
  type EndpointsFile,
  type FunctionEndpoint,
  type RouteEndpoint,
} from './endpoints';
export { PortInUseError } from './http-listener';
export type { InvocationReport } from './lambda/lambda-service';
