// Starts local-cloud's S3 on 127.0.0.1 (random port) for a service built in code, with real
// @aws-sdk/client-s3 clients pointed at it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { ServiceDefinition } from '../../src/config/service-definition';
import { createS3Service, type S3Service, type S3ServiceOptions } from '../../src/services/s3/s3-service';
import { functionsWithEvents, serviceDefinition as buildService } from '../support/function-definition';

export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'LOCALCLOUDS3KEY', secretAccessKey: 'local-cloud-s3-secret' };

export interface ServiceSpec {
  service?: string;
  region?: string;
  servicePath?: string;
  /** Function key to its events (raw, as in serverless.yml). */
  functions?: Record<string, Record<string, unknown>[]>;
  resources?: Record<string, unknown>;
}

export function serviceDefinition(spec: ServiceSpec = {}): ServiceDefinition {
  return buildService({
    service: spec.service ?? 's3-test',
    servicePath: spec.servicePath ?? path.join(os.tmpdir(), 'local-cloud-s3-no-disk'),
    provider: { region: spec.region ?? REGION },
    functions: functionsWithEvents(spec.functions ?? {}),
    resources: spec.resources,
  });
}

export interface S3Harness {
  s3: S3Service;
  url: string;
  client: S3Client;
  /** A client for the same endpoint with other settings. */
  clientWith(
    settings: Partial<{ accessKeyId: string; secretAccessKey: string; region: string; endpoint: string }>,
  ): S3Client;
  stop(): Promise<void>;
}

export async function startS3(
  options: Partial<Omit<S3ServiceOptions, 'service'>> & { service?: ServiceDefinition } = {},
): Promise<S3Harness> {
  const service = options.service ?? serviceDefinition();
  const s3 = await createS3Service({ inMemory: true, credentials: CREDENTIALS, ...options, service });
  const clients: S3Client[] = [];
  const clientWith: S3Harness['clientWith'] = (settings) => {
    const client = new S3Client({
      endpoint: settings.endpoint ?? s3.url,
      region: settings.region ?? s3.region,
      credentials: {
        accessKeyId: settings.accessKeyId ?? CREDENTIALS.accessKeyId,
        secretAccessKey: settings.secretAccessKey ?? CREDENTIALS.secretAccessKey,
      },
      // One attempt: the SDK would otherwise retry 5xx answers and hide them behind its backoff.
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };
  return {
    s3,
    url: s3.url,
    client: clientWith({}),
    clientWith,
    stop: async () => {
      clients.forEach((client) => client.destroy());
      await s3.stop();
    },
  };
}

/** A fresh directory under the OS temp dir, removed by the returned function. */
export function temporaryDirectory(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `local-cloud-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export type SdkError = Error & { $metadata: { httpStatusCode?: number }; Code?: string };

export async function rejection(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
