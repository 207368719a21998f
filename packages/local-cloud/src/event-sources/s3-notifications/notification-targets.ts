// Which object changes reach which function or topic, from the two places a service says so:
// - functions' `s3` events (`s3: photos`, `s3: { bucket, event, rules: [{ prefix }, { suffix }], existing }`),
//   which the framework compiles into its bucket's NotificationConfiguration;
// - `NotificationConfiguration` of an AWS::S3::Bucket in the CloudFormation resources: LambdaConfigurations
//   (Function: an ARN or Fn::GetAtt [<Fn>LambdaFunction, Arn]), TopicConfigurations (Topic: Ref or ARN) and
//   QueueConfigurations (Queue: Fn::GetAtt [<Queue>, Arn] or ARN).
// As on AWS, two configurations of one bucket that share an event type and overlapping filters are refused.
import { createHash } from 'node:crypto';
import { ServiceConfigError } from '../../config/service-config-error';
import type { FunctionDefinition, ServiceDefinition } from '../../config/service-definition';
import {
  bucketDefinitions,
  configFile,
  resolveString,
  s3Events,
  stackName,
  type CloudFormationContext,
} from '../../services/s3/bucket-definitions';
import { queueReferences } from '../../cloudformation/queue-references';
// The SNS service names undeclared topics; the ARN must be the one it publishes under.
import { generatedPhysicalName, isRecord, resolveValue } from '../../cloudformation/values';

export type NotificationDestination =
  | { type: 'function'; functionKey: string; functionName: string }
  | { type: 'topic'; topicArn: string }
  | { type: 'queue'; queueArn: string };

export interface S3NotificationTarget {
  /** The record's s3.configurationId. */
  id: string;
  bucket: string;
  /** Event types as configured: `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`, ... */
  events: string[];
  prefix?: string;
  suffix?: string;
  destination: NotificationDestination;
  /** Where it is configured, for messages: `functions.resize.events[0].s3`. */
  source: string;
}

export interface NotificationTargets {
  targets: S3NotificationTarget[];
  /** Configurations local-cloud reads but cannot honour, one line each. */
  warnings: string[];
}

export function notificationTargets(context: CloudFormationContext): NotificationTargets {
  const { service } = context;
  const targets: S3NotificationTarget[] = [];
  const warnings: string[] = [];
  for (const event of s3Events(context)) {
    const fn = service.functions[event.functionKey] as FunctionDefinition;
    targets.push({
      id: configurationId(`${event.field}`),
      bucket: event.bucket,
      events: [event.event],
      prefix: event.rules.prefix,
      suffix: event.rules.suffix,
      destination: { type: 'function', functionKey: fn.key, functionName: fn.name },
      source: event.field,
    });
  }
  const defined = bucketDefinitions(context);
  for (const event of s3Events(context)) {
    if (event.existing && !defined.some((bucket) => bucket.name === event.bucket)) {
      warnings.push(
        `${event.field}: bucket "${event.bucket}" has existing: true, so the deployment does not create it; create it (CreateBucket) before uploading, as on AWS.`,
      );
    }
  }
  for (const bucket of defined) {
    const configuration = bucket.notificationConfiguration;
    if (!configuration || !bucket.logicalId) continue;
    const field = `resources.Resources.${bucket.logicalId}.Properties.NotificationConfiguration`;
    list(configuration.LambdaConfigurations, `${field}.LambdaConfigurations`, service).forEach(
      (item, index) => {
        const at = `${field}.LambdaConfigurations[${index}]`;
        const fn = functionOf(item.Function, at, context);
        targets.push({
          id: configurationId(at),
          bucket: bucket.name,
          events: [eventOf(item.Event, at, service)],
          ...filterOf(item.Filter, at, service),
          destination: { type: 'function', functionKey: fn.key, functionName: fn.name },
          source: at,
        });
      },
    );
    list(configuration.TopicConfigurations, `${field}.TopicConfigurations`, service).forEach(
      (item, index) => {
        const at = `${field}.TopicConfigurations[${index}]`;
        targets.push({
          id: configurationId(at),
          bucket: bucket.name,
          events: [eventOf(item.Event, at, service)],
          ...filterOf(item.Filter, at, service),
          destination: { type: 'topic', topicArn: topicArnOf(item.Topic, at, context) },
          source: at,
        });
      },
    );
    list(configuration.QueueConfigurations, `${field}.QueueConfigurations`, service).forEach(
      (item, index) => {
        const at = `${field}.QueueConfigurations[${index}]`;
        targets.push({
          id: configurationId(at),
          bucket: bucket.name,
          events: [eventOf(item.Event, at, service)],
          ...filterOf(item.Filter, at, service),
          destination: { type: 'queue', queueArn: queueArnOf(item.Queue, at, context) },
          source: at,
        });
      },
    );
  }
  checkOverlaps(targets, service);
  return { targets, warnings };
}

