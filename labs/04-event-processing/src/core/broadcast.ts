import type { ConnectionNotifier } from '../ports/connection-notifier';
import type { ConnectionRepository } from '../ports/connection-repository';
import { thumbnailKey } from './image';
import type { UploadedObject } from './uploaded-object';

export interface BroadcastDependencies {
  connections: ConnectionRepository;
  notifier: ConnectionNotifier;
}

export interface BroadcastResult {
  sent: number;
  /** Connections that answered 410 Gone and were forgotten. */
  removed: number;
}

/** What every client receives when an image has been uploaded. */
export interface ImageUploadedMessage {
  type: 'image-uploaded';
  groupId: string;
  imageId: string;
  key: string;
  thumbnailKey: string;
  size: number;
  uploadedAt: string;
}

export function imageUploadedMessage(upload: UploadedObject): ImageUploadedMessage {
  return {
    type: 'image-uploaded',
    groupId: upload.groupId,
    imageId: upload.imageId,
    key: upload.key,
    thumbnailKey: thumbnailKey(upload.imageId),
    size: upload.size,
    uploadedAt: upload.eventTime,
  };
}

/** A post that failed for another reason than 410; the invocation fails so that Lambda retries it. */
export class BroadcastError extends Error {
  constructor(readonly failures: unknown[]) {
    super(`${failures.length} connection(s) could not be notified: ${failures.map(String).join('; ')}`);
    this.name = 'BroadcastError';
  }
}

/**
 * Sends the message to every open connection at once, and forgets the connections API Gateway says are gone
 * (clients that vanished without a clean $disconnect). One failing connection does not stop the others.
 */
export async function broadcast(deps: BroadcastDependencies, message: string): Promise<BroadcastResult> {
  // BEGIN SOLUTION websocket-connections
  // TODO(websocket-connections): send to every connection in parallel; remove those that are gone.
  const ids = await deps.connections.listIds();
  const outcomes = await Promise.allSettled(
    ids.map(async (connectionId) => {
      const result = await deps.notifier.send(connectionId, message);
      if (result === 'gone') await deps.connections.remove(connectionId);
      return result;
    }),
  );
  const failures = outcomes.flatMap((outcome): unknown[] =>
    outcome.status === 'rejected' ? [outcome.reason] : [],
  );
  if (failures.length > 0) throw new BroadcastError(failures);
  const results = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  return {
    sent: results.filter((result) => result === 'sent').length,
    removed: results.filter((result) => result === 'gone').length,
  };
  // END SOLUTION
}
