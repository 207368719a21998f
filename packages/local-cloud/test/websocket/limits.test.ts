import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import {
  connectedClient,
  managementClient,
  startApi,
  trustCa,
  type Client,
  type Harness,
} from './websocket-harness';

const KB = 1024;

/** Sends `text` as one message split into frames of `frameBytes` (the way a client must above 32 KB). */
function sendFragmented(client: Client, text: string, frameBytes: number): void {
  const data = Buffer.from(text);
  for (let offset = 0; offset < data.length; offset += frameBytes) {
    client.socket.send(data.subarray(offset, offset + frameBytes), {
      binary: false,
      fin: offset + frameBytes >= data.length,
    });
  }
}

describe('frame and message limits', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startApi('ws-limits', {
      onConnect: { events: ['$connect'] },
      onDisconnect: { events: ['$disconnect'] },
      onDefault: { events: ['$default'] },
    });
  });

  afterAll(() => harness.stop());

  it('delivers a 32 KB frame and a 128 KB message sent as four 32 KB frames', async () => {
    const { client, connectionId } = await connectedClient(harness);
    const frame = 'a'.repeat(32 * KB);
    const message = 'b'.repeat(128 * KB);

    client.send(frame);
    sendFragmented(client, message, 32 * KB);
    await harness.log.next(
      (event) => event.body === message && event.requestContext.connectionId === connectionId,
    );

    const bodies = harness.log
      .of('onDefault')
      .filter((event) => event.requestContext.connectionId === connectionId);
    expect(bodies.map((event) => event.body?.length)).toEqual([32 * KB, 128 * KB]);
    await client.close();
  });

  it('closes the connection with 1009 "Message too big" for a frame over 32 KB, without delivering it', async () => {
    const { client, connectionId } = await connectedClient(harness);

    client.send('c'.repeat(32 * KB + 1));
    const closed = await client.closed;
    const event = await harness.log.forRoute('$disconnect', connectionId);

    expect(closed).toEqual({ code: 1009, reason: 'Message too big' });
    expect(event.requestContext).toMatchObject({
      disconnectStatusCode: 1009,
      disconnectReason: 'Message too big',
    });
    expect(harness.log.of('onDefault').some((e) => e.requestContext.connectionId === connectionId)).toBe(
      false,
    );
  });

  it('closes the connection with 1009 for a message over 128 KB even in 32 KB frames', async () => {
    const { client, connectionId } = await connectedClient(harness);

    sendFragmented(client, 'd'.repeat(128 * KB + 1), 32 * KB);
    const closed = await client.closed;
    await harness.log.forRoute('$disconnect', connectionId);

    expect(closed.code).toBe(1009);
    expect(harness.log.of('onDefault').some((e) => e.requestContext.connectionId === connectionId)).toBe(
      false,
    );
  });
});

describe('idle timeout', () => {
  let harness: Harness;
  // Long enough that a loaded machine's late timer is not mistaken for idleness (the gaps below are 250 ms).
  const IDLE_MS = 1_000;

  beforeAll(async () => {
    harness = await startApi(
      'ws-timeouts',
      {
        onConnect: { events: ['$connect'] },
        onDisconnect: { events: ['$disconnect'] },
        onDefault: { events: ['$default'] },
      },
      { idleTimeoutMs: IDLE_MS },
    );
    trustCa(harness.api.caCertificate);
  });

  afterAll(() => harness.stop());

  it('closes an idle connection with 1001 "Going away" and reports it to $disconnect', async () => {
    const { client, connectionId } = await connectedClient(harness);
    const started = Date.now();

    const closed = await client.closed;
    const event = await harness.log.forRoute('$disconnect', connectionId);

    expect(closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(event.requestContext).toMatchObject({
      disconnectStatusCode: 1001,
      disconnectReason: 'Going away',
    });
  });

  it('keeps a connection with messages in either direction open past the idle timeout', async () => {
    const { client, connectionId } = await connectedClient(harness);
    const api = managementClient(harness.api.callbackUrl);

    // 8 x 250 ms = twice the idle timeout, with a message every 250 ms, alternating directions.
    for (let round = 0; round < 8; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (round % 2 === 0) client.send(`ping ${round}`);
      else await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: `pong ${round}` }));
    }

    expect(client.socket.readyState).toBe(client.socket.OPEN);
    const closed = await client.closed;
    expect(closed.code).toBe(1001);
  });
});

describe('maximum connection duration', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startApi(
      'ws-lifetime',
      {
        onConnect: { events: ['$connect'] },
        onDisconnect: { events: ['$disconnect'] },
        onDefault: { events: ['$default'] },
      },
      { maxLifetimeMs: 250 },
    );
  });

  afterAll(() => harness.stop());

  it('closes even an active connection at the end of its lifetime, with 1001', async () => {
    const { client, connectionId } = await connectedClient(harness);
    const chatter = setInterval(() => client.send('still here'), 50);

    const closed = await client.closed;
    clearInterval(chatter);
    const event = await harness.log.forRoute('$disconnect', connectionId);

    expect(closed.code).toBe(1001);
    expect(event.requestContext.disconnectStatusCode).toBe(1001);
  });
});
