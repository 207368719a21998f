// Nothing reachable beyond loopback serves data. A running local-cloud (every kind of listener: REST API, AWS
// endpoint, WebSocket API, identity issuer, trace receivers, DynamoDB Local) is probed from a network namespace
// this test creates, joined to the machine by a veth pair, as another machine on the network would reach it.
// Every port must refuse the connection, except DynamoDB Local's (Java, which has no bind option): there a
// stranger's ListTables sees no table and its PutItem and GetItem find none. Creating the namespace needs root
// (CI runs as root, and requires it); elsewhere the same probe runs over loopback against Java's port alone,
// and every other listener is checked to be bound to loopback only.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SHARED_DYNAMODB_LOCAL_ENV } from '../../src/services/dynamodb/shared-dynamodb-local';
import { start, type LocalCloud } from '../../src';
import { serviceDefinition } from '../support/function-definition';
import { processTree } from '../support/process-tree';

// DynamoDB Local must be this service's own, a child of this process, for its port to be found and probed.
delete process.env[SHARED_DYNAMODB_LOCAL_ENV];

const SERVICE_PATH = path.join(__dirname, '..', 'fixtures', 'edge');
const TABLE = 'exposure-items';
const PROBE = path.join(__dirname, 'support', 'exposure-probe.mts');

const service = serviceDefinition({
  service: 'exposure',
  servicePath: SERVICE_PATH,
  functions: {
    socket: { handler: 'src/every-api.handler', memorySize: 128, events: [{ websocket: '$connect' }] },
  },
  resources: {
    Items: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    },
  },
});

interface Socket {
  protocol: 'tcp' | 'udp';
  /** As /proc/net writes it: 0100007F is 127.0.0.1, all zeros any address. */
  address: string;
  port: number;
}

/** The listening TCP sockets and bound UDP sockets of the process tree. */
function ownSockets(): Socket[] {
  const inodes = new Set<string>();
  for (const pid of processTree(process.pid)) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(match[1]!);
      } catch {
        // Closed since the listing.
      }
    }
  }
  const sockets: Socket[] = [];
  for (const [file, protocol, state] of [
    ['tcp', 'tcp', '0A'],
    ['tcp6', 'tcp', '0A'],
    ['udp', 'udp', '07'],
    ['udp6', 'udp', '07'],
  ] as const) {
    if (!existsSync(`/proc/net/${file}`)) continue;
    for (const row of readFileSync(`/proc/net/${file}`, 'utf8').split('\n').slice(1)) {
      const columns = row.trim().split(/\s+/);
      const [local, st, inode] = [columns[1], columns[3], columns[9]];
      if (!local || st !== state || !inode || !inodes.has(inode)) continue;
      const colon = local.lastIndexOf(':');
      sockets.push({ protocol, address: local.slice(0, colon), port: parseInt(local.slice(colon + 1), 16) });
    }
  }
  return sockets;
}

const LOOPBACK = ['0100007F', '00000000000000000000000001000000'];

/**
 * A network namespace joined to this one by a veth pair: another machine on the network, as far as sockets go.
 * Undefined where namespaces cannot be made (not root, no iproute2), except on CI, where that is an error.
 */
function tryCreateNamespace(): Namespace | undefined {
  try {
    return createNamespace();
  } catch (error) {
    if (!process.env.CI) return undefined;
    throw new Error(
      `this test creates a network namespace, which needs root and iproute2 (apt-get install -y iproute2): ${String(error)}`,
    );
  }
}

interface Namespace {
  /** Runs the probe inside the namespace, against this machine's address there. */
  probe(ports: number[]): ProbeResult[];
  remove(): void;
}

