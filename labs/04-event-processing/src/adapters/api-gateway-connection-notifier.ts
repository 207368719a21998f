import {
  GoneException,
  PostToConnectionCommand,
  type ApiGatewayManagementApiClient,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectionNotifier, DeliveryResult } from '../ports/connection-notifier';

/** Posts through API Gateway's management API: POST https://{api}.execute-api.{region}.amazonaws.com/{stage}/@connections/{id}. */
export class ApiGatewayConnectionNotifier implements ConnectionNotifier {
  constructor(private readonly management: ApiGatewayManagementApiClient) {}

  async send(connectionId: string, message: string): Promise<DeliveryResult> {
    // BEGIN SOLUTION websocket-connections
    // TODO(websocket-connections): PostToConnection; a GoneException (410) means 'gone', other errors propagate.
    try {
      await this.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: message }));
      return 'sent';
    } catch (error) {
      if (error instanceof GoneException) return 'gone';
      throw error;
    }
    // END SOLUTION
  }
}
