// The buckets a service's deployment would create: every `AWS::S3::Bucket` in the CloudFormation resources
// (BucketName, CorsConfiguration, NotificationConfiguration, PublicAccessBlockConfiguration), and every bucket a function's `s3` event names
// unless it says `existing: true` (the framework creates those; existing ones must be there already).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ServiceConfigError } from '../../config/service-config-error';
import type { ServiceDefinition } from '../../config/service-definition';
import { isRecord, resolveValue } from '../../cloudformation/values';
import { publicAccessBlockOf, type PublicAccessBlock } from './bucket-policy';
import type { CorsRule } from './cors';

export interface BucketDefinition {
  name: string;
  /** The CloudFormation logical id, for buckets from `resources`. */
  logicalId?: string;
  cors: CorsRule[];
  /** `Properties.NotificationConfiguration` as written, for the S3 notifications event source. */
  notificationConfiguration?: Record<string, unknown>;
  /** `Properties.PublicAccessBlockConfiguration`; undefined without one (S3's default: all four on). */
  publicAccessBlock?: PublicAccessBlock;
}

export interface CloudFormationContext {
  service: ServiceDefinition;
  accountId: string;
}

export function bucketDefinitions(context: CloudFormationContext): BucketDefinition[] {
  const { service } = context;
  const buckets = new Map<string, BucketDefinition>();
  for (const [logicalId, resource] of Object.entries(service.resources)) {
    if (!isRecord(resource) || resource.Type !== 'AWS::S3::Bucket') continue;
    const properties = isRecord(resource.Properties) ? resource.Properties : {};
    const field = `resources.Resources.${logicalId}.Properties`;
    const name = bucketNameOf(logicalId, context);
    checkBucketName(name, `${field}.BucketName`, service);
    buckets.set(name, {
      name,
      logicalId,
      cors: corsRules(properties.CorsConfiguration, `${field}.CorsConfiguration`, service),
      notificationConfiguration: isRecord(properties.NotificationConfiguration)
        ? properties.NotificationConfiguration
        : undefined,
      publicAccessBlock: publicAccessBlockOf(properties),
    });
  }
  for (const event of s3Events(context)) {
    if (event.existing || buckets.has(event.bucket)) continue;
    checkBucketName(event.bucket, `${event.field}.bucket`, service);
    buckets.set(event.bucket, { name: event.bucket, cors: [] });
  }
  return [...buckets.values()];
}

export interface S3EventDefinition {
  functionKey: string;
  /** `functions.resize.events[0].s3`, for messages. */
  field: string;
  /** The resolved name. */
  bucket: string;
  /** `s3:ObjectCreated:*` unless `event:` says otherwise. */
  event: string;
  rules: { prefix?: string; suffix?: string };
  existing: boolean;
}

/** Every function's `s3` event, in both forms: `s3: photos` and `s3: { bucket, event, rules, existing }`. */
export function s3Events(context: CloudFormationContext): S3EventDefinition[] {
  const { service } = context;
  return Object.values(service.functions).flatMap((fn) =>
    fn.events.flatMap((event, index) => {
      if (!('s3' in event)) return [];
      const field = `functions.${fn.key}.events[${index}].s3`;
      const value = event.s3;
      const settings = isRecord(value) ? value : { bucket: value };
      const rules: { prefix?: string; suffix?: string } = {};
      for (const rule of Array.isArray(settings.rules) ? settings.rules : []) {
        if (isRecord(rule) && typeof rule.prefix === 'string') rules.prefix = rule.prefix;
        if (isRecord(rule) && typeof rule.suffix === 'string') rules.suffix = rule.suffix;
      }
      return [
        {
          functionKey: fn.key,
          field,
          bucket: resolveBucket(settings.bucket, context, `${field}.bucket`),
          event: typeof settings.event === 'string' ? settings.event : 's3:ObjectCreated:*',
          rules,
          existing: settings.existing === true,
        },
      ];
    }),
  );
}

/** A bucket named by a string, `Ref: <bucket logical id>` or a name built with Fn::Sub / Fn::Join. */
export function resolveBucket(value: unknown, context: CloudFormationContext, field: string): string {
  if (isRecord(value) && typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::')) {
    const resource = context.service.resources[value.Ref];
    if (!isRecord(resource) || resource.Type !== 'AWS::S3::Bucket') {
      throw new ServiceConfigError(
        configFile(context.service),
        `${field} refers to "${value.Ref}", which is not an AWS::S3::Bucket in resources.Resources`,
        'name the bucket, or Ref the logical id of a bucket defined under resources',
      );
    }
    return bucketNameOf(value.Ref, context);
  }
  return resolveString(value, context, field);
}