function createNamespace(): Namespace {
  const id = process.pid % 100_000;
  const name = `lc-exposure-${id}`;
  const [outside, inside] = [`lcx${id}a`, `lcx${id}b`];
  const subnet = `10.213.${id % 250}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  const remove = () => {
    for (const args of [
      ['netns', 'del', name],
      ['link', 'del', outside],
    ]) {
      try {
        ip(...args);
      } catch {
        // Not there: nothing to remove.
      }
    }
  };
  remove();
  try {
    ip('netns', 'add', name);
    ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
    ip('link', 'set', inside, 'netns', name);
    ip('addr', 'add', `${subnet}.1/30`, 'dev', outside);
    ip('link', 'set', outside, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${subnet}.2/30`, 'dev', inside);
    ip('netns', 'exec', name, 'ip', 'link', 'set', inside, 'up');
  } catch (error) {
    remove();
    throw error;
  }
  return { probe: (ports) => runProbe(['ip', 'netns', 'exec', name], `${subnet}.1`, ports), remove };
}

/** The probe's findings for `ports` of `host`, run after `prefix` (ip netns exec NAME) or directly. */
function runProbe(prefix: string[], host: string, ports: number[]): ProbeResult[] {
  const [command, ...args] = [...prefix, process.execPath, PROBE, host, TABLE, ...ports.map(String)];
  return JSON.parse(execFileSync(command!, args, { encoding: 'utf8', timeout: 60_000 })) as ProbeResult[];
}

interface ProbeResult {
  port: number;
  connection: string;
  listTables?: { status: number; body: string };
  putItem?: { status: number; body: string };
  getItem?: { status: number; body: string };
}

describe('local-cloud seen from another network', () => {
  let cloud: LocalCloud;
  let namespace: Namespace | undefined;

  beforeAll(async () => {
    namespace = tryCreateNamespace();
    cloud = await start({ service, inMemory: true });
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    namespace?.remove();
  });

  it('refuses a connection on every port but DynamoDB Local’s, and there a stranger reads and writes nothing', async () => {
    const owner = new DynamoDBClient({
      endpoint: cloud.lambdaEndpoint,
      region: 'us-east-1',
      credentials: cloud.credentials,
    });
    await owner.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'owned' } } }));
    const javaPort = Number(new URL(cloud.platform.services.dynamoDb!.backendUrl).port);
    const sockets = ownSockets();
    const tcpPorts = [
      ...new Set(sockets.filter((socket) => socket.protocol === 'tcp').map((socket) => socket.port)),
    ];
    const published = [
      cloud.apiUrl,
      cloud.lambdaEndpoint,
      cloud.platform.services.webSocket!.url,
      cloud.platform.services.identity.url,
      cloud.platform.services.otlp.endpoint,
    ].map((url) => Number(new URL(url).port));

    const results = namespace?.probe(tcpPorts) ?? runProbe([], '127.0.0.1', [javaPort]);

    // Every listener was found: the published ones, and Java's. All but Java's listen on loopback only.
    expect(tcpPorts).toEqual(expect.arrayContaining([...published, javaPort]));
    const exposed = sockets.filter(
      (socket) => socket.protocol === 'tcp' && !LOOPBACK.includes(socket.address),
    );
    expect([...new Set(exposed.map((socket) => socket.port))]).toEqual([javaPort]);
    // From the other network, Java's is the only port that accepts a connection.
    expect(results.filter((result) => result.connection !== 'refused').map((result) => result.port)).toEqual([
      javaPort,
    ]);
    const java = results.find((result) => result.port === javaPort)!;
    expect(JSON.parse(java.listTables!.body)).toEqual({ TableNames: [] });
    expect(java.putItem!.body).toContain('ResourceNotFoundException');
    expect(java.getItem!.body).toContain('ResourceNotFoundException');
    const { Items } = await owner.send(new ScanCommand({ TableName: TABLE }));
    expect(Items).toEqual([{ id: { S: 'owned' } }]);
    // The X-Ray daemon's UDP socket, which no TCP probe reaches, is bound to loopback too.
    const udp = sockets.filter((socket) => socket.protocol === 'udp');
    expect(udp.length).toBeGreaterThan(0);
    expect(udp.every((socket) => LOOPBACK.includes(socket.address))).toBe(true);
    owner.destroy();
  }, 90_000);
});
