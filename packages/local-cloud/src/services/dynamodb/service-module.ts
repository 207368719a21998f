// DynamoDB as a platform service: DynamoDB Local (Java) behind the signature-checking proxy on the edge, run only
// when the service declares tables; and, once functions can run, the DynamoDB Streams poller for `stream`
// events.
import type * as DynamoDbClientModule from '@aws-sdk/client-dynamodb';
import { ACCOUNT_ID } from '../../common/account';
import type { AccessKeyPair } from '../../endpoints';
import { reportStreamFailure } from '../../event-sources/dynamodb-streams/failure-delivery';
import type * as PollerModule from '../../event-sources/dynamodb-streams/poller';
import { streamMappings } from '../../event-sources/dynamodb-streams/stream-mappings';
import { awsStreamArn } from '../../event-sources/dynamodb-streams/stream-records';
import { optionalServiceModule } from '../../platform/service-contract';
import type * as DynamoDbModule from './dynamodb-service';
import type { DynamoDbService } from './dynamodb-service';
import { tableDefinitions } from './table-definitions';

// The SDK client, DynamoDB Local's process and the poller are loaded only for a service with tables: most labs
// start without paying for their modules, several hundred ms on a laptop.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, as explained above */
const loadDynamoDb = () => require('./dynamodb-service') as typeof DynamoDbModule;
const loadStreamsPoller = () => require('../../event-sources/dynamodb-streams/poller') as typeof PollerModule;
const loadDynamoDbClient = () => require('@aws-sdk/client-dynamodb') as typeof DynamoDbClientModule;
/* eslint-enable @typescript-eslint/no-require-imports */

export const dynamoDbModule = optionalServiceModule({
  key: 'dynamoDb',
  runsFor: (service) => tableDefinitions(service, service.provider.region).length > 0,
  start: (context) =>
    loadDynamoDb().createDynamoDbService({
      service: context.service,
      credentials: context.credentials,
      authorizer: context.authorizer,
      listener: context.edge.mount(['dynamodb', 'dynamodbstreams']),
      inMemory: context.inMemory,
      region: context.region,
      javaCommand: context.options.dynamoDb?.javaCommand,
      startTimeoutMs: context.options.dynamoDb?.startTimeoutMs,
      log: context.log,
    }),
  resourceFacts: async (dynamoDb, context) => ({
    streamArns: await streamArnsOf(dynamoDb, context.credentials, context.region),
  }),
  warnings: (dynamoDb, service) => {
    const streams = streamMappings(service, service.provider.region);
    if (!dynamoDb) {
      return streams.mappings.length > 0
        ? [
            'stream events name tables the service does not declare, so no DynamoDB runs and they get no events. Fix: declare the tables under resources.Resources as AWS::DynamoDB::Table',
          ]
        : [];
    }
    return [...streams.warnings, ...dynamoDb.warnings];
  },
  summary: (dynamoDb, { resources }) => {
    const tables = dynamoDb.tables.map(
      (table) => `${table.tableName}${resources[table.logicalId]?.attributes.StreamArn ? ' (stream)' : ''}`,
    );
    return [{ name: 'DynamoDB', where: 'AWS endpoint', detail: `tables ${tables.join(', ') || 'none'}` }];
  },
  connect: async (dynamoDb, context) => {
    if (streamMappings(context.service, context.region).mappings.length === 0) return undefined;
    const say = context.logAs('dynamodb-streams');
    return loadStreamsPoller().createDynamoDbStreamsPoller({
      lambda: context.lambda,
      deliver: context.deliver,
      service: context.service,
      dynamoDbUrl: dynamoDb.url,
      credentials: context.credentials,
      region: context.region,
      pollIntervalMs: context.options.streamPollIntervalMs,
      onFailure: (failure) => void reportStreamFailure(failure, say),
      onWarning: say,
    });
  },
});

/** Each table's current stream ARN, as AWS formats it and as stream records carry it, by logical id. */
async function streamArnsOf(
  dynamoDb: DynamoDbService,
  credentials: AccessKeyPair,
  region: string,
): Promise<Record<string, string>> {
  const { DescribeTableCommand, DynamoDBClient } = loadDynamoDbClient();
  const client = new DynamoDBClient({ endpoint: dynamoDb.url, region, credentials });
  try {
    const entries = await Promise.all(
      Object.entries(dynamoDb.tableNames).map(async ([logicalId, tableName]) => {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
        const local = Table?.LatestStreamArn;
        return local ? [[logicalId, awsStreamArn(local, region, ACCOUNT_ID)] as const] : [];
      }),
    );
    return Object.fromEntries(entries.flat());
  } finally {
    client.destroy();
  }
}
