// What every AWS API service of local-cloud is created with (SQS, SNS, EventBridge, Kinesis, Secrets Manager
// and SSM), and where it keeps its state: the platform passes the same things to each.
import path from 'node:path';
import type { ServiceDefinition } from '../config/service-definition';
import type { AccessKeyPair } from '../endpoints';
import type { Listener } from '../http-listener';
import { createSignatureCheck } from '../protocol/signature-errors';
import type { Authorizer } from '../iam/authorizer';

export interface AwsServiceOptions {
  service: ServiceDefinition;
  /** Default 0: a free port. */
  port?: number;
  /** Attach to this endpoint (the edge) instead of listening on `port`. */
  listener?: Listener;
  /** Default 127.0.0.1. */
  host?: string;
  /** The key pair whose signatures are accepted (with the functions' role sessions it carries). */
  credentials: AccessKeyPair;
  /** Checks a function's call against its role (src/iam); absent, every signed call may. */
  authorizer?: Authorizer;
  region: string;
  /** Where the service's state persists. Default `<service>/.local-cloud/<name>`. */
  dataDir?: string;
  /** Persist nothing. */
  inMemory?: boolean;
  accountId?: string;
  /** Warnings, undeliverable messages, and the service's own failures; never a secret. */
  log?: (line: string) => void;
  /** The clock for timestamps and signature dates, ms since the epoch. */
  now?: () => number;
}

/** The SigV4 check of a service's requests: the local key pair, the region, the service's signing name, its clock. */
export function signatureCheckFor(
  options: Pick<AwsServiceOptions, 'credentials' | 'region' | 'now'>,
  signingName: string,
): ReturnType<typeof createSignatureCheck> {
  return createSignatureCheck({
    credentials: options.credentials,
    region: options.region,
    service: signingName,
    now: options.now,
  });
}

/** The folder a service keeps its state in (`<service>/.local-cloud/sqs`); none in memory. */
export function serviceDataDir(options: AwsServiceOptions, name: string): string | undefined {
  if (options.inMemory) return undefined;
  return options.dataDir ?? path.join(options.service.servicePath, '.local-cloud', name);
}
