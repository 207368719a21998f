// What a rule's target receives: the event, Input, InputPath, or an InputTransformer, checked against the
// examples of "Amazon EventBridge input transformation" (eb-transform-target-input.html), which transforms
// this EC2 event.
import { jsonPath, targetBody } from '../../src/services/eventbridge/target-input';

const EVENT = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const RULE = { name: 'example', arn: 'arn:aws:events:us-east-2:123456789012:rule/example' };
const PATHS = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state' };
const transformed = (InputTemplate: string, InputPathsMap: Record<string, string> = PATHS) =>
  targetBody({ InputTransformer: { InputPathsMap, InputTemplate } }, EVENT, RULE);

describe('target input', () => {
  it('is the whole event, as JSON, without Input, InputPath or InputTransformer', () => {
    expect(JSON.parse(targetBody({}, EVENT, RULE))).toEqual(EVENT);
  });

  it('is Input as given, or the part of the event InputPath names', () => {
    expect(targetBody({ Input: '{"fixed":true}' }, EVENT, RULE)).toBe('{"fixed":true}');
    expect(targetBody({ InputPath: '$.detail' }, EVENT, RULE)).toBe(JSON.stringify(EVENT.detail));
    expect(targetBody({ InputPath: '$.resources[0]' }, EVENT, RULE)).toBe(JSON.stringify(EVENT.resources[0]));
  });

  it('reads JSON paths with dots, dashes, indices and quoted keys', () => {
    expect(jsonPath(EVENT, '$.detail.instance-id')).toBe('i-0123456789');
    expect(jsonPath(EVENT, "$.detail['state']")).toBe('RUNNING');
    expect(jsonPath(EVENT, '$.detail.missing')).toBeUndefined();
    expect(jsonPath(EVENT, '$')).toEqual(EVENT);
  });

  it.each([
    ['Simple string', '"instance <instance> is in <state>"', '"instance i-0123456789 is in RUNNING"'],
    [
      'String with escaped quotes',
      '"instance \\"<instance>\\" is in <state>"',
      '"instance \\"i-0123456789\\" is in RUNNING"',
    ],
    [
      'Simple JSON',
      '{\n  "instance" : <instance>,\n  "state": <state>\n}',
      '{"instance":"i-0123456789","state":"RUNNING"}',
    ],
    [
      'JSON with strings and variables',
      '{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \\"<instance>\\" is in <state>"}',
      '{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \\"i-0123456789\\" is in RUNNING"}',
    ],
    [
      'JSON with a mix of variables and static information',
      '{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}',
      '{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}',
    ],
    ['Including reserved variables in a string', '"<aws.events.rule-name> triggered"', '"example triggered"'],
  ])('fills the documented template "%s"', (_name, template, output) => {
    expect(transformed(template)).toBe(output);
  });

  it('fills the reserved variables in JSON: rule ARN and name, the event without detail, the whole event', () => {
    const body = JSON.parse(
      transformed(
        '{"ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>, "original": <aws.events.event>, "json": <aws.events.event.json>, "at": "<aws.events.event.ingestion-time>"}',
      ),
    ) as Record<string, unknown>;
    const { detail: _detail, ...withoutDetail } = EVENT;
    expect(body).toEqual({
      ruleArn: RULE.arn,
      ruleName: 'example',
      original: withoutDetail,
      json: EVENT,
      at: EVENT.time,
    });
  });

  it('leaves out a variable whose path the event lacks, and inserts objects and numbers as JSON', () => {
    expect(transformed('{"missing": <gone>, "text": "[<gone>]"}', { gone: '$.detail.nothing' })).toBe(
      '{"missing":null,"text":"[]"}',
    );
    expect(transformed('{"detail": <d>, "count": <n>}', { d: '$.detail', n: '$.resources' })).toBe(
      JSON.stringify({ detail: EVENT.detail, count: EVENT.resources }),
    );
  });

  it('sends a template that is not JSON as its text', () => {
    expect(transformed('<instance> is in state <state>')).toBe('i-0123456789 is in state RUNNING');
  });
});
