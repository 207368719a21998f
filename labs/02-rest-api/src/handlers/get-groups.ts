// GET /groups?limit=20&nextKey=... answers 200 { items: [...], nextKey: "..." | null }.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbGroupRepository } from '../adapters/dynamodb-group-repository';
import { config } from '../config';
import { listGroups } from '../groups/list-groups';
import { httpHandler } from '../http/http-handler';

// Module scope: created once per sandbox and reused by every warm invocation. No endpoint: on AWS the SDK
// finds DynamoDB for the region; under local-cloud, AWS_ENDPOINT_URL points it at the emulator.
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const groups = new DynamoDbGroupRepository(documentClient, config.groupsTable());

export const handler = httpHandler(async (event) => {
  // API Gateway sends `queryStringParameters: null`, not `{}`, when the URL has no query string.
  const query = event.queryStringParameters ?? {};
  const page = await listGroups(groups, { limit: query.limit, nextKey: query.nextKey });
  return { statusCode: 200, body: page };
}, config.allowedOrigin());
