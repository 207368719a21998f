// One set of SDK v2 clients per sandbox. No endpoint: on AWS the SDK finds the service from the region.
const AWS = require('aws-sdk');

const documents = new AWS.DynamoDB.DocumentClient();
// v4 signatures for presigned URLs too (the SDK v2 would sign them with v2 in older regions).
const s3 = new AWS.S3({ signatureVersion: 'v4' });
const sns = new AWS.SNS();

module.exports = { documents, s3, sns };
