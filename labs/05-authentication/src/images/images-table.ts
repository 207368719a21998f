import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbImageRepository } from './dynamodb-image-repository';

// One client per sandbox, created when a handler module loads, with no endpoint: on AWS it reaches DynamoDB,
// on local-cloud AWS_ENDPOINT_URL points it at local-cloud, which passes its calls on to DynamoDB Local.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/** The images table named by IMAGES_TABLE (set in serverless.yml). */
export function imagesTable(): DynamoDbImageRepository {
  return new DynamoDbImageRepository(documents, process.env.IMAGES_TABLE ?? '');
}
