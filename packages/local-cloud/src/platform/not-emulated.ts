// What a service declares that local-cloud does not emulate, one line per kind, at start: a function setting
// it does not read, an event type no source delivers, a resource type nothing creates or enforces, a property
// of a resource it creates that it does not honour (unhonoured-properties.ts). Said once, with what happens instead, so that
// nothing in serverless.yml is ignored silently.
import type { ServiceDefinition } from '../config/service-definition';
import { isRecord } from '../common/records';
import { serviceModules } from './service-modules';
import { unhonouredProperties } from './unhonoured-properties';

/** Event types something delivers locally, beside those the service modules declare (`emulates`). */
const EMULATED_EVENTS = new Set([
  'http',
  'httpApi',
  'websocket',
  's3',
  'sns',
  'sqs',
  'schedule',
  'stream',
  ...serviceModules.flatMap((module) => module.emulates?.events ?? []),
]);

/** Resource types local-cloud creates or reads, beside those the service modules declare. */
const EMULATED_RESOURCES = new Set([
  ...serviceModules.flatMap((module) => module.emulates?.resources ?? []),
  // Roles and their policies: each function's calls are checked against them (src/iam).
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  // Resource policies: what S3, SNS and EventBridge may deliver to them (src/iam/delivery-policy.ts).
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::SecretsManager::Secret',
  'AWS::SSM::Parameter',
  'AWS::ApiGateway::GatewayResponse',
]);

/** What happens instead, for the event types projects use most; others get the general sentence. */
const EVENT_CONSEQUENCES: Record<string, string> = {};

/** What happens instead, by resource type; others get the general sentence. */
const RESOURCE_CONSEQUENCES: Record<string, string> = {
  'AWS::Lambda::Permission':
    'resource policies are not enforced locally: every event source may invoke every function',
  'AWS::Logs::LogGroup': 'functions log to the terminal local-cloud runs in',
  'AWS::CloudWatch::Alarm': 'no metrics are kept locally, so alarms never fire',
};

/** What happens instead, for the function settings projects use most; others get the general sentence. */
const SETTING_CONSEQUENCES: Record<string, string> = {
  vpc: "functions run on this machine's network, with no VPC, subnets or security groups",
  provisionedConcurrency:
    'no sandbox is kept warm ahead of requests: the first request of each one is a cold start',
  snapStart: 'no snapshot is restored: every cold start runs the init code',
  url: 'no function URL is served: call the function through an http or httpApi event, or the AWS endpoint (Invoke API)',
  layers:
    "layers are not unpacked: what the function imports comes from the project's node_modules, bundled with it",
  fileSystemConfig: 'no EFS file system is mounted',
  ephemeralStorageSize: "/tmp is this machine's own temporary folder, with no size limit",
  kmsKeyArn: 'environment variables are not encrypted locally',
  deploymentSettings:
    'gradual deployments are not emulated: every invocation runs the current code, and the pre- and post-traffic hooks never run',
  condition: 'the function runs whatever its CloudFormation condition says',
  dependsOn: 'functions start in no particular order',
};

export function notEmulated(service: ServiceDefinition): string[] {
  const lines: string[] = [];
  const functionsBySetting = new Map<string, string[]>();
  for (const fn of Object.values(service.functions)) {
    for (const setting of fn.settingsNotRead ?? []) {
      functionsBySetting.set(setting, [...(functionsBySetting.get(setting) ?? []), fn.key]);
    }
  }
  for (const [setting, keys] of functionsBySetting) {
    const consequence = SETTING_CONSEQUENCES[setting] ?? 'local-cloud ignores it';
    lines.push(
      `the function setting ${setting} (functions ${keys.join(', ')}) is not emulated: ${consequence}`,
    );
  }
  const functionsByEvent = new Map<string, string[]>();
  for (const fn of Object.values(service.functions)) {
    for (const event of fn.events) {
      for (const type of Object.keys(event)) {
        if (EMULATED_EVENTS.has(type)) continue;
        const keys = functionsByEvent.get(type) ?? [];
        if (!keys.includes(fn.key)) keys.push(fn.key);
        functionsByEvent.set(type, keys);
      }
    }
  }
  for (const [type, keys] of functionsByEvent) {
    const consequence =
      EVENT_CONSEQUENCES[type] ??
      `nothing delivers them locally, so they never invoke ${keys.length === 1 ? 'that function' : 'those functions'}; invoke it yourself through the AWS endpoint (aws lambda invoke --endpoint-url ...)`;
    lines.push(`${type} events (functions ${keys.join(', ')}) are not emulated: ${consequence}`);
  }
  const resourcesByType = new Map<string, string[]>();
  for (const [logicalId, resource] of Object.entries(service.resources)) {
    const type = isRecord(resource) && typeof resource.Type === 'string' ? resource.Type : undefined;
    if (!type || EMULATED_RESOURCES.has(type)) continue;
    resourcesByType.set(type, [...(resourcesByType.get(type) ?? []), logicalId]);
  }
  for (const [type, logicalIds] of resourcesByType) {
    const consequence =
      RESOURCE_CONSEQUENCES[type] ??
      'local-cloud does not create it, and calls to its service answer NotImplemented from the AWS endpoint';
    lines.push(`${type} (resources ${logicalIds.join(', ')}) is not emulated: ${consequence}`);
  }
  lines.push(...unhonouredProperties(service.resources));
  return lines;
}
