// Forwards clicks from the Kinesis stream to a FIFO queue, one message group per user, in the order they came.
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

const sqs = new SQSClient({});

exports.forward = async (event) => {
  for (const record of event.Records) {
    const click = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: process.env.CLICK_LOG_QUEUE_URL,
        MessageBody: click,
        MessageGroupId: record.kinesis.partitionKey,
        MessageDeduplicationId: record.kinesis.sequenceNumber,
      }),
    );
  }
};
