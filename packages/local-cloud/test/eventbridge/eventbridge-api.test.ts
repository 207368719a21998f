// EventBridge at the AWS endpoint, driven as users drive it: `@aws-sdk/client-eventbridge` (JSON 1.1, signed)
// and the AWS CLI, against a service with `eventBridge` function events (a custom bus the framework creates,
// an input transformer) and AWS::Events::Rule resources (an SQS target with InputPath, a target that fails
// into its dead-letter queue, a rule forwarding to another bus). The rules are the EventBridge API
// reference's: PutEvents' limits and per-entry results, buses, rules, targets, TestEventPattern.
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Events from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { eventually } from '@serverless-course/test-kit';
import { start, type LocalCloud } from '../../src';
import { eventBridgeModule } from '../../src/services/eventbridge/service-module';
import { awsCli } from '../support/aws-cli';
import { serviceDefinition } from '../support/function-definition';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const SERVICE_PATH = path.join(__dirname, 'fixtures');
const ORDERS_BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders`;
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** Waits for what `probe` finds: undefined means not yet. */
async function arrival<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  return (await eventually(async () => (await probe()) ?? false)) as T;
}

interface Received {
  body: string;
  attributes: Record<string, string | undefined>;
}

describe('EventBridge at the AWS endpoint', () => {
  let cloud: LocalCloud;
  let events: Events.EventBridgeClient;
  let sqs: SQSClient;
  let dir: string;
  let logFile: string;
  const queues: Record<string, Received[]> = {};

  const invocations = (fn: string): Record<string, unknown>[] =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { fn: string; event: Record<string, unknown> })
          .filter((line) => line.fn === fn)
          .map((line) => line.event)
      : [];

  /** Every message the queue has received so far (read and deleted, kept here). */
  const messages = async (queue: string): Promise<Received[]> => {
    const QueueUrl = `${cloud.lambdaEndpoint}/${ACCOUNT}/${queue}`;
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
    );
    for (const message of Messages) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
    queues[queue] = [
      ...(queues[queue] ?? []),
      ...Messages.map((message) => ({
        body: message.Body ?? '',
        attributes: Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
        ),
      })),
    ];
    return queues[queue];
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('the call succeeded');
      },
      (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({
        name: error.name,
        message: error.message,
        status: error.$metadata?.httpStatusCode,
      }),
    );
  const put = (entries: Events.PutEventsRequestEntry[]) =>
    events.send(new Events.PutEventsCommand({ Entries: entries }));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-eventbridge-api-'));
    logFile = path.join(dir, 'invocations.jsonl');
    cloud = await start({
      service: serviceDefinition({
        service: 'eb-api',
        servicePath: SERVICE_PATH,
        provider: { region: REGION },
        functions: {
          orders: {
            handler: 'src/handler.orders',
            environment: { LOG_FILE: logFile },
            events: [
              {
                eventBridge: {
                  eventBus: 'orders',
                  pattern: {
                    source: ['course.shop'],
                    'detail-type': ['OrderPlaced'],
                    detail: { total: [{ numeric: ['>', 100] }] },
                  },
                },
              },
            ],
          },
          shaped: {
            handler: 'src/handler.shaped',
            environment: { LOG_FILE: logFile },
            events: [
              {
                eventBridge: {
                  pattern: { source: ['course.returns'] },
                  inputTransformer: {
                    inputPathsMap: { id: '$.detail.id' },
                    inputTemplate:
                      '{"returnId": <id>, "note": "return <id>", "rule": <aws.events.rule-name>}',
                  },
                },
              },
            ],
          },
        },
        resources: {
          Audit: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'eb-audit' } },
          AuditDlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'eb-audit-dlq' } },
          Results: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'eb-results' } },
          AuditRule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              Name: 'audit-orders',
              EventBusName: 'orders',
              EventPattern: { source: [{ prefix: 'course.' }] },
              Targets: [
                { Id: 'audit', Arn: arnOf('Audit'), InputPath: '$.detail' },
                {
                  Id: 'gone',
                  Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:no-such-queue`,
                  DeadLetterConfig: { Arn: arnOf('AuditDlq') },
                },
              ],
            },
          },
          // EventBridge sends to queues as events.amazonaws.com for a rule: their policies must allow it.
          EventsQueuesPolicy: {
            Type: 'AWS::SQS::QueuePolicy',
            Properties: {
              Queues: [{ Ref: 'Audit' }, { Ref: 'AuditDlq' }, { Ref: 'Results' }],
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: 'events.amazonaws.com' },
                    Action: 'sqs:SendMessage',
                    Resource: '*',
                    Condition: {
                      ArnEquals: {
                        'aws:SourceArn': [arnOf('AuditRule'), { 'Fn::GetAtt': 'ResultsRule.Arn' }],
                      },
                    },
                  },
                ],
              },
            },
          },
          ForwardRule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              Name: 'forward-to-orders',
              EventPattern: JSON.stringify({ source: ['course.forward'] }),
              Targets: [{ Id: 'orders-bus', Arn: ORDERS_BUS_ARN }],
            },
          },
          ResultsRule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              EventPattern: {
                source: ['lambda'],
                'detail-type': [{ prefix: 'Lambda Function Invocation Result' }],
              },
              Targets: [{ Id: 'results', Arn: arnOf('Results') }],
            },
          },
        },
      }),
      inMemory: true,
    });
    events = new Events.EventBridgeClient({
      endpoint: cloud.lambdaEndpoint,
      region: REGION,
      credentials: cloud.credentials,
      maxAttempts: 1,
    });
    sqs = new SQSClient({ endpoint: cloud.lambdaEndpoint, region: REGION, credentials: cloud.credentials });
  }, 60_000);

  afterAll(async () => {
    events?.destroy();
    sqs?.destroy();
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the default bus, the bus the framework creates for eventBus, and the rules with their Ref and Arn', async () => {
    const { EventBuses } = await events.send(new Events.ListEventBusesCommand({}));
    expect(EventBuses?.map((bus) => [bus.Name, bus.Arn])).toEqual([
      ['default', `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`],
      ['orders', ORDERS_BUS_ARN],
    ]);
    const { Rules } = await events.send(new Events.ListRulesCommand({ EventBusName: 'orders' }));
    expect(Rules?.map((rule) => [rule.Name, rule.Arn, rule.State])).toEqual([
      ['audit-orders', `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders/audit-orders`, 'ENABLED'],
      [
        'eb-api-dev-orders-rule-1',
        `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders/eb-api-dev-orders-rule-1`,
        'ENABLED',
      ],
    ]);
    const { Targets } = await events.send(
      new Events.ListTargetsByRuleCommand({ Rule: 'eb-api-dev-orders-rule-1', EventBusName: ORDERS_BUS_ARN }),
    );
    expect(Targets).toEqual([
      {
        Id: 'eb-api-dev-orders-rule-1-target',
        Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:eb-api-dev-orders`,
      },
    ]);
    expect(cloud.platform.resources.AuditRule).toEqual({
      type: 'AWS::Events::Rule',
      ref: 'audit-orders',
      attributes: { Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders/audit-orders` },
    });
    expect(cloud.platform.resources.ResultsRule!.ref).toMatch(/^eb-api-dev-ResultsRule-[A-Z0-9]{12}$/);
    expect(cloud.platform.summaryRows('.').find((row) => row.name === 'EventBridge')).toEqual({
      name: 'EventBridge',
      where: 'AWS endpoint',
      detail: expect.stringMatching(/^buses default, orders; rules .*audit-orders/) as unknown,
    });
  });

  it('creates, describes, lists and deletes a bus, with EventBridge’s errors', async () => {
    const { EventBusArn } = await events.send(new Events.CreateEventBusCommand({ Name: 'eb-api-scratch' }));
    expect(EventBusArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/eb-api-scratch`);
    const described = await events.send(new Events.DescribeEventBusCommand({ Name: 'eb-api-scratch' }));
    expect(described).toMatchObject({ Name: 'eb-api-scratch', Arn: EventBusArn });
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect(await failure(events.send(new Events.CreateEventBusCommand({ Name: 'eb-api-scratch' })))).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: 'Event bus eb-api-scratch already exists.',
      status: 400,
    });
    const { EventBuses } = await events.send(new Events.ListEventBusesCommand({ NamePrefix: 'eb-api-' }));
    expect(EventBuses?.map((bus) => bus.Name)).toEqual(['eb-api-scratch']);
    await events.send(new Events.DeleteEventBusCommand({ Name: 'eb-api-scratch' }));
    expect(
      await failure(events.send(new Events.DescribeEventBusCommand({ Name: 'eb-api-scratch' }))),
    ).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Event bus eb-api-scratch does not exist.',
      status: 400,
    });
    expect(await failure(events.send(new Events.DeleteEventBusCommand({ Name: 'default' })))).toMatchObject({
      name: 'ValidationException',
      message: 'Cannot delete event bus default.',
    });
  });

  it('puts, describes, disables, targets and deletes a rule', async () => {
    const { RuleArn } = await events.send(
      new Events.PutRuleCommand({
        Name: 'eb-api-big-orders',
        EventPattern: JSON.stringify({ detail: { total: [{ numeric: ['>=', 1000] }] } }),
        Description: 'big ones',
      }),
    );
    expect(RuleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/eb-api-big-orders`);
    await events.send(new Events.DisableRuleCommand({ Name: 'eb-api-big-orders' }));
    const described = await events.send(new Events.DescribeRuleCommand({ Name: 'eb-api-big-orders' }));
    expect(described).toMatchObject({
      Name: 'eb-api-big-orders',
      Arn: RuleArn,
      State: 'DISABLED',
      Description: 'big ones',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });
    await events.send(new Events.EnableRuleCommand({ Name: 'eb-api-big-orders' }));
    await events.send(
      new Events.PutTargetsCommand({
        Rule: 'eb-api-big-orders',
        Targets: [
          { Id: 'results', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:eb-results`, Input: '{"big":true}' },
        ],
      }),
    );
    const { RuleNames } = await events.send(
      new Events.ListRuleNamesByTargetCommand({ TargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:eb-results` }),
    );
    expect(RuleNames).toContain('eb-api-big-orders');
    expect(
      await failure(events.send(new Events.DeleteRuleCommand({ Name: 'eb-api-big-orders' }))),
    ).toMatchObject({ name: 'ValidationException', message: "Rule can't be deleted since it has targets." });
    await events.send(new Events.RemoveTargetsCommand({ Rule: 'eb-api-big-orders', Ids: ['results'] }));
    await events.send(new Events.DeleteRuleCommand({ Name: 'eb-api-big-orders' }));
    expect(await failure(events.send(new Events.DescribeRuleCommand({ Name: 'eb-api-big-orders' })))).toEqual(
      {
        name: 'ResourceNotFoundException',
        message: 'Rule eb-api-big-orders does not exist on EventBus default.',
        status: 400,
      },
    );
  });

  it('refuses an invalid pattern, a rule with neither pattern nor schedule, and a schedule on a custom bus', async () => {
    expect(
      await failure(
        events.send(
          new Events.PutRuleCommand({ Name: 'eb-api-bad', EventPattern: '{"source":"course.shop"}' }),
        ),
      ),
    ).toEqual({
      name: 'InvalidEventPatternException',
      message: 'Event pattern is not valid. Reason: "source" must be an object or an array',
      status: 400,
    });
    expect(await failure(events.send(new Events.PutRuleCommand({ Name: 'eb-api-empty' })))).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    });
    expect(
      await failure(
        events.send(
          new Events.PutRuleCommand({
            Name: 'eb-api-tick',
            EventBusName: 'orders',
            ScheduleExpression: 'rate(1 minute)',
          }),
        ),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message: 'ScheduleExpression is supported only on the default event bus.',
    });
  });

  it('tests a pattern against an event (TestEventPattern)', async () => {
    const event = JSON.stringify({
      id: '1',
      account: ACCOUNT,
      source: 'course.shop',
      time: '2026-12-08T00:00:00Z',
      region: REGION,
      resources: [],
      'detail-type': 'OrderPlaced',
      detail: { total: 150 },
    });
    const test = (pattern: unknown) =>
      events.send(
        new Events.TestEventPatternCommand({ EventPattern: JSON.stringify(pattern), Event: event }),
      );
    expect((await test({ detail: { total: [{ numeric: ['>', 100] }] } })).Result).toBe(true);
    expect((await test({ detail: { total: [{ numeric: ['<', 100] }] } })).Result).toBe(false);
  });

  it('refuses more than 10 entries, or entries over 256 KB in all (counted as "Calculating PutEvents event entry size")', async () => {
    const entry = { Source: 'course.shop', DetailType: 'OrderPlaced', Detail: '{}' };
    expect(await failure(put(Array.from({ length: 11 }, () => entry)))).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 10') as unknown,
    });
    // Source (11) + DetailType (11) + Detail: exactly 256 KB is refused, one byte less is taken.
    const detailOf = (bytes: number) => `{"pad":"${'x'.repeat(bytes - 10)}"}`;
    const sized = (bytes: number) => ({ ...entry, Detail: detailOf(bytes - 22), EventBusName: 'default' });
    expect(await failure(put([sized(256 * 1024 + 1)]))).toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    expect((await put([sized(256 * 1024)])).FailedEntryCount).toBe(0);
  });

  it('answers each entry on its own: an EventId, or an ErrorCode and ErrorMessage', async () => {
    const result = await put([
      { DetailType: 'OrderPlaced', Detail: '{}' },
      { Source: 'course.shop', DetailType: 'OrderPlaced', Detail: '[1, 2]' },
      { Source: 'course.shop', DetailType: 'OrderPlaced', Detail: '{}', EventBusName: 'no-such-bus' },
      { Source: 'aws.ec2', DetailType: 'OrderPlaced', Detail: '{}' },
      { Source: 'course.shop', DetailType: 'Nothing matches', Detail: '{}' },
    ]);
    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries).toEqual([
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is malformed.',
      },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus no-such-bus does not exist.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
      { EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown },
    ]);
  });

  it('delivers a matching event to the function in AWS’s envelope and its detail to the queue, and not a non-matching one', async () => {
    const time = new Date('2026-12-08T01:02:03.456Z');
    const result = await put([
      {
        EventBusName: 'orders',
        Source: 'course.shop',
        DetailType: 'OrderPlaced',
        Detail: '{"id":"small","total":50}',
      },
      {
        EventBusName: ORDERS_BUS_ARN,
        Source: 'course.shop',
        DetailType: 'OrderPlaced',
        Detail: '{"id":"big","total":150}',
        Resources: ['arn:aws:course:::order/big'],
        Time: time,
      },
    ]);
    expect(result.FailedEntryCount).toBe(0);
    const [event] = await arrival(() => {
      const got = invocations('orders');
      return got.length > 0 ? got : undefined;
    });
    expect(event).toEqual({
      version: '0',
      id: result.Entries![1]!.EventId,
      'detail-type': 'OrderPlaced',
      source: 'course.shop',
      account: ACCOUNT,
      time: '2026-12-08T01:02:03Z',
      region: REGION,
      resources: ['arn:aws:course:::order/big'],
      detail: { id: 'big', total: 150 },
    });
    // Both went to the audit rule's queue (detail only, through InputPath); the small one never reached the
    // function: it was matched when it was put, as the big one was.
    await eventually(async () => (await messages('eb-audit')).length >= 2);
    expect(queues['eb-audit']!.map((message) => message.body)).toEqual(
      expect.arrayContaining(['{"id":"small","total":50}', '{"id":"big","total":150}']),
    );
    await cloud.platform.services.eventBridge.buses.idle();
    expect(invocations('orders')).toHaveLength(1);
  });

  it('sends an event it could not deliver to the target’s dead-letter queue, with EventBridge’s attributes', async () => {
    const dead = await arrival(async () =>
      (await messages('eb-audit-dlq')).find((message) => message.body.includes('"big"')),
    );
    expect(JSON.parse(dead.body)).toMatchObject({ source: 'course.shop', detail: { id: 'big', total: 150 } });
    expect(dead.attributes).toEqual({
      RULE_ARN: `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders/audit-orders`,
      TARGET_ARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:no-such-queue`,
      ERROR_CODE: expect.any(String) as unknown,
      ERROR_MESSAGE: expect.stringContaining('does not exist') as unknown,
    });
  });

  it('fills an eventBridge event’s inputTransformer with the event and the rule’s name', async () => {
    await put([{ Source: 'course.returns', DetailType: 'ReturnOpened', Detail: '{"id":"r-7"}' }]);
    const [body] = await arrival(() => {
      const got = invocations('shaped');
      return got.length > 0 ? got : undefined;
    });
    expect(body).toEqual({ returnId: 'r-7', note: 'return r-7', rule: 'eb-api-dev-shaped-rule-1' });
  });

  it('forwards to another bus, whose rules see the original event', async () => {
    await put([{ Source: 'course.forward', DetailType: 'Forwarded', Detail: '{"id":"hop"}' }]);
    await eventually(async () =>
      (await messages('eb-audit')).some((message) => message.body === '{"id":"hop"}'),
    );
  });

  it('receives events from other services by bus ARN (its target hook: a Lambda destination’s record)', async () => {
    const target = eventBridgeModule.target!(cloud.platform.services.eventBridge);
    expect(target.arnService).toBe('events');
    const record = {
      version: '1.0',
      requestContext: { condition: 'Success' },
      responsePayload: { ok: true },
    };
    const { id } = await target.deliver(`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`, {
      body: JSON.stringify(record),
      event: { source: 'lambda', detailType: 'Lambda Function Invocation Result - Success', resources: [] },
    });
    const received = await arrival(async () =>
      (await messages('eb-results')).find((message) => message.body.includes(id)),
    );
    expect(JSON.parse(received.body)).toMatchObject({
      id,
      source: 'lambda',
      'detail-type': 'Lambda Function Invocation Result - Success',
      detail: record,
    });
    await expect(
      target.deliver(`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/nope`, {
        body: '{}',
        event: { source: 'x', detailType: 'y' },
      }),
    ).rejects.toThrow('Event bus nope does not exist.');
  });

  it('takes `aws events put-events` from the AWS CLI', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-eventbridge-cli-'));
    try {
      const cli = awsCli(() => ({
        endpoint: cloud.lambdaEndpoint,
        credentials: cloud.credentials,
        region: REGION,
        home,
      }));
      const output = await cli(
        'events',
        'put-events',
        '--entries',
        JSON.stringify([
          { Source: 'course.cli', DetailType: 'FromCli', Detail: '{"id":"cli"}', EventBusName: 'orders' },
        ]),
      );
      expect(JSON.parse(output)).toEqual({
        FailedEntryCount: 0,
        Entries: [{ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown }],
      });
      await eventually(async () =>
        (await messages('eb-audit')).some((message) => message.body === '{"id":"cli"}'),
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 30_000);
});
