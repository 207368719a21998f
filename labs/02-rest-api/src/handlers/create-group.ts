// POST /groups with {"name": "...", "description": "..."} answers 201 with the stored group.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbGroupRepository } from '../adapters/dynamodb-group-repository';
import { config } from '../config';
import { createGroup } from '../groups/create-group';
import { httpHandler } from '../http/http-handler';
import { parseJsonBody } from '../http/json-body';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const groups = new DynamoDbGroupRepository(documentClient, config.groupsTable());

export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event.body, event.isBase64Encoded);
  const group = await createGroup(groups, body);
  return { statusCode: 201, body: group };
}, config.allowedOrigin());
