// The data services and event sources composed for start(): preparePlatform(), then connect({ lambda }).
export {
  formatPlatformLine,
  preparePlatform,
  type Platform,
  type PlatformServices,
  type PreparePlatformOptions,
} from './platform';
export { PLATFORM_PORT_OFFSETS, PlatformPortRangeError, platformPorts, type PlatformPorts } from './ports';
export { formatPlatformSummary } from './summary';
export {
  environmentResolver,
  intrinsicOf,
  localResources,
  WEBSOCKET_API_LOGICAL_ID,
  type ResolvedResource,
} from './resolve-intrinsics';
