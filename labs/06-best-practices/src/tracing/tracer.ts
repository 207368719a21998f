// X-Ray instrumentation. On Lambda with `tracing: lambda: true`, the runtime sets _X_AMZN_TRACE_ID for each
// invocation and the SDK sends every closed subsegment over UDP to the daemon (AWS_XRAY_DAEMON_ADDRESS);
// local-cloud runs such a daemon and prints each trace as a tree. Outside Lambda (unit tests) there is no
// segment, and everything here just runs the work untraced.
import http from 'node:http';
import https from 'node:https';
import * as AWSXRay from 'aws-xray-sdk-core';

export type Annotations = Record<string, string | number | boolean>;

/** The client, with one subsegment per AWS call (service, operation, table, retries). */
export function traceAwsClient<T extends Parameters<typeof AWSXRay.captureAWSv3Client>[0]>(client: T): T {
  // BEGIN SOLUTION xray-tracing
  // TODO(xray-tracing): wrap the SDK v3 client with the X-Ray SDK.
  return AWSXRay.captureAWSv3Client(client);
  // END SOLUTION
}

/** The modules an HTTP adapter makes its requests with: Node's own, or X-Ray's traced copies of them. */
export interface HttpModules {
  http: typeof http;
  https: typeof https;
}

/**
 * Copies of node:http and node:https whose every request becomes a remote subsegment. Copies, not
 * captureHTTPsGlobal: patching the process-wide modules would trace every library's requests too, and in a
 * test runner it would leak into every other test sharing the process.
 */
export function tracedHttpModules(): HttpModules {
  // BEGIN SOLUTION xray-tracing
  // TODO(xray-tracing): capture node:http and node:https with the X-Ray SDK (copies, not globally).
  return { http: AWSXRay.captureHTTPs(http, true), https: AWSXRay.captureHTTPs(https, true) };
  // END SOLUTION
}

/** Runs work in a named subsegment carrying annotations (indexed: a filter expression can search them). */
export function inSubsegment<T>(name: string, annotations: Annotations, work: () => Promise<T>): Promise<T> {
  // BEGIN SOLUTION xray-tracing
  // TODO(xray-tracing): open a subsegment, annotate it, record errors, close it when the work settles.
  if (!isTracing()) return work();
  return AWSXRay.captureAsyncFunc(name, async (subsegment) => {
    for (const [key, value] of Object.entries(annotations)) subsegment?.addAnnotation(key, value);
    try {
      return await work();
    } catch (error) {
      subsegment?.addError(error as Error);
      throw error;
    } finally {
      subsegment?.close();
    }
  });
  // END SOLUTION
}

/** True inside a traced invocation: the runtime gave this invocation a trace header. */
export function isTracing(): boolean {
  return (process.env._X_AMZN_TRACE_ID ?? '').includes('Root=');
}
