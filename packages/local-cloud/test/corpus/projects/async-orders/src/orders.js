// The order worker and the large-order flagger.
const { report } = require('./results');

/** Fulfils each order in the batch; an order marked poison fails, and only it is reported as failed. */
exports.fulfil = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    const order = JSON.parse(record.body);
    const attempt = Number(record.attributes.ApproximateReceiveCount);
    if (order.poison) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      await report({ failed: order.id, attempt });
    } else {
      await report({ fulfilled: order.id, attempt });
    }
  }
  return { batchItemFailures };
};

/** Runs for OrderPlaced events of large orders only (the rule's pattern filters the rest). */
exports.flagLarge = async (event) => {
  await report({ flagged: event.detail.id, source: event.source, detailType: event['detail-type'] });
};
