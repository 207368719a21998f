// Properties of the resource types local-cloud creates that change behaviour on AWS but not here, each with
// what happens instead. Properties that change nothing a service can observe locally (tags, encryption at rest,
// backups, billing details) are left out: a line about them would be noise.
import { isRecord } from '../common/records';

const CONSEQUENCES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'AWS::S3::Bucket': {
    LifecycleConfiguration: 'objects never expire or change storage class',
    VersioningConfiguration: 'a key keeps one version: an overwrite or a delete loses the old object',
    ObjectLockEnabled: 'objects can be overwritten and deleted',
    ObjectLockConfiguration: 'objects can be overwritten and deleted',
    WebsiteConfiguration: 'no website endpoint is served: objects are read through the S3 API',
    ReplicationConfiguration: 'objects are not replicated to another bucket',
    LoggingConfiguration: 'no access logs are written',
    AccelerateConfiguration: 'there is no accelerated endpoint',
    InventoryConfigurations: 'no inventory reports are written',
    AnalyticsConfigurations: 'no analytics are kept',
  },
  'AWS::DynamoDB::Table': {
    DeletionProtectionEnabled: 'a table can be deleted',
    KinesisStreamSpecification:
      'changes are not sent to the Kinesis stream (DynamoDB to Kinesis streaming is not emulated)',
    ContributorInsightsSpecification: 'no contributor insights are kept',
    ImportSourceSpecification: 'the table starts empty: nothing is imported from S3',
    ResourcePolicy: 'resource policies are not enforced locally',
  },
  'AWS::SNS::Topic': {
    FifoTopic: 'messages are neither ordered nor deduplicated',
    ContentBasedDeduplication: 'messages are not deduplicated',
    DeliveryStatusLogging: 'no delivery status is logged',
    DataProtectionPolicy: 'messages are not inspected',
  },
  'AWS::SecretsManager::Secret': {
    ReplicaRegions: 'the secret is not replicated to other regions',
  },
};

/** One line per property, naming the resources that set it and what happens instead. */
export function unhonouredProperties(resources: Record<string, unknown>): string[] {
  const byProperty = new Map<string, { type: string; property: string; logicalIds: string[] }>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || typeof resource.Type !== 'string') continue;
    const consequences = CONSEQUENCES[resource.Type];
    if (!consequences || !isRecord(resource.Properties)) continue;
    for (const property of Object.keys(resource.Properties)) {
      if (!Object.hasOwn(consequences, property)) continue;
      const key = `${resource.Type}.${property}`;
      const entry = byProperty.get(key) ?? { type: resource.Type, property, logicalIds: [] };
      entry.logicalIds.push(logicalId);
      byProperty.set(key, entry);
    }
  }
  return [...byProperty.values()].map(
    ({ type, property, logicalIds }) =>
      `${type} property ${property} (resources ${logicalIds.join(', ')}) is not emulated: ${CONSEQUENCES[type]![property]!}`,
  );
}
