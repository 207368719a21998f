import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbGroupRepository } from '../adapters/dynamodb-group-repository';
import { requireEnv } from '../config/environment';
import { createGroup } from '../core/create-group';
import { httpHandler, jsonObjectBody, textField } from '../http/http-handler';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const EXAMPLE = '{"name":"Holidays","description":"Summer 2026"}';

/** POST /groups: 201 with the new group. */
export const handler = httpHandler(async (event) => {
  const body = jsonObjectBody(event, EXAMPLE);
  const name = textField(body, 'name', 50, EXAMPLE);
  const description = body.description === undefined ? '' : textField(body, 'description', 200, EXAMPLE);
  const groups = new DynamoDbGroupRepository(documents, requireEnv('GROUPS_TABLE'));
  const group = await createGroup(
    { groups, newId: randomUUID, now: () => new Date() },
    { name, description },
  );
  return { statusCode: 201, body: group };
});
