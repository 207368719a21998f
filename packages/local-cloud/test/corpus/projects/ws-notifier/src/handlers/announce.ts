import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { CHANNELS, isChannel } from '../lib/channels';

const sns = new SNSClient({});

const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  let announcement: { channel?: unknown; text?: unknown };
  try {
    announcement = JSON.parse(event.body ?? '') as typeof announcement;
  } catch {
    return json(400, { message: 'The body must be JSON: {"channel": "...", "text": "..."}.' });
  }
  const { channel, text } = announcement;
  if (!isChannel(channel)) return json(400, { message: `"channel" is one of ${CHANNELS.join(', ')}.` });
  if (typeof text !== 'string' || text.trim() === '') return json(400, { message: '"text" is missing.' });
  const { MessageId } = await sns.send(
    new PublishCommand({
      TopicArn: process.env.ANNOUNCEMENTS_TOPIC,
      Message: JSON.stringify({ channel, text, postedAt: new Date().toISOString() }),
      MessageAttributes: { channel: { DataType: 'String', StringValue: channel } },
    }),
  );
  return json(202, { messageId: MessageId });
};
