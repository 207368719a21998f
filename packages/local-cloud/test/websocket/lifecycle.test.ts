import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { caCertificateFileIn, loadOrCreateCertificates } from '../../src/tls/local-certificates';
import { connect, connectedClient, refusedUpgrade, startApi, type Harness } from './websocket-harness';

describe('the local certificate authority', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'ws-certificates-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('is created once and kept: a second start reuses it and its server certificate', async () => {
    const first = await loadOrCreateCertificates(directory, '127.0.0.1');
    const second = await loadOrCreateCertificates(directory, '127.0.0.1');

    expect(second).toEqual(first);
    expect(first.caCertificateFile).toBe(caCertificateFileIn(directory));
    expect(readFileSync(first.caCertificateFile, 'utf8')).toBe(first.caCertificate);
    const server = new X509Certificate(first.certificate);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.verify(new X509Certificate(first.caCertificate).publicKey)).toBe(true);
  });

  it('issues a new server certificate, from the same authority, for another listening address', async () => {
    const before = await loadOrCreateCertificates(directory, '127.0.0.1');

    const after = await loadOrCreateCertificates(directory, '10.1.2.3');

    expect(after.caCertificate).toBe(before.caCertificate);
    expect(after.certificate).not.toBe(before.certificate);
    expect(new X509Certificate(after.certificate).checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(new X509Certificate(after.certificate).checkIP('127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('integration timeouts, clients leaving early, and stopping', () => {
  let harness: Harness;
  let releaseSlowConnect: () => void = () => {};
  const slowConnectStarted: (() => void)[] = [];

  beforeAll(async () => {
    harness = await startApi(
      'ws-lifecycle',
      {
        onConnect: {
          events: ['$connect'],
          handler: async (event) => {
            const mode = event.queryStringParameters?.mode;
            if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 400));
            if (mode === 'gate') {
              slowConnectStarted.shift()?.();
              await new Promise<void>((resolve) => (releaseSlowConnect = resolve));
            }
            return { statusCode: 200 };
          },
        },
        onDisconnect: { events: ['$disconnect'] },
        slow: {
          events: [{ route: 'slow' }],
          handler: async () => {
            await new Promise((resolve) => setTimeout(resolve, 400));
            return { statusCode: 200 };
          },
        },
      },
      { integrationTimeoutMs: 100 },
    );
  });

  afterAll(() => harness.stop());

  it('refuses the upgrade with 504 when $connect outlasts the integration timeout', async () => {
    const refused = await refusedUpgrade(`${harness.api.url}?mode=slow`);

    expect(refused.statusCode).toBe(504);
  });

  it('tells the client "Endpoint request timed out" when a route function outlasts it', async () => {
    const { client, connectionId } = await connectedClient(harness);

    client.send('{"action":"slow"}');
    const reply = JSON.parse(await client.message(1)) as Record<string, string>;

    expect(reply).toMatchObject({ message: 'Endpoint request timed out', connectionId });
    await client.close();
  });

  it('invokes $disconnect (1006) for a client that left while $connect was running', async () => {
    const started = new Promise<void>((resolve) => slowConnectStarted.push(resolve));
    const socket = new WebSocket(`${harness.api.url}?mode=gate`);
    socket.on('error', () => {});
    await started;
    const connected = await harness.log.next((event) => event.queryStringParameters?.mode === 'gate');

    const gone = new Promise((resolve) => socket.once('close', resolve));
    socket.terminate();
    await gone;
    releaseSlowConnect();
    const event = await harness.log.forRoute('$disconnect', connected.requestContext.connectionId);

    expect(event.requestContext.disconnectStatusCode).toBe(1006);
  });

  it('ends every connection on stop, without $disconnect, and refuses new ones', async () => {
    const own = await startApi('ws-stopping', {
      onConnect: { events: ['$connect'] },
      onDisconnect: { events: ['$disconnect'] },
    });
    const { client } = await connectedClient(own);
    expect(own.api.connectionCount()).toBe(1);

    await own.stop();
    const closed = await client.closed;

    expect(closed.code).toBe(1006);
    expect(own.log.of('onDisconnect')).toEqual([]);
    await expect(connect(own.api.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
