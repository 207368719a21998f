// What a service declares for EventBridge, as the Serverless Framework v3 compiles `eventBridge` events
// (lib/plugins/aws/package/compile/events/event-bridge) and CloudFormation creates AWS::Events::* resources;
// what local-cloud refuses at start; and the buses and rules created through the API, kept across starts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { declaredEventBridge } from '../../src/services/eventbridge/declared';
import { EventBuses } from '../../src/services/eventbridge/event-buses';
import { createEventBridgeService } from '../../src/services/eventbridge/eventbridge-service';
import type { TargetMessage } from '../../src/platform/targets';
import { functionsWithEvents, serviceDefinition } from '../support/function-definition';

const ACCOUNT = { region: 'eu-west-1', accountId: '123456789012' };
const SERVICE_PATH = path.join(__dirname, 'fixtures');

const withEvents = (
  events: Record<string, unknown>[],
  resources: Record<string, unknown> = {},
  key = 'worker',
) =>
  serviceDefinition({
    service: 'eb-declared',
    servicePath: SERVICE_PATH,
    provider: { region: ACCOUNT.region },
    functions: functionsWithEvents({ [key]: events }),
    resources,
  });

describe('eventBridge events and AWS::Events resources', () => {
  it('compiles an eventBridge event as the framework does: rule, target, bus, input and dead-letter queue', () => {
    const declared = declaredEventBridge(
      withEvents(
        [
          { http: { path: '/', method: 'get' } },
          {
            eventBridge: {
              eventBus: 'billing',
              pattern: { source: ['course.billing'] },
              input: { key: 'value' },
              deadLetterQueueArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] },
              retryPolicy: { maximumRetryAttempts: 3, maximumEventAge: 3600 },
              enabled: false,
            },
          },
          { eventBridge: { schedule: 'rate(10 minutes)', name: 'ticker', inputPath: '$.time' } },
        ],
        { Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'billing-dlq' } } },
      ),
      ACCOUNT,
    );
    expect(declared.buses).toEqual([{ name: 'billing', logicalId: 'BillingEventBridgeEventBus' }]);
    expect(declared.rules).toEqual([
      expect.objectContaining({
        name: 'eb-declared-dev-worker-rule-2',
        logicalId: 'Ebdeclareddevworkerrule2EventBridgeRule',
        busName: 'billing',
        eventPattern: '{"source":["course.billing"]}',
        state: 'DISABLED',
        targets: [
          {
            Id: 'eb-declared-dev-worker-rule-2-target',
            Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:eb-declared-dev-worker',
            Input: '{"key":"value"}',
            DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:billing-dlq' },
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          },
        ],
      }),
      expect.objectContaining({
        name: 'ticker',
        busName: 'default',
        scheduleExpression: 'rate(10 minutes)',
        state: 'ENABLED',
        targets: [expect.objectContaining({ Id: 'ticker-target', InputPath: '$.time' })],
      }),
    ]);
    expect(declared.warnings).toEqual([
      expect.stringContaining('local-cloud does not retry a failed delivery'),
    ]);
  });

  it('hashes a rule name longer than 64 characters as the framework does', () => {
    const declared = declaredEventBridge(
      withEvents(
        [{ eventBridge: { pattern: { source: ['a'] } } }],
        {},
        'a-function-with-a-very-long-name-indeed-xyz',
      ),
      ACCOUNT,
    );
    const [rule] = declared.rules;
    expect(rule!.name).toMatch(/^eb-declared-dev-a-functio[0-9a-f]{32}-rule-1$/);
    expect(rule!.targets![0]!.Id).toMatch(/^eb-declared-dev-a-functio[0-9a-f]{32}-target$/);
  });

  it('refuses an invalid pattern and more than one input at start, naming the event', () => {
    expect(() =>
      declaredEventBridge(withEvents([{ eventBridge: { pattern: { source: 'a' } } }]), ACCOUNT),
    ).toThrow(
      /functions\.worker\.events\[0\]\.eventBridge\.pattern is not a valid event pattern: "source" must be an object or an array/,
    );
    expect(() =>
      declaredEventBridge(
        withEvents([{ eventBridge: { pattern: { source: ['a'] }, input: {}, inputPath: '$.detail' } }]),
        ACCOUNT,
      ),
    ).toThrow(/sets input and inputPath, and an eventBridge event takes only one/);
  });

  it('refuses a schedule on a custom bus and an invalid schedule expression at start', () => {
    expect(() =>
      declaredEventBridge(
        withEvents([{ eventBridge: { eventBus: 'custom', schedule: 'rate(5 minutes)' } }]),
        ACCOUNT,
      ),
    ).toThrow(
      /has a schedule on the event bus custom, and EventBridge runs schedules only on the default bus/,
    );
    expect(() =>
      declaredEventBridge(
        withEvents([], {
          Tick: {
            Type: 'AWS::Events::Rule',
            Properties: { ScheduleExpression: 'rate(5 minute)', Targets: [] },
          },
        }),
        ACCOUNT,
      ),
    ).toThrow(/the rule Tick \(.*\): rate\(5 minute\) is not valid: a value of 5 takes the plural unit/);
  });

  it('refuses at start a declared target EventBridge would refuse, as a configuration error', async () => {
    await expect(
      createEventBridgeService({
        service: withEvents([], {
          Bad: {
            Type: 'AWS::Events::Rule',
            Properties: {
              EventPattern: { source: ['a'] },
              Targets: [{ Id: 't', Arn: 'arn:aws:sqs:eu-west-1:123456789012:q', Input: 'not json' }],
            },
          },
        }),
        credentials: { accessKeyId: 'AKIDDECLARED', secretAccessKey: 'secret' },
        region: ACCOUNT.region,
        inMemory: true,
        deliver: () => Promise.resolve({ id: 'x' }),
      }),
    ).rejects.toThrow(
      /serverless\.yml: EventBridge refuses a rule or target the service declares: Input for target t is not valid JSON/,
    );
  });

  it('creates locally a bus a rule names but the service does not declare (an existing one)', () => {
    const declared = declaredEventBridge(
      withEvents([
        {
          eventBridge: {
            eventBus: 'arn:aws:events:eu-west-1:123456789012:event-bus/shared',
            pattern: { source: ['a'] },
          },
        },
      ]),
      ACCOUNT,
    );
    expect(declared.buses).toEqual([{ name: 'shared' }]);
    expect(declared.rules[0]!.busName).toBe('shared');
  });

  it('reads AWS::Events::Rule targets, and says which it cannot resolve', () => {
    const declared = declaredEventBridge(
      withEvents([], {
        Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'shop', Policy: { Statement: [] } } },
        Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'fulfil' } },
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventBusName: { Ref: 'Bus' },
            EventPattern: { source: ['shop'] },
            Targets: [
              {
                Id: 'machine',
                Arn: { Ref: 'Machine' },
                InputTransformer: { InputTemplate: '"<x>"', InputPathsMap: { x: '$.id' } },
              },
              { Id: 'stream', Arn: { 'Fn::GetAtt': ['Stream', 'Arn'] } },
            ],
          },
        },
      }),
      ACCOUNT,
    );
    expect(declared.rules[0]).toMatchObject({
      name: expect.stringMatching(/^eb-declared-dev-Rule-[A-Z0-9]{12}$/) as unknown,
      busName: 'shop',
      targets: [
        {
          Id: 'machine',
          Arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:fulfil',
          InputTransformer: { InputTemplate: '"<x>"', InputPathsMap: { x: '$.id' } },
        },
      ],
    });
    expect(declared.warnings).toEqual([
      'AWS::Events::EventBus Bus: Policy is read, but bus policies are not enforced locally: every sender may put events',
      expect.stringMatching(
        /^resources\.Resources\.Rule\.Targets\[1\]\.Arn: .* only exists once deployed; events for it are not delivered locally$/,
      ),
    ]);
  });
});

