// The IAM authorization requests one API Gateway Management API call makes ("Use @connections commands in your
// backend service" and "Control access to a WebSocket API with IAM authorization"): PostToConnection,
// GetConnection and DeleteConnection are all execute-api:ManageConnections, on
// `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/@connections/<connectionId>`, the method
// being the one the call is made with (POST, GET, DELETE). The input is what the WebSocket API's management
// endpoint has at dispatch: its API id and stage, and the connection id of the path.
import type { AuthorizationRequest } from '../policy-types';

type Target = { region: string; accountId: string };

export interface ManagementRequestInput {
  apiId: string;
  stage: string;
  connectionId: string;
}

const METHODS: Record<string, string> = {
  PostToConnection: 'POST',
  GetConnection: 'GET',
  DeleteConnection: 'DELETE',
};

export function executeApiAuthorizationRequests(
  operation: string,
  input: ManagementRequestInput,
  target: Target,
): AuthorizationRequest[] {
  const method = Object.hasOwn(METHODS, operation) ? METHODS[operation] : undefined;
  if (method === undefined) return [{ action: `execute-api:${operation}`, resource: '*', context: {} }];
  const { apiId, stage, connectionId } = input;
  const resource = `arn:aws:execute-api:${target.region}:${target.accountId}:${apiId}/${stage}/${method}/@connections/${connectionId}`;
  return [{ action: 'execute-api:ManageConnections', resource, context: {} }];
}
