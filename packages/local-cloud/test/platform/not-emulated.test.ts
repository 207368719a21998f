// Nothing in serverless.yml is ignored silently: every event type and resource type local-cloud does not
// emulate gets one line at start, naming what declares it and what happens instead.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localCredentials } from '../../src/endpoints';
import { preparePlatform } from '../../src/platform';
import { notEmulated } from '../../src/platform/not-emulated';
import { serviceDefinition } from '../support/function-definition';

let servicePath: string;

beforeAll(() => {
  servicePath = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-not-emulated-'));
});

afterAll(() => {
  rmSync(servicePath, { recursive: true, force: true });
});

const service = () =>
  serviceDefinition({
    service: 'unemulated',
    servicePath,
    functions: {
      api: {
        events: [{ httpApi: { method: 'get', path: '/items' } }, { http: { method: 'get', path: 'items' } }],
      },
      worker: {
        events: [{ sqs: { arn: 'arn:aws:sqs:us-east-1:123456789012:jobs' } }],
        settingsNotRead: ['snapStart', 'vpc'],
      },
      audit: {
        events: [
          { sqs: 'arn:aws:sqs:us-east-1:123456789012:audit' },
          { iot: { sql: "SELECT * FROM 'sensors'" } },
        ],
        settingsNotRead: ['snapStart', 'somethingNew'],
      },
    },
    resources: {
      Jobs: { Type: 'AWS::SQS::Queue', Properties: {} },
      Audit: { Type: 'AWS::SQS::Queue', Properties: {} },
      Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'unemulated-alerts', FifoTopic: true } },
      Photos: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          VersioningConfiguration: { Status: 'Enabled' },
          LifecycleConfiguration: { Rules: [] },
          Tags: [{ Key: 'team', Value: 'course' }],
        },
      },
      Thumbnails: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } },
      AlertsPolicy: { Type: 'AWS::SNS::TopicPolicy', Properties: {} },
    },
  });

describe('what local-cloud does not emulate', () => {
  it('is named once per function setting, event type, resource type and unhonoured property, with what happens instead', () => {
    // httpApi events are served (src/http-api), so the api function's events are not named; nor are the sqs
    // events and queues (src/services/sqs, src/event-sources/sqs).
    expect(notEmulated(service())).toEqual([
      'the function setting snapStart (functions worker, audit) is not emulated: no snapshot is restored: every cold start runs the init code',
      "the function setting vpc (functions worker) is not emulated: functions run on this machine's network, with no VPC, subnets or security groups",
      'the function setting somethingNew (functions audit) is not emulated: local-cloud ignores it',
      'iot events (functions audit) are not emulated: nothing delivers them locally, so they never invoke that function; invoke it yourself through the AWS endpoint (aws lambda invoke --endpoint-url ...)',
      'AWS::SNS::Topic property FifoTopic (resources Alerts) is not emulated: messages are neither ordered nor deduplicated',
      'AWS::S3::Bucket property VersioningConfiguration (resources Photos, Thumbnails) is not emulated: a key keeps one version: an overwrite or a delete loses the old object',
      'AWS::S3::Bucket property LifecycleConfiguration (resources Photos) is not emulated: objects never expire or change storage class',
    ]);
  });

  it('is logged as a warning when the platform starts', async () => {
    const log: string[] = [];
    const platform = await preparePlatform({
      service: service(),
      credentials: localCredentials({}),
      inMemory: true,
      log: (line) => log.push(line),
    });
    await platform.stop();

    expect(platform.warnings).toHaveLength(7);
    expect(
      log.filter((line) => line.includes('is not emulated') || line.includes('are not emulated')),
    ).toHaveLength(7);
    expect(log.join('\n')).toContain('[local-cloud] warning: iot events (functions audit) are not emulated');
  });
});
