// What a deployment's CloudFormation references stand for once local-cloud has "deployed" the service:
// `Ref` and `Fn::GetAtt` of the tables, buckets, topics, secrets, parameters, functions and WebSocket API it
// creates, and Fn::Sub / Fn::Join over them. Functions receive them in their environment as on AWS
// (`IMAGES_TABLE: !Ref ImagesTable` is the table's name), so handler code reads the same variables locally.
//
// The normaliser keeps an environment value that is an intrinsic function as its JSON text (it cannot know
// the value without a deployment); resolveEnvironment() recognises that text and replaces it with the value.
import { createHash } from 'node:crypto';
import type { ServiceDefinition } from '../config/service-definition';
import { tableNamesByLogicalId } from '../services/dynamodb/table-definitions';
import { bucketNameOf } from '../services/s3/bucket-definitions';
import {
  functionLogicalId,
  generatedPhysicalName,
  isRecord,
  resolveString,
  resourcesOfType,
  type CloudFormationContext,
} from '../cloudformation/values';
import { declaredMessaging } from '../services/sns/declared-topics';
import { stableApiId } from '../api-gateway/ids';
import { HTTP_API_LOGICAL_ID, httpApiResource } from '../http-api/api-id';

/** What one resource's references give. */
export interface ResolvedResource {
  /** The CloudFormation type: `AWS::DynamoDB::Table`, `AWS::Lambda::Function`, ... */
  type: string;
  /** What `Ref: <logicalId>` gives: a table's or bucket's name, a topic's or secret's ARN, an API's id. */
  ref: string;
  /** `Fn::GetAtt: [<logicalId>, <attribute>]` values local-cloud knows: Arn, StreamArn, TopicName, ... */
  attributes: Record<string, string>;
}

export interface ResourceContextInput {
  service: ServiceDefinition;
  region: string;
  accountId: string;
  /** Each table's current stream ARN (AWS-formatted), by logical id: known once DynamoDB Local runs. */
  streamArns?: Record<string, string>;
  /** The WebSocket API, when the service has `websocket` events. */
  webSocket?: { apiId: string; domainName: string; stage: string };
}

/** The framework's logical id for the REST API it creates from `http` events. */
export const REST_API_LOGICAL_ID = 'ApiGatewayRestApi';

/** The framework's logical id for the WebSocket API it creates from `websocket` events. */
export const WEBSOCKET_API_LOGICAL_ID = 'WebsocketsApi';

/** Every resource local-cloud creates for the service, by logical id. */
export function localResources(input: ResourceContextInput): Record<string, ResolvedResource> {
  const { service, region, accountId } = input;
  const stackName = `${service.service}-${service.provider.stage}`;
  const resources: Record<string, ResolvedResource> = {};

  for (const fn of Object.values(service.functions)) {
    resources[functionLogicalId(fn.key)] = {
      type: 'AWS::Lambda::Function',
      ref: fn.name,
      attributes: { Arn: `arn:aws:lambda:${region}:${accountId}:function:${fn.name}` },
    };
  }
  const httpApi = httpApiResource(service, region);
  if (httpApi) resources[HTTP_API_LOGICAL_ID] = httpApi;
  if (Object.values(service.functions).some((fn) => fn.httpEvents.length > 0)) {
    const apiId = stableApiId(service, 'rest');
    resources[REST_API_LOGICAL_ID] = {
      type: 'AWS::ApiGateway::RestApi',
      ref: apiId,
      attributes: { RootResourceId: stableApiId(service, 'rest-root') },
    };
  }
  for (const [logicalId, tableName] of Object.entries(tableNamesByLogicalId(service, region))) {
    const attributes: Record<string, string> = {
      Arn: `arn:aws:dynamodb:${region}:${accountId}:table/${tableName}`,
    };
    const streamArn = input.streamArns?.[logicalId];
    if (streamArn) attributes.StreamArn = streamArn;
    resources[logicalId] = { type: 'AWS::DynamoDB::Table', ref: tableName, attributes };
  }
  for (const { logicalId } of resourcesOfType(service.resources, 'AWS::S3::Bucket')) {
    const name = bucketNameOf(logicalId, { service, accountId });
    resources[logicalId] = {
      type: 'AWS::S3::Bucket',
      ref: name,
      attributes: { Arn: `arn:aws:s3:::${name}` },
    };
  }
  for (const topic of declaredMessaging(service, { region, accountId }).topics) {
    if (!topic.logicalId) continue;
    resources[topic.logicalId] = {
      type: 'AWS::SNS::Topic',
      ref: topic.arn,
      attributes: { TopicArn: topic.arn, TopicName: topic.name },
    };
  }

  const names: CloudFormationContext = {
    region,
    accountId,
    stackName,
    ref: () => undefined,
    getAtt: () => undefined,
  };
  for (const { logicalId, properties } of resourcesOfType(service.resources, 'AWS::SecretsManager::Secret')) {
    const name = resolveString(properties.Name, names) ?? generatedPhysicalName(stackName, logicalId);
    const arn = `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${secretArnSuffix(name)}`;
    resources[logicalId] = { type: 'AWS::SecretsManager::Secret', ref: arn, attributes: { Id: arn } };
  }
  for (const { logicalId, properties } of resourcesOfType(service.resources, 'AWS::SSM::Parameter')) {
    const name =
      resolveString(properties.Name, names) ??
      `CFN-${logicalId}-${generatedPhysicalName(stackName, logicalId).slice(-12)}`;
    const type = resolveString(properties.Type, names) ?? 'String';
    resources[logicalId] = { type: 'AWS::SSM::Parameter', ref: name, attributes: { Type: type } };
  }

  if (input.webSocket) {
    const { apiId } = input.webSocket;
    resources[WEBSOCKET_API_LOGICAL_ID] = {
      type: 'AWS::ApiGatewayV2::Api',
      ref: apiId,
      attributes: { ApiId: apiId, ApiEndpoint: `wss://${apiId}.execute-api.${region}.amazonaws.com` },
    };
  }
  return resources;
}

