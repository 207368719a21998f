// The DynamoDB tables a service declares as CloudFormation resources (AWS::DynamoDB::Table), turned into the
// CreateTable requests CloudFormation would make on deploy. Properties with no local effect (SSE, point-in-
// time recovery, tags, table class, contributor insights, Kinesis streaming) are ignored.
import path from 'node:path';
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  Projection,
  ProvisionedThroughput,
  StreamViewType,
} from '@aws-sdk/client-dynamodb';
import { findConfigFile } from '../../config/config-inputs';
import { ServiceConfigError } from '../../config/service-config-error';
import type { ServiceDefinition } from '../../config/service-definition';
import { ACCOUNT_ID } from '../../common/account';
import {
  isRecord,
  resolveOrThrow,
  UnresolvableValueError,
  type PseudoParameters,
} from '../../cloudformation/values';

export const TABLE_RESOURCE_TYPE = 'AWS::DynamoDB::Table';

const STREAM_VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

export interface TableDefinition {
  /** The resource's logical id in `resources.Resources`. */
  logicalId: string;
  tableName: string;
  /** What CreateTable receives. */
  create: CreateTableCommandInput & { TableName: string };
  /** TimeToLiveSpecification, applied with UpdateTimeToLive after the table exists. */
  timeToLive?: { AttributeName: string; Enabled: boolean };
}

export function pseudoParameters(service: ServiceDefinition, region?: string): PseudoParameters {
  return {
    region: region ?? service.provider.region,
    accountId: ACCOUNT_ID,
    stackName: `${service.service}-${service.provider.stage}`,
  };
}

/** Every AWS::DynamoDB::Table of the service, in the order of `resources`. */
export function tableDefinitions(service: ServiceDefinition, region?: string): TableDefinition[] {
  const pseudo = pseudoParameters(service, region);
  const definitions = Object.entries(service.resources)
    .filter(([, resource]) => isRecord(resource) && resource.Type === TABLE_RESOURCE_TYPE)
    .map(([logicalId, resource]) => tableDefinition(service, logicalId, resource as Resource, pseudo));
  const seen = new Map<string, string>();
  for (const definition of definitions) {
    const other = seen.get(definition.tableName);
    if (other) {
      throw configError(
        service,
        `resources.Resources.${definition.logicalId} and ${other} both name the table "${definition.tableName}"`,
        'give each AWS::DynamoDB::Table its own TableName',
      );
    }
    seen.set(definition.tableName, definition.logicalId);
  }
  return definitions;
}

/** The table name each table's logical id stands for (what `Ref: <logicalId>` gives on AWS). */
export function tableNamesByLogicalId(service: ServiceDefinition, region?: string): Record<string, string> {
  return Object.fromEntries(
    tableDefinitions(service, region).map((table) => [table.logicalId, table.tableName]),
  );
}

interface Resource {
  Type: string;
  Properties?: unknown;
}

function tableDefinition(
  service: ServiceDefinition,
  logicalId: string,
  resource: Resource,
  pseudo: PseudoParameters,
): TableDefinition {
  const where = `resources.Resources.${logicalId}`;
  const fail = (problem: string, fix: string): never => {
    throw configError(service, `${where} (${TABLE_RESOURCE_TYPE}): ${problem}`, fix);
  };
  const properties = isRecord(resource.Properties) ? resource.Properties : {};
  const tableName = resolveTableName(properties.TableName, logicalId, pseudo, fail);
  if (!TABLE_NAME.test(tableName)) {
    fail(
      `TableName "${tableName}" is not a valid table name`,
      'use 3 to 255 characters among a-z, A-Z, 0-9, "_", "-" and "."',
    );
  }
  const keySchema = keyElements(properties.KeySchema, 'KeySchema', fail);
  const attributeDefinitions = list(properties.AttributeDefinitions, 'AttributeDefinitions', fail).map(
    (item, index): AttributeDefinition => {
      const at = `AttributeDefinitions[${index}]`;
      return {
        AttributeName: text(item.AttributeName, `${at}.AttributeName`, fail),
        AttributeType: oneOf(item.AttributeType, ['S', 'N', 'B'], `${at}.AttributeType`, fail) as 'S',
      };
    },
  );
  const billingMode = oneOf(
    properties.BillingMode ?? 'PROVISIONED',
    ['PROVISIONED', 'PAY_PER_REQUEST'],
    'BillingMode',
    fail,
  ) as 'PROVISIONED' | 'PAY_PER_REQUEST';
  const provisioned = billingMode === 'PROVISIONED';
  const throughput = (value: unknown, at: string): ProvisionedThroughput | undefined => {
    if (!provisioned) return undefined;
    if (!isRecord(value)) {
      return fail(
        `${at} is required with BillingMode PROVISIONED (the default)`,
        `add ${at}: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, or set BillingMode: PAY_PER_REQUEST`,
      );
    }
    return {
      ReadCapacityUnits: count(value.ReadCapacityUnits, `${at}.ReadCapacityUnits`, fail),
      WriteCapacityUnits: count(value.WriteCapacityUnits, `${at}.WriteCapacityUnits`, fail),
    };
  };
  const create: TableDefinition['create'] = {
    TableName: tableName,
    KeySchema: keySchema,
    AttributeDefinitions: attributeDefinitions,
    BillingMode: billingMode,
  };
  const tableThroughput = throughput(properties.ProvisionedThroughput, 'ProvisionedThroughput');
  if (tableThroughput) create.ProvisionedThroughput = tableThroughput;
  if (properties.GlobalSecondaryIndexes !== undefined) {
    create.GlobalSecondaryIndexes = list(
      properties.GlobalSecondaryIndexes,
      'GlobalSecondaryIndexes',
      fail,
    ).map((index, position): GlobalSecondaryIndex => {
      const at = `GlobalSecondaryIndexes[${position}]`;
      const gsi: GlobalSecondaryIndex = {
        IndexName: text(index.IndexName, `${at}.IndexName`, fail),
        KeySchema: keyElements(index.KeySchema, `${at}.KeySchema`, fail),
        Projection: projection(index.Projection, `${at}.Projection`, fail),
      };
      const indexThroughput = throughput(index.ProvisionedThroughput, `${at}.ProvisionedThroughput`);
      if (indexThroughput) gsi.ProvisionedThroughput = indexThroughput;
      return gsi;
    });
  }
  if (properties.LocalSecondaryIndexes !== undefined) {
    create.LocalSecondaryIndexes = list(properties.LocalSecondaryIndexes, 'LocalSecondaryIndexes', fail).map(
      (index, position): LocalSecondaryIndex => ({
        IndexName: text(index.IndexName, `LocalSecondaryIndexes[${position}].IndexName`, fail),
        KeySchema: keyElements(index.KeySchema, `LocalSecondaryIndexes[${position}].KeySchema`, fail),
        Projection: projection(index.Projection, `LocalSecondaryIndexes[${position}].Projection`, fail),
      }),
    );
  }
  if (properties.StreamSpecification !== undefined) {
    const stream = isRecord(properties.StreamSpecification) ? properties.StreamSpecification : {};
    create.StreamSpecification = {
      StreamEnabled: true,
      StreamViewType: oneOf(
        stream.StreamViewType,
        STREAM_VIEW_TYPES,
        'StreamSpecification.StreamViewType',
        fail,
      ) as StreamViewType,
    };
  }
  const definition: TableDefinition = { logicalId, tableName, create };
  if (properties.TimeToLiveSpecification !== undefined) {
    const ttl = isRecord(properties.TimeToLiveSpecification) ? properties.TimeToLiveSpecification : {};
    definition.timeToLive = {
      AttributeName: text(ttl.AttributeName, 'TimeToLiveSpecification.AttributeName', fail),
      Enabled: ttl.Enabled === undefined ? true : ttl.Enabled === true || ttl.Enabled === 'true',
    };
  }
  return definition;
}

