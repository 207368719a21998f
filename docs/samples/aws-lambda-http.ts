// The same tiny HTTP function on AWS Lambda (behind API Gateway's proxy integration), shown in the docs'
// three-clouds chapter. Compiled by `npm run typecheck`, so the sample cannot drift from a real signature.
import type { APIGatewayProxyEvent, APIGatewayProxyResult, S3Event } from 'aws-lambda';

// #region http
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const name = event.queryStringParameters?.name ?? 'world';
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: `Hello, ${name}!` }),
  };
};
// #endregion

// #region storage
export const onUpload = async (event: S3Event): Promise<void> => {
  for (const record of event.Records) {
    // S3 URL-encodes keys, with spaces as '+'.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    console.log(`new object ${record.s3.bucket.name}/${key} (${record.s3.object.size} bytes)`);
  }
};
// #endregion
