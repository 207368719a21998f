export { NotImplemented } from './not-implemented';
export {
  actionsOf,
  packageService,
  printService,
  type CloudFormationResource,
  type CloudFormationTemplate,
  type PackagedService,
  type PolicyStatement,
} from './serverless-package';
export { createContext, type FakeContextOptions } from './context';
export { eventually, type EventuallyOptions } from './eventually';
export { invokeHandler, type AnyHandler } from './invoke';
export {
  apiGatewayEvent,
  dynamoDbStreamEvent,
  encodeS3EventKey,
  s3Event,
  scheduledEvent,
  snsEvent,
  TEST_ACCOUNT_ID,
  TEST_REGION,
  type ApiGatewayEventOptions,
  type S3RecordOptions,
  type ScheduledEventOptions,
  type SnsEventOptions,
  type StreamEventOptions,
  type StreamRecordOptions,
  type StreamViewType,
} from './events';
