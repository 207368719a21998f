import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import {
  connectedClient,
  managementClient,
  startApi,
  trustCa,
  type Client,
  type Harness,
} from './websocket-harness';

const CONNECTIONS = 200;

describe('a broadcast to 200 connections', () => {
  let harness: Harness;
  let clients: { client: Client; connectionId: string }[] = [];

  beforeAll(async () => {
    harness = await startApi('ws-broadcast', {
      onConnect: { events: ['$connect'] },
      onDisconnect: { events: ['$disconnect'] },
    });
    trustCa(harness.api.caCertificate);
    for (let batch = 0; batch < CONNECTIONS; batch += 50) {
      clients.push(...(await Promise.all(Array.from({ length: 50 }, () => connectedClient(harness)))));
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map(({ client }) => client.close()));
    clients = [];
    await harness.stop();
  });

  it('delivers one POST per connection to every client, each within a bounded time', async () => {
    const api = managementClient(harness.api.callbackUrl);
    const latencies: number[] = [];
    const started = performance.now();

    await Promise.all(
      clients.map(async ({ client, connectionId }) => {
        const sentAt = performance.now();
        const arrival = client.message(1).then(() => performance.now());
        await api.send(
          new PostToConnectionCommand({ ConnectionId: connectionId, Data: `news for ${connectionId}` }),
        );
        latencies.push((await arrival) - sentAt);
      }),
    );
    const total = performance.now() - started;

    expect(harness.api.connectionCount()).toBe(CONNECTIONS);
    expect(
      clients.every(({ client, connectionId }) => client.received[0] === `news for ${connectionId}`),
    ).toBe(true);
    // Generous bounds for a shared 2-core machine; measured figures are in the bench script's output.
    expect(total).toBeLessThan(10_000);
    expect(Math.max(...latencies)).toBeLessThan(10_000);
  });
});
