// An AWS SDK v2 service (CommonJS, `require('aws-sdk')`, clients without an endpoint) started unchanged:
// orders go into DynamoDB through the DocumentClient, the receipt goes up through the presigned PUT URL
// getSignedUrl made, the upload triggers a function that marks the order paid and publishes to SNS, and the
// subscriber records it; ${ssm:...} in serverless.yml reads local-cloud's Parameter Store.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '@serverless-course/test-kit';
import { answer, request, useProject } from './support';

const STAGE = 'corpus-v2';
const TABLE = `sdk-v2-orders-${STAGE}-orders`;
const BUCKET = `sdk-v2-orders-${STAGE}-receipts`;
const SUPPORT_EMAIL = 'help@orders.example';
const RECEIPT = Buffer.from('%PDF-1.7 receipt for two mugs and a teapot');

interface Order {
  orderId: string;
  status: string;
  total: number;
  receiptSize?: number;
  recordedAmount?: number;
  recordedBy?: string;
}

const project = useProject('sdk-v2-orders', {
  stage: STAGE,
  files: {
    '.local-cloud/secrets.json': JSON.stringify({
      parameters: { [`/sdk-v2-orders/${STAGE}/support-email`]: SUPPORT_EMAIL },
    }),
  },
});
const orders = () => `${project().cloud.apiUrl}/orders`;

describe('an AWS SDK v2 service', () => {
  it('starts with no warning, with ${ssm:...} read from local-cloud', () => {
    expect(project().warnings()).toEqual([]);
    expect(project().cloud.service.functions.createOrder!.environment.SUPPORT_EMAIL).toBe(SUPPORT_EMAIL);
  });

  it('takes an order, the receipt through its presigned URL, and marks it paid through S3 and SNS', async () => {
    const created = await request<{ order: Order; uploadUrl: string; support: string }>(orders(), {
      body: {
        customer: 'ada',
        items: [
          { sku: 'mug', price: 8, quantity: 2 },
          { sku: 'teapot', price: 24, quantity: 1 },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      order: { status: 'AWAITING_PAYMENT', total: 40 },
      support: SUPPORT_EMAIL,
    });
    const { orderId } = created.body.order;
    // Presigned for local-cloud's AWS endpoint, so a browser (here, this test) can use it, as it uses AWS's.
    const uploadUrl = new URL(created.body.uploadUrl);
    expect(uploadUrl.origin).toBe(project().cloud.lambdaEndpoint);
    expect(uploadUrl.pathname).toBe(`/${BUCKET}/receipts/${orderId}.pdf`);
    expect(uploadUrl.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');

    const upload = await fetch(created.body.uploadUrl, {
      method: 'PUT',
      body: RECEIPT,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(upload.status).toBe(200);

    const documents = DynamoDBDocumentClient.from(new DynamoDBClient(project().aws));
    const stored = await eventually(
      async () => {
        const { Item } = await documents.send(new GetCommand({ TableName: TABLE, Key: { orderId } }));
        expect(Item).toMatchObject({ status: 'PAID', recordedAmount: 40 });
        return Item as Order;
      },
      { timeoutMs: 10_000, description: 'the order to be paid and recorded' },
    );
    expect(stored).toMatchObject({ receiptSize: RECEIPT.length, recordedBy: expect.any(String) as unknown });

    const read = await request<{ order: Order; receiptUrl: string }>(`${orders()}/${orderId}`);
    expect(read.body.order).toEqual(stored);
    const receipt = await fetch(read.body.receiptUrl);
    expect(receipt.status).toBe(200);
    expect(Buffer.from(await receipt.arrayBuffer())).toEqual(RECEIPT);
  });

  it('refuses an order without items, and answers 404 for an unknown one, naming the support address', async () => {
    const empty = await request(orders(), { body: { customer: 'ada', items: [] } });
    const unknown = await request(`${orders()}/0000`);

    expect(empty).toMatchObject({
      status: 400,
      body: { message: 'An order needs at least one item.', support: SUPPORT_EMAIL },
    });
    expect(unknown).toMatchObject(answer(404, 'Order 0000 does not exist.'));
  });

  it('refuses a presigned upload whose URL was tampered with', async () => {
    const created = await request<{ uploadUrl: string }>(orders(), {
      body: { customer: 'bob', items: [{ sku: 'spoon', price: 3, quantity: 1 }] },
    });
    const tampered = created.body.uploadUrl.replace('/receipts/', '/receipts/other-');

    const upload = await fetch(tampered, {
      method: 'PUT',
      body: RECEIPT,
      headers: { 'content-type': 'application/pdf' },
    });

    expect(upload.status).toBe(403);
    expect(await upload.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
