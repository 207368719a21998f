const crypto = require('crypto');
const { documents, s3 } = require('../lib/aws');
const { respond } = require('../lib/http');

const { ORDERS_TABLE, RECEIPTS_BUCKET, SUPPORT_EMAIL } = process.env;
const URL_LIFETIME_SECONDS = 300;

function receiptKey(orderId) {
  return `receipts/${orderId}.pdf`;
}

module.exports.create = async (event) => {
  let order;
  try {
    order = JSON.parse(event.body || '{}');
  } catch {
    return respond(400, { message: 'The body must be JSON.' });
  }
  if (!Array.isArray(order.items) || order.items.length === 0) {
    return respond(400, { message: 'An order needs at least one item.', support: SUPPORT_EMAIL });
  }
  const item = {
    orderId: crypto.randomBytes(8).toString('hex'),
    customer: order.customer,
    items: order.items,
    total: order.items.reduce((sum, line) => sum + line.price * line.quantity, 0),
    status: 'AWAITING_PAYMENT',
    createdAt: new Date().toISOString(),
  };
  await documents.put({ TableName: ORDERS_TABLE, Item: item }).promise();
  const uploadUrl = s3.getSignedUrl('putObject', {
    Bucket: RECEIPTS_BUCKET,
    Key: receiptKey(item.orderId),
    ContentType: 'application/pdf',
    Expires: URL_LIFETIME_SECONDS,
  });
  return respond(201, { order: item, uploadUrl, support: SUPPORT_EMAIL });
};

module.exports.get = async (event) => {
  const { orderId } = event.pathParameters;
  const { Item } = await documents.get({ TableName: ORDERS_TABLE, Key: { orderId } }).promise();
  if (!Item) return respond(404, { message: `Order ${orderId} does not exist.`, support: SUPPORT_EMAIL });
  const receiptUrl =
    Item.status === 'AWAITING_PAYMENT'
      ? undefined
      : s3.getSignedUrl('getObject', {
          Bucket: RECEIPTS_BUCKET,
          Key: receiptKey(orderId),
          Expires: URL_LIFETIME_SECONDS,
        });
  return respond(200, { order: Item, receiptUrl });
};
