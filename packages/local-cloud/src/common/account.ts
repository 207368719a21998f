// The AWS account local-cloud stands for: every ARN it makes (functions, topics, tables, buckets' events,
// rules) names it, as AWS names the deploying account.
export const ACCOUNT_ID = '123456789012';
