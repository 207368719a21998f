// The DynamoDB tasks (arn:aws:states:::dynamodb:putItem, getItem, updateItem, deleteItem) against local-cloud's
// DynamoDB, through the AWS endpoint as a deployed workflow reaches DynamoDB: the SDK's responses as the results,
// and DynamoDB's exceptions as `DynamoDB.<Exception>` errors a Catch matches
// (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html).
import path from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { start, type LocalCloud } from '../../src';
import { serviceDefinition } from '../support/function-definition';

const REGION = 'us-east-1';
const TABLE = { Ref: 'ItemsTable' };

const DEFINITION = {
  StartAt: 'Put',
  States: {
    Put: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { TableName: TABLE, Item: { pk: { 'S.$': '$.id' }, n: { N: '1' } } },
      ResultPath: null,
      Next: 'Add',
    },
    Add: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: {
        TableName: TABLE,
        Key: { pk: { 'S.$': '$.id' } },
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': { N: '41' } },
        ReturnValues: 'UPDATED_NEW',
      },
      ResultSelector: { 'n.$': '$.Attributes.n.N' },
      ResultPath: '$.updated',
      Next: 'Get',
    },
    Get: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: TABLE, Key: { pk: { 'S.$': '$.id' } } },
      ResultSelector: { 'item.$': '$.Item', 'status.$': '$.SdkHttpMetadata.HttpStatusCode' },
      ResultPath: '$.got',
      Next: 'PutAgain',
    },
    PutAgain: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: {
        TableName: TABLE,
        Item: { pk: { 'S.$': '$.id' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
      Catch: [
        {
          ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'],
          ResultPath: '$.refused',
          Next: 'Delete',
        },
      ],
      Next: 'Delete',
    },
    Delete: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:deleteItem',
      Parameters: { TableName: TABLE, Key: { pk: { 'S.$': '$.id' } } },
      ResultPath: null,
      End: true,
    },
  },
};

describe('DynamoDB tasks', () => {
  let cloud: LocalCloud;
  let sfn: SFNClient;

  beforeAll(async () => {
    cloud = await start({
      service: {
        ...serviceDefinition({
          service: 'sfn-ddb',
          servicePath: path.join(__dirname, 'fixtures'),
          resources: {
            ItemsTable: {
              Type: 'AWS::DynamoDB::Table',
              Properties: {
                TableName: 'sfn-ddb-items',
                BillingMode: 'PAY_PER_REQUEST',
                AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
                KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
              },
            },
          },
        }),
        stepFunctions: { stateMachines: { items: { name: 'sfn-ddb-items', definition: DEFINITION } } },
      },
      inMemory: true,
    });
    sfn = new SFNClient({ endpoint: cloud.lambdaEndpoint, region: REGION, credentials: cloud.credentials });
  }, 120_000);

  afterAll(async () => {
    sfn?.destroy();
    await cloud?.stop();
  });

  it('put, update, get and delete an item; a refused condition is DynamoDB.ConditionalCheckFailedException', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: `arn:aws:states:${REGION}:123456789012:stateMachine:sfn-ddb-items`,
        input: JSON.stringify({ id: 'item-1' }),
      }),
    );
    await cloud.platform.services.stepFunctions.machines.execution(executionArn!).done;
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    const output = JSON.parse(described.output!) as { refused: { Error: string; Cause: string } };
    expect(output).toMatchObject({
      id: 'item-1',
      updated: { n: '42' },
      got: { item: { pk: { S: 'item-1' }, n: { N: '42' } }, status: 200 },
      refused: { Error: 'DynamoDB.ConditionalCheckFailedException' },
    });
    expect(output.refused.Cause).toContain('The conditional request failed');
  }, 30_000);
});
