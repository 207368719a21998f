// For each AWS API call local-cloud serves, the IAM authorization requests AWS evaluates for it (action,
// resource ARN, condition keys): one pure function per service, taking the operation and the input the
// service has at dispatch, and the region and account its ARNs are in. An operation a function does not know
// is `<prefix>:<Operation>` on `*`.
export { dynamodbAuthorizationRequests, type DynamoDbTarget } from './dynamodb';
export { eventbridgeAuthorizationRequests } from './eventbridge';
export { executeApiAuthorizationRequests, type ManagementRequestInput } from './execute-api';
export { kinesisAuthorizationRequests } from './kinesis';
export { lambdaAuthorizationRequests, type LambdaRequestInput } from './lambda';
export { s3AuthorizationRequests, type S3RequestInput } from './s3';
export { secretsAuthorizationRequests } from './secrets';
export { snsAuthorizationRequests, type SnsParameters } from './sns';
export { sqsAuthorizationRequests } from './sqs';
export { ssmAuthorizationRequests } from './ssm';
export { stepfunctionsAuthorizationRequests } from './stepfunctions';
