export {
  createWebSocketApi,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_INTEGRATION_TIMEOUT_MS,
  DEFAULT_MAX_LIFETIME_MS,
  type WebSocketApi,
  type WebSocketApiOptions,
} from './websocket-api';
export { WebSocketConfigError, type WebSocketRoute } from './routes';
export type {
  WebSocketConnectEvent,
  WebSocketDisconnectEvent,
  WebSocketMessageEvent,
  WebSocketRequestContext,
} from './events';
export { FRAME_LIMIT_BYTES, MESSAGE_LIMIT_BYTES } from './frame-limits';
export { caCertificateFileIn } from '../tls/local-certificates';