/** What `Ref` of a bucket resource gives: its BucketName, or the name CloudFormation would generate. */
export function bucketNameOf(logicalId: string, context: CloudFormationContext): string {
  const resource = context.service.resources[logicalId];
  const properties = isRecord(resource) && isRecord(resource.Properties) ? resource.Properties : {};
  if (properties.BucketName !== undefined) {
    return resolveString(
      properties.BucketName,
      context,
      `resources.Resources.${logicalId}.Properties.BucketName`,
    );
  }
  return generatedName(stackName(context.service), logicalId, 63).toLowerCase();
}

/**
 * CloudFormation names resources it names itself `<stack>-<logicalId>-<random>`; local-cloud derives the
 * suffix from the stack and logical id, so the name is the same at every start.
 */
export function generatedName(stack: string, logicalId: string, maxLength: number): string {
  const suffix = createHash('sha256').update(`${stack}/${logicalId}`).digest('hex').slice(0, 12);
  const head = `${stack}-${logicalId}`.slice(0, maxLength - suffix.length - 1);
  return `${head}-${suffix}`;
}

export function stackName(service: ServiceDefinition): string {
  return `${service.service}-${service.provider.stage}`;
}

/** Strings, and the intrinsic functions names are usually built with, over AWS's pseudo parameters. */
export function resolveString(value: unknown, context: CloudFormationContext, field: string): string {
  const resolved = resolveValue(value, {
    region: context.service.provider.region,
    accountId: context.accountId,
    stackName: stackName(context.service),
  });
  if ('value' in resolved) return resolved.value;
  throw new ServiceConfigError(
    configFile(context.service),
    `${field} is ${JSON.stringify(value)}, which local-cloud cannot resolve to a name: ${resolved.unresolved}`,
    'write the name as a string, or build it with Fn::Sub / Fn::Join from strings and AWS::Region, AWS::AccountId or AWS::StackName',
  );
}

/** S3's bucket naming rules (general purpose buckets). */
export function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.startsWith('sthree-') &&
    !name.endsWith('-s3alias') &&
    !name.endsWith('--ol-s3')
  );
}

function checkBucketName(name: string, field: string, service: ServiceDefinition): void {
  if (isValidBucketName(name)) return;
  throw new ServiceConfigError(
    configFile(service),
    `${field}: "${name}" is not a valid S3 bucket name`,
    'use 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
  );
}

function corsRules(value: unknown, field: string, service: ServiceDefinition): CorsRule[] {
  if (value === undefined) return [];
  const rules = isRecord(value) ? value.CorsRules : undefined;
  if (!Array.isArray(rules)) {
    throw new ServiceConfigError(
      configFile(service),
      `${field} needs a CorsRules list`,
      'write CorsConfiguration: { CorsRules: [ { AllowedOrigins, AllowedMethods } ] }',
    );
  }
  return rules.map((rule: unknown, index) => {
    const at = `${field}.CorsRules[${index}]`;
    if (!isRecord(rule)) {
      throw new ServiceConfigError(
        configFile(service),
        `${at} is not a rule`,
        'give each rule AllowedOrigins and AllowedMethods',
      );
    }
    const strings = (name: string): string[] => {
      const list = rule[name];
      if (list === undefined) return [];
      if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
        throw new ServiceConfigError(
          configFile(service),
          `${at}.${name} must be a list of strings`,
          `write ${name}: ['...']`,
        );
      }
      return list;
    };
    const allowedOrigins = strings('AllowedOrigins');
    const allowedMethods = strings('AllowedMethods').map((method) => method.toUpperCase());
    if (allowedOrigins.length === 0 || allowedMethods.length === 0) {
      throw new ServiceConfigError(
        configFile(service),
        `${at} needs AllowedOrigins and AllowedMethods`,
        'list the origins (e.g. http://localhost:5173) and methods (GET, PUT, POST, DELETE, HEAD) it allows',
      );
    }
    const invalid = allowedMethods.find(
      (method) => !['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].includes(method),
    );
    if (invalid) {
      throw new ServiceConfigError(
        configFile(service),
        `${at}.AllowedMethods has "${invalid}", which S3 does not accept`,
        'use GET, PUT, POST, DELETE or HEAD',
      );
    }
    const maxAge = rule.MaxAge ?? rule.MaxAgeSeconds;
    return {
      id: typeof rule.Id === 'string' ? rule.Id : undefined,
      allowedOrigins,
      allowedMethods,
      allowedHeaders: strings('AllowedHeaders'),
      exposedHeaders: strings('ExposedHeaders'),
      maxAgeSeconds: maxAge === undefined ? undefined : Number(maxAge),
    };
  });
}

export function configFile(service: ServiceDefinition): string {
  return path.join(service.servicePath, 'serverless.yml');
}
