// The streams a service declares: `AWS::Kinesis::Stream` resources, as CloudFormation creates them
// (AWS::Kinesis::Stream in the CloudFormation reference). A stream without a Name gets CloudFormation's
// generated name (`<stack>-<LogicalId>-<suffix>`); ShardCount defaults to 1 in provisioned mode;
// StreamModeDetails ON_DEMAND starts the stream with 4 shards, as AWS does; RetentionPeriodHours defaults to 24.
// `Ref` of a stream is its name, `Fn::GetAtt` gives its `Arn`.
import type { ServiceDefinition } from '../../config/service-definition';
import {
  generatedPhysicalName,
  isRecord,
  resolveString,
  resourcesOfType,
  type CloudFormationContext,
} from '../../cloudformation/values';
import {
  DEFAULT_RETENTION_HOURS,
  streamArn,
  type StreamDefinition,
  type StreamMode,
} from './kinesis-streams';

export const STREAM_RESOURCE_TYPE = 'AWS::Kinesis::Stream';

export interface Account {
  region: string;
  accountId: string;
}

export interface DeclaredStream extends StreamDefinition {
  logicalId: string;
  arn: string;
  /** Properties read but not emulated, for warnings. */
  unhonoured: string[];
}

/** CloudFormation references to the service's streams: `Ref` the name, `Fn::GetAtt` the Arn. */
export function streamReferences(service: ServiceDefinition, account: Account): CloudFormationContext {
  const names: CloudFormationContext = {
    ...account,
    stackName: `${service.service}-${service.provider.stage}`,
  };
  const byLogicalId = new Map<string, string>();
  for (const { logicalId, properties } of resourcesOfType(service.resources, STREAM_RESOURCE_TYPE)) {
    byLogicalId.set(
      logicalId,
      resolveString(properties.Name, names) ?? generatedPhysicalName(names.stackName, logicalId),
    );
  }
  return {
    ...names,
    ref: (logicalId) => byLogicalId.get(logicalId),
    getAtt: (logicalId, attribute) => {
      const name = byLogicalId.get(logicalId);
      return name !== undefined && attribute === 'Arn'
        ? streamArn(account.region, account.accountId, name)
        : undefined;
    },
  };
}

export function declaredStreams(service: ServiceDefinition, account: Account): DeclaredStream[] {
  const context = streamReferences(service, account);
  return resourcesOfType(service.resources, STREAM_RESOURCE_TYPE).map(({ logicalId, properties }) => {
    const name = context.ref!(logicalId)!;
    const modeDetails = isRecord(properties.StreamModeDetails) ? properties.StreamModeDetails : {};
    const mode: StreamMode =
      resolveString(modeDetails.StreamMode, context) === 'ON_DEMAND' ? 'ON_DEMAND' : 'PROVISIONED';
    const shardCount = Number(resolveString(properties.ShardCount, context) ?? 1);
    const retentionHours = Number(
      resolveString(properties.RetentionPeriodHours, context) ?? DEFAULT_RETENTION_HOURS,
    );
    const encryption = isRecord(properties.StreamEncryption) ? properties.StreamEncryption : undefined;
    const unhonoured: string[] = [];
    if (encryption) unhonoured.push('StreamEncryption');
    for (const property of ['DesiredShardLevelMetrics', 'WarmThroughputMiBps', 'MaxRecordSizeInKiB']) {
      if (properties[property] !== undefined) unhonoured.push(property);
    }
    return {
      logicalId,
      name,
      arn: streamArn(account.region, account.accountId, name),
      mode,
      shardCount,
      retentionHours,
      ...(encryption
        ? {
            encryption: {
              type:
                resolveString(encryption.EncryptionType, context) === 'KMS'
                  ? ('KMS' as const)
                  : ('NONE' as const),
              keyId: resolveString(encryption.KeyId, context),
            },
          }
        : {}),
      unhonoured,
    };
  });
}
