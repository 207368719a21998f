// A connection `ws` has upgraded, until it closes: its idle and lifetime timers start, every inbound frame is
// checked against API Gateway's limits before `ws` reads it, and each text message goes to its route. The
// close, the client's or the gateway's, forgets the connection and sends $disconnect with the close code and
// reason, unless the API is stopping or the connection had closed already.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ApiContext } from './api-context';
import type { Connection, ConnectionTimeouts } from './connection';
import type { Disconnect } from './disconnect';
import { InboundFrameWatcher } from './frame-limits';
import type { RouteMessage } from './message-routing';

export interface ConnectionOpenerOptions {
  timeouts: ConnectionTimeouts;
  routeMessage: RouteMessage;
  disconnect: Disconnect;
}

export type OpenConnection = (connection: Connection, socket: Duplex, ws: WebSocket) => void;

export function createConnectionOpener(api: ApiContext, options: ConnectionOpenerOptions): OpenConnection {
  const { connections, log, now } = api;
  return (connection, socket, ws) => {
    connection.open(ws, options.timeouts, now);
    const watcher = new InboundFrameWatcher();
    const watch = (chunk: Buffer) => {
      const violation = watcher.push(chunk);
      if (!violation) return;
      socket.removeListener('data', watch);
      connection.closeByGateway({ statusCode: violation.code, reason: violation.reason });
    };
    // Before `ws` reads the same bytes, so an oversized frame is refused before it is buffered or delivered.
    socket.prependListener('data', watch);
    ws.on('message', (data: Buffer) => {
      if (connection.state !== 'open') return;
      connection.lastActiveAt = now();
      void options.routeMessage(connection, data.toString('utf8'));
    });
    ws.on('error', (error) => log(`WebSocket ${connection.connectionId}: ${error.message}`));
    ws.on('close', (code: number, reason: Buffer) => {
      socket.removeListener('data', watch);
      const previousState = connection.state;
      connection.closed();
      connections.remove(connection);
      if (connections.stopping || previousState === 'closed') return;
      void options.disconnect(
        connection,
        connection.gatewayClose ?? { statusCode: code, reason: reason.toString() },
      );
    });
  };
}
