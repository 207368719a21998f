/** The open WebSocket connections, by id. */
export interface ConnectionRepository {
  save(connectionId: string, connectedAt: string): Promise<void>;
  remove(connectionId: string): Promise<void>;
  /** Every connection id, however many pages the store needs to return them. */
  listIds(): Promise<string[]>;
}
