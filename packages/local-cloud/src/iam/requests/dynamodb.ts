// The IAM authorization requests one DynamoDB or DynamoDB Streams call makes, as AWS evaluates them ("Actions,
// resources, and condition keys for Amazon DynamoDB", Service Authorization Reference): the action, the table,
// index or stream ARN, and the fine-grained access keys (dynamodb:LeadingKeys, dynamodb:Attributes,
// dynamodb:Select, dynamodb:ReturnValues, ...) of "Using IAM policy conditions for fine-grained access
// control". The input is what the DynamoDB endpoint has at dispatch: the operation named by X-Amz-Target
// (`DynamoDB_20120810.Query` or `DynamoDBStreams_20120810.GetRecords`, after the dot) and the parsed JSON body.
import type { AuthorizationRequest } from '../policy-types';

export interface DynamoDbTarget {
  region: string;
  accountId: string;
  /**
   * The partition key attribute of a table (or, for a Query on an index, of that index), when the caller
   * knows the key schema. Without it, dynamodb:LeadingKeys is worked out only where the request itself shows
   * which key is the partition key: a `Key` of one attribute, a key condition with one equality. Otherwise
   * the key is left out of the request (a `ForAllValues` condition on it then holds, as for any absent key).
   */
  partitionKeyOf?: (table: string, index?: string) => string | undefined;
}

type Input = Record<string, unknown>;
type Context = AuthorizationRequest['context'];

/** A table of the request, and how to name it in ARNs and in the key-schema lookup. */
interface TableRef {
  name: string;
  arn: string;
}

export function dynamodbAuthorizationRequests(
  operation: string,
  input: Input,
  target: DynamoDbTarget,
): AuthorizationRequest[] {
  const handler = HANDLERS.get(operation);
  if (handler) return handler(input, target, operation);
  return [{ action: `dynamodb:${operation}`, resource: resourceOf(input, target), context: {} }];
}

type Handler = (input: Input, target: DynamoDbTarget, operation: string) => AuthorizationRequest[];

/** Operations that act on no resource: the Service Authorization Reference lists no resource type for them. */
const ACCOUNT_WIDE = [
  'ListTables',
  'ListGlobalTables',
  'ListBackups',
  'ListExports',
  'ListImports',
  'ListContributorInsights',
  'DescribeLimits',
  'DescribeEndpoints',
  'DescribeReservedCapacity',
  'DescribeReservedCapacityOfferings',
  // DynamoDB Streams' ListStreams is not resource-scoped (CDK's grantStreamRead grants it on `*` for this).
  'ListStreams',
];

// A Map: an operation is whatever X-Amz-Target says, `constructor` and `__proto__` included.
const HANDLERS = new Map<string, Handler>(
  Object.entries({
    ...Object.fromEntries(ACCOUNT_WIDE.map((name) => [name, accountWide])),
    GetItem: (input, target) => [itemRequest('GetItem', input, target)],
    PutItem: (input, target) => [itemRequest('PutItem', input, target)],
    UpdateItem: (input, target) => [itemRequest('UpdateItem', input, target)],
    DeleteItem: (input, target) => [itemRequest('DeleteItem', input, target)],
    Query: (input, target) => [readRequest('Query', input, target)],
    Scan: (input, target) => [readRequest('Scan', input, target)],
    BatchGetItem: batchGetItem,
    BatchWriteItem: batchWriteItem,
    TransactGetItems: transactGetItems,
    TransactWriteItems: transactWriteItems,
    ExecuteStatement: (input, target) => partiqlRequests([input.Statement], target),
    BatchExecuteStatement: (input, target) =>
      partiqlRequests(
        records(input.Statements).map((entry) => entry.Statement),
        target,
      ),
    ExecuteTransaction: (input, target) =>
      partiqlRequests(
        records(input.TransactStatements).map((entry) => entry.Statement),
        target,
      ),
    DescribeStream: streamRequest,
    GetShardIterator: streamRequest,
    GetRecords: getRecords,
  } satisfies Record<string, Handler>),
);

function accountWide(_input: Input, _target: DynamoDbTarget, operation: string): AuthorizationRequest[] {
  return [{ action: `dynamodb:${operation}`, resource: '*', context: {} }];
}

