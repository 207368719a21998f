// A WebSocket notifier started unchanged: real WebSocket clients connect with the channels they follow
// ($connect stores them in DynamoDB, or refuses a bad request with 400); announcements posted over HTTP go
// through SNS to a function that posts to every follower at the callback URL built from the API's id
// (Fn::Sub with Ref: WebsocketsApi), and forgets a connection that is gone; a custom route answers at the
// callback URL from the event's domain name, $default at the URL built from the event's API id; $disconnect
// removes the connection.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '@serverless-course/test-kit';
import WebSocket from 'ws';
import { answer, request, useProject } from './support';

const STAGE = 'corpus-ws';
const TABLE = `ws-notifier-${STAGE}-connections`;

/** A dashboard's connection: the messages it received, awaited one by one. */
class Dashboard {
  readonly messages: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
      this.waiters.forEach((wake) => wake());
    });
  }

  static open(url: string): Promise<Dashboard> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new Dashboard(socket)));
      socket.once('error', reject);
    });
  }

  /** Resolves with the n-th message (1-based) once it arrived. */
  nth(n: number, timeoutMs = 8_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`message ${n} did not arrive in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const check = () => {
        if (this.messages.length < n) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        resolve(this.messages[n - 1]!);
      };
      this.waiters.push(check);
      check();
    });
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

const project = useProject('ws-notifier', { stage: STAGE });
let documentClient: DynamoDBDocumentClient | undefined;
const documents = () => (documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient(project().aws)));
const webSocketUrl = () => project().cloud.platform.services.webSocket!.url;
const dashboards: Dashboard[] = [];

afterAll(async () => {
  await Promise.all(dashboards.map((dashboard) => dashboard.close()));
});

async function connect(channels: string): Promise<Dashboard> {
  const dashboard = await Dashboard.open(`${webSocketUrl()}?channels=${channels}`);
  dashboards.push(dashboard);
  return dashboard;
}

const connectionIds = async () => {
  const { Items = [] } = await documents().send(new ScanCommand({ TableName: TABLE }));
  return Items.map((item) => item.connectionId as string);
};

const announce = (body: unknown) => request(`${project().cloud.apiUrl}/announcements`, { body });

describe('a WebSocket notifier', () => {
  it('starts with no warning, and gives the notifier the callback URL built from the API id', () => {
    const { apiId, domainName } = project().cloud.platform.services.webSocket!;

    expect(project().warnings()).toEqual([]);
    expect(project().cloud.platform.resources.WebsocketsApi?.ref).toBe(apiId);
    // Fn::Sub made https://<api id>.execute-api.<region>.amazonaws.com/<stage>; local-cloud points that host,
    // which the API's id names, at the local API.
    expect(project().cloud.service.functions.notify!.environment.CALLBACK_URL).toBe(
      `https://${domainName}/${STAGE}`,
    );
  });

  it('stores each connection, and sends an announcement to the followers of its channel only', async () => {
    const oncall = await connect('alerts,deploys');
    const sre = await connect('alerts');
    const release = await connect('deploys');
    expect(await connectionIds()).toHaveLength(3);
    // A connection whose client vanished without a $disconnect.
    await documents().send(
      new PutCommand({
        TableName: TABLE,
        Item: { connectionId: 'VanishedConnId=', channels: ['alerts'], connectedAt: 0, expiresAt: 0 },
      }),
    );

    const posted = await announce({ channel: 'alerts', text: 'disk 91% on db-1' });
    expect(posted).toMatchObject({ status: 202, body: { messageId: expect.any(String) as unknown } });
    const alert = { type: 'announcement', channel: 'alerts', text: 'disk 91% on db-1' };
    expect(await oncall.nth(1)).toMatchObject(alert);
    expect(await sre.nth(1)).toMatchObject(alert);

    await announce({ channel: 'deploys', text: 'v42 is live' });
    const deploy = { type: 'announcement', channel: 'deploys', text: 'v42 is live' };
    expect(await oncall.nth(2)).toMatchObject(deploy);
    // Its first message is the deploy: it never got the alert.
    expect(await release.nth(1)).toMatchObject(deploy);
    await eventually(
      async () => {
        const { Item } = await documents().send(
          new GetCommand({ TableName: TABLE, Key: { connectionId: 'VanishedConnId=' } }),
        );
        expect(Item).toBeUndefined();
      },
      { description: 'the vanished connection to be forgotten' },
    );
    expect(sre.messages).toHaveLength(1);
  });

  it('answers a ping, and an unknown action (at the URL built from the event’s API id) with a hint', async () => {
    const dashboard = await connect('incidents');

    dashboard.send({ action: 'ping' });
    expect(await dashboard.nth(1)).toEqual({ type: 'pong', at: expect.any(Number) as unknown });
    dashboard.send({ action: 'subscribe', channel: 'deploys' });
    expect(await dashboard.nth(2)).toEqual({
      type: 'error',
      message: 'Send {"action":"ping"}; announcements arrive on their own.',
    });
  });

  it('forgets a connection when its client leaves', async () => {
    const dashboard = await connect('deploys');
    const before = await connectionIds();

    await dashboard.close();

    await eventually(
      async () => {
        expect(await connectionIds()).toHaveLength(before.length - 1);
      },
      { description: '$disconnect to remove the connection' },
    );
  });

  it('refuses a connection without channels, and an announcement without text', async () => {
    await expect(Dashboard.open(webSocketUrl())).rejects.toThrow('Unexpected server response: 400');
    await expect(Dashboard.open(`${webSocketUrl()}?channels=everything`)).rejects.toThrow(
      'Unexpected server response: 400',
    );
    expect(await announce({ channel: 'alerts' })).toMatchObject(answer(400, '"text" is missing.'));
  });
});
