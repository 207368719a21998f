// Jest's globalTeardown: see shared-dynamodb-local.ts.
export { teardown as default } from './shared-dynamodb-local';
