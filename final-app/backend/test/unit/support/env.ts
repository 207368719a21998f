// The environment serverless.yml gives the functions, for handlers imported by unit tests. Imported first,
// before any handler module reads it.
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'AKIDUNITTEST';
process.env.AWS_SECRET_ACCESS_KEY = 'unit-test-secret';
process.env.GROUPS_TABLE = 'groups-table';
process.env.IMAGES_TABLE = 'images-table';
process.env.IMAGES_GROUP_INDEX = 'group-index';
process.env.CONNECTIONS_TABLE = 'connections-table';
process.env.IMAGES_BUCKET = 'images-bucket';
process.env.SEARCH_INDEX_BUCKET = 'search-bucket';
process.env.PAGINATION_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pagination-AbCdEf';
process.env.WEBSOCKET_MANAGEMENT_ENDPOINT = 'https://abc123.execute-api.us-east-1.amazonaws.com/dev';
process.env.AWS_XRAY_CONTEXT_MISSING = 'IGNORE_ERROR';
delete process.env.OPENSEARCH_ENDPOINT;

export const PAGINATION_SECRET = JSON.stringify({ key: 'unit-test-pagination-key' });