function resolveTableName(
  value: unknown,
  logicalId: string,
  pseudo: PseudoParameters,
  fail: (problem: string, fix: string) => never,
): string {
  // Without a TableName CloudFormation generates `<stack>-<logicalId>-<random suffix>`; locally the suffix
  // is left out so the name stays the same from one start to the next.
  if (value === undefined) return `${pseudo.stackName}-${logicalId}`;
  try {
    return resolveOrThrow(value, pseudo);
  } catch (error) {
    if (!(error instanceof UnresolvableValueError)) throw error;
    return fail(
      `local-cloud cannot resolve TableName: ${error.message}`,
      'use a plain string or serverless variables (${self:service}-${sls:stage}-items), or Fn::Sub with ${AWS::Region}, ${AWS::AccountId} or ${AWS::StackName}',
    );
  }
}

type Fail = (problem: string, fix: string) => never;

function list(value: unknown, at: string, fail: Fail): Record<string, unknown>[] {
  if (!Array.isArray(value) || value.some((item) => !isRecord(item))) {
    return fail(`${at} must be a list of objects`, `write ${at} as CloudFormation documents it`);
  }
  return value as Record<string, unknown>[];
}

function keyElements(value: unknown, at: string, fail: Fail): KeySchemaElement[] {
  const elements = list(value, at, fail).map((item, index): KeySchemaElement => ({
    AttributeName: text(item.AttributeName, `${at}[${index}].AttributeName`, fail),
    KeyType: oneOf(item.KeyType, ['HASH', 'RANGE'], `${at}[${index}].KeyType`, fail) as 'HASH',
  }));
  if (elements.length === 0) {
    return fail(`${at} is empty`, `add a HASH key (and optionally a RANGE key) to ${at}`);
  }
  return elements;
}

function projection(value: unknown, at: string, fail: Fail): Projection {
  if (!isRecord(value)) return fail(`${at} is missing`, `add ${at}: { ProjectionType: ALL }`);
  const result: Projection = {
    ProjectionType: oneOf(
      value.ProjectionType ?? 'KEYS_ONLY',
      ['ALL', 'KEYS_ONLY', 'INCLUDE'],
      `${at}.ProjectionType`,
      fail,
    ) as 'ALL',
  };
  if (value.NonKeyAttributes !== undefined) {
    if (!Array.isArray(value.NonKeyAttributes) || value.NonKeyAttributes.some((a) => typeof a !== 'string')) {
      return fail(`${at}.NonKeyAttributes must be a list of attribute names`, 'list the names as strings');
    }
    result.NonKeyAttributes = value.NonKeyAttributes as string[];
  }
  return result;
}

function text(value: unknown, at: string, fail: Fail): string {
  if (typeof value !== 'string' || value === '') {
    return fail(`${at} must be a string, got ${JSON.stringify(value)}`, `set ${at} to a plain string`);
  }
  return value;
}

function oneOf(value: unknown, allowed: string[], at: string, fail: Fail): string {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    return fail(`${at} is ${JSON.stringify(value)}`, `use one of ${allowed.join(', ')}`);
  }
  return value;
}

function count(value: unknown, at: string, fail: Fail): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
    return fail(`${at} is ${JSON.stringify(value)}`, `set ${at} to a whole number of at least 1`);
  }
  return number;
}

function configError(service: ServiceDefinition, problem: string, fix: string): ServiceConfigError {
  const file = findConfigFile(service.servicePath) ?? path.join(service.servicePath, 'serverless.yml');
  return new ServiceConfigError(file, problem, fix);
}

export { configError as serviceConfigError };
