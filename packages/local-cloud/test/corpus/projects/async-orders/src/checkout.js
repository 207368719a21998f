// The checkout's tasks. charge declines totals above 1,000 with an error the state machine catches by name.
class PaymentDeclined extends Error {
  constructor(total) {
    super(`a payment of ${total} was declined`);
    this.name = 'PaymentDeclined';
  }
}

exports.reserve = async (order) => ({ reserved: order.items.length });

exports.charge = async (order) => {
  if (order.total > 1000) throw new PaymentDeclined(order.total);
  return { charged: order.total };
};

exports.refund = async (order) => ({ refunded: order.total });
