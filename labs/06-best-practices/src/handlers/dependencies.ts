// The composition root for Lambda: the only place that picks adapters. Module scope, so it runs once per
// sandbox (the cold start) and every warm invocation reuses the clients and their open connections. Tracing
// starts first (start-tracing.ts): the instrumentations patch the AWS SDK and node:http as they load.
import '../tracing/start-tracing';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { ImagesApi } from '../app/api-types';
import { createImagesApi } from '../app/images-api';
import { DynamoDbImageRepository } from '../adapters/dynamodb-image-repository';
import { HttpImageProbe } from '../adapters/http-image-probe';
import { lazy } from '../optimisation/lazy';
import { tracedImageProbe, tracedImagesApi } from '../tracing/traced-images-api';

// No endpoint: on AWS the SDK finds DynamoDB itself, on local-cloud AWS_ENDPOINT_URL points it there.
// Traced by the AWS SDK instrumentation (start-tracing.ts, imported first): no wrapping needed here.
const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** Built on first use: only createImage probes URLs, the read functions never pay for it. */
const probe = lazy(() => tracedImageProbe(new HttpImageProbe()));

export function lambdaImagesApi(): ImagesApi {
  return tracedImagesApi(
    createImagesApi({
      images: new DynamoDbImageRepository(dynamoDb, requiredEnv('IMAGES_TABLE')),
      probe: { contentType: (url) => probe().contentType(url) },
      newId: randomUUID,
      now: () => new Date(),
    }),
  );
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set. Set it under provider.environment in serverless.yml.`);
  }
  return value;
}
