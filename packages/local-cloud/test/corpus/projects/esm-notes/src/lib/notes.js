import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TableName = process.env.NOTES_TABLE;

export async function addNote(notebook, text) {
  // Ids sort by creation time, so a notebook's notes come back oldest first.
  const note = {
    notebook,
    noteId: `${Date.now().toString(36)}-${randomUUID()}`,
    text,
    createdAt: new Date().toISOString(),
  };
  await documents.send(
    new PutCommand({ TableName, Item: note, ConditionExpression: 'attribute_not_exists(noteId)' }),
  );
  return note;
}

export async function findNote(notebook, noteId) {
  const { Item } = await documents.send(new GetCommand({ TableName, Key: { notebook, noteId } }));
  return Item;
}

/** One page of a notebook's notes, and the cursor of the next page (absent on the last). */
export async function listNotes(notebook, limit, cursor) {
  const { Items, LastEvaluatedKey } = await documents.send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: 'notebook = :notebook',
      ExpressionAttributeValues: { ':notebook': notebook },
      Limit: limit,
      ExclusiveStartKey: cursor ? { notebook, noteId: cursor } : undefined,
    }),
  );
  return { notes: Items, next: LastEvaluatedKey?.noteId };
}
