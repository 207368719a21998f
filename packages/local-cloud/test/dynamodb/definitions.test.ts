import { ServiceConfigError } from '../../src/config/service-config-error';
import { streamMappings } from '../../src/event-sources/dynamodb-streams';
import { createDynamoDbService, JavaRequirementError, tableDefinitions } from '../../src/services/dynamodb';
import { checkJava, parseJavaMajorVersion } from '../../src/services/dynamodb/java';
import { credentials, fixtureService, streamTable } from '../fixtures/dynamodb/service-definition';

// What needs no Java: the Java check, and reading tables and stream mappings from the configuration.

describe('the Java check', () => {
  it('reads the major version from java -version, old and new style', () => {
    expect(parseJavaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajorVersion('java version "1.8.0_292"')).toBe(8);
    expect(parseJavaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
  });

  it('accepts Java 17', async () => {
    const version = await checkJava('java', async () => 'openjdk version "17.0.15" 2025-04-15');

    expect(version).toBe(17);
  });

  it('names the Debian package to install when no Java runs, in one line', async () => {
    const check = checkJava('java', async () => undefined);

    await expect(check).rejects.toThrow(JavaRequirementError);
    await expect(check).rejects.toThrow(
      /^DynamoDB needs Java 17 or later to run DynamoDB Local, and "java -version" did not run\. Fix: apt-get install -y openjdk-17-jre-headless \(Debian\/Ubuntu\), or install any Java 17 or later/,
    );
    await expect(check).rejects.not.toThrow(/\n/);
  });

  it('names the version found when Java is too old', async () => {
    const check = checkJava('/opt/jdk11/bin/java', async () => 'openjdk version "11.0.20" 2023-07-18');

    await expect(check).rejects.toThrow(
      /"\/opt\/jdk11\/bin\/java" is Java 11\. Fix: apt-get install -y openjdk-17-jre-headless/,
    );
  });

  it('stops the DynamoDB service before anything is spawned', async () => {
    const service = fixtureService({ service: 'java-missing' });

    const start = createDynamoDbService({
      service,
      credentials,
      inMemory: true,
      javaProbe: async () => undefined,
    });

    await expect(start).rejects.toBeInstanceOf(JavaRequirementError);
  });
});

describe('tables from CloudFormation resources', () => {
  it('turns each AWS::DynamoDB::Table into CreateTable input, resolving Fn::Sub and Fn::Join over the stack', () => {
    const [users, images, ...others] = tableDefinitions(fixtureService({ service: 'defs' }));

    expect(others).toHaveLength(0);
    expect(users).toMatchObject({
      logicalId: 'UsersTable',
      tableName: 'defs-dev-users',
      create: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'groupId', KeyType: 'HASH' },
          { AttributeName: 'userId', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        LocalSecondaryIndexes: [expect.objectContaining({ IndexName: 'ByCreatedAt' })],
        GlobalSecondaryIndexes: [
          expect.objectContaining({
            IndexName: 'ByEmail',
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['name'] },
          }),
        ],
      },
      timeToLive: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(users?.create.ProvisionedThroughput).toBeUndefined();
    expect(images).toMatchObject({
      tableName: 'defs-dev-images',
      create: {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        GlobalSecondaryIndexes: [
          expect.objectContaining({ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
        ],
      },
    });
  });

  it('names a table without TableName after the stack and its logical id', () => {
    const service = fixtureService({
      service: 'noname',
      resources: { Things: { Type: 'AWS::DynamoDB::Table', Properties: { ...tableProperties() } } },
    });

    expect(tableDefinitions(service)[0]?.tableName).toBe('noname-dev-Things');
  });

  it('refuses a TableName it cannot resolve, naming the resource and the fix', () => {
    const service = fixtureService({
      service: 'unresolved',
      resources: {
        Orders: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { ...tableProperties(), TableName: { 'Fn::Sub': '${Environment}-orders' } },
        },
      },
    });

    expect(() => tableDefinitions(service)).toThrow(ServiceConfigError);
    expect(() => tableDefinitions(service)).toThrow(
      /resources\.Resources\.Orders \(AWS::DynamoDB::Table\): local-cloud cannot resolve TableName: Fn::Sub refers to \$\{Environment\}.*Fix: use a plain string/,
    );
  });

  it('refuses a provisioned table without ProvisionedThroughput, as CloudFormation does', () => {
    const properties = tableProperties();
    delete properties.BillingMode;
    const service = fixtureService({
      service: 'provisioned',
      resources: {
        Orders: { Type: 'AWS::DynamoDB::Table', Properties: { ...properties, TableName: 'orders' } },
      },
    });

    expect(() => tableDefinitions(service)).toThrow(
      /Orders \(AWS::DynamoDB::Table\): ProvisionedThroughput is required with BillingMode PROVISIONED/,
    );
  });
});

describe('stream event source mappings from stream events', () => {
  const resources = {
    Items: streamTable('items', 'NEW_IMAGE'),
    Plain: streamTable('plain'),
  };

  it("applies the framework's defaults: batch size 10, TRIM_HORIZON, unlimited retries", () => {
    const service = fixtureService({
      service: 'mappings',
      resources,
      functions: {
        onItem: [{ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['Items', 'StreamArn'] } } }],
      },
    });

    expect(streamMappings(service).mappings).toEqual([
      {
        functionKey: 'onItem',
        source: 'functions.onItem.events[0].stream',
        tableName: 'items',
        batchSize: 10,
        batchWindowMs: 0,
        startingPosition: 'TRIM_HORIZON',
        bisectBatchOnFunctionError: false,
        maximumRetryAttempts: -1,
        reportBatchItemFailures: false,
      },
    ]);
  });

  it('reads every setting, and the table from a literal stream ARN', () => {
    const service = fixtureService({
      service: 'mappings',
      resources,
      functions: {
        onItem: [
          {
            stream: {
              type: 'dynamodb',
              arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/items/stream/2024-01-01T00:00:00.000',
              batchSize: 3,
              batchWindow: 2,
              startingPosition: 'LATEST',
              bisectBatchOnFunctionError: true,
              maximumRetryAttempts: 4,
              functionResponseType: 'ReportBatchItemFailures',
              destinations: { onFailure: { arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, type: 'sqs' } },
            },
          },
        ],
      },
    });

    expect(streamMappings(service).mappings[0]).toMatchObject({
      tableName: 'items',
      batchSize: 3,
      batchWindowMs: 2000,
      startingPosition: 'LATEST',
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 4,
      reportBatchItemFailures: true,
      onFailure: { type: 'sqs', arn: '{"Fn::GetAtt":["Dlq","Arn"]}' },
    });
  });

  it('skips disabled mappings and Kinesis streams (the Kinesis source runs those), and warns about settings it does not emulate', () => {
    const service = fixtureService({
      service: 'mappings',
      resources,
      functions: {
        onItem: [
          { stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['Items', 'StreamArn'] }, enabled: false } },
          { stream: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks' },
          {
            stream: {
              type: 'dynamodb',
              arn: { 'Fn::GetAtt': ['Items', 'StreamArn'] },
              filterPatterns: [{ eventName: ['INSERT'] }],
            },
          },
        ],
      },
    });

    const { mappings, warnings } = streamMappings(service);

    expect(mappings).toHaveLength(1);
    expect(warnings).toEqual([
      'functions.onItem.events[2].stream: filterPatterns is not emulated; the mapping runs without it',
    ]);
  });

  it('refuses Fn::GetAtt StreamArn of a table without a stream, naming the fix', () => {
    const service = fixtureService({
      service: 'mappings',
      resources,
      functions: {
        onItem: [{ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['Plain', 'StreamArn'] } } }],
      },
    });

    expect(() => streamMappings(service)).toThrow(
      /functions\.onItem\.events\[0\]\.stream: table Plain has no StreamSpecification, so it has no StreamArn\. Fix: add StreamSpecification/,
    );
  });
});

function tableProperties(): Record<string, unknown> {
  return {
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  };
}
