// Creates the service's tables in DynamoDB Local, idempotently. A table kept from an earlier run (persisted
// data) is never dropped: what CloudFormation would update in place (a stream, global secondary indexes,
// time to live) is updated the same way, keeping the items; what CloudFormation could only change by
// replacing the table (key schema, local secondary indexes) is left as it is and reported, with the fix.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type Projection,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from './table-definitions';

export interface TableReport {
  logicalId: string;
  tableName: string;
  /** `created` now; `existing` from an earlier run, unchanged; `updated` in place, its items kept. */
  status: 'created' | 'existing' | 'updated';
  /** What was updated in place, one phrase each. */
  updates: string[];
  /** Differences local-cloud did not apply because they would drop the table's items. */
  warnings: string[];
}

/** DynamoDB Local refused a table definition (its message says why). */
export class TableCreationError extends Error {
  override readonly name = 'TableCreationError';
  readonly exitCode = 2;
}

export async function ensureTables(
  client: DynamoDBClient,
  definitions: TableDefinition[],
  /** Where the data lives, named in warnings; undefined in memory. */
  dataDir: string | undefined,
): Promise<TableReport[]> {
  // One at a time: DynamoDB Local serialises table creation anyway, and the order of reports stays stable.
  const reports: TableReport[] = [];
  for (const definition of definitions) reports.push(await ensureTable(client, definition, dataDir));
  return reports;
}

async function ensureTable(
  client: DynamoDBClient,
  definition: TableDefinition,
  dataDir: string | undefined,
): Promise<TableReport> {
  const report: TableReport = {
    logicalId: definition.logicalId,
    tableName: definition.tableName,
    status: 'existing',
    updates: [],
    warnings: [],
  };
  const existing = await describe(client, definition.tableName);
  if (!existing) {
    try {
      await client.send(new CreateTableCommand(definition.create));
    } catch (error) {
      throw new TableCreationError(
        `resources.Resources.${definition.logicalId}: DynamoDB refused to create table "${definition.tableName}": ${(error as Error).message}. Fix: correct the table's properties in serverless.yml`,
      );
    }
    report.status = 'created';
  } else {
    report.warnings.push(...replacementDifferences(definition, existing, dataDir));
    await updateStream(client, definition, existing, report);
    await updateGlobalIndexes(client, definition, existing, report);
    // As CloudFormation does: the update is complete once the new indexes are built; until then DynamoDB
    // Local fails queries on them (and DynamoDB refuses them).
    if (report.updates.length > 0) await waitUntilActive(client, definition.tableName);
  }
  await updateTimeToLive(client, definition, report, !existing);
  if (existing && report.updates.length > 0) report.status = 'updated';
  return report;
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

const ACTIVE_TIMEOUT_MS = 60_000;

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const table = await describe(client, tableName);
    const building = (table?.GlobalSecondaryIndexes ?? []).filter((index) => index.IndexStatus !== 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && building.length === 0) return;
    if (Date.now() > deadline) {
      throw new TableCreationError(
        `table "${tableName}" is still ${table?.TableStatus ?? 'missing'} (indexes building: ${building.map((index) => index.IndexName).join(', ') || 'none'}) after ${ACTIVE_TIMEOUT_MS / 1000} s. Fix: start again; if it persists, delete the table's data folder`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Differences CloudFormation would apply by replacing the table, which would drop every item. */
function replacementDifferences(
  definition: TableDefinition,
  existing: TableDescription,
  dataDir: string | undefined,
): string[] {
  const differences: string[] = [];
  const wanted = definition.create;
  if (keys(wanted.KeySchema) !== keys(existing.KeySchema)) {
    differences.push(
      `key schema ${keys(existing.KeySchema)}, serverless.yml declares ${keys(wanted.KeySchema)}`,
    );
  }
  const local = (
    indexes: { IndexName?: string; KeySchema?: KeySchemaElement[]; Projection?: Projection }[] = [],
  ) =>
    indexes
      .map((index) => `${index.IndexName}(${keys(index.KeySchema)}; ${projection(index.Projection)})`)
      .sort()
      .join(', ') || 'none';
  if (local(wanted.LocalSecondaryIndexes) !== local(existing.LocalSecondaryIndexes)) {
    differences.push(
      `local secondary indexes ${local(existing.LocalSecondaryIndexes)}, serverless.yml declares ${local(wanted.LocalSecondaryIndexes)}`,
    );
  }
  if (differences.length === 0) return [];
  const where = dataDir ? ` in ${dataDir}` : '';
  return [
    `table "${definition.tableName}" (resources.Resources.${definition.logicalId}) kept from an earlier run${where} has ${differences.join('; ')}. ` +
      `Changing this replaces the table on AWS, which deletes its items, so local-cloud kept the table and its data as they are. ` +
      `Fix: delete the table (DeleteTableCommand, or remove ${dataDir ?? 'the data folder'}) and start again to recreate it`,
  ];
}

async function updateStream(
  client: DynamoDBClient,
  definition: TableDefinition,
  existing: TableDescription,
  report: TableReport,
): Promise<void> {
  const wanted = definition.create.StreamSpecification?.StreamViewType;
  const current = existing.StreamSpecification?.StreamEnabled
    ? existing.StreamSpecification.StreamViewType
    : undefined;
  if (wanted === current) return;
  const update = (StreamSpecification: { StreamEnabled: boolean; StreamViewType?: typeof wanted }) =>
    client.send(new UpdateTableCommand({ TableName: definition.tableName, StreamSpecification }));
  // A stream's view type cannot change: DynamoDB needs it disabled, then enabled again (a new stream).
  if (current) await update({ StreamEnabled: false });
  if (wanted) await update({ StreamEnabled: true, StreamViewType: wanted });
  report.updates.push(
    wanted ? `stream ${current ?? 'none'} -> ${wanted}` : `stream ${current ?? 'none'} -> none`,
  );
}

async function updateGlobalIndexes(
  client: DynamoDBClient,
  definition: TableDefinition,
  existing: TableDescription,
  report: TableReport,
): Promise<void> {
  const wanted = new Map((definition.create.GlobalSecondaryIndexes ?? []).map((gsi) => [gsi.IndexName, gsi]));
  const current = new Map((existing.GlobalSecondaryIndexes ?? []).map((gsi) => [gsi.IndexName, gsi]));
  const signature = (gsi: { KeySchema?: KeySchemaElement[]; Projection?: Projection }) =>
    `${keys(gsi.KeySchema)}; ${projection(gsi.Projection)}`;
  for (const [name, gsi] of current) {
    const replacement = wanted.get(name);
    if (replacement && signature(replacement) === signature(gsi)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: definition.tableName,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }],
      }),
    );
    report.updates.push(`global secondary index ${name} removed`);
  }
  for (const [name, gsi] of wanted) {
    const kept = current.get(name);
    if (kept && signature(kept) === signature(gsi)) continue;
    await createGlobalIndex(client, definition, gsi);
    report.updates.push(`global secondary index ${name} ${kept ? 'rebuilt' : 'added'}`);
  }
}