/** Control-plane operations name their table (`TableName`), a backup, or any resource (`ResourceArn`, tagging). */
function resourceOf(input: Input, target: DynamoDbTarget): string {
  const table = tableRef(input.TableName, target);
  if (table) return table.arn;
  return text(input.ResourceArn) ?? text(input.BackupArn) ?? '*';
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>`; DynamoDB also takes the table's ARN as TableName. */
function tableRef(value: unknown, target: DynamoDbTarget): TableRef | undefined {
  const given = text(value);
  if (given === undefined || given === '') return undefined;
  if (given.startsWith('arn:')) {
    const name = /:table\/([^/]+)/.exec(given)?.[1] ?? given;
    return { name, arn: given };
  }
  return { name: given, arn: `arn:aws:dynamodb:${target.region}:${target.accountId}:table/${given}` };
}

/** GetItem, PutItem, UpdateItem, DeleteItem: one item of one table. */
function itemRequest(action: string, input: Input, target: DynamoDbTarget): AuthorizationRequest {
  const table = tableRef(input.TableName, target);
  const key = record(action === 'PutItem' ? input.Item : input.Key);
  const context: Context = {
    ...leadingKeysOfItems(table, [key], target),
    ...attributesContext([...Object.keys(key), ...requestAttributeNames(input)]),
    ...returnValuesContext(action, input),
    ...consumedCapacityContext(input),
  };
  return { action: `dynamodb:${action}`, resource: table?.arn ?? '*', context };
}

/** Query and Scan: the table, or `table/<t>/index/<i>` when IndexName is given. */
function readRequest(action: 'Query' | 'Scan', input: Input, target: DynamoDbTarget): AuthorizationRequest {
  const table = tableRef(input.TableName, target);
  const index = text(input.IndexName);
  const resource = table === undefined ? '*' : index ? `${table.arn}/index/${index}` : table.arn;
  const context: Context = {
    ...(action === 'Query' ? leadingKeysOfQuery(table, input, target) : {}),
    ...attributesContext(requestAttributeNames(input)),
    'dynamodb:Select': selectOf(input),
    ...consumedCapacityContext(input),
  };
  return { action: `dynamodb:${action}`, resource, context };
}

/**
 * The Select a Query or Scan runs with, which "always has a value": the one given, SPECIFIC_ATTRIBUTES with a
 * projection, ALL_PROJECTED_ATTRIBUTES on an index, ALL_ATTRIBUTES otherwise (the Query API reference).
 */
function selectOf(input: Input): string {
  const given = text(input.Select);
  if (given) return given;
  if (text(input.ProjectionExpression) || Array.isArray(input.AttributesToGet)) return 'SPECIFIC_ATTRIBUTES';
  return text(input.IndexName) ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
}

/** BatchGetItem is authorized as dynamodb:BatchGetItem on each table it reads. */
function batchGetItem(input: Input, target: DynamoDbTarget): AuthorizationRequest[] {
  return Object.entries(record(input.RequestItems)).map(([name, value]) => {
    const table = tableRef(name, target);
    const request = record(value);
    const keys = records(request.Keys);
    const context: Context = {
      ...leadingKeysOfItems(table, keys, target),
      ...attributesContext([...keys.flatMap((key) => Object.keys(key)), ...requestAttributeNames(request)]),
      ...consumedCapacityContext(input),
    };
    return { action: 'dynamodb:BatchGetItem', resource: table?.arn ?? '*', context };
  });
}

/** BatchWriteItem is authorized as dynamodb:BatchWriteItem on each table it writes. */
function batchWriteItem(input: Input, target: DynamoDbTarget): AuthorizationRequest[] {
  return Object.entries(record(input.RequestItems)).map(([name, value]) => {
    const table = tableRef(name, target);
    const items = records(value).map((write) =>
      record(record(write.PutRequest).Item ?? record(write.DeleteRequest).Key),
    );
    const context: Context = {
      ...leadingKeysOfItems(table, items, target),
      ...attributesContext(items.flatMap((item) => Object.keys(item))),
      ...consumedCapacityContext(input),
    };
    return { action: 'dynamodb:BatchWriteItem', resource: table?.arn ?? '*', context };
  });
}

/**
 * "Using IAM with DynamoDB transactions": each Get of a TransactGetItems is dynamodb:GetItem on its table, with
 * dynamodb:EnclosingOperation naming the transaction.
 */
function transactGetItems(input: Input, target: DynamoDbTarget): AuthorizationRequest[] {
  return records(input.TransactItems).map((entry) =>
    transactionItem('GetItem', record(entry.Get), target, 'TransactGetItems'),
  );
}

/** Each Put, Update, Delete and ConditionCheck of a TransactWriteItems is its own item action. */
function transactWriteItems(input: Input, target: DynamoDbTarget): AuthorizationRequest[] {
  return records(input.TransactItems).flatMap((entry) =>
    TRANSACT_WRITE_ACTIONS.filter(([member]) => entry[member] !== undefined).map(([member, action]) =>
      transactionItem(action, record(entry[member]), target, 'TransactWriteItems'),
    ),
  );
}

const TRANSACT_WRITE_ACTIONS: [string, string][] = [
  ['Put', 'PutItem'],
  ['Update', 'UpdateItem'],
  ['Delete', 'DeleteItem'],
  ['ConditionCheck', 'ConditionCheckItem'],
];

function transactionItem(
  action: string,
  item: Input,
  target: DynamoDbTarget,
  enclosing: string,
): AuthorizationRequest {
  const request = itemRequest(action, item, target);
  // ReturnValues belongs to the single-item API; a transaction's items have ReturnValuesOnConditionCheckFailure.
  const { 'dynamodb:ReturnValues': _omitted, ...context } = request.context;
  return { ...request, context: { ...context, 'dynamodb:EnclosingOperation': enclosing } };
}

/**
 * "IAM security policies with PartiQL for DynamoDB": a statement needs dynamodb:PartiQLSelect, PartiQLInsert,
 * PartiQLUpdate or PartiQLDelete, by its verb, on the table (or `"table"."index"`) it names.
 */
function partiqlRequests(statements: unknown[], target: DynamoDbTarget): AuthorizationRequest[] {
  return statements.map((statement) => partiqlRequest(text(statement) ?? '', target));
}

function partiqlRequest(statement: string, target: DynamoDbTarget): AuthorizationRequest {
  // EXISTS(SELECT ...) in ExecuteTransaction reads: it is a select. So is a statement of no known verb, which
  // DynamoDB refuses on its own.
  const verb = /^\s*(?:EXISTS\s*\(\s*)?(SELECT|INSERT|UPDATE|DELETE)\b/i.exec(statement)?.[1]?.toUpperCase();
  const action = `dynamodb:PartiQL${verb ? verb.charAt(0) + verb.slice(1).toLowerCase() : 'Select'}`;
  const named =
    /\b(?:FROM|INTO|UPDATE)\s+("(?:[^"]|"")+"|[A-Za-z0-9_.-]+)(?:\s*\.\s*("(?:[^"]|"")+"))?/i.exec(statement);
  const table = named?.[1] === undefined ? undefined : tableRef(unquote(named[1]), target);
  if (!table) return { action, resource: '*', context: {} };
  const index = named?.[2] === undefined ? undefined : unquote(named[2]);
  return { action, resource: index ? `${table.arn}/index/${index}` : table.arn, context: {} };
}

function unquote(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replaceAll('""', '"') : identifier;
}

/** DescribeStream and GetShardIterator name their stream by ARN. */
function streamRequest(input: Input, _target: DynamoDbTarget, operation: string): AuthorizationRequest[] {
  return [{ action: `dynamodb:${operation}`, resource: text(input.StreamArn) ?? '*', context: {} }];
}

/**
 * GetRecords names no stream: its shard iterator carries the stream's ARN (`...table/<t>/stream/<label>|...`),
 * in AWS's form or DynamoDB Local's (`ddblocal:000000000000`); either way the ARN is rebuilt in the service's
 * region and account, the form clients and policies see.
 */
function getRecords(input: Input, target: DynamoDbTarget): AuthorizationRequest[] {
  const stream = /:table\/([^/|]+)\/stream\/([^|]+)/.exec(text(input.ShardIterator) ?? '');
  const resource = stream
    ? `arn:aws:dynamodb:${target.region}:${target.accountId}:table/${stream[1]}/stream/${stream[2]}`
    : '*';
  return [{ action: 'dynamodb:GetRecords', resource, context: {} }];
}

/** dynamodb:LeadingKeys of items given whole (Key, Item): the partition key's values. */
function leadingKeysOfItems(table: TableRef | undefined, items: Input[], target: DynamoDbTarget): Context {
  const known = table ? target.partitionKeyOf?.(table.name) : undefined;
  const values: string[] = [];
  for (const item of items) {
    const names = Object.keys(item);
    // Without the key schema only a one-attribute key says which attribute is the partition key.
    const name = known ?? (names.length === 1 ? names[0] : undefined);
    const value = name === undefined ? undefined : scalarText(item[name]);
    if (value === undefined) return {};
    values.push(value);
  }
  return values.length > 0 ? { 'dynamodb:LeadingKeys': [...new Set(values)] } : {};
}

/** dynamodb:LeadingKeys of a Query: the value its key condition compares the (index's) partition key with. */
function leadingKeysOfQuery(table: TableRef | undefined, input: Input, target: DynamoDbTarget): Context {
  const known = table ? target.partitionKeyOf?.(table.name, text(input.IndexName)) : undefined;
  const equalities = keyEqualities(input);
  const chosen = known
    ? equalities.find(([name]) => name === known)
    : equalities.length === 1
      ? equalities[0]
      : undefined;
  return chosen ? { 'dynamodb:LeadingKeys': [chosen[1]] } : {};
}

/** The `attribute = value` comparisons of KeyConditionExpression (or the EQ conditions of KeyConditions). */
function keyEqualities(input: Input): [string, string][] {
  const pairs: [string, string][] = [];
  const expression = text(input.KeyConditionExpression);
  if (expression !== undefined) {
    const names = record(input.ExpressionAttributeNames);
    const values = record(input.ExpressionAttributeValues);
    for (const match of expression.matchAll(/([#\w.]+)\s*=\s*(:\w+)/g)) {
      const name = match[1]!.startsWith('#') ? text(names[match[1]!]) : match[1];
      const value = scalarText(values[match[2]!]);
      if (name !== undefined && value !== undefined) pairs.push([name, value]);
    }
    return pairs;
  }
  for (const [name, condition] of Object.entries(record(input.KeyConditions))) {
    const { ComparisonOperator, AttributeValueList } = record(condition);
    const value = Array.isArray(AttributeValueList) ? scalarText(AttributeValueList[0]) : undefined;
    if (ComparisonOperator === 'EQ' && value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}

/** A key attribute's value as IAM compares it: the string, the number's text, the base64 of a binary. */
function scalarText(value: unknown): string | undefined {
  const typed = record(value);
  return text(typed.S) ?? text(typed.N) ?? text(typed.B);
}

/**
 * The top-level attribute names a request reads, writes or tests (dynamodb:Attributes): an Item's names, and
 * those its expressions and legacy parameters (AttributesToGet, AttributeUpdates, Expected, ...) name.
 */
function requestAttributeNames(input: Input): string[] {
  const names = record(input.ExpressionAttributeNames);
  const fromExpressions = [
    'ProjectionExpression',
    'UpdateExpression',
    'ConditionExpression',
    'FilterExpression',
    'KeyConditionExpression',
  ].flatMap((parameter) => expressionNames(text(input[parameter]) ?? '', names));
  return [
    ...Object.keys(record(input.Item)),
    ...fromExpressions,
    ...(Array.isArray(input.AttributesToGet) ? input.AttributesToGet.filter(isText) : []),
    ...['AttributeUpdates', 'Expected', 'ScanFilter', 'QueryFilter', 'KeyConditions'].flatMap((parameter) =>
      Object.keys(record(input[parameter])),
    ),
  ];
}

/** Words of an expression that are not attribute names. */
const EXPRESSION_WORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN']);

/** The top-level attributes an expression names: `#n` resolved, nested paths (`a.b[0]`) cut to `a`. */
function expressionNames(expression: string, placeholders: Input): string[] {
  const found: string[] = [];
  // A name starts where no word, placeholder, value (`:v`) or path (`a.b`, `a[0].b`) goes on.
  for (const match of expression.matchAll(/(?<![\w#:.\]])(#?[A-Za-z_]\w*)(\s*\()?/g)) {
    const [, word, call] = match;
    if (call !== undefined || word === undefined) continue; // a function: attribute_exists(...), size(...)
    if (word.startsWith('#')) {
      const name = text(placeholders[word]);
      if (name !== undefined) found.push(name);
    } else if (!EXPRESSION_WORDS.has(word.toUpperCase())) {
      found.push(word);
    }
  }
  return found;
}

function attributesContext(names: string[]): Context {
  return names.length > 0 ? { 'dynamodb:Attributes': [...new Set(names)] } : {};
}

/** ReturnValues "always has a value (NONE unless otherwise specified)" for the writes that take it. */
function returnValuesContext(action: string, input: Input): Context {
  if (action === 'GetItem') return {};
  return { 'dynamodb:ReturnValues': text(input.ReturnValues) ?? 'NONE' };
}

function consumedCapacityContext(input: Input): Context {
  const given = text(input.ReturnConsumedCapacity);
  return given === undefined ? {} : { 'dynamodb:ReturnConsumedCapacity': given };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

function record(value: unknown): Input {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Input) : {};
}

function records(value: unknown): Input[] {
  return Array.isArray(value) ? value.map(record) : [];
}
