const { documents } = require('../lib/aws');

const { ORDERS_TABLE } = process.env;

// The bookkeeping side: every order.paid announcement is recorded on the order, once.
module.exports.handler = async (event) => {
  for (const record of event.Records) {
    const { orderId, total } = JSON.parse(record.Sns.Message);
    await documents
      .update({
        TableName: ORDERS_TABLE,
        Key: { orderId },
        UpdateExpression: 'SET recordedAmount = :total, recordedBy = :message',
        ExpressionAttributeValues: { ':total': total, ':message': record.Sns.MessageId },
      })
      .promise();
  }
};
