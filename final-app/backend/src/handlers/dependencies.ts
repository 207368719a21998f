// The composition root: adapters built from the environment serverless.yml gives each function, once per
// sandbox and only when a handler first asks (a function gets only the variables and permissions it needs).
// The search index (search-dependencies.ts) and sharp (make-thumbnail.ts) are wired where they are used:
// sharp comes from a layer only makeThumbnail has.
import { randomUUID } from 'node:crypto';
import { ApiGatewayNotifier } from '../adapters/api-gateway-notifier';
import { documents, managementApi, s3 } from '../adapters/aws-clients';
import { DynamoDbConnectionRepository } from '../adapters/dynamodb-connection-repository';
import { DynamoDbGroupRepository } from '../adapters/dynamodb-group-repository';
import { DynamoDbImageRepository } from '../adapters/dynamodb-image-repository';
import { setting } from '../adapters/environment';
import { S3ImageStorage } from '../adapters/s3-image-storage';
import type {
  Clock,
  ConnectionRepository,
  GroupRepository,
  IdGenerator,
  ImageRepository,
  ImageStorage,
  Notifier,
} from '../core/ports';

export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export const clock: Clock = { now: () => new Date() };
export const ids: IdGenerator = { next: () => randomUUID() };

export const groups = once<GroupRepository>(
  () => new DynamoDbGroupRepository(documents, setting('GROUPS_TABLE')),
);

export const images = once<ImageRepository>(
  () => new DynamoDbImageRepository(documents, setting('IMAGES_TABLE'), setting('IMAGES_GROUP_INDEX')),
);

export const storage = once<ImageStorage>(() => new S3ImageStorage(s3, setting('IMAGES_BUCKET')));

export const connections = once<ConnectionRepository>(
  () => new DynamoDbConnectionRepository(documents, setting('CONNECTIONS_TABLE'), clock),
);

export const notifier = once<Notifier>(
  () => new ApiGatewayNotifier(connections(), managementApi(setting('WEBSOCKET_MANAGEMENT_ENDPOINT'))),
);