/**
 * The 6 characters Secrets Manager appends to a secret's ARN. Random on AWS; local-cloud's Secrets Manager
 * derives them from the name (src/services/secrets/secrets-service.ts, arnSuffix), and `Ref` must give the
 * ARN it answers with: the platform tests compare the two.
 */
function secretArnSuffix(name: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...createHash('sha256').update(name).digest().subarray(0, 6)]
    .map((byte) => alphabet[byte % alphabet.length])
    .join('');
}

export interface EnvironmentResolver {
  /**
   * The variables with every intrinsic function resolved. A value local-cloud cannot resolve (a reference to
   * a resource it does not emulate) is left as its JSON text and reported once through `warnings`.
   */
  resolveEnvironment(environment: Record<string, string>, where?: string): Record<string, string>;
  /** The value a CloudFormation value stands for, or undefined. */
  resolveValue(value: unknown): string | undefined;
  warnings: string[];
}

export function environmentResolver(
  input: ResourceContextInput,
  resources: Record<string, ResolvedResource> = localResources(input),
): EnvironmentResolver {
  const context: CloudFormationContext = {
    region: input.region,
    accountId: input.accountId,
    stackName: `${input.service.service}-${input.service.provider.stage}`,
    ref: (logicalId) => resources[logicalId]?.ref,
    getAtt: (logicalId, attribute) => resources[logicalId]?.attributes[attribute],
  };
  const toLocal = localExecuteApiHost(input);
  const warnings: string[] = [];
  const warned = new Set<string>();
  const resolveValue = (value: unknown) => {
    const resolved = resolveString(value, context);
    return resolved === undefined ? undefined : toLocal(resolved);
  };
  return {
    warnings,
    resolveValue,
    resolveEnvironment: (environment, where = 'environment') => {
      const result: Record<string, string> = {};
      for (const [name, value] of Object.entries(environment)) {
        const intrinsic = intrinsicOf(value);
        if (intrinsic === undefined) {
          result[name] = value;
          continue;
        }
        const resolved = resolveValue(intrinsic);
        if (resolved !== undefined) {
          result[name] = resolved;
          continue;
        }
        result[name] = value;
        const key = `${name}=${value}`;
        if (!warned.has(key)) {
          warned.add(key);
          warnings.push(
            `${where}.${name} is ${value}, which names nothing local-cloud creates (it emulates tables, buckets, topics, queues, secrets, parameters, functions and the WebSocket API), so the function sees that text. Fix: define the resource under resources.Resources, or give the variable a plain value`,
          );
        }
      }
      return result;
    },
  };
}

/**
 * An environment value the normaliser kept as JSON because it is an intrinsic function: an object with one
 * key, `Ref` or `Fn::...`. Anything else (a plain string, even one holding other JSON) is a value.
 */
export function intrinsicOf(value: string): Record<string, unknown> | undefined {
  if (!/^\{\s*"(Ref|Fn::[A-Za-z]+)"\s*:/.test(value)) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) && Object.keys(parsed).length === 1 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A function that posts to WebSocket connections outside a WebSocket event (an SNS-triggered notifier) gets
 * the management endpoint from its environment, built as on AWS:
 * `https://${WebsocketsApi}.execute-api.${AWS::Region}.amazonaws.com/${stage}`. That host does not exist
 * locally; the local API answers the same paths (over TLS too) at its own address, so the host is replaced.
 */
function localExecuteApiHost(input: ResourceContextInput): (value: string) => string {
  const webSocket = input.webSocket;
  if (!webSocket) return (value) => value;
  const awsHost = `${webSocket.apiId}.execute-api.${input.region}.amazonaws.com`;
  return (value) => value.split(awsHost).join(webSocket.domainName);
}
