// The request every variant serves: read one item.
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';

export async function readItem(client: DynamoDBClient): Promise<APIGatewayProxyResult> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: process.env.BENCH_TABLE, Key: { id: { S: 'missing' } } }),
  );
  return { statusCode: 200, body: JSON.stringify({ found: Item !== undefined }) };
}
