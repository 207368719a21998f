// What checking a function's calls against its role costs (`--iam enforce` against `--iam off`, in the same
// run): a handler makes GetItem calls back to back and times each, with a role of ten statements, the
// allowing one last (the evaluator reads them all). Rounds alternate between the two modes, so a machine that
// slows down slows both alike; the figure is the difference of the medians.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { IamMode } from '../src/iam/authorizer';
import { percentile } from './percentiles';
import { benchService, withLocalCloud } from './services-support';
import type { ComposedCloud } from '../test/platform/support/compose';

const TABLE = 'iam-bench-items';

export interface IamOverhead {
  enforceP50Ms: number;
  offP50Ms: number;
  calls: number;
}

function service() {
  const definition = benchService(
    'iam',
    { getItems: { handler: 'src/get-items.handler', events: [] } },
    {
      Items: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: TABLE,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        },
      },
    },
  );
  const others = Array.from({ length: 9 }, (_, i) => ({
    Effect: 'Allow',
    Action: ['dynamodb:PutItem', 'dynamodb:Query'],
    Resource: `arn:aws:dynamodb:us-east-1:123456789012:table/other-${i}`,
  }));
  definition.provider.iamRole = {
    statements: [
      ...others,
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`,
      },
    ],
  };
  return definition;
}

async function durations(mode: IamMode, calls: number): Promise<number[]> {
  const measure = async (cloud: ComposedCloud) => {
    const lambda = new LambdaClient({
      endpoint: cloud.lambdaEndpoint,
      region: 'us-east-1',
      credentials: cloud.credentials,
    });
    try {
      const invoke = async (count: number) => {
        const output = await lambda.send(
          new InvokeCommand({
            FunctionName: 'iam-bench-getItems',
            Payload: JSON.stringify({ table: TABLE, calls: count }),
          }),
        );
        if (output.FunctionError) throw new Error(Buffer.from(output.Payload!).toString());
        return JSON.parse(Buffer.from(output.Payload!).toString()) as number[];
      };
      await invoke(20); // warm: the sandbox, the SDK's connection, DynamoDB Local's JIT
      return await invoke(calls);
    } finally {
      lambda.destroy();
    }
  };
  return withLocalCloud(service(), undefined, measure, { iam: mode });
}

export async function runIamOverheadBenchmark(calls = 300, rounds = 3): Promise<IamOverhead> {
  const enforce: number[] = [];
  const off: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order: IamMode[] = round % 2 === 0 ? ['enforce', 'off'] : ['off', 'enforce'];
    for (const mode of order) (mode === 'enforce' ? enforce : off).push(...(await durations(mode, calls)));
  }
  return { enforceP50Ms: percentile(enforce, 0.5), offP50Ms: percentile(off, 0.5), calls: enforce.length };
}
