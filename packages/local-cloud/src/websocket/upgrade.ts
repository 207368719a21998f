// An upgrade request's way to an open connection: the handshake is read (or refused), the connection is known
// while $connect decides (and refused with $connect's status if it says no), then `ws` completes the upgrade
// with the subprotocol $connect chose. A client that leaves while $connect runs gets $disconnect, as on AWS:
// the function saw a connection that never opened.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { logInternalError } from '../http/internal-errors';
import type { ApiContext } from './api-context';
import { INTERNAL_SERVER_ERROR, type ConnectDecision, type DecideConnect } from './connect-decision';
import type { Connection } from './connection';
import type { Disconnect } from './disconnect';
import { MESSAGE_LIMIT_BYTES } from './frame-limits';
import { readHandshake, refuse, type ValidHandshake } from './handshake';

export interface UpgradeHandlerOptions {
  /** requestContext.domainName: known once the port is. */
  domainName: () => string;
  decideConnect: DecideConnect;
  disconnect: Disconnect;
  /** Takes over a connection `ws` has upgraded. */
  open: (connection: Connection, socket: Duplex, ws: WebSocket) => void;
}

export interface UpgradeHandler {
  onUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
  close(): void;
}

type Accepted = Extract<ConnectDecision, { accept: true }>;

export function createUpgradeHandler(api: ApiContext, options: UpgradeHandlerOptions): UpgradeHandler {
  const { connections } = api;
  // The subprotocol $connect chose, per upgrade request: API Gateway selects none unless the function does.
  const protocols = new WeakMap<http.IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // The frame watcher closes with AWS's code and reason first; this bounds what `ws` buffers regardless.
    maxPayload: MESSAGE_LIMIT_BYTES,
    handleProtocols: (_offered, request) => protocols.get(request) ?? false,
  });

  const upgrade = async (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const handshake = readHandshake(req, api, options.domainName());
    if ('refusal' in handshake) {
      refuse(socket, handshake.refusal);
      return;
    }
    const { connection } = handshake;
    const decision = await runConnect(api, options.decideConnect, handshake, req, socket);
    if (!decision) return;
    if (connections.stopping || socket.destroyed) {
      // The client left while $connect ran: the function saw a connection that never opened.
      connections.remove(connection);
      if (!connections.stopping) void options.disconnect(connection, { statusCode: 1006, reason: '' });
      return;
    }
    if (decision.protocol !== undefined) protocols.set(req, decision.protocol);
    let upgraded = false;
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      options.open(connection, socket, ws);
    });
    if (!upgraded) {
      connections.remove(connection);
      void options.disconnect(connection, { statusCode: 1006, reason: '' });
    }
  };

  return {
    onUpgrade: (req, socket, head) => {
      socket.on('error', () => socket.destroy());
      upgrade(req, socket, head).catch((error: unknown) => {
        // The handshake may be answered already: dropping the connection is the one safe answer left.
        logInternalError(api.log, req, error);
        socket.destroy();
      });
    },
    close: () => wss.close(),
  };
}

/** $connect's decision on a connection; undefined when it refused (the refusal is sent). */
async function runConnect(
  api: ApiContext,
  decideConnect: DecideConnect,
  { connection, request }: ValidHandshake,
  req: http.IncomingMessage,
  socket: Duplex,
): Promise<Accepted | undefined> {
  // Known but not yet connected: the management API answers 410 until the upgrade completes.
  api.connections.add(connection);
  let decision: ConnectDecision;
  try {
    decision = await decideConnect(connection, request);
  } catch (error) {
    api.connections.remove(connection);
    logInternalError(api.log, req, error);
    refuse(socket, { statusCode: 500, body: INTERNAL_SERVER_ERROR });
    return undefined;
  }
  if (!decision.accept) {
    api.connections.remove(connection);
    refuse(socket, decision);
    return undefined;
  }
  return decision;
}
