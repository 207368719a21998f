import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileRouteSelection, webSocketRoutes, WebSocketConfigError } from '../../src/websocket/routes';
import { InboundFrameWatcher, MESSAGE_TOO_BIG } from '../../src/websocket/frame-limits';
import { connectedClient, serviceOf, startApi, type Harness } from './websocket-harness';

describe('route selection without a $default route', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startApi(
      'ws-selection',
      {
        onConnect: { events: ['$connect'] },
        kind: { events: ['chat.text'] },
      },
      { routeSelectionExpression: '$request.body.message.type' },
    );
  });

  afterAll(() => harness.stop());

  it('routes on a nested body property named by the route selection expression', async () => {
    const { client, connectionId } = await connectedClient(harness);

    client.send(JSON.stringify({ message: { type: 'chat.text', text: 'hello' } }));
    const event = await harness.log.forRoute('chat.text', connectionId);

    expect(event.body).toBe('{"message":{"type":"chat.text","text":"hello"}}');
    await client.close();
  });

  it('answers a message no route takes with API Gateway\'s "Forbidden" message, connection kept', async () => {
    const { client, connectionId } = await connectedClient(harness);

    client.send('{"message":{"type":"unknown"}}');
    const reply = await client.message(1);
    client.send('not json at all');
    const second = await client.message(2);

    expect(reply).toMatch(
      new RegExp(
        `^\\{"message": "Forbidden", "connectionId":"${connectionId}", "requestId":"[A-Za-z0-9_-]{15}="\\}$`,
      ),
    );
    expect(JSON.parse(second)).toMatchObject({ message: 'Forbidden', connectionId });
    expect(harness.log.of('kind')).toHaveLength(1);
    await client.close();
  });
});

describe('route selection expressions', () => {
  it.each([
    ['$request.body.action', '{"action":"join"}', 'join'],
    ['${request.body.action}', '{"action":"join"}', 'join'],
    ['$request.body.meta.kind', '{"meta":{"kind":"ping"}}', 'ping'],
    ['$request.body.action', '{"action":7}', '7'],
    ['$request.body.action', '{"action":{"nested":true}}', undefined],
    ['$request.body.action', '{"other":"join"}', undefined],
    ['$request.body.action', '["join"]', undefined],
    ['$request.body.action', 'join', undefined],
  ])('%s selects %j from %s', (expression, message, expected) => {
    expect(compileRouteSelection(expression)(message)).toBe(expected);
  });

  it('refuses an expression it cannot evaluate, naming the setting and the fix', () => {
    expect(() => compileRouteSelection('$request.header.x-action')).toThrow(
      /provider\.websocketsApiRouteSelectionExpression .* Fix: use a body property/,
    );
  });
});

describe('routes from websocket events', () => {
  const servicePath = mkdtempSync(path.join(tmpdir(), 'ws-routes-'));
  afterAll(() => rmSync(servicePath, { recursive: true, force: true }));

  it('reads the short form and the object form, with route responses', () => {
    const routes = webSocketRoutes(
      serviceOf('ws-routes', servicePath, {
        connect: { events: ['$connect'] },
        echo: { events: [{ route: 'echo', routeResponseSelectionExpression: '$default' }] },
      }),
    );

    expect([...routes.values()]).toEqual([
      { routeKey: '$connect', functionKey: 'connect', twoWay: false },
      { routeKey: 'echo', functionKey: 'echo', twoWay: true },
    ]);
  });

  it.each([
    [
      { a: { events: ['join'] }, b: { events: [{ route: 'join' }] } },
      /route "join" is already handled by function "a"/,
    ],
    [{ a: { events: [{ route: 'join', authorizer: 'auth' }] } }, /authorizers only on \$connect/],
    [
      { a: { events: [{ route: 'join', routeResponseSelectionExpression: '$request.body' }] } },
      /supports only "\$default"/,
    ],
    [{ a: { events: [{ routeResponseSelectionExpression: '$default' }] } }, /has no route/],
  ])('refuses what API Gateway would refuse (%#)', (functions, message) => {
    const attempt = () => webSocketRoutes(serviceOf('ws-routes', servicePath, functions));

    expect(attempt).toThrow(WebSocketConfigError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/serverless\.yml: functions\.\w+\.events\[0\]\.websocket.* Fix: /);
  });
});

describe('the inbound frame watcher', () => {
  /** A masked client frame header for a payload of `length` bytes. */
  function frameHeader(opcode: number, length: number, fin = true): Buffer {
    const first = (fin ? 0x80 : 0) | opcode;
    if (length < 126) return Buffer.from([first, 0x80 | length, 1, 2, 3, 4]);
    if (length < 65536) {
      const header = Buffer.from([first, 0x80 | 126, 0, 0, 1, 2, 3, 4]);
      header.writeUInt16BE(length, 2);
      return header;
    }
    const header = Buffer.alloc(14);
    header[0] = first;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
    return header;
  }

  it('follows headers split across chunks, byte by byte', () => {
    const watcher = new InboundFrameWatcher();
    const stream = Buffer.concat([
      frameHeader(1, 32 * 1024),
      Buffer.alloc(32 * 1024),
      frameHeader(1, 32 * 1024 + 1),
    ]);
    const violations = [...stream].map((byte) => watcher.push(Buffer.from([byte]))).filter(Boolean);

    expect(violations).toEqual([MESSAGE_TOO_BIG]);
  });

  it('counts a fragmented message across its frames and ignores control frames', () => {
    const watcher = new InboundFrameWatcher();
    const frame = (opcode: number, fin: boolean) =>
      Buffer.concat([frameHeader(opcode, 32 * 1024, fin), Buffer.alloc(32 * 1024)]);
    const ping = Buffer.concat([frameHeader(9, 4), Buffer.alloc(4)]);

    expect(
      watcher.push(Buffer.concat([frame(1, false), ping, frame(0, false), frame(0, false), frame(0, true)])),
    ).toBe(undefined);
    expect(
      watcher.push(Buffer.concat([frame(1, false), frame(0, false), frame(0, false), frame(0, false)])),
    ).toBe(undefined);
    expect(watcher.push(frameHeader(0, 1))).toEqual(MESSAGE_TOO_BIG);
  });
});