async function createGlobalIndex(
  client: DynamoDBClient,
  definition: TableDefinition,
  gsi: GlobalSecondaryIndex,
): Promise<void> {
  const { IndexName, KeySchema, Projection: indexProjection, ProvisionedThroughput } = gsi;
  await client.send(
    new UpdateTableCommand({
      TableName: definition.tableName,
      AttributeDefinitions: definition.create.AttributeDefinitions,
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName,
            KeySchema,
            Projection: indexProjection,
            ...(ProvisionedThroughput ? { ProvisionedThroughput } : {}),
          },
        },
      ],
    }),
  );
}

async function updateTimeToLive(
  client: DynamoDBClient,
  definition: TableDefinition,
  report: TableReport,
  created: boolean,
): Promise<void> {
  const wanted = definition.timeToLive?.Enabled ? definition.timeToLive.AttributeName : undefined;
  const description = created
    ? undefined
    : (await client.send(new DescribeTimeToLiveCommand({ TableName: definition.tableName })))
        .TimeToLiveDescription;
  const current =
    description?.TimeToLiveStatus === 'ENABLED' || description?.TimeToLiveStatus === 'ENABLING'
      ? description.AttributeName
      : undefined;
  if (wanted === current) return;
  if (current) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: definition.tableName,
        TimeToLiveSpecification: { AttributeName: current, Enabled: false },
      }),
    );
  }
  if (wanted) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: definition.tableName,
        TimeToLiveSpecification: { AttributeName: wanted, Enabled: true },
      }),
    );
  }
  if (!created) report.updates.push(`time to live ${current ?? 'off'} -> ${wanted ?? 'off'}`);
}

function keys(schema: KeySchemaElement[] = []): string {
  return schema.map((key) => `${key.AttributeName}(${key.KeyType})`).join(' ');
}

function projection(value: Projection | undefined): string {
  const attributes = [...(value?.NonKeyAttributes ?? [])].sort().join(',');
  return `${value?.ProjectionType ?? 'KEYS_ONLY'}${attributes ? `[${attributes}]` : ''}`;
}
