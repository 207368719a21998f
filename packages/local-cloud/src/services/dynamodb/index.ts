export { createDynamoDbService, type DynamoDbService, type DynamoDbServiceOptions } from './dynamodb-service';
export { DynamoDbLocalStartError } from './dynamodb-local-process';
export { JavaRequirementError, MINIMUM_JAVA_VERSION, type JavaProbe } from './java';
export { tableDefinitions, tableNamesByLogicalId, type TableDefinition } from './table-definitions';
export { TableCreationError, type TableReport } from './tables';
