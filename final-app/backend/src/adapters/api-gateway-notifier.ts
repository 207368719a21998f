// Notifications through the WebSocket API's management endpoint (@connections): one POST per open
// connection. A connection API Gateway reports gone (410) is forgotten; any other failure skips that
// client only, so one bad connection never stops the others from hearing.
import {
  GoneException,
  PostToConnectionCommand,
  type ApiGatewayManagementApiClient,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { Notification } from '../core/model';
import type { ConnectionRepository, Notifier } from '../core/ports';

export class ApiGatewayNotifier implements Notifier {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly management: ApiGatewayManagementApiClient,
  ) {}

  async broadcast(notification: Notification): Promise<void> {
    const data = JSON.stringify(notification);
    const ids = await this.connections.list();
    await Promise.all(
      ids.map(async (connectionId) => {
        try {
          await this.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
        } catch (error) {
          if (error instanceof GoneException || (error as Error).name === 'GoneException') {
            await this.connections.remove(connectionId);
            return;
          }
          console.warn(`Could not notify connection ${connectionId}: ${(error as Error).name}`);
        }
      }),
    );
  }
}
