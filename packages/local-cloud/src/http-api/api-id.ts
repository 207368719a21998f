// The HTTP API's id, and what `Ref: HttpApi` (the framework's logical id for the API it creates from `httpApi`
// events) and `Fn::GetAtt: [HttpApi, ApiEndpoint]` give. The id is derived from the service, stage and region,
// so the API keeps it from one start to the next (as a deployed API does) and the environment can hold it
// before the API exists.
import { stableApiId } from '../api-gateway/ids';
import type { ServiceDefinition } from '../config/service-definition';
import { declaresHttpApi } from './route-definitions';

/** The framework's logical id (naming.getHttpApiLogicalId). */
export const HTTP_API_LOGICAL_ID = 'HttpApi';

/** 10 lower-case letters and digits, as API Gateway's ids, the same at every start. */
export function httpApiId(service: Pick<ServiceDefinition, 'service' | 'provider'>): string {
  return stableApiId(service, 'httpApi');
}

/** The resource `Ref: HttpApi` names, when the service has `httpApi` events. */
export function httpApiResource(
  service: Pick<ServiceDefinition, 'service' | 'provider' | 'functions'>,
  region: string,
): { type: string; ref: string; attributes: Record<string, string> } | undefined {
  if (!declaresHttpApi(service)) return undefined;
  const apiId = httpApiId(service);
  return {
    type: 'AWS::ApiGatewayV2::Api',
    ref: apiId,
    attributes: { ApiId: apiId, ApiEndpoint: `https://${apiId}.execute-api.${region}.amazonaws.com` },
  };
}
