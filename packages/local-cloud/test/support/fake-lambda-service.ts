// An in-process LambdaService for testing what sits in front of the runtime (API Gateway, the Invoke API)
// without starting sandboxes. Each function is a plain async function of the parsed event; a throw becomes
// a function error shaped as the Node.js runtime shapes it.
import { randomUUID } from 'node:crypto';
import type { FunctionDefinition, HttpEventDefinition } from '../../src/config/service-definition';
import {
  ACCOUNT_ID,
  FunctionNotFoundError,
  RequestTooLargeError,
  SYNC_PAYLOAD_LIMIT_BYTES,
  TooManyRequestsError,
  type InvocationReport,
  type InvokeRequest,
  type InvokeResult,
  type LambdaService,
} from '../../src/lambda/lambda-service';
import { functionDefinition } from './function-definition';

export type FakeHandler = (event: unknown, context: { clientContext?: string }) => Promise<unknown>;

export interface FakeFunction {
  handler: FakeHandler;
  httpEvents?: Partial<HttpEventDefinition>[];
  definition?: Partial<FunctionDefinition>;
}

export class FakeLambdaService implements LambdaService {
  readonly region = 'us-east-1';
  readonly accountId = ACCOUNT_ID;
  /** Every invocation's request, in order, for assertions. */
  readonly invocations: InvokeRequest[] = [];
  private readonly listeners = new Set<(report: InvocationReport) => void>();
  private readonly definitions: FunctionDefinition[];
  private readonly handlers = new Map<string, FakeHandler>();
  private readonly running = new Map<string, number>();

  constructor(functions: Record<string, FakeFunction>, service = 'fake-service', stage = 'dev') {
    this.definitions = Object.entries(functions).map(([key, fn]) => {
      this.handlers.set(key, fn.handler);
      return functionDefinition(key, {
        service,
        stage,
        ...fn.definition,
        httpEvents: (fn.httpEvents ?? []).map((event) => ({
          method: 'GET',
          path: `/${key}`,
          requestSchemas: {},
          ...event,
        })),
      });
    });
  }

  functions(): FunctionDefinition[] {
    return this.definitions;
  }

  findFunction(nameOrArn: string): FunctionDefinition | undefined {
    const name = nameOrArn.startsWith('arn:')
      ? (nameOrArn.split(':')[6] ?? '')
      : (nameOrArn.split(':').pop() ?? '');
    return this.definitions.find((fn) => fn.key === name || fn.name === name);
  }

  functionArn(fn: FunctionDefinition): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${fn.name}`;
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const fn = this.findFunction(request.functionName);
    if (!fn) {
      throw new FunctionNotFoundError(
        request.functionName,
        `arn:aws:lambda:${this.region}:${this.accountId}:function:${request.functionName}`,
      );
    }
    const size = Buffer.byteLength(request.payload);
    if (size > SYNC_PAYLOAD_LIMIT_BYTES)
      throw new RequestTooLargeError(SYNC_PAYLOAD_LIMIT_BYTES, size, 'request');
    const running = this.running.get(fn.key) ?? 0;
    if (fn.reservedConcurrency !== undefined && running >= fn.reservedConcurrency) {
      throw new TooManyRequestsError(fn.name);
    }
    this.invocations.push(request);
    this.running.set(fn.key, running + 1);
    const requestId = request.requestId ?? randomUUID();
    const started = performance.now();
    const handler = this.handlers.get(fn.key)!;
    let result: Pick<InvokeResult, 'payload' | 'functionError'>;
    try {
      const value = await handler(JSON.parse(request.payload), { clientContext: request.clientContext });
      result = { payload: JSON.stringify(value ?? null) };
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      result = {
        functionError: 'Unhandled',
        payload: JSON.stringify({
          errorType: err.name,
          errorMessage: err.message,
          trace: err.stack?.split('\n'),
        }),
      };
    } finally {
      this.running.set(fn.key, (this.running.get(fn.key) ?? 1) - 1);
    }
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    const report: InvocationReport = {
      functionKey: fn.key,
      functionName: fn.name,
      requestId,
      status: result.functionError ? 'error' : 'success',
      durationMs,
      billedDurationMs: Math.ceil(durationMs),
      coldStart: false,
      memorySizeMb: fn.memorySize,
      maxMemoryUsedMb: 64,
    };
    this.listeners.forEach((listener) => listener(report));
    const logs = `START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: ${durationMs} ms\n`;
    return { ...result, report, logs };
  }

  onInvocation(listener: (report: InvocationReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async recycle(): Promise<void> {}

  async stop(): Promise<void> {}
}
