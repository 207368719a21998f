const path = require('path');
const { documents, s3, sns } = require('../lib/aws');

const { ORDERS_TABLE, ORDER_EVENTS_TOPIC } = process.env;

// receipts/<orderId>.pdf arrived: the order is paid. Announce it to whoever listens.
module.exports.handler = async (event) => {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const orderId = path.basename(key, '.pdf');
    const head = await s3.headObject({ Bucket: bucket, Key: key }).promise();
    const { Attributes } = await documents
      .update({
        TableName: ORDERS_TABLE,
        Key: { orderId },
        UpdateExpression: 'SET #status = :paid, receiptSize = :size',
        ConditionExpression: 'attribute_exists(orderId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':paid': 'PAID', ':size': head.ContentLength },
        ReturnValues: 'ALL_NEW',
      })
      .promise();
    await sns
      .publish({
        TopicArn: ORDER_EVENTS_TOPIC,
        Message: JSON.stringify({ orderId, total: Attributes.total }),
        MessageAttributes: { type: { DataType: 'String', StringValue: 'order.paid' } },
      })
      .promise();
  }
};
