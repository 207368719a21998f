// The local Lambda service: compiles a service's handlers, runs them in sandboxes (child processes, see
// sandbox.ts) and answers invoke() as Lambda's RequestResponse invocation does.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FunctionDefinition, ServiceDefinition } from '../config/service-definition';
import { ModuleBundler } from './bundler';
import { HandlerExportNotFoundError, LambdaServiceStoppedError } from './errors';
import { FunctionPool, type FunctionLogLine, type SandboxEvent } from './function-pool';
import { resolveHandlerModule, type HandlerModule } from './handler-module';
import { HotReloader, type ReloadEvent } from './hot-reload';
import { byteLength } from './invocation-result';
import {
  ACCOUNT_ID,
  FunctionNotFoundError,
  RequestTooLargeError,
  SYNC_PAYLOAD_LIMIT_BYTES,
  type InvocationReport,
  type InvokeRequest,
  type InvokeResult,
  type LambdaService,
} from './lambda-service';
import { MemoryWatchdog } from './memory-watchdog';
import { INIT_TIMEOUT_MS } from './sandbox';
import { checkFunctionEnvironment, functionEnvironment, newLogStreamName } from './sandbox-environment';

export * from './errors';
export type { FunctionLogLine, SandboxEvent } from './function-pool';
export type { ReloadEvent } from './hot-reload';

export interface LambdaServiceOptions {
  /**
   * Variables every sandbox gets on top of the function's own (and winning over them): the emulator's
   * AWS_ENDPOINT_URL (the AWS endpoint) and the local access key pair.
   */
  extraEnvironment?: Record<string, string>;
  /**
   * Variables one function's sandboxes get on top of those (winning over them): its role's credentials, as
   * Lambda gives each function its execution role's (src/iam/role-sessions.ts).
   */
  functionEnvironment?: (fn: FunctionDefinition) => Record<string, string>;
  /**
   * Sandboxes one function may run at once when it has no reservedConcurrency (AWS would scale much further;
   * a laptop cannot): invocations beyond it wait for a free sandbox. Default 10.
   */
  maxSandboxesPerFunction?: number;
  /** An idle sandbox is stopped after this long; the next invocation is cold. Default 5 minutes. */
  idleTimeoutMs?: number;
  /** Rebuild and recycle a function's sandboxes when one of its source files changes. */
  watch?: boolean;
  /** Every line a handler writes, as it writes it (console lines already in Lambda's format). */
  onLog?: (line: FunctionLogLine) => void;
  /** Where bundles go. Default `<servicePath>/.local-cloud/build`. */
  buildDir?: string;
  /** What the bundler warns of, one line each with the file and line (start() logs them as warnings). */
  onBuildWarning?: (line: string) => void;
}

export const DEFAULT_MAX_SANDBOXES_PER_FUNCTION = 10;
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * Compiles and checks every function, then serves invocations. Throws a FunctionConfigurationError (missing
 * handler file or export, a module that does not compile, an environment over 4 KB) naming the function, the
 * file and the fix: the CLI prints it and exits with code 2.
 */
export async function createLambdaService(
  service: ServiceDefinition,
  options: LambdaServiceOptions = {},
): Promise<LocalLambdaService> {
  const functions = Object.values(service.functions);
  const modules = new Map<string, HandlerModule>();
  for (const fn of functions) {
    checkFunctionEnvironment(fn);
    modules.set(fn.key, resolveHandlerModule(service.servicePath, fn));
  }
  const buildDir = options.buildDir ?? path.join(service.servicePath, '.local-cloud', 'build');
  const bundler = await ModuleBundler.create(
    service.servicePath,
    buildDir,
    functions.map((fn) => ({ functionKey: fn.key, module: modules.get(fn.key)! })),
    options.onBuildWarning,
  );
  try {
    await checkExports(bundler, functions, modules);
  } catch (error) {
    await bundler.dispose();
    throw error;
  }
  const lambda = new LocalLambdaService(service, options, bundler, modules);
  if (options.watch) {
    try {
      await lambda.startWatching();
    } catch (error) {
      await lambda.stop();
      throw error;
    }
  }
  return lambda;
}

async function checkExports(
  bundler: ModuleBundler,
  functions: FunctionDefinition[],
  modules: Map<string, HandlerModule>,
): Promise<void> {
  const exportsByModule = await bundler.staticExports([
    ...new Set([...modules.values()].map((m) => m.modulePath)),
  ]);
  for (const fn of functions) {
    const module = modules.get(fn.key)!;
    const exported = exportsByModule.get(module.modulePath);
    const exportName = module.exportPath.split('.')[0] ?? module.exportPath;
    if (exported && !exported.includes(exportName)) {
      throw new HandlerExportNotFoundError(
        fn.key,
        fn.handler,
        bundler.relative(module.sourceFile),
        exportName,
        exported,
      );
    }
  }
}

export class LocalLambdaService implements LambdaService {
  readonly region: string;
  readonly accountId = ACCOUNT_ID;
  private readonly pools = new Map<string, FunctionPool>();
  private readonly invocationListeners = new Set<(report: InvocationReport) => void>();
  private readonly reloadListeners = new Set<(event: ReloadEvent) => void>();
  private readonly sandboxListeners = new Set<(event: SandboxEvent) => void>();
  private readonly watchdog = new MemoryWatchdog();
  private reloader: HotReloader | undefined;
  private stopping: Promise<void> | undefined;
  /** Sandboxes are killed even if the emulator exits without stop() (an uncaught error, process.exit). */
  private readonly killAllOnExit = () => {
    for (const pool of this.pools.values()) void pool.stop();
  };

