// The SDK clients, made once per sandbox (module scope) and reused by every invocation, each traced by
// X-Ray. No endpoints: on AWS the SDK finds the services; on local-cloud, AWS_ENDPOINT_URL_<SERVICE>.
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import AWSXRay from 'aws-xray-sdk-core';

// With tracing on, Lambda gives every invocation a trace context. Without one (local-cloud, tests, no
// daemon) there is nothing to record, which the SDK would otherwise log as an error on every call.
AWSXRay.setContextMissingStrategy(
  process.env.AWS_XRAY_CONTEXT_MISSING === 'RUNTIME_ERROR' ? 'RUNTIME_ERROR' : 'IGNORE_ERROR',
);

export const documents = DynamoDBDocumentClient.from(AWSXRay.captureAWSv3Client(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});

export const s3 = AWSXRay.captureAWSv3Client(new S3Client({}));

const managementClients = new Map<string, ApiGatewayManagementApiClient>();

/** One client per WebSocket API endpoint (`https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`). */
export function managementApi(endpoint: string): ApiGatewayManagementApiClient {
  let client = managementClients.get(endpoint);
  if (!client) {
    client = AWSXRay.captureAWSv3Client(new ApiGatewayManagementApiClient({ endpoint }));
    managementClients.set(endpoint, client);
  }
  return client;
}
