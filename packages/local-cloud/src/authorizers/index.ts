// Lambda authorizers for the REST and WebSocket APIs, and the service's customised gateway responses.
export {
  AUTHORIZER_RESPONSES,
  AuthorizerRunner,
  DEFAULT_AUTHORIZER_TIMEOUT_MS,
  requestContextAuthorizer,
  UNAUTHORIZED_ERROR_MESSAGE,
  type AuthorizationDenial,
  type AuthorizationOutcome,
  type AuthorizerRunnerOptions,
} from './authorizer-runner';
export {
  authorizerConfigFor,
  DEFAULT_RESULT_TTL_SECONDS,
  MAX_RESULT_TTL_SECONDS,
  type AuthorizerConfig,
  type AuthorizerLocation,
} from './authorizer-config';
export type {
  AuthorizationRequest,
  AuthorizerEvent,
  RequestAuthorizerEvent,
  TokenAuthorizerEvent,
} from './authorizer-event';
export type { AuthorizerContextValue } from './authorizer-output';
export { evaluatePolicy, matchesWildcard, parsePolicyDocument, type PolicyDecision } from './policy';
export {
  defaultErrorMessage,
  GATEWAY_RESPONSE_DEFAULT_STATUS,
  gatewayResponseHeaders,
  GatewayResponses,
  renderTemplate,
  REST_GATEWAY_RESPONSE_TYPES,
  type CustomizedGatewayResponse,
  type DefaultGatewayResponse,
  type GatewayRequestValues,
  type GatewayResponseType,
  type ResolvedGatewayResponse,
  type TemplateVariables,
} from './gateway-responses-config';
export { restMethodArn, webSocketConnectArn, type MethodArnParts } from './method-arn';
