// The API's connections by id, from the upgrade request on: a connection is known while $connect runs (the
// management API answers 410 for it then, as AWS does before the upgrade completes) and forgotten once it
// closes or $connect refuses it. Once the API is stopping, the close handlers leave $disconnect out: the
// connections end because local-cloud does, not because a client or the gateway closed them.
import type { Connection } from './connection';

export class ConnectionRegistry {
  /** What the management API looks connections up in. */
  readonly byId = new Map<string, Connection>();
  stopping = false;

  add(connection: Connection): void {
    this.byId.set(connection.connectionId, connection);
  }

  remove(connection: Connection): void {
    this.byId.delete(connection.connectionId);
  }

  /** Connections that are open now. */
  openCount(): number {
    return [...this.byId.values()].filter((c) => c.state === 'open').length;
  }

  /** Ends every connection at once, without $disconnect, and forgets them all. */
  stop(): void {
    this.stopping = true;
    for (const connection of this.byId.values()) connection.terminate();
    this.byId.clear();
  }
}
