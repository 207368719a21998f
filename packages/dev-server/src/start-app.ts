// startApp(): the whole app on this machine. local-cloud runs final-app/backend (every function, DynamoDB,
// S3, SNS, the WebSocket API, the sign-in issuer), while the web client and the docs site are built in child
// processes; then one web server serves both, with config.json pointing the client at the API.
import path from 'node:path';
import { start, type LocalCloud } from '@serverless-course/local-cloud';
import { runBuild } from './builds';
import { BACKEND_PATH, FRONTEND_PATH, stateDir } from './paths';
import { startWebServer, type WebServer } from './web-server';

export interface StartAppOptions {
  /** The web app's port. Default 0: a free one (the CLI defaults to 8080). */
  port?: number;
  /** local-cloud's REST API port; its other services take the next ones. Default 0: free ports. */
  apiPort?: number;
  /** Default 127.0.0.1: nothing outside this machine reaches the app. */
  host?: string;
  /** Keep no data on disk (tests); by default it persists under final-app/backend/.local-cloud/. */
  inMemory?: boolean;
  stage?: string;
  /** Reload functions when their code changes. Default false (the CLI turns it on). */
  watch?: boolean;
  /** Build and serve the docs site. Default true. */
  docs?: boolean;
  servicePath?: string;
  frontendRoot?: string;
  /** local-cloud's lines: invocations, function output, warnings. */
  log?: (line: string) => void;
  colors?: boolean;
}

export interface RunningApp {
  /** The web app: `http://127.0.0.1:8080`. */
  url: string;
  /** `<url>/docs/`, when built. */
  docsUrl?: string;
  /** Set when the docs site could not be built, and a page saying why is served instead. */
  docsProblem?: string;
  docsPages?: number;
  apiUrl: string;
  websocketUrl?: string;
  /** The local sign-in issuer. */
  issuer: string;
  cloud: LocalCloud;
  /** Stops the web server, then local-cloud (functions, services, DynamoDB Local). */
  stop: () => Promise<void>;
}

export async function startApp(options: StartAppOptions = {}): Promise<RunningApp> {
  const host = options.host ?? '127.0.0.1';
  const servicePath = options.servicePath ?? BACKEND_PATH;
  // Inside the service's .local-cloud/ folder: the web server must (and does) serve from a dot-folder.
  const buildDir = stateDir(servicePath);
  const appDir = path.join(buildDir, 'web');
  const docsDir = path.join(buildDir, 'docs');
  const wantDocs = options.docs ?? true;

  // Side by side: local-cloud waits on Java and the network, the builds on the CPU.
  const [cloud, frontend, docs] = await Promise.allSettled([
    start({
      servicePath,
      port: options.apiPort ?? 0,
      // The AWS endpoint next to the API, as `npx local-cloud start` puts it, so a CLI command works the same.
      lambdaPort: options.apiPort ? options.apiPort + 1 : 0,
      host,
      stage: options.stage,
      inMemory: options.inMemory,
      watch: options.watch ?? false,
      log: options.log,
      colors: options.colors,
    }),
    runBuild({ task: 'frontend', root: options.frontendRoot ?? FRONTEND_PATH, outDir: appDir }),
    wantDocs ? runBuild({ task: 'docs', outDir: docsDir }) : Promise.resolve(undefined),
  ]);
  if (cloud.status === 'rejected') throw cloud.reason;
  const failed = [frontend, docs].find((result) => result.status === 'rejected');
  if (failed) {
    await cloud.value.stop();
    throw failed.reason;
  }
  const docsResult = docs.status === 'fulfilled' ? docs.value : undefined;

  const services = cloud.value.platform.services;
  let web: WebServer;
  try {
    web = await startWebServer({
      appDir,
      docsDir: docsResult ? docsDir : undefined,
      config: { apiUrl: cloud.value.apiUrl, ...(docsResult ? { docsUrl: '/docs/' } : {}) },
      port: options.port ?? 0,
      host,
      log: options.log,
    });
  } catch (error) {
    await cloud.value.stop();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: web.url,
    ...(docsResult ? { docsUrl: `${web.url}/docs/` } : {}),
    ...(docsResult && 'placeholder' in docsResult ? { docsProblem: docsResult.placeholder } : {}),
    ...(docsResult && 'pages' in docsResult ? { docsPages: docsResult.pages } : {}),
    apiUrl: cloud.value.apiUrl,
    ...(services.webSocket ? { websocketUrl: services.webSocket.url } : {}),
    issuer: services.identity.issuer,
    cloud: cloud.value,
    stop: () =>
      (stopped ??= (async () => {
        await web.stop();
        await cloud.value.stop();
      })()),
  };
}
