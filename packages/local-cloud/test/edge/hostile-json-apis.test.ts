// EventBridge, Kinesis and Step Functions at the AWS endpoint under signed requests no SDK sends: a body that is
// not JSON, JSON of the wrong shape, wrong types, an unknown operation. Every answer is the service's own JSON
// error with a 4xx status, naming the problem; none leaks a stack trace or a path, and the service keeps
// answering afterwards.
import path from 'node:path';
import { start, type LocalCloud } from '../../src';
import { expectNothingInternal } from '../support/leaks';
import { sendSigned } from '../support/raw-http';
import { serviceDefinition } from '../support/function-definition';

const REGION = 'eu-west-1';

const APIS = [
  { service: 'events', target: 'AWSEvents', operation: 'PutEvents', type: 'application/x-amz-json-1.1' },
  {
    service: 'kinesis',
    target: 'Kinesis_20131202',
    operation: 'PutRecord',
    type: 'application/x-amz-json-1.1',
  },
  {
    service: 'states',
    target: 'AWSStepFunctions',
    operation: 'StartExecution',
    type: 'application/x-amz-json-1.0',
  },
] as const;

const HOSTILE_BODIES: [string, string][] = [
  ['a body that is not JSON', '{not json'],
  ['a JSON array', '[1,2,3]'],
  ['a JSON string', '"PutEvents"'],
  ['null', 'null'],
  [
    'fields of the wrong types',
    '{"Entries":"x","StreamName":7,"Data":{},"PartitionKey":[],"stateMachineArn":{"a":1},"input":42}',
  ],
  [
    'a prototype-pollution attempt',
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  ],
  ['deep nesting', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`],
];

describe('the JSON APIs added with the messaging services, sent what no SDK sends', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await start({
      service: serviceDefinition({
        service: 'hostile-json',
        servicePath: path.join(__dirname, '..', 'fixtures', 'sqs'),
        provider: { region: REGION },
        resources: {
          Clicks: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'hostile-clicks', ShardCount: 1 } },
        },
      }),
      inMemory: true,
    });
  }, 60_000);

  afterAll(() => cloud?.stop());

  const send = (api: (typeof APIS)[number], body: string, operation: string = api.operation) =>
    sendSigned(
      cloud.lambdaEndpoint,
      {
        method: 'POST',
        path: '/',
        headers: { 'content-type': api.type, 'x-amz-target': `${api.target}.${operation}` },
        body,
      },
      { service: api.service, region: REGION, credentials: cloud.credentials },
    );

  describe.each(APIS)('$service', (api) => {
    it.each(HOSTILE_BODIES)('refuses %s with its own 4xx JSON error', async (_name, body) => {
      const answer = await send(api, body);

      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      const error = JSON.parse(answer.body) as { __type?: string; message?: string; Message?: string };
      expect(error.__type).toEqual(expect.any(String));
      expect(error.message ?? error.Message).toEqual(expect.any(String));
      expectNothingInternal(answer.body);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('names an unknown operation', async () => {
      const answer = await send(api, '{}', 'DropEverything');

      expect(answer.status).toBe(400);
      expect(answer.body).toMatch(/DropEverything/);
      expectNothingInternal(answer.body);
    });
  });
});
