// Connection reuse: one client per sandbox, created at module scope; its keep-alive connections serve every
// warm invocation without a new TCP (on AWS: TLS) handshake.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { readItem } from './read-item';

const client = new DynamoDBClient({});

export function handler(): Promise<APIGatewayProxyResult> {
  return readItem(client);
}
