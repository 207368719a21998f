/** `gone`: the connection no longer exists (API Gateway's 410), so it should be forgotten. */
export type DeliveryResult = 'sent' | 'gone';

/** Sends a message down one WebSocket connection. */
export interface ConnectionNotifier {
  send(connectionId: string, message: string): Promise<DeliveryResult>;
}
