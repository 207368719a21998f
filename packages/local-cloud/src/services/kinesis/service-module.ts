// Kinesis Data Streams as a platform service: the Kinesis API on the edge; streams from the service's
// AWS::Kinesis::Stream resources; and, once functions can run, the Kinesis `stream` event source that hands
// their records to functions.
import { reportStreamFailure } from '../../event-sources/dynamodb-streams/failure-delivery';
import { createKinesisEventSource } from '../../event-sources/kinesis/kinesis-source';
import { kinesisMappings } from '../../event-sources/kinesis/kinesis-mappings';
import { executionRoleArn } from '../../event-sources/kinesis/kinesis-records';
import { serviceModule } from '../../platform/service-contract';
import { STREAM_RESOURCE_TYPE } from './declared-streams';
import { createKinesisService } from './kinesis-service';

export const kinesisModule = serviceModule({
  key: 'kinesis',
  emulates: { resources: [STREAM_RESOURCE_TYPE] },
  start: (context) =>
    createKinesisService({
      service: context.service,
      listener: context.edge.mount(['kinesis']),
      host: context.host,
      credentials: context.credentials,
      authorizer: context.authorizer,
      region: context.region,
      inMemory: context.inMemory,
      log: context.log,
    }),
  // Ref of a stream is its name; Fn::GetAtt gives its Arn.
  resources: (kinesis) =>
    Object.fromEntries(
      kinesis.declared.map((stream) => [
        stream.logicalId,
        { type: STREAM_RESOURCE_TYPE, ref: stream.name, attributes: { Arn: stream.arn } },
      ]),
    ),
  warnings: (kinesis, service) => {
    const lines = kinesisMappings(service, service.provider.region).warnings;
    for (const stream of kinesis?.declared ?? []) {
      for (const property of stream.unhonoured) {
        lines.push(
          property === 'StreamEncryption'
            ? `resources.${stream.logicalId}.Properties.StreamEncryption: records are not encrypted locally (DescribeStream reports the encryption type)`
            : `resources.${stream.logicalId}.Properties.${property} is not emulated`,
        );
      }
    }
    for (const [logicalId, resource] of Object.entries(service.resources)) {
      if ((resource as { Type?: unknown } | undefined)?.Type === 'AWS::Kinesis::StreamConsumer') {
        lines.push(
          `resources.${logicalId}: enhanced fan-out consumers are not emulated; functions read streams as shared-throughput consumers`,
        );
      }
    }
    return lines;
  },
  summary: (kinesis) => {
    const streams = kinesis.declared.map((declared) => {
      const stream = kinesis.streams.findByArn(declared.arn);
      return stream ? `${stream.name} (${kinesis.streams.openShards(stream).length} shards)` : declared.name;
    });
    return [{ name: 'Kinesis', where: 'AWS endpoint', detail: `streams ${streams.join(', ') || 'none'}` }];
  },
  connect: (kinesis, context) => {
    const { mappings } = kinesisMappings(context.service, context.region);
    if (mappings.length === 0) return Promise.resolve(undefined);
    const say = context.logAs('kinesis-events');
    const { service } = context;
    return Promise.resolve(
      createKinesisEventSource({
        lambda: context.lambda,
        streams: kinesis.streams,
        mappings,
        region: context.region,
        roleArn: executionRoleArn(
          context.lambda.accountId,
          service.service,
          service.provider.stage,
          context.region,
        ),
        deliver: context.deliver,
        onFailure: (failure) => void reportStreamFailure(failure, say),
        onWarning: say,
      }),
    );
  },
});
