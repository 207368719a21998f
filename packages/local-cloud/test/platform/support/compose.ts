// local-cloud composed as start() composes it with the platform (the hook the lead adds to src/start.ts):
// preparePlatform, then the Lambda runtime with the platform's environment and resolved service, then
// connect, the REST API and the Invoke API, endpoints.json; stop() in the reverse order. The platform tests
// and the services benchmarks run the real components through it.
import type { ServiceDefinition } from '../../../src/config/service-definition';
import { createRestApi } from '../../../src/api-gateway/rest-api';
import {
  describeEndpoints,
  localCredentials,
  writeEndpointsFile,
  type AccessKeyPair,
} from '../../../src/endpoints';
import { listen, type Listener } from '../../../src/http-listener';
import { createInvokeApi } from '../../../src/invoke-api/invoke-api';
import {
  createLambdaService,
  type FunctionLogLine,
  type LocalLambdaService,
} from '../../../src/lambda/create-lambda-service';
import { preparePlatform, type Platform, type PreparePlatformOptions } from '../../../src/platform';

export interface ComposeOptions {
  service: ServiceDefinition;
  inMemory?: boolean;
  asyncRetryDelaysMs?: readonly [number, number];
  streamPollIntervalMs?: number;
  onLog?: (line: FunctionLogLine) => void;
  log?: (line: string) => void;
  maxSandboxesPerFunction?: number;
  ports?: PreparePlatformOptions['ports'];
  iam?: PreparePlatformOptions['iam'];
}

export interface ComposedCloud {
  platform: Platform;
  lambda: LocalLambdaService;
  apiUrl: string;
  lambdaEndpoint: string;
  credentials: AccessKeyPair;
  endpointsFile: string;
  /** From the first call to ready, ms. */
  startupMs: number;
  stop(): Promise<void>;
}

export async function composeLocalCloud(options: ComposeOptions): Promise<ComposedCloud> {
  const started = performance.now();
  const credentials = localCredentials();
  const log = options.log ?? (() => {});
  const platform = await preparePlatform({
    service: options.service,
    credentials,
    inMemory: options.inMemory,
    asyncRetryDelaysMs: options.asyncRetryDelaysMs,
    streamPollIntervalMs: options.streamPollIntervalMs,
    ports: options.ports,
    iam: options.iam,
    log,
  });
  const listeners: Listener[] = [];
  let lambda: LocalLambdaService | undefined;
  let stopInvokeApi = () => Promise.resolve();
  const stopAll = async () => {
    await stopInvokeApi();
    await platform.stop();
    await Promise.all(listeners.map((listener) => listener.close()));
    await lambda?.stop();
  };
  try {
    const restListener = await listen({ port: 0, host: '127.0.0.1', purpose: 'REST API', fix: '' });
    listeners.push(restListener);
    // The Invoke API joins the other AWS APIs on the platform's edge, as start() puts it.
    const lambdaOnEdge = platform.edge.mount(['lambda']);
    const { stage, region } = platform.service.provider;
    const apiUrl = `http://127.0.0.1:${restListener.port}/${stage}`;
    const lambdaEndpoint = platform.edge.url;
    lambda = await createLambdaService(platform.service, {
      extraEnvironment: platform.environment,
      // Each function signs with its own role's session keys, as start() gives them.
      functionEnvironment: (fn) => platform.functionEnvironment(fn),
      onLog: options.onLog,
      maxSandboxesPerFunction: options.maxSandboxesPerFunction,
    });
    await platform.connect({ lambda });
    const invokeApi = createInvokeApi({
      lambda,
      credentials: platform.credentials,
      authorizer: platform.authorizer,
      region,
    });
    stopInvokeApi = () => invokeApi.stop();
    restListener.attach(
      createRestApi({
        lambda,
        stage,
        region,
        binaryMediaTypes: platform.service.provider.binaryMediaTypes,
        service: platform.service,
        log,
      }),
    );
    lambdaOnEdge.attach(invokeApi.app);
    const endpointsFile = writeEndpointsFile(
      platform.service.servicePath,
      describeEndpoints({
        service: platform.service,
        apiUrl,
        lambdaEndpoint,
        credentials,
        accountId: lambda.accountId,
        platform: platform.endpointsFile,
      }),
    );
    let stopping: Promise<void> | undefined;
    return {
      platform,
      lambda,
      apiUrl,
      lambdaEndpoint,
      credentials,
      endpointsFile,
      startupMs: performance.now() - started,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