describe('buses and rules created through the API', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-eventbridge-state-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are kept across starts under .local-cloud, with their targets; the declared ones come from the configuration', () => {
    const options = { account: ACCOUNT, dataDir, deliver: () => Promise.resolve({ id: 'x' }) };
    const first = new EventBuses(options);
    const bus = first.createBus('kept');
    const rule = first.putRule({
      name: 'kept-rule',
      busName: 'kept',
      eventPattern: '{"source":["a"]}',
      state: 'ENABLED',
    });
    first.putTargets(rule, [{ Id: 't', Arn: 'arn:aws:sqs:eu-west-1:123456789012:q' }]);

    const second = new EventBuses(options);
    expect(second.busOf('kept').arn).toBe(bus.arn);
    expect(second.rule('kept-rule', second.busOf(bus.arn))).toMatchObject({
      arn: 'arn:aws:events:eu-west-1:123456789012:rule/kept/kept-rule',
      targets: [{ Id: 't', Arn: 'arn:aws:sqs:eu-west-1:123456789012:q' }],
    });
  });

  it('drop an event that rules forward between buses in a loop, and say so', async () => {
    const lines: string[] = [];
    const buses: EventBuses = new EventBuses({
      account: ACCOUNT,
      log: (line) => lines.push(line),
      deliver: (arn, message) => Promise.resolve({ id: buses.putFromService(arn, message) }),
    });
    buses.createBus('ping');
    buses.createBus('pong');
    for (const [from, to] of [
      ['ping', 'pong'],
      ['pong', 'ping'],
    ] as const) {
      const rule = buses.putRule({
        name: `${from}-on`,
        busName: from,
        eventPattern: '{"source":["loop"]}',
        state: 'ENABLED',
      });
      buses.putTargets(rule, [{ Id: 'next', Arn: buses.busArn(to) }]);
    }
    expect(
      buses.putEvents([{ Source: 'loop', DetailType: 'Loop', Detail: '{}', EventBusName: 'ping' }]),
    ).toEqual([{ EventId: expect.any(String) as unknown }]);
    await buses.idle();
    expect(lines).toEqual([expect.stringContaining('after 10 buses in a row; local-cloud drops it')]);
  });

  it('hand every kind of target its message through deliver: function, queue, FIFO queue, topic, state machine, bus', async () => {
    const sent: { arn: string; message: TargetMessage }[] = [];
    const buses = new EventBuses({
      account: ACCOUNT,
      deliver: (arn, message) => {
        sent.push({ arn, message });
        return Promise.resolve({ id: String(sent.length) });
      },
    });
    const arn = (service: string, resource: string) =>
      `arn:aws:${service}:eu-west-1:123456789012:${resource}`;
    const rule = buses.putRule({
      name: 'fan-out',
      busName: 'default',
      eventPattern: '{"source":["shop"]}',
      state: 'ENABLED',
    });
    buses.putTargets(rule, [
      { Id: 'fn', Arn: arn('lambda', 'function:shop-dev-handle') },
      { Id: 'queue', Arn: arn('sqs', 'jobs'), InputPath: '$.detail' },
      {
        Id: 'fifo',
        Arn: arn('sqs', 'jobs.fifo'),
        SqsParameters: { MessageGroupId: 'orders' },
        Input: '{"x":1}',
      },
      {
        Id: 'topic',
        Arn: arn('sns', 'alerts'),
        InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '"order <id>"' },
      },
      { Id: 'machine', Arn: arn('states', 'stateMachine:fulfil'), InputPath: '$.detail' },
    ]);
    const [result] = buses.putEvents([
      { Source: 'shop', DetailType: 'Order', Detail: '{"id":"o-1"}', Resources: ['r'] },
    ]);
    await buses.idle();
    const eventId = (result as { EventId: string }).EventId;
    expect(sent.map(({ arn: target }) => target)).toEqual([
      arn('lambda', 'function:shop-dev-handle'),
      arn('sqs', 'jobs'),
      arn('sqs', 'jobs.fifo'),
      arn('sns', 'alerts'),
      arn('states', 'stateMachine:fulfil'),
    ]);
    expect(JSON.parse(sent[0]!.message.body)).toMatchObject({
      id: eventId,
      source: 'shop',
      'detail-type': 'Order',
      resources: ['r'],
    });
    // EventBridge sends as itself for the rule: the receiver's resource policy decides (iam/delivery-policy.ts).
    const from = { service: 'events.amazonaws.com', sourceArn: rule.arn, sourceAccount: '123456789012' };
    expect(sent[1]!.message).toEqual({ body: '{"id":"o-1"}', from });
    expect(sent[2]!.message).toEqual({ body: '{"x":1}', groupId: 'orders', deduplicationId: eventId, from });
    expect(sent[3]!.message).toEqual({ body: '"order o-1"', from });
    expect(sent[4]!.message).toEqual({ body: '{"id":"o-1"}', from });

    // A bus as target gets the event itself: source, detail-type and resources beside the detail.
    buses.createBus('copies');
    // At most 5 targets a rule.
    expect(() => buses.putTargets(rule, [{ Id: 'bus', Arn: buses.busArn('copies') }])).toThrow(
      'a rule has at most 5 targets',
    );
    buses.removeTargets(rule, ['fn']);
    buses.putTargets(rule, [{ Id: 'bus', Arn: buses.busArn('copies') }]);
    sent.length = 0;
    buses.putEvents([{ Source: 'shop', DetailType: 'Order', Detail: '{"id":"o-2"}', Resources: ['r'] }]);
    await buses.idle();
    expect(sent.find((item) => item.arn === buses.busArn('copies'))!.message).toEqual({
      body: '{"id":"o-2"}',
      event: { source: 'shop', detailType: 'Order', resources: ['r'] },
    });
  });

  it('are not kept in memory', () => {
    const first = new EventBuses({ account: ACCOUNT, deliver: () => Promise.resolve({ id: 'x' }) });
    first.createBus('gone');
    const second = new EventBuses({ account: ACCOUNT, deliver: () => Promise.resolve({ id: 'x' }) });
    expect(() => second.busOf('gone')).toThrow('Event bus gone does not exist.');
  });
});
