// Shared by the SNS, secrets and schedule tests: ServiceDefinitions built in code (the config loader is
// tested elsewhere), a fake AsyncInvoker that records what it is handed and lets a test await deliveries,
// and SDK client settings for a local endpoint.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServiceDefinition } from '../../src/config/service-definition';
import type { AsyncInvoker } from '../../src/event-sources/async-invoker';
import { functionsWithEvents, serviceDefinition } from '../support/function-definition';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const CREDENTIALS = { accessKeyId: 'LOCALCLOUDACCESSKEY', secretAccessKey: 'local-cloud-secret-key' };

export interface ServiceSpec {
  service: string;
  servicePath?: string;
  /** Function key to its raw events. */
  functions?: Record<string, Record<string, unknown>[]>;
  resources?: Record<string, unknown>;
}

export function serviceWith(spec: ServiceSpec): ServiceDefinition {
  return serviceDefinition({
    service: spec.service,
    servicePath: spec.servicePath ?? path.join(tmpdir(), spec.service),
    provider: { region: REGION },
    functions: functionsWithEvents(spec.functions ?? {}),
    resources: spec.resources,
  });
}

export function functionArn(service: string, key: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${service}-dev-${key}`;
}

export interface Delivery {
  functionName: string;
  event: unknown;
  /** performance.now() when the invoker was handed the event. */
  at: number;
}

export class FakeAsyncInvoker implements AsyncInvoker {
  readonly deliveries: Delivery[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private sequence = 0;

  invokeAsync(functionName: string, payload: string): string {
    this.deliveries.push({ functionName, event: JSON.parse(payload) as unknown, at: performance.now() });
    this.waiters = this.waiters.filter((waiter) => {
      if (this.deliveries.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
    this.sequence += 1;
    return `request-${this.sequence}`;
  }

  /** Resolves once `count` events in total have been handed over. */
  waitFor(count: number): Promise<Delivery[]> {
    if (this.deliveries.length >= count) return Promise.resolve(this.deliveries);
    return new Promise((resolve) => {
      this.waiters.push({ count, resolve: () => resolve(this.deliveries) });
    });
  }

  clear(): void {
    this.deliveries.length = 0;
  }
}

export function clientConfig(endpoint: string, credentials = CREDENTIALS) {
  return { endpoint, region: REGION, credentials, maxAttempts: 1 };
}

export function temporaryDirectory(prefix: string): { path: string; remove(): void } {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  return { path: directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}
