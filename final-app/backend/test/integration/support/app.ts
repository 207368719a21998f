// The app on local-cloud for integration tests: one start per test file (its own stage), SDK clients
// pointed at the emulator's services, and bounded waits.
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { start, type LocalCloud } from '@serverless-course/local-cloud';
import WebSocket from 'ws';

export const SERVICE_PATH = path.resolve(__dirname, '../../..');

export interface App {
  cloud: LocalCloud;
  api: string;
  /** A token local-cloud's issuer signs for the user, with the app's audience. */
  tokenFor(user: string): string;
  tables: { groups: string; images: string; connections: string };
  imagesBucket: string;
  documents: DynamoDBDocumentClient;
  s3: S3Client;
  /** Everything the tables and the images bucket hold, sorted: two snapshots compare with toEqual. */
  snapshot(): Promise<{ groups: unknown[]; images: unknown[]; objects: string[] }>;
  stop(): Promise<void>;
}

export async function startApp(stage: string): Promise<App> {
  const cloud = await start({
    servicePath: SERVICE_PATH,
    inMemory: true,
    stage,
    asyncRetryDelaysMs: [200, 400],
  });
  const sdk = { region: cloud.region, credentials: cloud.credentials, maxAttempts: 1 };
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...sdk, endpoint: cloud.platform.services.dynamoDb!.url }),
  );
  const s3 = new S3Client({ ...sdk, endpoint: cloud.platform.services.s3.url, forcePathStyle: true });
  const ref = (logicalId: string) => cloud.platform.resources[logicalId]!.ref;
  const tables = {
    groups: ref('GroupsTable'),
    images: ref('ImagesTable'),
    connections: ref('ConnectionsTable'),
  };
  const imagesBucket = ref('ImagesBucket');
  const scan = async (TableName: string) => {
    const { Items = [] } = await documents.send(new ScanCommand({ TableName }));
    return Items.map((item) => JSON.stringify(item, Object.keys(item).sort())).sort();
  };
  return {
    cloud,
    api: cloud.apiUrl,
    tokenFor: (user) => cloud.platform.services.identity.mintToken({ sub: user, audience: 'udagram' }),
    tables,
    imagesBucket,
    documents,
    s3,
    snapshot: async () => {
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: imagesBucket }));
      return {
        groups: await scan(tables.groups),
        images: await scan(tables.images),
        objects: Contents.map((object) => `${object.Key} ${object.ETag}`).sort(),
      };
    },
    stop: async () => {
      documents.destroy();
      s3.destroy();
      await cloud.stop();
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** One request to the REST API; the body is parsed when it is JSON. */
export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Left empty: callers that need JSON assert on it.
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function authorized(token: string, body?: unknown): RequestInit {
  return {
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** A WebSocket client whose messages can be awaited, each wait bounded. */
export class Listener {
  readonly messages: Record<string, unknown>[] = [];
  private waiting: { matches(message: Record<string, unknown>): boolean; resolve(): void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      this.messages.push(message);
      this.waiting = this.waiting.filter((waiter) => {
        if (!waiter.matches(message)) return true;
        waiter.resolve();
        return false;
      });
    });
  }

  static open(url: string): Promise<Listener> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new Listener(socket)));
      socket.once('error', reject);
    });
  }

  async next(
    matches: (message: Record<string, unknown>) => boolean,
    timeoutMs = 60_000,
  ): Promise<Record<string, unknown>> {
    const find = () => this.messages.find(matches);
    if (find()) return find()!;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({
        matches,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
    return find()!;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
