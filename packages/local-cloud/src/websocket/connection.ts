// One client connection through its life: `connecting` while $connect runs (the management API answers 410,
// as AWS does before the upgrade completes), `open`, `closing` once the gateway or the client has started the
// close, `closed`. The gateway closes it after 10 minutes without a message either way and after 2 hours in
// any case, as API Gateway does.
import type { WebSocket } from 'ws';
import type { ConnectionContext, WebSocketIdentity } from './events';
import { FRAME_LIMIT_BYTES } from './frame-limits';

export type ConnectionState = 'connecting' | 'open' | 'closing' | 'closed';

export interface CloseDescription {
  statusCode: number;
  reason: string;
}

/** API Gateway's close for the idle timeout and the maximum connection duration. */
export const GOING_AWAY: CloseDescription = { statusCode: 1001, reason: 'Going away' };
/** What $disconnect reports after a DeleteConnection (AWS's wording in its execution logs). */
export const DELETED: CloseDescription = { statusCode: 1000, reason: 'Connection Closed Normally' };

export interface ConnectionTimeouts {
  idleMs: number;
  lifetimeMs: number;
}

export class Connection implements ConnectionContext {
  state: ConnectionState = 'connecting';
  /** Epoch ms of the last message in either direction. */
  lastActiveAt: number;
  authorizer?: Record<string, unknown>;
  /** How the gateway closed the connection, when it did: what $disconnect reports. */
  gatewayClose?: CloseDescription;
  private socket?: WebSocket;
  private idleTimer?: NodeJS.Timeout;
  private lifetimeTimer?: NodeJS.Timeout;

  constructor(
    readonly apiId: string,
    readonly stage: string,
    readonly domainName: string,
    readonly connectionId: string,
    readonly connectedAt: number,
    readonly identity: WebSocketIdentity,
    /** The Host the client connected to, for $disconnect's headers. */
    readonly host: string,
  ) {
    this.lastActiveAt = connectedAt;
  }

  open(socket: WebSocket, timeouts: ConnectionTimeouts, now: () => number): void {
    this.socket = socket;
    this.state = 'open';
    this.lifetimeTimer = setTimeout(() => this.closeByGateway(GOING_AWAY), timeouts.lifetimeMs);
    this.lifetimeTimer.unref();
    // One timer re-armed for the time left, rather than a new timer per message: a broadcast touches many
    // connections at once.
    const checkIdle = () => {
      const idleFor = now() - this.lastActiveAt;
      if (idleFor >= timeouts.idleMs) {
        this.closeByGateway(GOING_AWAY);
        return;
      }
      this.idleTimer = setTimeout(checkIdle, timeouts.idleMs - idleFor);
      this.idleTimer.unref();
    };
    this.idleTimer = setTimeout(checkIdle, timeouts.idleMs);
    this.idleTimer.unref();
  }

  /**
   * Sends one text message, in frames of at most 32 KB as API Gateway does, and resolves once it is written
   * to the connection.
   */
  send(data: Buffer): Promise<void> {
    const socket = this.socket;
    if (this.state !== 'open' || !socket) return Promise.reject(new Error('connection is not open'));
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => (error ? reject(error) : resolve());
      if (data.length <= FRAME_LIMIT_BYTES) {
        socket.send(data, { binary: false }, done);
        return;
      }
      for (let offset = 0; offset < data.length; offset += FRAME_LIMIT_BYTES) {
        const last = offset + FRAME_LIMIT_BYTES >= data.length;
        socket.send(
          data.subarray(offset, offset + FRAME_LIMIT_BYTES),
          { binary: false, fin: last },
          last ? done : undefined,
        );
      }
    });
  }

  /** Starts the close handshake; the socket's `close` event finishes it. */
  closeByGateway(close: CloseDescription, sentReason = close.reason): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.gatewayClose = close;
    this.socket?.close(close.statusCode, sentReason);
  }

  /** Ends the connection at once, without a close handshake (the emulator is stopping). */
  terminate(): void {
    this.state = 'closed';
    this.clearTimers();
    this.socket?.terminate();
  }

  closed(): void {
    this.state = 'closed';
    this.clearTimers();
  }

  private clearTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.lifetimeTimer);
  }
}
