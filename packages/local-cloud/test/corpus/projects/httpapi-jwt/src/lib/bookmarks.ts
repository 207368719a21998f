import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TableName = process.env.BOOKMARKS_TABLE;

export interface Bookmark {
  userId: string;
  bookmarkId: string;
  url: string;
  tags: string[];
  savedAt: string;
}

export async function save(userId: string, url: string, tags: string[]): Promise<Bookmark> {
  const bookmark = { userId, bookmarkId: randomUUID(), url, tags, savedAt: new Date().toISOString() };
  await documents.send(new PutCommand({ TableName, Item: bookmark }));
  return bookmark;
}

export async function listFor(userId: string): Promise<Bookmark[]> {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: 'userId = :userId',
      ExpressionAttributeValues: { ':userId': userId },
    }),
  );
  return Items as Bookmark[];
}

/** False when the user has no such bookmark. */
export async function remove(userId: string, bookmarkId: string): Promise<boolean> {
  const { Attributes } = await documents.send(
    new DeleteCommand({ TableName, Key: { userId, bookmarkId }, ReturnValues: 'ALL_OLD' }),
  );
  return Attributes !== undefined;
}