/** Does the target want this event for this key? Event patterns as S3 matches them (`*` for any suffix). */
export function targetMatches(
  target: S3NotificationTarget,
  bucket: string,
  eventName: string,
  key: string,
): boolean {
  if (target.bucket !== bucket) return false;
  if (!target.events.some((pattern) => eventMatches(pattern, eventName))) return false;
  if (target.prefix !== undefined && !key.startsWith(filterValue(target.prefix))) return false;
  if (target.suffix !== undefined && !key.endsWith(filterValue(target.suffix))) return false;
  return true;
}

function eventMatches(pattern: string, eventName: string): boolean {
  const wanted = pattern.replace(/^s3:/, '');
  return wanted.endsWith(':*') ? eventName.startsWith(wanted.slice(0, -1)) : wanted === eventName;
}

/** Filter values with special characters are written URL-encoded, as AWS asks. */
function filterValue(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * AWS generates configuration ids when none is given (base64 of a UUID); local-cloud derives one from where
 * the configuration is written, so it is the same at every start.
 */
function configurationId(source: string): string {
  const hex = createHash('sha256').update(source).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return Buffer.from(uuid).toString('base64');
}

function list(value: unknown, field: string, service: ServiceDefinition): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isRecord)) {
    throw new ServiceConfigError(
      configFile(service),
      `${field} must be a list of configurations`,
      `write ${field.split('.').pop() ?? ''}: [ { Event, ... } ]`,
    );
  }
  return value;
}

const EVENT_TYPES =
  /^s3:(ObjectCreated|ObjectRemoved|ObjectRestore|ObjectTagging|ObjectAcl|Replication|LifecycleExpiration|LifecycleTransition|IntelligentTiering|ReducedRedundancyLostObject)(:[A-Za-z*]+)?$/;

function eventOf(value: unknown, field: string, service: ServiceDefinition): string {
  if (typeof value !== 'string' || !EVENT_TYPES.test(value)) {
    throw new ServiceConfigError(
      configFile(service),
      `${field}.Event is ${JSON.stringify(value)}, not an S3 event type`,
      'use an event type such as s3:ObjectCreated:* or s3:ObjectRemoved:Delete',
    );
  }
  return value;
}

function filterOf(
  value: unknown,
  field: string,
  service: ServiceDefinition,
): { prefix?: string; suffix?: string } {
  if (value === undefined) return {};
  const rules = isRecord(value) && isRecord(value.S3Key) ? value.S3Key.Rules : undefined;
  if (!Array.isArray(rules)) {
    throw new ServiceConfigError(
      configFile(service),
      `${field}.Filter needs S3Key.Rules`,
      'write Filter: { S3Key: { Rules: [ { Name: prefix, Value: uploads/ } ] } }',
    );
  }
  const filter: { prefix?: string; suffix?: string } = {};
  for (const rule of rules as unknown[]) {
    const name = isRecord(rule) && typeof rule.Name === 'string' ? rule.Name.toLowerCase() : '';
    if ((name !== 'prefix' && name !== 'suffix') || !isRecord(rule) || typeof rule.Value !== 'string') {
      throw new ServiceConfigError(
        configFile(service),
        `${field}.Filter.S3Key.Rules has ${JSON.stringify(rule)}`,
        'give each rule Name (prefix or suffix) and a string Value',
      );
    }
    filter[name] = rule.Value;
  }
  return filter;
}

/** `Fn::GetAtt: [ResizeLambdaFunction, Arn]`, `ResizeLambdaFunction.Arn`, an ARN or a function name. */
function functionOf(value: unknown, field: string, context: CloudFormationContext): FunctionDefinition {
  const functions = Object.values(context.service.functions);
  const byLogicalId = (logicalId: string) => functions.find((fn) => lambdaLogicalId(fn.key) === logicalId);
  let found: FunctionDefinition | undefined;
  if (isRecord(value) && value['Fn::GetAtt'] !== undefined) {
    const getAtt = value['Fn::GetAtt'];
    const logicalId: unknown = Array.isArray(getAtt)
      ? (getAtt as unknown[])[0]
      : typeof getAtt === 'string'
        ? getAtt.split('.')[0]
        : undefined;
    if (typeof logicalId === 'string') found = byLogicalId(logicalId);
  } else if (isRecord(value) && typeof value.Ref === 'string') {
    found = byLogicalId(value.Ref);
  } else {
    const text = resolveString(value, context, `${field}.Function`);
    const name = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(text)?.[1] ?? text;
    found = functions.find((fn) => fn.name === name || fn.key === name);
  }
  if (!found) {
    throw new ServiceConfigError(
      configFile(context.service),
      `${field}.Function is ${JSON.stringify(value)}, which names no function of this service`,
      `use Fn::GetAtt [${lambdaLogicalId(functions[0]?.key ?? 'myFunction')}, Arn] or the function's ARN`,
    );
  }
  return found;
}

