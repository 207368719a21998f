import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { SNSEvent } from 'aws-lambda';
import { following, forget } from '../lib/connections';

// Outside a WebSocket event there is no requestContext to build the URL from: it comes from the environment,
// `https://${WebsocketsApi}.execute-api.${AWS::Region}.amazonaws.com/${stage}`.
const api = new ApiGatewayManagementApiClient({ endpoint: process.env.CALLBACK_URL });

export const handler = async (event: SNSEvent) => {
  let delivered = 0;
  let gone = 0;
  for (const record of event.Records) {
    const announcement = JSON.parse(record.Sns.Message) as { channel: string; text: string };
    const Data = JSON.stringify({ type: 'announcement', ...announcement });
    const connections = await following(announcement.channel);
    await Promise.all(
      connections.map(async ({ connectionId }) => {
        try {
          await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data }));
          delivered += 1;
        } catch (error) {
          // The client left without a $disconnect reaching us: forget it.
          if (!(error instanceof GoneException)) throw error;
          await forget(connectionId);
          gone += 1;
        }
      }),
    );
  }
  return { delivered, gone };
};
