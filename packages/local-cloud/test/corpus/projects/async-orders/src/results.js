// Where the functions report what they did: a queue the test reads, as a team would check a pipeline.
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

const sqs = new SQSClient({});

exports.report = (result) =>
  sqs.send(
    new SendMessageCommand({ QueueUrl: process.env.RESULTS_QUEUE_URL, MessageBody: JSON.stringify(result) }),
  );