/** The logical id the Serverless Framework gives a function's AWS::Lambda::Function resource. */
export function lambdaLogicalId(functionKey: string): string {
  const normalized = functionKey.charAt(0).toUpperCase() + functionKey.slice(1);
  return `${normalized.replace(/-/g, 'Dash').replace(/_/g, 'Underscore')}LambdaFunction`;
}

/** `Ref: <AWS::SNS::Topic logical id>` (the topic's ARN, as CloudFormation gives it) or an ARN. */
function topicArnOf(value: unknown, field: string, context: CloudFormationContext): string {
  const { service, accountId } = context;
  if (isRecord(value) && typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::')) {
    const resource = service.resources[value.Ref];
    if (!isRecord(resource) || resource.Type !== 'AWS::SNS::Topic') {
      throw new ServiceConfigError(
        configFile(service),
        `${field}.Topic refers to "${value.Ref}", which is not an AWS::SNS::Topic in resources.Resources`,
        'Ref the logical id of a topic defined under resources, or write the topic ARN',
      );
    }
    const properties = isRecord(resource.Properties) ? resource.Properties : {};
    const name =
      properties.TopicName !== undefined
        ? resolveString(
            properties.TopicName,
            context,
            `resources.Resources.${value.Ref}.Properties.TopicName`,
          )
        : generatedPhysicalName(stackName(service), value.Ref);
    return `arn:aws:sns:${service.provider.region}:${accountId}:${name}`;
  }
  const arn = resolveString(value, context, `${field}.Topic`);
  if (!arn.startsWith('arn:')) {
    throw new ServiceConfigError(
      configFile(service),
      `${field}.Topic is "${arn}", not a topic ARN`,
      'Ref the topic resource or write its ARN',
    );
  }
  return arn;
}

/** `Fn::GetAtt: [<AWS::SQS::Queue logical id>, Arn]` or a queue ARN. */
function queueArnOf(value: unknown, field: string, context: CloudFormationContext): string {
  const { service, accountId } = context;
  const references = queueReferences(service, { region: service.provider.region, accountId });
  const resolved = resolveValue(value, references);
  if ('value' in resolved && /^arn:aws[a-z-]*:sqs:/.test(resolved.value)) return resolved.value;
  throw new ServiceConfigError(
    configFile(service),
    `${field}.Queue is ${JSON.stringify(value)}, not the ARN of a queue (${
      'unresolved' in resolved ? resolved.unresolved : `"${resolved.value}" is not an SQS ARN`
    })`,
    'write Queue: { Fn::GetAtt: [<queue logical id>, Arn] } for a queue under resources, or the queue ARN',
  );
}

/** S3 refuses a bucket configuration where one event could match two configurations. */
function checkOverlaps(targets: S3NotificationTarget[], service: ServiceDefinition): void {
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const a = targets[i] as S3NotificationTarget;
      const b = targets[j] as S3NotificationTarget;
      if (a.bucket !== b.bucket) continue;
      const sharedEvent = a.events.some((x) => b.events.some((y) => eventsOverlap(x, y)));
      const prefixes = overlap(a.prefix, b.prefix, (p, q) => p.startsWith(q) || q.startsWith(p));
      const suffixes = overlap(a.suffix, b.suffix, (p, q) => p.endsWith(q) || q.endsWith(p));
      if (sharedEvent && prefixes && suffixes) {
        throw new ServiceConfigError(
          configFile(service),
          `${a.source} and ${b.source} both want ${a.events[0] ?? ''} events of bucket "${a.bucket}" for overlapping keys; S3 refuses this ("Configurations overlap. Configurations on the same bucket cannot share a common event type.")`,
          'give them prefix or suffix rules that do not overlap, or different event types',
        );
      }
    }
  }
}

function eventsOverlap(x: string, y: string): boolean {
  const a = x.replace(/^s3:/, '');
  const b = y.replace(/^s3:/, '');
  const family = (event: string) => event.split(':')[0];
  if (family(a) !== family(b)) return false;
  return a.endsWith(':*') || b.endsWith(':*') || !a.includes(':') || !b.includes(':') || a === b;
}

function overlap(
  a: string | undefined,
  b: string | undefined,
  test: (a: string, b: string) => boolean,
): boolean {
  return a === undefined || b === undefined || test(a, b);
}
