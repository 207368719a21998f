// The Lambda runtime as the services see it before it exists. Functions must know every service's URL
// before their sandboxes are configured, so the services start first; the ones that invoke functions (the
// WebSocket API, SNS fan-out, S3 notifications) are handed this stand-in, which knows the functions from the
// service definition and holds invocations until connect() gives it the runtime.
import type { FunctionDefinition, ServiceDefinition } from '../config/service-definition';
import {
  ACCOUNT_ID,
  type InvocationReport,
  type InvokeRequest,
  type InvokeResult,
  type LambdaService,
} from '../lambda/lambda-service';

/** Invocations made after the platform stopped, or that were waiting for a runtime that never came. */
export class PlatformStoppedError extends Error {
  override readonly name = 'PlatformStoppedError';
  constructor() {
    super('local-cloud is stopping: the function was not invoked');
  }
}

export class DeferredLambdaService implements LambdaService {
  readonly region: string;
  readonly accountId = ACCOUNT_ID;
  private lambda: LambdaService | undefined;
  private closed = false;
  private readonly waiting = new Set<{ resolve(lambda: LambdaService): void; reject(error: Error): void }>();

  constructor(private readonly service: ServiceDefinition) {
    this.region = service.provider.region;
  }

  /** The runtime is ready: invocations held so far go to it, in the order they were made. */
  bind(lambda: LambdaService): void {
    this.lambda = lambda;
    for (const waiter of this.waiting) waiter.resolve(lambda);
    this.waiting.clear();
  }

  /** Nothing more reaches the runtime; invocations still held fail. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting) waiter.reject(new PlatformStoppedError());
    this.waiting.clear();
  }

  functions(): FunctionDefinition[] {
    return this.lambda?.functions() ?? Object.values(this.service.functions);
  }

  findFunction(nameOrArn: string): FunctionDefinition | undefined {
    if (this.lambda) return this.lambda.findFunction(nameOrArn);
    return findServiceFunction(this.service, nameOrArn);
  }

  functionArn(fn: FunctionDefinition): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${fn.name}`;
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    if (this.closed) throw new PlatformStoppedError();
    const lambda =
      this.lambda ??
      (await new Promise<LambdaService>((resolve, reject) => this.waiting.add({ resolve, reject })));
    return lambda.invoke(request);
  }

  onInvocation(listener: (report: InvocationReport) => void): () => void {
    if (!this.lambda) throw new Error('onInvocation() before connect(): listen on the runtime itself');
    return this.lambda.onInvocation(listener);
  }

  async recycle(functionKeys: string[]): Promise<void> {
    await this.lambda?.recycle(functionKeys);
  }

  /** The runtime belongs to its creator, who stops it; this only lets go of it. */
  stop(): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/**
 * As the runtime's findFunction: `hello`, `svc-dev-hello`, `svc-dev-hello:$LATEST`,
 * `123456789012:function:svc-dev-hello`, or a full ARN.
 */
export function findServiceFunction(
  service: ServiceDefinition,
  nameOrArn: string,
): FunctionDefinition | undefined {
  const parts = nameOrArn.split(':');
  let name = parts[0] ?? '';
  if (nameOrArn.startsWith('arn:')) name = parts[6] ?? '';
  else if (parts.length >= 3 && parts[1] === 'function') name = parts[2] ?? '';
  return Object.values(service.functions).find((fn) => fn.key === name || fn.name === name);
}
