// start(): local-cloud as one object. Reads the service, opens the REST API and the AWS endpoint (the edge:
// the Lambda Invoke API and every other AWS API) on their own ports, runs the functions in the Lambda runtime,
// writes endpoints.json; stop() undoes all of it.
import { createRestApi } from './api-gateway/rest-api';
import { resolveService } from './config/load-service';
import { checkRuntimes } from './lambda/runtimes';
import type { ServiceDefinition } from './config/service-definition';
import type { IamMode } from './iam/authorizer';
import type { SessionCredentials } from './iam/role-sessions';
import { describeEndpoints, localCredentials, writeEndpointsFile, type AccessKeyPair } from './endpoints';
import { createEdge } from './edge';
import { REST_API_LOGICAL_ID } from './platform/resolve-intrinsics';
import { apiGatewayListener, createHttpApi, declaresHttpApi } from './http-api';
import { loadOrCreateCertificates, localTlsDir } from './tls/local-certificates';
import { listen, urlHost, type Listener } from './http-listener';
import { createInvokeApi, type InvokeApi } from './invoke-api/invoke-api';
import { createLambdaService, type LocalLambdaService } from './lambda/create-lambda-service';
import { formatPlatformLine, platformPorts, preparePlatform, type Platform } from './platform';
import {
  colorsFor,
  formatFunctionOutput,
  formatGatewayMessage,
  formatInvocation,
  formatReload,
  plainColors,
} from './logging';

interface CommonStartOptions {
  /** REST API port. Default 0: a free port, as tests want (the CLI defaults to 3000). */
  port?: number;
  /** The AWS endpoint's port (Lambda and every other AWS API). Default 0 (the CLI uses the REST API port + 1). */
  lambdaPort?: number;
  /** Default 127.0.0.1: nothing outside this machine reaches the emulator. */
  host?: string;
  /** As `serverless --stage`; with `servicePath`, the stage the configuration is resolved for. */
  stage?: string;
  /** As `serverless --region`: the region the service runs in, over provider.region. */
  region?: string;
  /** Reload functions when their source files change. Default false (the CLI turns it on). */
  watch?: boolean;
  /** Waits before the 2 retries of a failed Event invocation (AWS: about 1 and 2 minutes). */
  asyncRetryDelaysMs?: readonly [number, number];
  /** Receives one line per invocation, each line functions write, and configuration warnings. */
  log?: (line: string) => void;
  /** Colour the log lines (the CLI decides from its terminal). Default false. */
  colors?: boolean;
  /** With `servicePath`: false resolves serverless.yml with the framework even if the cache is current. */
  configCache?: boolean;
  /** Keep the services' data (DynamoDB, S3, SNS, ...) in memory instead of under `<service>/.local-cloud/`. */
  inMemory?: boolean;
  /** Run functions on runtimes Lambda no longer accepts (refused by default, as a deploy would be). */
  allowDeprecatedRuntimes?: boolean;
  /**
   * Check each function's AWS calls against its role: `enforce` (default: AWS's AccessDenied errors), `warn`
   * (allow, and log what AWS would deny) or `off`.
   */
  iam?: IamMode;
}

export type StartOptions = CommonStartOptions & ({ servicePath: string } | { service: ServiceDefinition });

export interface LocalCloud {
  /** The REST API's stage URL: `http://127.0.0.1:3000/dev`. */
  apiUrl: string;
  /** With `httpApi` events, the HTTP API's `$default` stage, on the REST API's port: `http://127.0.0.1:3000`. */
  httpApiUrl?: string;
  /**
   * The AWS endpoint, for AWS_ENDPOINT_URL, `new LambdaClient({ endpoint })` or the AWS CLI's --endpoint-url:
   * `http://127.0.0.1:3001`. Lambda, S3, SNS, DynamoDB, Secrets Manager and SSM all answer there.
   */
  lambdaEndpoint: string;
  region: string;
  /** The key pair the Invoke API accepts. */
  credentials: AccessKeyPair;
  service: ServiceDefinition;
  /** `<service>/.local-cloud/endpoints.json`. */
  endpointsFile: string;
  /** True when serverless.yml's resolution came from the cache (no `serverless print` run). */
  configFromCache: boolean;
  /** The services and event sources around the functions: DynamoDB, S3, SNS, secrets, identity, WebSockets. */
  platform: Platform;
  /**
   * A function's role session keys, as its sandboxes get them: sign with them to act as the function (a test
   * checking what its role allows, as `aws sts assume-role` on its role would on AWS). Throws for a key the
   * service does not declare.
   */
  credentialsOf(functionKey: string): SessionCredentials;
  /** Closes both servers and their connections, cancels queued async retries, kills every sandbox. */
  stop(): Promise<void>;
}

