// WebSocket broadcast: 200 clients connected to the WebSocket API; a function in its Lambda sandbox posts to
// every connection through the management API client built from the callback URL, all at once, as the
// course's apps broadcast. Measured per message, from the moment the handler issued the POST to the moment
// the client received it (the handler's and this process's epoch clocks, on one machine). The first round
// (cold sandbox, new TLS connections) is reported apart; p50/p99 are over the warm rounds.
import WebSocket from 'ws';
import { percentile } from './percentiles';
import {
  benchService,
  epochNow,
  latencyResult,
  withLocalCloud,
  type LatencyResult,
} from './services-support';

export interface BroadcastResult extends LatencyResult {
  connections: number;
  rounds: number;
  /** The first round's p50, with a cold sandbox and new TLS connections. */
  coldP50Ms: number;
}

export async function runWebSocketBroadcastBenchmark(
  connections = 200,
  rounds = 10,
): Promise<BroadcastResult> {
  const service = benchService('websocket', {
    connect: { handler: 'src/connect.handler', events: [{ websocket: '$connect' }] },
    whoami: {
      handler: 'src/whoami.handler',
      events: [{ websocket: { route: '$default', routeResponseSelectionExpression: '$default' } }],
    },
    broadcast: { handler: 'src/broadcast.handler', events: [], memorySize: 1024 },
  });
  return withLocalCloud(service, undefined, async (cloud) => {
    const api = cloud.platform.services.webSocket!;
    const received = new Map<string, number>();
    const clients = await Promise.all(
      Array.from({ length: connections }, () => openClient(api.url, received)),
    );
    const warm: number[] = [];
    let coldP50Ms = Number.NaN;
    for (let round = 0; round <= rounds; round += 1) {
      const messages = clients.map(({ connectionId }) => ({
        connectionId,
        data: `round ${round} to ${connectionId}`,
      }));
      const result = await cloud.lambda.invoke({
        functionName: 'broadcast',
        payload: JSON.stringify({ requestContext: { domainName: api.domainName, stage: 'bench' }, messages }),
      });
      if (result.functionError) throw new Error(`broadcast failed: ${result.payload}`);
      const sentAt = JSON.parse(result.payload) as Record<string, number>;
      await allReceived(
        messages.map((message) => message.data),
        received,
      );
      const latencies = messages.map(({ data }) => received.get(data)! - sentAt[data]!);
      if (round === 0) coldP50Ms = percentile(latencies, 0.5);
      else warm.push(...latencies);
    }
    clients.forEach(({ socket }) => socket.terminate());
    return { ...latencyResult(warm), connections, rounds, coldP50Ms };
  });
}

/** Connects, then learns its connection id from the $default route's response. */
function openClient(
  url: string,
  received: Map<string, number>,
): Promise<{ socket: WebSocket; connectionId: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    let connectionId: string | undefined;
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      if (connectionId === undefined) {
        connectionId = text;
        resolve({ socket, connectionId });
        return;
      }
      received.set(text, epochNow());
    });
    socket.once('open', () => socket.send('whoami'));
    socket.once('error', reject);
  });
}

/** Delivery is observable only on the clients; polled with a deadline. */
async function allReceived(keys: string[], received: Map<string, number>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!keys.every((key) => received.has(key))) {
    if (Date.now() > deadline) throw new Error('broadcast messages missing after 30 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

if (require.main === module) {
  void runWebSocketBroadcastBenchmark().then((result) => console.log(result));
}
