// Lazy initialisation: only what this request needs is imported; the other libraries would be required on
// the paths that use them.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { readItem } from './read-item';

export async function handler(): Promise<APIGatewayProxyResult> {
  const client = new DynamoDBClient({});
  try {
    return await readItem(client);
  } finally {
    client.destroy();
  }
}