export async function start(options: StartOptions): Promise<LocalCloud> {
  const log = options.log ?? (() => {});
  const colors = options.colors ? colorsFor({ isTTY: true }, {}) : plainColors;
  const host = options.host ?? '127.0.0.1';

  let service: ServiceDefinition;
  let configFromCache = false;
  if ('servicePath' in options) {
    const loaded = await resolveService(options.servicePath, {
      stage: options.stage,
      region: options.region,
      cache: options.configCache,
    });
    loaded.warnings.forEach((warning) => log(colors.yellow(`warning: ${warning}`)));
    service = loaded.service;
    configFromCache = loaded.fromCache;
  } else {
    service = {
      ...options.service,
      provider: {
        ...options.service.provider,
        ...(options.stage ? { stage: options.stage } : {}),
        ...(options.region ? { region: options.region } : {}),
      },
    };
  }
  checkRuntimes(service, { allowDeprecated: options.allowDeprecatedRuntimes }).warnings.forEach((warning) =>
    log(colors.yellow(`warning: ${warning}`)),
  );
  const { region, stage } = service.provider;
  const credentials = localCredentials();

  // What is running so far; stopAll() undoes it whether start() completed or failed half-way.
  const running: {
    listeners: Listener[];
    lambda?: LocalLambdaService;
    invokeApi?: InvokeApi;
    platform?: Platform;
  } = { listeners: [] };
  const stopAll = async () => {
    // No new retries, then no new events (event sources before the services they read), then no new requests
    // (open connections dropped), then no sandboxes: an invocation already running may finish.
    await running.invokeApi?.stop();
    await running.platform?.stop();
    await Promise.all(running.listeners.map((listener) => listener.close()));
    await running.lambda?.stop();
  };
  try {
    const restListener = await listen({
      port: options.port ?? 0,
      host,
      purpose: 'REST API',
      fix: 'choose another port with --port N',
    });
    running.listeners.push(restListener);
    // HTTPS too, with local-cloud's certificate authority, for AWS hostnames a sandbox calls (sandbox-aws-hosts).
    const certificates = await loadOrCreateCertificates(localTlsDir(service.servicePath), host);
    const edgeListener = await listen({
      port: options.lambdaPort ?? 0,
      host,
      purpose: 'AWS endpoint',
      fix: 'choose other ports with --port N (the AWS endpoint takes N+1) or --lambda-port N',
      tls: { key: certificates.privateKey, cert: certificates.certificate },
    });
    running.listeners.push(edgeListener);
    const edge = createEdge(edgeListener, host, certificates.caCertificateFile);
    const lambdaOnEdge = edge.mount(['lambda']);
    const apiUrl = `http://${urlHost(host)}:${restListener.port}/${stage}`;
    const lambdaEndpoint = edge.url;

    // After both listen() calls, so a busy REST port fails before Java starts.
    const platform = await preparePlatform({
      service,
      credentials,
      host,
      edge,
      ports: platformPorts(options.port ?? 0),
      inMemory: options.inMemory,
      asyncRetryDelaysMs: options.asyncRetryDelaysMs,
      iam: options.iam,
      log,
      colors,
    });
    running.platform = platform;
    // The platform resolves CloudFormation references (Ref to a table, a bucket, a topic) in environments.
    service = platform.service;

    const lambda = await createLambdaService(service, {
      // Functions that call AWS through the SDK reach this emulator's services, signed with its key pair.
      extraEnvironment: {
        ...platform.environment,
      },
      // Each function signs with its own role's session keys, which the AWS APIs check against that role.
      functionEnvironment: (fn) => platform.functionEnvironment(fn),
      watch: options.watch ?? false,
      onLog: (line) => log(formatFunctionOutput(line.functionKey, line.text, colors)),
      onBuildWarning: (line) => log(colors.yellow(`warning: bundling ${line}`)),
    });
    running.lambda = lambda;
    await platform.connect({ lambda });
    lambda.onInvocation((report) => log(formatInvocation(report, colors)));
    lambda.onReload((event) => formatReload(event, colors).forEach((line) => log(line)));

    const invokeApi = createInvokeApi({
      lambda,
      // The account's pair and the functions' role sessions, whose calls the authorizer checks.
      credentials: platform.credentials,
      authorizer: platform.authorizer,
      region,
      // One async queue: Event invocations join the event sources' (its outcomes and retries are logged).
      queue: platform.asyncQueue,
      log: (line) => log(formatPlatformLine('lambda', line, colors)),
    });
    running.invokeApi = invokeApi;
    const restApiId = platform.resources[REST_API_LOGICAL_ID]?.ref;
    const restApi = createRestApi({
      ...(restApiId && { apiId: restApiId }),
      lambda,
      stage,
      region,
      binaryMediaTypes: service.provider.binaryMediaTypes,
      service,
      log: (message) => log(formatGatewayMessage(message, colors)),
    });
    const httpApi = declaresHttpApi(service)
      ? createHttpApi({
          lambda,
          service,
          localIssuer: platform.services.identity.issuer,
          log: (message) => log(formatGatewayMessage(message, colors)),
        })
      : undefined;
    restListener.attach(apiGatewayListener({ functions: lambda.functions(), stage, restApi, httpApi }));
    const httpApiUrl = httpApi && `http://${urlHost(host)}:${restListener.port}`;
    lambdaOnEdge.attach(invokeApi.app);
    // A sandbox's call to the API at its AWS hostname (`https://<id>.execute-api.<region>.amazonaws.com/<stage>`,
    // built from Ref: ApiGatewayRestApi) reaches the edge (sandbox-aws-hosts.js), which hands it to the API.
    if (restApiId) edge.mountApiHost(restApiId).attach(restApi);
    if (httpApi) edge.mountApiHost(httpApi.apiId).attach(httpApi.handle);

    const endpointsFile = writeEndpointsFile(
      service.servicePath,
      describeEndpoints({
        service,
        apiUrl,
        httpApiUrl,
        lambdaEndpoint,
        credentials,
        accountId: lambda.accountId,
        platform: platform.endpointsFile,
      }),
    );
    let stopped: Promise<void> | undefined;
    return {
      apiUrl,
      ...(httpApiUrl && { httpApiUrl }),
      lambdaEndpoint,
      region,
      credentials,
      service,
      endpointsFile,
      configFromCache,
      platform,
      credentialsOf: (functionKey) => {
        const keys = platform.credentialsOf(functionKey);
        if (keys === undefined) {
          throw new Error(
            `no function "${functionKey}" in ${service.service}. Fix: use one of ${Object.keys(service.functions).join(', ')}`,
          );
        }
        return keys;
      },
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