  constructor(
    private readonly service: ServiceDefinition,
    options: LambdaServiceOptions,
    private readonly bundler: ModuleBundler,
    private readonly modules: Map<string, HandlerModule>,
  ) {
    this.region = service.provider.region;
    for (const fn of Object.values(service.functions)) {
      const module = modules.get(fn.key)!;
      const bundle = bundler.bundle(module.modulePath);
      const environment = functionEnvironment(service, fn, {
        ...options.extraEnvironment,
        ...options.functionEnvironment?.(fn),
      });
      const invokedFunctionArn = this.functionArn(fn);
      this.pools.set(
        fn.key,
        new FunctionPool({
          fn,
          bundle,
          maxSandboxes: options.maxSandboxesPerFunction ?? DEFAULT_MAX_SANDBOXES_PER_FUNCTION,
          idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
          watchdog: this.watchdog,
          sandboxSpec: () => ({
            functionKey: fn.key,
            bundleFile: bundle.outFile,
            handler: fn.handler,
            exportPath: module.exportPath,
            invokedFunctionArn,
            memorySizeMb: fn.memorySize,
            environment: { ...environment, AWS_LAMBDA_LOG_STREAM_NAME: newLogStreamName() },
            cwd: service.servicePath,
            initTimeoutMs: INIT_TIMEOUT_MS,
          }),
          onSandboxEvent: (event) => this.sandboxListeners.forEach((listener) => listener(event)),
          onLog: options.onLog,
        }),
      );
    }
    process.on('exit', this.killAllOnExit);
  }

  functions(): FunctionDefinition[] {
    return Object.values(this.service.functions);
  }

  findFunction(nameOrArn: string): FunctionDefinition | undefined {
    const name = functionNameOf(nameOrArn);
    return this.functions().find((fn) => fn.key === name || fn.name === name);
  }

  functionArn(fn: FunctionDefinition): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${fn.name}`;
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    if (this.stopping) throw new LambdaServiceStoppedError();
    const fn = this.findFunction(request.functionName);
    if (!fn) {
      const arn = request.functionName.startsWith('arn:')
        ? request.functionName
        : `arn:aws:lambda:${this.region}:${this.accountId}:function:${functionNameOf(request.functionName)}`;
      throw new FunctionNotFoundError(request.functionName, arn);
    }
    const size = byteLength(request.payload, SYNC_PAYLOAD_LIMIT_BYTES);
    if (size > SYNC_PAYLOAD_LIMIT_BYTES)
      throw new RequestTooLargeError(SYNC_PAYLOAD_LIMIT_BYTES, size, 'request');
    // The Invoke API passes its own id (the one it answered with, kept across async retries), as on AWS.
    const result = await this.pools.get(fn.key)!.invoke(request, request.requestId ?? randomUUID());
    for (const listener of this.invocationListeners) listener(result.report);
    return result;
  }

  onInvocation(listener: (report: InvocationReport) => void): () => void {
    this.invocationListeners.add(listener);
    return () => this.invocationListeners.delete(listener);
  }

  /** After each hot reload: which functions were recycled, and which no longer compile. */
  onReload(listener: (event: ReloadEvent) => void): () => void {
    this.reloadListeners.add(listener);
    return () => this.reloadListeners.delete(listener);
  }

  /** Sandboxes starting, being reaped or discarded, and exiting. */
  onSandboxEvent(listener: (event: SandboxEvent) => void): () => void {
    this.sandboxListeners.add(listener);
    return () => this.sandboxListeners.delete(listener);
  }

  /** Live sandboxes of a function (starting, busy or idle). */
  sandboxCount(functionKey: string): number {
    return this.pools.get(functionKey)?.size ?? 0;
  }

  async recycle(functionKeys: string[]): Promise<void> {
    await Promise.all(functionKeys.map((key) => this.pools.get(key)?.recycle() ?? Promise.resolve()));
  }

  /** Kills every sandbox and closes the watcher; resolves once every sandbox process has exited. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.reloader?.close();
      await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
      this.watchdog.stop();
      await this.bundler.dispose();
      process.removeListener('exit', this.killAllOnExit);
    })();
    return this.stopping;
  }

  /** @internal createLambdaService calls it when `watch` is set. */
  async startWatching(): Promise<void> {
    const functionsByModule = new Map<string, string[]>();
    for (const fn of this.functions()) {
      const { modulePath } = this.modules.get(fn.key)!;
      functionsByModule.set(modulePath, [...(functionsByModule.get(modulePath) ?? []), fn.key]);
    }
    this.reloader = await HotReloader.start({
      bundler: this.bundler,
      functionsByModule,
      recycle: (keys) => this.recycle(keys),
      onReload: (event) => this.reloadListeners.forEach((listener) => listener(event)),
    });
  }
}

/** `hello`, `svc-dev-hello`, `svc-dev-hello:$LATEST`, `123456789012:function:svc-dev-hello`, or a full ARN. */
function functionNameOf(nameOrArn: string): string {
  const parts = nameOrArn.split(':');
  if (nameOrArn.startsWith('arn:')) return parts[6] ?? '';
  if (parts.length >= 3 && parts[1] === 'function') return parts[2] ?? '';
  return parts[0] ?? '';
}
