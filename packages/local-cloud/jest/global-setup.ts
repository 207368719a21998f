// Jest's globalSetup: see shared-dynamodb-local.ts.
export { setup as default } from './shared-dynamodb-local';
